"""Scoring extraction against hand annotations (format: tests/gold/README.md).

`evaluate(paths)` runs the pipeline on each annotated article and counts, per article:
- events: (type, place, date) triples, matched one to one;
- persons with roles: (name or "", role) pairs;
- places: gazetteer keys of the places named;
- dates: among events matched on type and place, whether the date is right;
- denied: gold denials that the system states as facts (each is also an event false positive).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.articles import Article, read_txt
from kg.errors import DataFileError
from kg.extraction import pipeline
from kg.extraction.records import Extraction
from kg import gazetteer as gazetteer_module
from kg.gazetteer import most_specific
from kg.slug import fold
from kg.vocab import EVENT_TYPES



@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Tally") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    events: dict[str, Tally] = field(default_factory=dict)  # per event type
    persons: Tally = field(default_factory=Tally)
    places: Tally = field(default_factory=Tally)
    links: dict[str, Tally] = field(default_factory=dict)  # places per kind: country, province, city ...
    dates: Tally = field(default_factory=Tally)
    denied_as_fact: int = 0
    denied_total: int = 0
    articles: int = 0
    misses: list[str] = field(default_factory=list)  # human-readable differences, for debugging rules

    @property
    def events_overall(self) -> Tally:
        total = Tally()
        for tally in self.events.values():
            total.add(tally)
        return total

    def table(self) -> str:
        rows = [("measure", "P", "R", "F1", "tp", "fp", "fn")]
        for name, tally in sorted(self.events.items()):
            rows.append((f"events: {name}", *_cells(tally)))
        rows.append(("events: overall", *_cells(self.events_overall)))
        rows.append(("persons with roles", *_cells(self.persons)))
        rows.append(("places (gazetteer keys)", *_cells(self.places)))
        for kind, tally in sorted(self.links.items()):
            rows.append((f"  links: {kind}", *_cells(tally)))
        rows.append(("dates of matched events", *_cells(self.dates)))
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append(f"{self.articles} article(s); denied events stated as facts: {self.denied_as_fact} of {self.denied_total}")
        return "\n".join(lines)


def _cells(t: Tally) -> tuple:
    return f"{t.precision:.3f}", f"{t.recall:.3f}", f"{t.f1:.3f}", t.tp, t.fp, t.fn


@dataclass(frozen=True)
class GoldFile:
    path: Path
    article: Article
    data: dict


def load_gold(path: Path) -> GoldFile:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"{path}: {exc}", hint="see tests/gold/README.md for the format") from exc
    if "article" not in data:
        raise DataFileError(f"{path}: no `article` path", hint='add article = "path/to/article.txt" (relative to this file)')
    for index, event in enumerate(data.get("event", []) + data.get("denied", []), start=1):
        if event.get("type") not in EVENT_TYPES:
            raise DataFileError(f"{path}: event #{index} has type {event.get('type')!r}", hint=f"use one of {list(EVENT_TYPES)}")
    return GoldFile(path, read_txt((path.parent / data["article"]).resolve()), data)


def main_place(places: Iterable[str]) -> str | None:
    """The most specific of an event's places (a city before its province before the country)."""
    return most_specific(places)


ROLE_FILLER = {"of", "the", "for", "a", "an", "'s", "s"}
# Words that make another office: a deputy governor is not the governor, a former senator not a
# sitting one. (The level - district, provincial - is the position's place, not its name.)
DISTINCT_RANKS = ("former", "deputy", "vice", "assistant")


def _agree(a, b) -> bool:
    return a is None or b is None or a == b


def _role_tokens(role: str) -> list[str]:
    return re.split(r"[^a-z0-9]+", fold(role).replace("’", "'"))


def role_words(role: str) -> list[str]:
    return [w for w in _role_tokens(role) if w and w not in ROLE_FILLER]


def role_head(role: str) -> str | None:
    """The office noun: the last word, or the word before "of"/"for" ("member of the provincial
    council", "chief of Helmand's health department", "spokesman for the president")."""
    words = _role_tokens(role)
    cut = next((i for i, w in enumerate(words) if w in ("of", "for") and i > 0), len(words))
    head = [w for w in words[:cut] if w and w not in ROLE_FILLER]
    return head[-1] if head else None


def same_role(a: str, b: str) -> bool:
    """Roles agree when they name the same office: the same head noun, the same former-ness, and
    one's words contained in the other's ("council member" ~ "provincial council member" ~ "member
    of the provincial council"; "spokesman" ~ "interior ministry spokesman")."""
    wa, wb = role_words(a), role_words(b)
    if not wa or not wb or any((word in wa) != (word in wb) for word in DISTINCT_RANKS):
        return False
    return role_head(a) == role_head(b) and (set(wa) <= set(wb) or set(wb) <= set(wa))


def same_name(a: str, b: str) -> bool:
    """Names agree when one's words are among the other's and the last word (the family name) is
    shared: "Bismillah Mohammadi" ~ "Bismillah Khan Mohammadi", "Haji Abdul Sattar Ahmadi" ~
    "Abdul Sattar Ahmadi". Unnamed ("") only agrees with unnamed."""
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return wa == wb
    return wa[-1] == wb[-1] and (set(wa) <= set(wb) or set(wb) <= set(wa))


def _same_person_role(a: tuple, b: tuple) -> bool:
    # the system side carries every name it knows the person by (gazetteer aliases included)
    names = a[2] if len(a) > 2 else (a[0],)
    return any(same_name(n, b[0]) for n in names) and same_role(a[1], b[1])


