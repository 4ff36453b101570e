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
