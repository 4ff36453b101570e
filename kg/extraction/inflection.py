"""The word forms a lemma can take in English text, so lexicons can name words by lemma alone.

Regular forms follow the spelling rules (+s/+es/+ies, +ed/+d/+ied, +ing with a dropped "e" or a
doubled consonant); irregular ones come from kg/data/lexicon/inflections.toml. Over-generating is
harmless: the forms only choose which sentences are worth parsing, and the parse reads lemmas.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kg.extraction.lexicon import read_toml

TABLE = Path(__file__).resolve().parents[1] / "data" / "lexicon" / "inflections.toml"
VOWELS = set("aeiou")


@cache
def irregular(path: Path = TABLE) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    data = read_toml(path)
    return ({k: tuple(v) for k, v in data.get("verbs", {}).items()}, dict(data.get("nouns", {})))


def _plural(word: str) -> str:
    if word.endswith(("s", "sh", "ch", "x", "z", "o")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _doubled(word: str) -> str | None:
    """"plan" -> "plann" (for planned, planning): a final consonant after a single vowel."""
    if len(word) >= 3 and word[-1] not in VOWELS | {"w", "x", "y"} and word[-2] in VOWELS and word[-3] not in VOWELS:
        return word + word[-1]
    return None


def verb_forms(lemma: str) -> set[str]:
    """
    >>> sorted(verb_forms("seize"))
    ['seize', 'seized', 'seizes', 'seizing']
    >>> sorted(verb_forms("fall"))
    ['fall', 'fallen', 'falling', 'falls', 'fell']
    >>> "planned" in verb_forms("plan") and "tried" in verb_forms("try")
    True
    """
    verbs, _ = irregular()
    forms = {lemma, _plural(lemma)}
    if lemma.endswith("ie"):
        forms.add(lemma[:-2] + "ying")
    elif lemma.endswith("e") and not lemma.endswith("ee"):
        forms.add(lemma[:-1] + "ing")
    else:
        forms.add(lemma + "ing")
    if lemma in verbs:
        pass  # an irregular past ("fell", "took") replaces the regular one
    elif lemma.endswith("e"):
        forms.add(lemma + "d")
    elif len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in VOWELS:
        forms.add(lemma[:-1] + "ied")
    else:
        forms.add(lemma + "ed")
    if (doubled := _doubled(lemma)) is not None:
        forms |= {doubled + "ing"} if lemma in verbs else {doubled + "ed", doubled + "ing"}
    forms.update(verbs.get(lemma, ()))
    return forms


def noun_forms(lemma: str) -> set[str]:
    """
    >>> sorted(noun_forms("airstrike"))
    ['airstrike', 'airstrikes']
    >>> sorted(noun_forms("militiaman"))
    ['militiaman', 'militiamen']
    """
    _, nouns = irregular()
    return {lemma, nouns.get(lemma) or _plural(lemma)}


def phrase_forms(phrase: str, pos: str) -> set[str]:
    """The forms of a phrase's inflected word (the first word of a verb phrase, the last of a noun
    phrase): enough to tell whether a sentence may hold the phrase."""
    words = phrase.split()
    if pos == "VERB":
        return verb_forms(words[0])
    return noun_forms(words[-1])