def _match(system: list[tuple], gold: list[tuple], key, same=None) -> tuple[Tally, list[tuple], list[tuple], list[tuple[tuple, tuple]]]:
    """One-to-one matching (on key(item), or the `same` predicate); returns the tally, unmatched
    system and gold items, and the matched pairs."""
    same = same or (lambda a, b: key(a) == key(b))
    remaining = list(gold)
    pairs, unmatched = [], []
    for item in system:
        partner = next((g for g in remaining if same(item, g)), None)
        if partner is None:
            unmatched.append(item)
        else:
            remaining.remove(partner)
            pairs.append((item, partner))
    return Tally(len(pairs), len(unmatched), len(remaining)), unmatched, remaining, pairs


def score_article(gold: GoldFile, extraction: Extraction, report: Report, gazetteer=None) -> None:
    gazetteer = gazetteer or gazetteer_module.default()
    name = gold.path.name
    system_events = [(e.type, main_place(e.places), e.time.date if e.time else None) for e in extraction.events]
    gold_events = [(g["type"], g.get("place"), g.get("date")) for g in gold.data.get("event", [])]
    for event_type in {t for t, _, _ in system_events} | {t for t, _, _ in gold_events}:
        tally, fps, fns, _ = _match([e for e in system_events if e[0] == event_type],
                                    [g for g in gold_events if g[0] == event_type], key=lambda e: e)
        report.events.setdefault(event_type, Tally()).add(tally)
        report.misses += [f"{name}: extra {e}" for e in fps] + [f"{name}: missed {g}" for g in fns]

    # dates, on events that agree on type and place (exact matches paired first, so a wrong pairing
    # of two same-place events cannot count both dates wrong)
    _, rest_system, rest_gold, exact = _match(system_events, gold_events, key=lambda e: e)
    _, _, _, pairs = _match(rest_system, rest_gold, key=lambda e: e[:2])
    pairs = exact + pairs
    for system, gold_event in pairs:
        if system[2] is None and gold_event[2] is None:
            continue
        if system[2] == gold_event[2]:
            report.dates.tp += 1
        else:
            report.dates.fp += system[2] is not None
            report.dates.fn += gold_event[2] is not None

    unmatched = rest_system  # system events that match no gold event
    for denied in gold.data.get("denied", []):
        report.denied_total += 1
        if any(e[0] == denied["type"] and e[1] == denied.get("place") and _agree(e[2], denied.get("date"))
               for e in unmatched):
            report.denied_as_fact += 1
            report.misses.append(f"{name}: denied event stated as fact: {denied['type']} {denied.get('place')}")

    # Unnamed officials count when they take part in an event (the annotation guideline's rule).
    # (a person a mention is attributed to takes part as its source; "officials said" does not)
    # (a denied claim counts too: who denied it, and whom it is about, are its participants)
    told = extraction.events + extraction.denied
    participants = {p.actor for e in told for p in e.participants}
    participants |= {m.according_to for e in told for m in e.mentions
                     if m.according_to and extraction.actor(m.according_to).cls == "Person"}
    system_persons = []
    for actor in extraction.actors:
        if actor.cls in ("Person", "Group") and (actor.name or actor.local_id in participants):
            known = gazetteer.actors.get(actor.key) if actor.key else None
            names = tuple(fold(n) for n in ((actor.name or "",) + (known.aliases if known else ())))
            for position in actor.positions:
                pair = (fold(actor.name or ""), ("former " if position.former else "") + position.title, names)
                if pair not in system_persons:
                    system_persons.append(pair)
    gold_persons = [(fold(p.get("name", "")), role) for p in gold.data.get("person", []) for role in p.get("roles", [])]
    tally, extra, missed, _ = _match(system_persons, gold_persons, key=None, same=_same_person_role)
    report.persons.add(tally)
    report.misses += [f"{name}: extra person {p[:2]}" for p in extra] + [f"{name}: missed person {p}" for p in missed]

    system_places = {m.place_key for m in extraction.place_mentions if not m.anaphoric}
    gold_places = set(gold.data.get("places", []))
    report.places.add(Tally(len(system_places & gold_places), len(system_places - gold_places), len(gold_places - system_places)))
    # per kind: a wrong link counts against the kind it claims (precision) and the kind it missed (recall)
    for key in system_places | gold_places:
        kind = key.split("/", 1)[0]
        report.links.setdefault(kind, Tally()).add(Tally(int(key in system_places and key in gold_places),
                                                          int(key in system_places and key not in gold_places),
                                                          int(key in gold_places and key not in system_places)))
    report.misses += [f"{name}: extra place {p}" for p in sorted(system_places - gold_places)]
    report.misses += [f"{name}: missed place {p}" for p in sorted(gold_places - system_places)]


def gold_paths(inputs: Iterable[Path | str]) -> list[Path]:
    paths: list[Path] = []
    for item in map(Path, inputs):
        paths.extend(sorted(item.glob("*.toml")) if item.is_dir() else [item])
    return paths


def evaluate(inputs: Iterable[Path | str]) -> Report:
    report = Report()
    nlp = pipeline.default()
    for path in gold_paths(inputs):
        gold = load_gold(path)
        extraction = pipeline.extract(gold.article, nlp)
        score_article(gold, extraction, report)
        report.articles += 1
    return report


