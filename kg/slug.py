"""Normalised keys for deterministic IRIs: the same name always gives the same key."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1 << 16)  # called for every token of every article: most are repeats
def fold(text: str) -> str:
    """ASCII-fold and lower-case: 'Mazār-e Sharīf' -> 'mazar-e sharif'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def slug(text: str) -> str:
    """'Mohammad Noor Rahmani' -> 'mohammad-noor-rahmani'.

    >>> slug("Sar-e Pol")
    'sar-e-pol'
    >>> slug("  Mazār-i-Sharīf ")
    'mazar-i-sharif'
    >>> slug("BBC Русская служба")
    'bbc-русская-служба'
    """
    # Letters of other scripts are kept (IRIs may hold them): 'BBC Русская служба' -> 'bbc-русская-служба'
    return re.sub(r"[\W_]+", "-", fold(text).replace("’", "").replace("'", "")).strip("-")


VOWEL_SPELLINGS = str.maketrans("eoyw", "iuiu")


@lru_cache(maxsize=1 << 14)
def skeleton(text: str) -> str:
    """A key that transliterations of one name share: vowels as i/a/u, q as k, no doubled letters,
    no hyphens or spaces ('Dehdadi' and 'Dihdadi', 'Bala Boluk' and 'Bala Buluk', 'Nahr-e Saraj'
    and 'Nahri Sarraj').

    >>> skeleton("Dehdadi") == skeleton("Dihdadi"), skeleton("Bala Boluk") == skeleton("Bala Buluk")
    (True, True)
    >>> skeleton("Nahr-e Saraj") == skeleton("Nahri Sarraj"), skeleton("Kunduz") == skeleton("Qunduz")
    (True, True)
    >>> skeleton("Burkah") == skeleton("Burka"), skeleton("Marjah") == skeleton("Marja")
    (True, True)
    """
    # (a word-final "h" after a vowel is a transliteration's: "Burkah", "Marjah")
    key = re.sub(r"([aeiou])h\b", r"\1", fold(text))
    key = re.sub(r"[^a-z0-9]", "", key).replace("q", "k").replace("ph", "f").translate(VOWEL_SPELLINGS)
    return re.sub(r"(.)\1+", r"\1", key)
