"""Time expressions, normalised to ISO dates against the publication date.

News convention: a weekday names the most recent such day on or before publication ("on Monday" in
a Monday paper is that Monday). Relative phrases ("last night", "yesterday") count back from the
publication date. Without a publication date, the expression is kept and the date left unresolved.
"""

from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc

from kg.extraction import lexicon as lexicon_module
from kg.extraction.numbers import parse_count
from kg.extraction.records import TimeValue
from kg.extraction.state import DocState, TimeHit


def resolve_weekday(weekday: int, published: dt.date) -> dt.date:
    """The most recent `weekday` (0 = Monday) on or before `published`.

    >>> resolve_weekday(5, dt.date(2021, 8, 15)).isoformat()  # Saturday before Sunday 15 Aug
    '2021-08-14'
    """
    return published - dt.timedelta(days=(published.weekday() - weekday) % 7)


def resolve_month_day(month: int, day: int, year: int | None, published: dt.date | None) -> dt.date | None:
    if year is None:
        if published is None:
            return None
        year = published.year
        # "December 30" in a paper of 2 January is last year's
        if dt.date(year, month, 1) > published + dt.timedelta(days=31):
            year -= 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# expressions whose day depends on when the text was written
DEICTIC = {"WEEKDAY", "RELATIVE", "AGO"}
# what follows a day-precise date that opens a line: a chronology entry's dash or colon ("8 August –
# ..."), or the bracket or comma of a thread post's stamp ("[12 Aug 2021, 09:30] ...")
ENTRY_MARKS = {"–", "—", "-", ":", "|"}
STAMP_CLOSERS = {"]", ")", ","}


def line_head_date(state: DocState, line: int, hit: TimeHit) -> str | None:
    """The token after `hit` when `hit` is a day-precise date opening the line that starts at
    character `line` (only spaces and an opening bracket before it); else None."""
    if hit.value.precision != "DayPrecision" or not hit.value.date or hit.end >= len(state.texts) \
            or state.text[line:state.begins[hit.start]].strip(" \t[("):
        return None
    return state.texts[hit.end]


def is_calendar_date(hit: TimeHit) -> bool:
    """Is the expression a written date ("12 Aug 2021"), not a weekday or "a day earlier"?"""
    return any(c.isdigit() for c in hit.value.expression)


