"""Counts written as digits ("1,200") or as words ("two", "dozens")."""

from __future__ import annotations

import re

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "dozen": 12, "dozens": 24, "hundred": 100, "hundreds": 200,
                "thousand": 1000}
DIGITS = re.compile(r"\d+")  # compiled once: parse_number is asked about many tokens


def parse_number(text: str) -> int | None:
    """
    >>> parse_number("1,200"), parse_number("Two"), parse_number("several")
    (1200, 2, None)
    """
    cleaned = text.replace(",", "")
    if DIGITS.fullmatch(cleaned):
        return int(cleaned)
    return NUMBER_WORDS.get(text.lower())  # (not "a": an article counts only where a count is expected)


def parse_count(text: str) -> int | None:
    """A count where one is expected: "a day later" counts one day."""
    return 1 if text.lower() in ("a", "an") else parse_number(text)
