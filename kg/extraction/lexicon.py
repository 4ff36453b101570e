"""Loading the lexicon data files (kg/data/lexicon/*.toml) into typed, validated objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.errors import DataFileError
from kg.gazetteer import PLACE_CLASS
from kg.vocab import EVENT_TYPES

LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"
POSITIONS = {"before", "after", "any", "none"}


@dataclass(frozen=True)
class Trigger:
    type: str
    phrases: tuple[str, ...] = ()
    patterns: tuple = ()
    agent: str = "none"
    affected: str = "none"
    surrendered_to: str = "none"
    place: str = "any"
    place_kinds: tuple[str, ...] = ("city", "province", "district", "facility", "country")
    requires: tuple[str, ...] = ()
    passive: bool = True
    destinations: bool = True
    per_place: bool = False
    frame: bool = False
    agent_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    triggers: tuple[Trigger, ...]
    negation_words: frozenset[str]
    negation_window: int
    denial_words: frozenset[str]
    prevention_words: frozenset[str]
    prevention_gap: frozenset[str]
    negation_scope_breaks: frozenset[str]
    subordinators: frozenset[str]
    modals: frozenset[str]
    irrealis: tuple[tuple[str, ...], ...]
    reference_determiners: frozenset[str]
    reported: tuple[str, ...]
    claimed: frozenset[str]
    reporting_verbs: frozenset[str]
    reporting_prefixes: tuple[str, ...]
    pronouns: frozenset[str]
    clause_breaks: frozenset[str]
    modifier_markers: tuple[str, ...]
    coordinators: frozenset[str]
    entry_verbs: tuple[tuple[str, ...], ...]
    foreign_forces: frozenset[str]
    place_sets: frozenset[str]
    quantifiers: frozenset[str]
    weekdays: tuple[str, ...]
    parts_of_day: frozenset[str]
    relative_days: dict[str, int]
    anchored_days: dict[str, int]
    day_words: frozenset[str]
    day_directions: dict[str, int]
    days_ago: frozenset[str]
    months: tuple[str, ...]
    month_numbers: dict[str, int]  # full names and abbreviations -> 1..12
    armed_group_descriptors: tuple[str, ...]
    armed_group_default: str
    descriptor_refers_to: dict[str, str]
    titles: tuple[str, ...]
    office_bodies: tuple[str, ...]
    title_synonyms: dict[str, str]
    ranks: frozenset[str]
    title_modifiers: frozenset[str]
    former_words: frozenset[str]
    approximators: tuple[str, ...]
    name_stopwords: frozenset[str]
    honorifics: frozenset[str]
    boilerplate: tuple[tuple[str, ...], ...] = ()
    comitatives: tuple[tuple[str, ...], ...] = ()
    destinations: tuple[tuple[str, ...], ...] = ()
    denial_scope_breaks: tuple[tuple[str, ...], ...] = ()
    repeats: tuple[tuple[str, ...], ...] = ()
    fulfilled: tuple[tuple[str, ...], ...] = ()
    set_kinds: dict[str, str] = field(default_factory=dict)  # plural place noun -> the kind it lists
    list_openers: tuple[tuple[str, ...], ...] = ()
    list_reach: tuple[int, int] = (4, 15)


def read_toml(path: Path) -> dict:
    """A lexicon data file, or a DataFileError naming it (and the line of a syntax error)."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: {exc}", hint="fix the TOML syntax at the line named") from exc
    except OSError as exc:
        raise DataFileError(f"cannot read {path}: {exc.strerror}") from exc


def _position(value: str, path: Path, index: int, name: str) -> str:
    head = value.split(":", 1)[0]
    if head not in POSITIONS:
        raise DataFileError(f"{path}: trigger #{index} {name} = {value!r}", hint=f"use one of {sorted(POSITIONS)}, or 'after:<word>'")
    return value


def _triggers(path: Path) -> tuple[Trigger, ...]:
    triggers = []
    for index, raw in enumerate(read_toml(path).get("trigger", []), start=1):
        if raw.get("type") not in EVENT_TYPES:
            raise DataFileError(f"{path}: trigger #{index} has type {raw.get('type')!r}", hint=f"use one of {list(EVENT_TYPES)}")
        if not raw.get("phrases") and not raw.get("patterns"):
            raise DataFileError(f"{path}: trigger #{index} ({raw['type']}) has neither phrases nor patterns")
        unknown = set(raw) - set(Trigger.__dataclass_fields__)
        if unknown:
            raise DataFileError(f"{path}: trigger #{index} has unknown keys {sorted(unknown)}")
        values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in raw.items()}
        for name in ("agent", "affected", "surrendered_to", "place"):
            if name in values:
                _position(values[name], path, index, name)
        triggers.append(Trigger(**values))
    return tuple(triggers)


def _phrases(data: dict, section: str, key: str) -> tuple[tuple[str, ...], ...]:
    """A list of phrases from `[section] key`, each as its lower-case words (absent: none)."""
    return tuple(tuple(v.lower().split()) for v in data.get(section, {}).get(key, ()))


def phrase_at(words: list[str], i: int, phrases) -> tuple[str, ...] | None:
    """The first of `phrases` (each a tuple of lower-case words) that `words` spell from index `i`."""
    return next((p for p in phrases if words[i:i + len(p)] == list(p)), None)


