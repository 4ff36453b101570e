"""Import places and actors from Wikidata SPARQL results into a gazetteer directory.

The results come from queries/wikidata_places.rq and queries/wikidata_actors.rq, run by the user on
https://query.wikidata.org and saved as SPARQL 1.1 JSON (https://www.w3.org/TR/sparql11-results-json/).
Nothing here touches the network.

Imported Q-ids are one source, and the gazetteer's rule (kg/data/gazetteer/SOURCES.md) wants two
agreeing sources before a Q-id is used for links. So by default an imported id is kept out of the
`wikidata` column: places get it in `unverified_qid`, actors (whose file has no such column) in the
`source_of_qid` text. Only `trust=True` (`--trust`) writes it to `wikidata`.

Merging never changes a row already in the gazetteer: an imported place or actor that is already
there (same loader key, or same kind and Q-id) is counted as kept and not written again.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.atomic import write_text_atomically
from kg.errors import DataFileError, UsageError
from kg.gazetteer import ACTOR_CLASS, DATA_DIR, PLACE_CLASS, actor_key, place_key
from kg.slug import fold

PLACE_COLUMNS = ["kind", "name", "wikidata", "province", "lat", "lon", "population", "aliases", "source", "role",
                 "iso_3166_2", "qid_evidence", "unverified_qid", "notes"]
ACTOR_COLUMNS = ["kind", "name", "wikidata", "aliases", "description", "source_of_qid"]

QID_EVIDENCE = "Wikidata import (one source: review before trusting)"
ENTITY_IRI = re.compile(r"^https?://www\.wikidata\.org/entity/(Q[1-9][0-9]*)$")
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
WKT_POINT = re.compile(rf"^\s*Point\s*\(\s*({NUMBER})\s+({NUMBER})\s*\)\s*$", re.IGNORECASE)
ENTITY_VARIABLES = ("item", "province", "capital")  # reduced to bare Q-ids by read_results

# Order of the kinds: provinces are read before the places they contain, and an item that comes
# back under several kinds keeps the first (a capital also listed as a district stays a city).
KIND_ORDER = {"country": 0, "province": 1, "city": 2, "district": 3, "facility": 4}
# Wikidata labels provinces "Balkh Province" and districts "Aybak District"; the gazetteer names
# them "Balkh" and "Aybak", with the long form as an alias.
LABEL_SUFFIX = {"province": " Province", "district": " District"}

JSON_HINT = ("save the result as SPARQL JSON: on query.wikidata.org use Download > \"JSON file (verbose)\", or "
             "curl -H 'Accept: application/sparql-results+json' --data-urlencode query@queries/wikidata_places.rq "
             "https://query.wikidata.org/sparql > places.json")


# --- reading ---------------------------------------------------------------------------------
def read_results(path: Path) -> list[dict[str, str]]:
    """The solutions of a SPARQL JSON results file, one flat dict per solution (variable -> text).

    ?item, ?province and ?capital become bare Q-ids ("Q889"); a ?coord "Point(lon lat)" becomes
    "lat" and "lon" (5 decimals, about a metre). Unbound variables are absent.
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(f"cannot read {path}: {exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: not JSON ({exc})", hint=JSON_HINT) from exc
    if isinstance(document, list):  # the query service's "JSON file" download: a bare array
        raise DataFileError(f"{path}: a JSON array, not a SPARQL results document", hint=JSON_HINT)
    results = document.get("results") if isinstance(document, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise DataFileError(f"{path}: no results.bindings list: not a SPARQL SELECT result", hint=JSON_HINT)
    return [_solution(binding, path, number) for number, binding in enumerate(bindings, start=1)]


def _solution(binding, path: Path, number: int) -> dict[str, str]:
    where = f"{path}: result {number}"
    if not isinstance(binding, dict) or not all(isinstance(v, dict) for v in binding.values()):
        raise DataFileError(f"{where}: not a SPARQL binding object", hint=JSON_HINT)
    row = {name: str(term.get("value", "")) for name, term in binding.items()}
    if "item" not in row:
        raise DataFileError(f"{where}: no ?item", hint="the query must SELECT ?item (see queries/wikidata_places.rq)")
    for name in ENTITY_VARIABLES:
        if name in row:
            row[name] = _entity(binding[name], name, where)
    if "coord" in row:
        row["lon"], row["lat"] = _point(row.pop("coord"), where)
    return row


def _entity(term: dict, name: str, where: str) -> str:
    match = ENTITY_IRI.match(term.get("value", "")) if term.get("type") == "uri" else None
    if not match:
        raise DataFileError(
            f"{where}: ?{name} {term.get('value')!r} is not a Wikidata entity IRI",
            hint=f"select the entity itself (http://www.wikidata.org/entity/Q...) as ?{name}, not a label or statement",
        )
    return match.group(1)


def _point(text: str, where: str) -> tuple[str, str]:
    match = WKT_POINT.match(text)
    lon, lat = (float(match.group(1)), float(match.group(2))) if match else (None, None)
    if lon is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DataFileError(
            f"{where}: ?coord {text!r} is not a WKT \"Point(lon lat)\" on Earth",
            hint="select wdt:P625 itself as ?coord (coordinates on other globes start with a globe IRI)",
        )
    return f"{lon:.5f}", f"{lat:.5f}"


# --- converting ------------------------------------------------------------------------------
def place_rows(bindings: list[dict[str, str]], *, source: str, trust: bool = False) -> list[dict[str, str]]:
    """Rows for places.csv from read_results() of queries/wikidata_places.rq, one per Wikidata item.

    `source` is the results file's name (for the `source` column and for errors). A city named as
    P36 capital by a province row gets role provincial_capital (national_capital when the country
    names it). An item seen in several solutions gives one row with all its aliases. Items without
    an English label are left out (a Q-id is no name to find in text).
    """
    for number, row in enumerate(bindings, start=1):
        _check_kind(row, PLACE_CLASS, source, number)
    bindings = sorted(bindings, key=lambda row: KIND_ORDER[row["kind"]])  # provinces before what they contain
    provincial = {row["capital"] for row in bindings if row["kind"] == "province" and "capital" in row}
    national = {row["capital"] for row in bindings if row["kind"] == "country" and "capital" in row}
    province_names = {row["item"]: _name(row["itemLabel"], "province")[0]
                      for row in bindings if row["kind"] == "province" and row.get("itemLabel")}

    rows: dict[str, dict[str, str]] = {}
    for row in bindings:
        if not row.get("itemLabel"):
            continue
        qid, kind = row["item"], row["kind"]
        name, long_label = _name(row["itemLabel"], kind)
        aliases = [long_label, *_split(row.get("altLabels", ""))]
        if qid in rows:
            rows[qid]["aliases"] = _join_aliases(rows[qid]["name"], _split(rows[qid]["aliases"]) + aliases)
            continue
        province = ""
        if kind not in ("country", "province") and "province" in row:
            province = province_names.get(row["province"]) or _name(row.get("provinceLabel", ""), "province")[0]
        rows[qid] = {
            "kind": kind,
            "name": name,
            **_qid_columns(qid, trust),
            "province": province,
            "lat": row.get("lat", ""),
            "lon": row.get("lon", ""),
            "population": _population(row.get("population", "")),
            "aliases": _join_aliases(name, aliases),
            "source": f"Wikidata SPARQL import {source}",
            "role": _role(kind, qid in provincial, qid in national),
            "iso_3166_2": row.get("iso", "") if kind == "province" else "",
            "qid_evidence": QID_EVIDENCE,
        }
    return list(rows.values())


def actor_rows(bindings: list[dict[str, str]], *, source: str, trust: bool = False) -> list[dict[str, str]]:
    """Rows for actors.csv from read_results() of queries/wikidata_actors.rq, one per Wikidata item.

    actors.csv has no unverified_qid column: an untrusted id is written into `source_of_qid`,
    after "NOT VERIFIED", as the file already does for ids it leaves empty.
    """
    rows: dict[str, dict[str, str]] = {}
    for number, row in enumerate(bindings, start=1):
        _check_kind(row, ACTOR_CLASS, source, number)
        if not row.get("itemLabel"):
            continue
        qid, name = row["item"], row["itemLabel"].strip()
        aliases = _split(row.get("altLabels", ""))
        if qid in rows:
            rows[qid]["aliases"] = _join_aliases(name, _split(rows[qid]["aliases"]) + aliases)
            continue
        rows[qid] = {
            "kind": row["kind"],
            "name": name,
            "wikidata": qid if trust else "",
            "aliases": _join_aliases(name, aliases),
            "description": row.get("description", "").strip(),
            "source_of_qid": (f"Wikidata SPARQL import {source}: {qid} (one source, trusted with --trust)" if trust
                              else f"NOT VERIFIED: Wikidata SPARQL import {source} gives {qid} "
                                   "(one source: review before trusting)"),
        }
    return list(rows.values())


def _check_kind(row: dict[str, str], kinds: dict, source: str, number: int) -> None:
    if row.get("kind") not in kinds:
        raise DataFileError(
            f"{source}: result {number}: unknown kind {row.get('kind', '(none)')!r} for {row['item']}",
            hint=f"?kind must be one of {sorted(kinds)}: is this the right file for this option?",
        )


def _name(label: str, kind: str) -> tuple[str, str]:
    """(gazetteer name, alias or ""): "Balkh Province" -> ("Balkh", "Balkh Province")."""
    label = label.strip()
    suffix = LABEL_SUFFIX.get(kind)
    if suffix and label.lower().endswith(suffix.lower()) and len(label) > len(suffix):
        return label[: -len(suffix)].strip(), label
    return label, ""


def _qid_columns(qid: str, trust: bool) -> dict[str, str]:
    if trust:
        return {"wikidata": qid, "unverified_qid": "", "notes": "Q-id trusted on import (--trust): one source"}
    return {"wikidata": "", "unverified_qid": qid,
            "notes": "one source (Wikidata import): check the Q-id, then move it to `wikidata`"}


def _role(kind: str, provincial_capital: bool, national_capital: bool) -> str:
    if kind != "city":
        return kind  # country, province, district, facility: as in places.csv
    roles = [name for name, flag in (("national_capital", national_capital), ("provincial_capital", provincial_capital))
             if flag]
    return ";".join(roles) or "town"


def _population(text: str) -> str:
    try:
        return str(int(Decimal(text))) if text else ""
    except (InvalidOperation, ValueError, OverflowError):  # e.g. "NaN", "Infinity"
        return ""  # indicative only: an odd figure is dropped rather than failing the import


def _split(aliases: str) -> list[str]:
    return [a.strip() for a in aliases.split("|") if a.strip()]


def _join_aliases(name: str, aliases: Iterable[str]) -> str:
    seen, kept = {fold(name)}, []
    for alias in aliases:
        if alias and fold(alias) not in seen:
            seen.add(fold(alias))
            kept.append(alias)
    return "|".join(kept)


# --- writing ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Merged:
    added: int
    kept: int  # already in the file (the existing row wins)


def write_gazetteer(rows: Iterable[dict[str, str]], directory: Path, *, merge: bool = True) -> dict[str, Merged]:
    """Write place rows to places.csv and actor rows to actors.csv in `directory` (by their kind).

    With merge, existing rows stay byte for byte and new rows are appended, unless already present
    by loader key or by kind and Q-id; an imported city or district whose province is already
    there under another name is moved to that name. Without merge, the files hold only `rows`.
    Each file is replaced atomically. Returns {file name: Merged}.
    """
    rows = list(rows)
    places = [row for row in rows if row["kind"] in PLACE_CLASS]
    actors = [row for row in rows if row["kind"] in ACTOR_CLASS]
    result = {}
    if places:
        result["places.csv"] = _merge_file(directory / "places.csv", PLACE_COLUMNS, places, _place_identity, merge)
    if actors:
        result["actors.csv"] = _merge_file(directory / "actors.csv", ACTOR_COLUMNS, actors, _actor_identity, merge)
    return result


def _place_identity(row: dict[str, str]) -> tuple[str, set[tuple[str, str]]]:
    ids = {(row["kind"], q) for q in (row.get("wikidata"), row.get("unverified_qid")) if q}
    return place_key(row["kind"], row["name"], row.get("province") or None), ids


def _actor_identity(row: dict[str, str]) -> tuple[str, set[tuple[str, str]]]:
    # the loader's own actor key; an untrusted id lives only in source_of_qid, so the key must do
    key = actor_key(row["kind"], row["name"])
    return key, {(row["kind"], row["wikidata"])} if row.get("wikidata") else set()


def _merge_file(path: Path, default_columns: list[str], new_rows: list[dict[str, str]], identity,
                merge: bool) -> Merged:
    existing_text = path.read_text(encoding="utf-8") if merge and path.exists() else ""
    existing = list(csv.DictReader(io.StringIO(existing_text)))
    columns = next(csv.reader(io.StringIO(existing_text)), None) or default_columns

    keys: set[str] = set()
    owners: dict[tuple[str, str], str] = {}  # (kind, Q-id) -> name of the row that has it
    renamed: dict[str, str] = {}  # imported province name -> the name the file already uses
    for row in existing:
        key, row_ids = identity(row)
        keys.add(key)
        owners.update(dict.fromkeys(row_ids, row["name"]))

    added = []
    for row in new_rows:
        if row.get("province") in renamed:
            row = {**row, "province": renamed[row["province"]]}
        key, row_ids = identity(row)
        owner = next((owners[i] for i in row_ids if i in owners), None)
        if key in keys or owner:
            if row["kind"] == "province" and owner:
                renamed[row["name"]] = owner
            continue
        keys.add(key)
        owners.update(dict.fromkeys(row_ids, row["name"]))
        added.append(row)

    out = io.StringIO()
    if existing_text:
        out.write(existing_text if existing_text.endswith("\n") else existing_text + "\n")
    writer = csv.DictWriter(out, fieldnames=columns, restval="", extrasaction="ignore", lineterminator="\n")
    if not existing_text:
        writer.writeheader()
    writer.writerows(added)
    write_text_atomically(path, out.getvalue())
    return Merged(added=len(added), kept=len(new_rows) - len(added))


# --- the entry point -------------------------------------------------------------------------
@dataclass
class ImportSummary:
    out_dir: Path
    trusted: bool
    places_added: int = 0
    places_kept: int = 0
    actors_added: int = 0
    actors_kept: int = 0
    unlabelled: list[str] = field(default_factory=list)  # Q-ids skipped for want of an English label
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"imported into {self.out_dir}: places {self.places_added} added, {self.places_kept} already present; "
            f"actors {self.actors_added} added, {self.actors_kept} already present",
            "Q-ids written to `wikidata` (--trust): they will be used for links" if self.trusted else
            "Q-ids kept out of links (places: unverified_qid; actors: source_of_qid) until reviewed; --trust uses them",
        ]
        if self.unlabelled:
            lines.append(f"skipped {len(self.unlabelled)} item(s) without an English label: "
                         f"{', '.join(self.unlabelled)}")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def import_wikidata(places_json: Path | None, actors_json: Path | None, out_dir: Path,
                    trust: bool = False) -> ImportSummary:
    """Read the results files, then merge them into the gazetteer in `out_dir`.

    A new `out_dir` (no places.csv yet) starts as a copy of the project gazetteer, so that the
    imported places have their country and kg.gazetteer.load(out_dir) works. Both files are read
    and checked before anything is written.
    """
    if places_json is None and actors_json is None:
        raise UsageError("nothing to import", hint="pass --places FILE and/or --actors FILE")
    out_dir = Path(out_dir)
    places_in = read_results(Path(places_json)) if places_json else []
    actors_in = read_results(Path(actors_json)) if actors_json else []
    places = place_rows(places_in, source=Path(places_json).name, trust=trust) if places_json else []
    actors = actor_rows(actors_in, source=Path(actors_json).name, trust=trust) if actors_json else []

    if not (out_dir / "places.csv").exists():
        _copy_project_gazetteer(out_dir)
    merged = write_gazetteer(places + actors, out_dir)
    unlabelled = sorted({row["item"] for row in places_in + actors_in if not row.get("itemLabel")})
    summary = ImportSummary(out_dir=out_dir, trusted=trust, unlabelled=unlabelled)
    if "places.csv" in merged:
        summary.places_added, summary.places_kept = merged["places.csv"].added, merged["places.csv"].kept
        summary.warnings += _country_warnings(out_dir / "places.csv")
    if "actors.csv" in merged:
        summary.actors_added, summary.actors_kept = merged["actors.csv"].added, merged["actors.csv"].kept
    return summary


def _copy_project_gazetteer(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for source in DATA_DIR.iterdir():
        if source.is_file() and not (out_dir / source.name).exists():
            shutil.copy2(source, out_dir / source.name)


def _country_warnings(places_csv: Path) -> list[str]:
    with places_csv.open(encoding="utf-8", newline="") as handle:
        countries = [row["name"] for row in csv.DictReader(handle) if row["kind"] == "country"]
    if len(countries) <= 1:
        return []
    # kg.gazetteer.load gives every place the first country row as its country
    return [f"{places_csv} now names {len(countries)} countries ({', '.join(countries)}); the loader puts every "
            f"place in the first ({countries[0]}), so places of the others get the wrong country"]
