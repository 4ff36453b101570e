"""The lemma lists that steer the reading of a parse (kg/data/lexicon/modality.toml): negation,
denial, hypotheticals, hearsay, reporting, argument prepositions and frame conditions."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import DataFileError

MODALITY = Path(__file__).resolve().parents[1] / "data" / "lexicon" / "modality.toml"


@dataclass(frozen=True)
class Cues:
    negators: frozenset[str]
    implicatives: frozenset[str]
    negating_prepositions: frozenset[str]
    denial_verbs: frozenset[str]
    denial_adjectives: frozenset[str]
    denial_nouns: frozenset[str]
    negated_nouns: frozenset[str]
    modals: frozenset[str]
    conditional_marks: frozenset[str]
    wanted: frozenset[str]
    wanted_nouns: frozenset[str]
    fulfilled: frozenset[str]
    hearsay_adverbs: frozenset[str]
    hearsay_passives: frozenset[str]
    hearsay_adjectives: frozenset[str]
    reporting_verbs: frozenset[str]
    locative: frozenset[str]
    scene: frozenset[str]
    occasions: frozenset[str]
    simultaneous: frozenset[str]
    support: frozenset[str]
    conditions: dict[str, frozenset[str]]


def _words(data: dict, section: str, key: str) -> frozenset[str]:
    try:
        return frozenset(w.lower() for w in data[section][key])
    except KeyError as exc:
        raise DataFileError(f"{MODALITY}: missing [{section}] {key}", hint="compare with the shipped modality.toml") from exc


def load(path: Path = MODALITY) -> Cues:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: {exc}", hint="fix the TOML syntax at the line named") from exc
    except OSError as exc:
        raise DataFileError(f"cannot read {path}: {exc.strerror}") from exc
    return Cues(
        negators=_words(data, "negation", "words"),
        implicatives=_words(data, "negation", "implicatives"),
        negating_prepositions=_words(data, "negation", "prepositions"),
        denial_verbs=_words(data, "denial", "verbs"),
        denial_adjectives=_words(data, "denial", "adjectives"),
        denial_nouns=_words(data, "denial", "nouns"),
        negated_nouns=_words(data, "denial", "negated_nouns"),
        modals=_words(data, "hypothetical", "modals"),
        conditional_marks=_words(data, "hypothetical", "marks"),
        wanted=_words(data, "hypothetical", "wanted"),
        wanted_nouns=_words(data, "hypothetical", "wanted_nouns"),
        fulfilled=_words(data, "hypothetical", "fulfilled"),
        hearsay_adverbs=_words(data, "hearsay", "adverbs"),
        hearsay_passives=_words(data, "hearsay", "passives"),
        hearsay_adjectives=_words(data, "hearsay", "adjectives"),
        reporting_verbs=_words(data, "reporting", "verbs"),
        locative=_words(data, "arguments", "locative"),
        scene=_words(data, "arguments", "scene"),
        occasions=_words(data, "arguments", "occasions"),
        simultaneous=_words(data, "arguments", "simultaneous"),
        support=_words(data, "arguments", "support"),
        conditions={name: frozenset(w.lower() for w in words) for name, words in data.get("conditions", {}).items()},
    )


@cache
def default() -> Cues:
    return load()