class TimeTagger:
    """Finds time expressions by a direct scan of the lower-cased tokens (faster than a token Matcher
    for these few shapes): WEEKDAY [part of day], MONTH DAY[, YEAR], DAY MONTH [YEAR], MONTH YEAR,
    since/in/until MONTH, and the relative phrases of the lexicon."""

    def __init__(self, nlp: Language, lexicon=None):
        self.lexicon = lex = lexicon or lexicon_module.default()
        self.weekdays = set(lex.weekdays)
        self.months = set(lex.month_numbers)
        # phrases by their first word, so each token costs one dictionary look-up
        self.phrases: dict[str, list[tuple[str, list[str]]]] = {}
        for label, phrases in (("RELATIVE", lex.relative_days), ("ANCHORED", lex.anchored_days)):
            for phrase in phrases:
                words = phrase.split()  # a list, compared with slices of the token list as they are
                self.phrases.setdefault(words[0], []).append((label, words))
        # the words an expression can start at or turn on; the scan skips every other token at once
        self.cue_words = self.weekdays | self.months | set(self.phrases) | lex.day_words

    def _candidates(self, lower: list[str]) -> list[tuple[str, int, int]]:
        n = len(lower)
        day = lambda i: 0 <= i < n and lower[i].isdigit() and len(lower[i]) <= 2  # noqa: E731
        year = lambda i: 0 <= i < n and lower[i].isdigit() and len(lower[i]) == 4  # noqa: E731
        found = []
        cue_words, weekdays, months, phrases = self.cue_words, self.weekdays, self.months, self.phrases
        lex = self.lexicon
        for i, word in enumerate(lower):
            if word not in cue_words:
                continue  # neither a weekday, a month nor the first word of a phrase: nothing below applies
            if word in weekdays:
                found.append(("WEEKDAY", i, i + 2 if i + 1 < n and lower[i + 1] in self.lexicon.parts_of_day else i + 1))
            elif word in months:
                if day(i + 1):
                    end = i + 2
                    if end + 1 < n and lower[end] == "," and year(end + 1):
                        end += 2
                    elif year(end):
                        end += 1
                    found.append(("MONTH_DAY", i, end))
                elif year(i + 1):
                    found.append(("MONTH_YEAR", i, i + 2))
                if day(i - 1):
                    first = i - 1
                    if i >= 3 and lower[i - 2] in ("and", "-", "–", "to") and day(i - 3):
                        # "between 20 and 22 June", "20-22 June": a span, dated by its first day
                        first = i - 4 if i >= 4 and lower[i - 4] in ("between", "from") else i - 3
                    found.append(("MONTH_DAY", first, i + 2 if year(i + 1) else i + 1))
                if i > 0 and lower[i - 1] in ("since", "in", "until", "last", "early", "late", "mid") and not year(i + 1):
                    # (with a year, "in March 2016" is that month of that year)
                    found.append(("SINCE", i - 1, i + 1))
            if word in lex.day_words and i > 0 and i + 1 < n and parse_count(lower[i - 1]):
                # "three days later" counts from the last day given; "three days ago" from publication
                if lower[i + 1] in lex.day_directions:
                    found.append(("COUNTED", i - 1, i + 2))
                elif lower[i + 1] in lex.days_ago:
                    found.append(("AGO", i - 1, i + 2))
            for label, phrase in phrases.get(word, ()):
                if lower[i:i + len(phrase)] == phrase:
                    found.append((label, i, i + len(phrase)))
        return found

    def __call__(self, doc: Doc) -> Doc:
        state = doc._.kg
        published = state.published
        matches = sorted(self._candidates(state.lower), key=lambda m: (m[1], -m[2]))
        taken = -1
        for label, start, end in matches:
            if start < taken:
                continue  # keep the longest match at each position
            forward = False
            if label in ("ANCHORED", "COUNTED"):
                # "a day after taking Zaranj": a preposition before an event, so that event is the earlier one
                forward = state.lower[end - 1] in ("after", "before") and end < len(doc) and not doc[end].is_punct
                value = self._anchored(state, start, end, self._offset(label, state.lower[start:end]), state.times, flip=forward)
            else:
                # "[12 Aug 2021, 16:40] ... This afternoon ...": deixis in a dated entry is of its day
                anchor = self._entry_stamp(state, start) if label in DEICTIC else None
                value = self._value(label, state, start, end, anchor or published)
            if value is None:
                continue
            # "on Monday, August 9" - the weekday and the date are one expression
            if state.times and state.times[-1].end >= start - 1 and label == "MONTH_DAY" and state.times[-1].value.expression.split()[0].lower() in self.lexicon.weekdays:
                previous = state.times.pop()
                start = previous.start
                value = TimeValue(state.span_text(start, end), value.date, value.precision)
            state.times.append(TimeHit(start, end, value, forward))
            taken = end
        return doc

    @staticmethod
    def _entry_stamp(state: DocState, start: int) -> dt.date | None:
        """The day stamped at the head of the line holding token `start`, when the line opens with a
        day-precise date ("[12 Aug 2021, 16:40] Name: ...", "3 July – ..."): what "today", "last night"
        and weekdays on that line are relative to."""
        line = state.text.rfind("\n", 0, state.begins[start]) + 1
        for hit in reversed(state.times):
            if state.begins[hit.start] < line:
                return None
            # (a calendar date, not a relative one: "A day earlier, on Wednesday, ..." is no stamp)
            if is_calendar_date(hit) and line_head_date(state, line, hit) in ENTRY_MARKS | STAMP_CLOSERS:
                return dt.date.fromisoformat(hit.value.date)
        return None

    # The expression is tokens [start, end), read from the state's lists: Span and Token objects are costly.
    def _offset(self, label: str, words: list[str]) -> int:
        """Days from the anchor: a phrase of the lexicon, or COUNT day(s) DIRECTION."""
        if label == "ANCHORED":
            return self.lexicon.anchored_days[" ".join(words)]
        return parse_count(words[0]) * self.lexicon.day_directions[words[2]]

    def _anchored(self, state: DocState, start: int, end: int, days: int, earlier: list[TimeHit], flip: bool = False) -> TimeValue:
        """'a day earlier': counted from the last day-precise date the text gave before it."""
        text = state.span_text(start, end)
        days *= -1 if flip else 1
        anchor = next((t.value for t in reversed(earlier) if t.value.precision == "DayPrecision" and t.value.date), None)
        if anchor is None:
            return TimeValue(text, None, "UnknownPrecision")
        return TimeValue(text, (dt.date.fromisoformat(anchor.date) + dt.timedelta(days=days)).isoformat(), "DayPrecision")

    def _value(self, label: str, state: DocState, start: int, end: int, published: dt.date | None) -> TimeValue | None:
        lex = self.lexicon
        lower, texts = state.lower, state.texts
        text = state.span_text(start, end)
        if label == "WEEKDAY":
            if not texts[start][:1].isupper():
                return None
            if published is None:
                return TimeValue(text, None, "UnknownPrecision")
            day = resolve_weekday(lex.weekdays.index(lower[start]), published)
            if day == published and start > 0 and lower[start - 1] == "last":
                day -= dt.timedelta(days=7)  # "last Saturday" in a Saturday paper is a week ago
            return TimeValue(text, day.isoformat(), "DayPrecision")
        if label in ("RELATIVE", "AGO"):
            if published is None:
                return TimeValue(text, None, "UnknownPrecision")
            days = lex.relative_days[" ".join(lower[start:end])] if label == "RELATIVE" else parse_count(lower[start])
            return TimeValue(text, (published - dt.timedelta(days=days)).isoformat(), "DayPrecision")
        if label == "MONTH_DAY":
            tokens = range(start, end)
            month = next(i for i in tokens if lower[i] in lex.month_numbers)
            if not texts[month][:1].isupper():
                return None
            # token.is_digit is text.isdigit()
            day = next(i for i in tokens if texts[i].isdigit() and len(texts[i]) <= 2)  # the pattern guarantees one
            year = next((i for i in tokens if texts[i].isdigit() and len(texts[i]) == 4), None)
            date = resolve_month_day(lex.month_numbers[lower[month]], int(texts[day]),
                                     int(texts[year]) if year is not None else None, published)
            if date is None:
                return TimeValue(text, None, "UnknownPrecision")
            return TimeValue(text, date.isoformat(), "DayPrecision")
        if label == "MONTH_YEAR":
            if not texts[start][:1].isupper():
                return None
            month = lex.month_numbers[lower[start]]
            # a month is a span of days: the first day stands for it, with month precision
            return TimeValue(text, f"{int(texts[start + 1]):04d}-{month:02d}-01", "MonthPrecision")
        if label == "SINCE":
            if not texts[start + 1][:1].isupper():
                return None
            if published is None:
                return TimeValue(text, None, "UnknownPrecision")
            # "since June", "in May", "last May": the month (or the start of the span), month precision
            month = lex.month_numbers[lower[start + 1]]
            year = published.year if month <= published.month else published.year - 1
            return TimeValue(text, f"{year:04d}-{month:02d}-01", "MonthPrecision")
        return None


@Language.factory("kg_times")
def make_time_tagger(nlp: Language, name: str):
    return TimeTagger(nlp)
