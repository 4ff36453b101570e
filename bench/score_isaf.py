"""Score the graph against the expert labels of the ISAF press releases (../shared/corpora/isaf/).

Each release is one labelled incident: its day, its type (detention, insurgentskilled, captureandkill,
airstrike, civiliancasualty, exchangeoffire), its province and the minimum number killed. The releases
are built into a scratch store as articles, published on their dateline's day (the metadata a feed
would give), and the graph is asked, per article, for its events with type, province, day and killed
count. A release counts as found when an event of a type its label maps to sits in the labelled
province on the labelled day; its killed count is right when an event of a violent type in the
article carries exactly the labelled minimum.

The texts are CC BY-SA and stay in ../shared: the articles and the store live in a temporary folder.

    python bench/score_isaf.py [--isaf PATH] [--limit N] [--show-misses]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import gazetteer as gazetteer_module  # noqa: E402
from kg.build import build  # noqa: E402
from kg.slug import fold  # noqa: E402
from kg.store import GraphStore  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpora" / "isaf" / "isaf_press_releases_ft_test.jsonl"

KILLING = {"Killing", "Assassination", "Attack", "ArmedClash", "Airstrike"}
# label -> the kg event types that tell it (each label of a release must be told)
LABEL_TYPES = {
    "detention": {"Arrest"},
    "insurgentskilled": KILLING,
    "airstrike": {"Airstrike"},
    "civiliancasualty": KILLING | {"Injury"},
    "exchangeoffire": {"ArmedClash", "Attack"},
}
# "captureandkill": some were detained and some killed in one operation
COMPOUND = {"captureandkill": ("detention", "insurgentskilled")}
PROVINCE_SPELLINGS = {"paktya": "paktia", "sar_e_pul": "sar-e pol", "sar-e pul": "sar-e pol", "day_kundi": "daykundi",
                      "wardak": "maidan wardak"}
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
DATELINE = re.compile(r"\((?P<month>[A-Z][a-z]+)\.? (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?\)")
# the releases without a dateline open with their day in the title: "Feb. 20: Afghan-ISAF Forces ..."
TITLE_DAY = re.compile(r"^(?P<month>[A-Z][a-z]+)\.? (?P<day>\d{1,2}):")
RELEASE = re.compile(r"(?P<year>20\d\d)-(?P<month>\d\d)-")


@dataclass(frozen=True)
class Release:
    id: str
    text: str
    published: dt.date | None
    day: str | None
    labels: tuple[str, ...]
    province: str | None  # gazetteer key
    killed: int


def _published(text: str) -> dt.date | None:
    """The dateline's day: "KABUL, Afghanistan (Jan. 25, 2013)", or the title's ("June 20: ..."); a
    year left out comes from the release number ("2010-09-CA-005")."""
    match = DATELINE.search(text[:1500]) or TITLE_DAY.match(text)
    if not match:
        return None
    month = MONTHS.get(match["month"][:3].lower())
    year = match.groupdict().get("year")
    if year is None:
        number = RELEASE.search(text[:400])
        year = number["year"] if number else None
    if month is None or year is None:
        return None
    try:
        return dt.date(int(year), month, int(match["day"]))
    except ValueError:
        return None


def _province_key(label: str, gazetteer) -> str | None:
    name = fold(PROVINCE_SPELLINGS.get(label, label).replace("_", " "))
    keys = [k for k in gazetteer.place_names.get(name, ()) if k.startswith("province/")]
    return keys[0] if len(keys) == 1 else None


def read_releases(path: Path, gazetteer) -> list[Release]:
    releases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        record = json.loads(line)["conversations"]
        text = record[1]["value"].removeprefix("PRESS RELEASE TEXT: ").strip()
        gold = json.loads(record[2]["value"])
        labels = tuple(t for label in ";".join(gold["event_type"]).split(";") if label
                       for t in COMPOUND.get(label, (label,)))
        provinces = [p for p in gold["province"] if p]
        releases.append(Release(
            id=f"isaf-{number:04d}", text=text, published=_published(text), day=gold.get("start_date") or None,
            labels=labels, province=_province_key(provinces[0], gazetteer) if len(provinces) == 1 else None,
            killed=int(gold.get("min_killed") or 0)))
    return releases


EVENTS = """
PREFIX kg: <https://kg.example.org/ontology#>
SELECT ?g ?event ?type ?province ?date ?precision ?killed WHERE {
  GRAPH ?g { ?event a kg:Event ; a ?type .
             OPTIONAL { ?event kg:date ?date ; kg:datePrecision ?precision }
             OPTIONAL { ?event kg:killed ?killed } }
  OPTIONAL { GRAPH ?g { ?event kg:place ?place } ?place kg:locatedIn* ?province . ?province a kg:Province }
}"""


def graph_events(store: GraphStore) -> dict[str, list[dict]]:
    """Article id -> its events: {type, province, day, killed}, read from the graph."""
    events: dict[str, dict[str, dict]] = {}
    for row in store.select(EVENTS):
        article = str(row["g"]).rsplit("/", 1)[-1]
        event = events.setdefault(article, {}).setdefault(str(row["event"]), {"types": set(), "provinces": set()})
        event["types"].add(str(row["type"]).rsplit("#", 1)[-1])
        if row.get("province") is not None:
            event["provinces"].add("province/" + str(row["province"]).rsplit("/province/", 1)[-1])
        precision = str(row.get("precision") or "")
        event["day"] = row["date"].lexical if row.get("date") is not None and precision.endswith("DayPrecision") else None
        event["killed"] = int(row["killed"].lexical) if row.get("killed") is not None else None
    return {article: list(found.values()) for article, found in events.items()}


@dataclass
class Score:
    releases: int = 0
    labelled: int = 0  # with a type, a province and a day
    found: int = 0
    typed: int = 0  # some event of the right type
    placed: int = 0  # ... in the right province
    dated: int = 0  # labelled, with a publication date to resolve "yesterday" against
    dated_found: int = 0
    with_killed: int = 0
    killed_right: int = 0

    def table(self) -> str:
        share = lambda a, b: f"{a / b:.3f}" if b else "n/a"  # noqa: E731
        return "\n".join([
            f"releases: {self.releases}; labelled with type, province and day: {self.labelled}",
            f"  type told:                 {self.typed:4d}  {share(self.typed, self.labelled)}",
            f"  type + province:           {self.placed:4d}  {share(self.placed, self.labelled)}",
            f"  type + province + day:     {self.found:4d}  {share(self.found, self.labelled)}",
            f"  ... of the {self.dated} with a dateline: {self.dated_found:4d}  {share(self.dated_found, self.dated)}",
            f"killed count given: {self.with_killed}; right: {self.killed_right}  {share(self.killed_right, self.with_killed)}",
        ])


def score(releases: list[Release], events: dict[str, list[dict]], misses: list[str] | None = None) -> Score:
    result = Score(releases=len(releases))
    for release in releases:
        told = events.get(release.id, [])
        if release.labels and release.province and release.day:
            result.labelled += 1
            wanted = [LABEL_TYPES.get(label, set()) for label in release.labels]
            typed = all(any(e["types"] & types for e in told) for types in wanted)
            placed = all(any(e["types"] & types and release.province in e["provinces"] for e in told) for types in wanted)
            found = all(any(e["types"] & types and release.province in e["provinces"] and e["day"] == release.day
                            for e in told) for types in wanted)
            result.typed += typed
            result.placed += placed
            result.found += found
            if release.published:
                result.dated += 1
                result.dated_found += found
            if not found and misses is not None:
                got = sorted((sorted(e["types"] - {"Event"}), sorted(e["provinces"]), e["day"] or "") for e in told)
                misses.append(f"{release.id}: wanted {release.labels} {release.province} {release.day}; got {got}")
        if release.killed:
            result.with_killed += 1
            result.killed_right += any(e["killed"] == release.killed and e["types"] & KILLING for e in told)
    return result


def run(path: Path, limit: int | None = None, jobs: int = 1, misses: list[str] | None = None) -> Score:
    gazetteer = gazetteer_module.default()
    releases = read_releases(path, gazetteer)[:limit]
    # (the embedded store may still be writing its files in the background as the scratch space goes)
    with tempfile.TemporaryDirectory(prefix="kg-isaf-", ignore_cleanup_errors=True) as scratch:
        corpus = Path(scratch) / "isaf.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for release in releases:
                record = {"id": release.id, "text": release.text, "outlet": "ISAF"}
                if release.published:
                    record["published"] = release.published.isoformat()
                out.write(json.dumps(record) + "\n")
        store = GraphStore(Path(scratch) / "store")
        report = build([corpus], store, jobs=jobs, progress=False)
        if not report.ok:
            raise SystemExit(f"build failed: {report.failed}")
        result = score(releases, graph_events(store), misses)
        del store  # closes the store before its directory is removed
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--isaf", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    if not args.isaf.exists():
        print(f"{args.isaf}: not found (the ISAF releases live in ../shared/corpora/isaf/)", file=sys.stderr)
        return 2
    misses: list[str] = []
    result = run(args.isaf, args.limit, args.jobs, misses)
    print(result.table())
    if args.show_misses:
        print("\n".join(misses))
    labels = Counter(label for release in read_releases(args.isaf, gazetteer_module.default()) for label in release.labels)
    print("labels:", dict(labels.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
