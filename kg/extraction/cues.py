"""The lemma lists that steer the reading of a parse (kg/data/lexicon/modality.toml): negation,
denial, hypotheticals, hearsay, reporting, argument prepositions and frame conditions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import DataFileError
from kg.extraction.lexicon import read_toml

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
    participation: frozenset[str]
    report_nouns: frozenset[str]
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
    occasion_verbs: frozenset[str]
    simultaneous: frozenset[str]
    times_of_day: frozenset[str]
    support: frozenset[str]
    backdrop: frozenset[str]
    repelling: frozenset[str]
    backdrop_types: frozenset[str]
    backdrop_verbs: frozenset[str]
    people: frozenset[str]
    conditions: dict[str, frozenset[str]]


def load(path: Path = MODALITY) -> Cues:
    data = read_toml(path)

    def _words(section: str, key: str) -> frozenset[str]:
        try:
            return frozenset(w.lower() for w in data[section][key])
        except KeyError as exc:
            raise DataFileError(f"{path}: missing [{section}] {key}", hint="compare with the shipped modality.toml") from exc

    return Cues(
        negators=_words("negation", "words"),
        implicatives=_words("negation", "implicatives"),
        negating_prepositions=_words("negation", "prepositions"),
        denial_verbs=_words("denial", "verbs"),
        denial_adjectives=_words("denial", "adjectives"),
        denial_nouns=_words("denial", "nouns"),
        negated_nouns=_words("denial", "negated_nouns"),
        participation=_words("denial", "participation"),
        report_nouns=_words("denial", "references"),
        modals=_words("hypothetical", "modals"),
        conditional_marks=_words("hypothetical", "marks"),
        wanted=_words("hypothetical", "wanted"),
        wanted_nouns=_words("hypothetical", "wanted_nouns"),
        fulfilled=_words("hypothetical", "fulfilled"),
        hearsay_adverbs=_words("hearsay", "adverbs"),
        hearsay_passives=_words("hearsay", "passives"),
        hearsay_adjectives=_words("hearsay", "adjectives"),
        reporting_verbs=_words("reporting", "verbs"),
        locative=_words("arguments", "locative"),
        scene=_words("arguments", "scene"),
        occasions=_words("arguments", "occasions"),
        occasion_verbs=_words("arguments", "occasion_verbs"),
        simultaneous=_words("arguments", "simultaneous"),
        times_of_day=_words("arguments", "times_of_day"),
        support=_words("arguments", "support"),
        backdrop=_words("arguments", "backdrop"),
        repelling=_words("arguments", "repelling"),
        backdrop_types=frozenset(data["arguments"].get("backdrop_types", ())),
        backdrop_verbs=frozenset(data["arguments"].get("backdrop_verbs", ())),
        people=_words("arguments", "people"),
        conditions={name: frozenset(w.lower() for w in words) for name, words in data.get("conditions", {}).items()},
    )


@cache
def default() -> Cues:
    return load()