def find_phrase(words: list[str], start: int, end: int, phrases) -> tuple[int, tuple[str, ...]] | None:
    """(index, phrase) of the first place in [start, end) where one of `phrases` begins, else None."""
    firsts = {phrase[0] for phrase in phrases}  # most words start no phrase: one set look-up each
    for i in range(start, end):
        if words[i] in firsts and (phrase := phrase_at(words, i, phrases)) is not None:
            return i, phrase
    return None


def plural(title: str) -> str:
    """'deputy governor' -> 'deputy governors'; 'spokesman' -> 'spokesmen'."""
    if title.endswith("man"):
        return title[:-3] + "men"
    if title.endswith(("s", "sh", "ch")):
        return title + "es"
    return title + "s"


def load(directory: Path = LEXICON_DIR) -> Lexicon:
    language = read_toml(directory / "language.toml")
    for noun, kind in language.get("places", {}).get("set_kinds", {}).items():
        if kind not in PLACE_CLASS:
            raise DataFileError(f"{directory / 'language.toml'}: [places] set_kinds {noun} = {kind!r}",
                                hint=f"use one of {sorted(PLACE_CLASS)}")
    actors = read_toml(directory / "actors.toml")
    try:
        descriptors = actors["descriptors"]
        titles = actors["titles"]
        return Lexicon(
            triggers=_triggers(directory / "events.toml"),
            negation_words=frozenset(w.lower() for w in language["negation"]["words"]),
            negation_window=int(language["negation"]["window"]),
            denial_words=frozenset(w.lower() for w in language["negation"]["denial"]),
            prevention_words=frozenset(language["negation"].get("prevention", ())),
            prevention_gap=frozenset(language["negation"].get("prevention_gap", ())),
            negation_scope_breaks=frozenset(language["negation"].get("scope_breaks", ())),
            subordinators=frozenset(language.get("hypothetical", {}).get("subordinators", ())),
            modals=frozenset(language.get("hypothetical", {}).get("modals", ())),
            irrealis=_phrases(language, "hypothetical", "irrealis"),
            reference_determiners=frozenset(w.lower() for w in language.get("references", {}).get("determiners", ())),
            reported=tuple(language["modality"]["reported"]),
            claimed=frozenset(w.lower() for w in language["modality"]["claimed"]),
            reporting_verbs=frozenset(w.lower() for w in language["reporting"]["verbs"]),
            reporting_prefixes=tuple(language["reporting"]["prefixes"]),
            pronouns=frozenset(language["reporting"]["pronouns"]),
            clause_breaks=frozenset(language["clauses"]["breaks"]),
            modifier_markers=tuple(language["clauses"]["modifier_markers"]),
            coordinators=frozenset(language["clauses"]["coordinators"]),
            entry_verbs=_phrases(language, "events", "entry_verbs"),
            foreign_forces=frozenset(w.lower() for w in language.get("events", {}).get("foreign_forces", ())),
            place_sets=frozenset(w.lower() for w in language.get("events", {}).get("place_sets", ())),
            quantifiers=frozenset(w.lower() for w in language.get("events", {}).get("quantifiers", ())),
            weekdays=tuple(language["time"]["weekdays"]),
            parts_of_day=frozenset(language["time"]["parts_of_day"]),
            relative_days=dict(language["time"]["relative"]),
            anchored_days=dict(language["time"].get("anchored", {})),
            day_words=frozenset(language["time"].get("day_words", ())),
            day_directions=dict(language["time"].get("day_directions", {})),
            days_ago=frozenset(language["time"].get("days_ago", ())),
            months=tuple(language["time"]["months"]),
            month_numbers={**{m: i for i, m in enumerate(language["time"]["months"], start=1)},
                           **language["time"].get("month_abbreviations", {})},
            armed_group_descriptors=tuple(descriptors["armed_group"]),
            armed_group_default=descriptors["armed_group_default"],
            descriptor_refers_to=dict(descriptors.get("refers_to", {})),
            titles=tuple(titles["offices"]),
            office_bodies=tuple(titles.get("bodies", ())),
            title_synonyms={k.lower(): v.lower() for k, v in titles.get("synonyms", {}).items()},
            ranks=frozenset(w.lower() for w in titles.get("ranks", ())),
            title_modifiers=frozenset(w.lower() for w in titles["modifiers"]),
            former_words=frozenset(titles["former"]),
            approximators=tuple(titles["approximators"]),
            name_stopwords=frozenset(actors["names"]["stopwords"]),
            honorifics=frozenset(actors["names"]["honorifics"]),
            denial_scope_breaks=_phrases(language, "negation", "denial_scope_breaks"),
            destinations=_phrases(language, "places", "destinations"),
            set_kinds={k.lower(): v for k, v in language.get("places", {}).get("set_kinds", {}).items()},
            list_openers=_phrases(language, "places", "list_openers"),
            list_reach=tuple(language.get("places", {}).get("list_reach", (4, 15))),
            comitatives=_phrases(language, "events", "comitatives"),
            repeats=_phrases(language, "events", "repeats"),
            fulfilled=_phrases(language, "hypothetical", "fulfilled"),
            boilerplate=_phrases(language, "sentences", "boilerplate"),
        )
    except KeyError as exc:
        raise DataFileError(f"{directory}: missing key {exc}", hint="compare with the shipped lexicon files") from exc


@cache
def default() -> Lexicon:
    return load()
