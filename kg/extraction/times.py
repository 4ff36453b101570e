"""Time expressions, normalised to ISO dates against the publication date.

News convention: a weekday names the most recent such day on or before publication ("on Monday" in
a Monday paper is that Monday). Relative phrases ("last night", "yesterday") count back from the
publication date. Without a publication date, the expression is kept and the date left unresolved.
"""

from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from kg.extraction import lexicon as lexicon_module
from kg.extraction.records import TimeValue
from kg.extraction.state import TimeHit


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


class TimeTagger:
    def __init__(self, nlp: Language, lexicon=None):
        self.lexicon = lex = lexicon or lexicon_module.default()
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("WEEKDAY", [[{"LOWER": {"IN": list(lex.weekdays)}}, {"LOWER": {"IN": list(lex.parts_of_day)}, "OP": "?"}]])
        self.matcher.add("RELATIVE", [[{"LOWER": w} for w in phrase.split()] for phrase in lex.relative_days])
        months = list(lex.months)
        day = {"IS_DIGIT": True, "LENGTH": {"<=": 2}}
        self.matcher.add("MONTH_DAY", [
            [{"LOWER": {"IN": months}}, day, {"TEXT": ",", "OP": "?"}, {"SHAPE": "dddd", "OP": "?"}],
            [day, {"LOWER": {"IN": months}}, {"SHAPE": "dddd", "OP": "?"}],
        ])
        self.matcher.add("MONTH_YEAR", [[{"LOWER": {"IN": months}}, {"SHAPE": "dddd"}]])
        self.matcher.add("SINCE", [[{"LOWER": {"IN": ["since", "in", "until"]}}, {"LOWER": {"IN": months}}]])

    def __call__(self, doc: Doc) -> Doc:
        state = doc._.kg
        published = state.published
        matches = sorted(self.matcher(doc), key=lambda m: (m[1], -m[2]))
        taken = -1
        for match_id, start, end in matches:
            if start < taken:
                continue  # keep the longest match at each position
            label = doc.vocab.strings[match_id]
            span = doc[start:end]
            value = self._value(label, span, published)
            if value is None:
                continue
            # "on Monday, August 9" - the weekday and the date are one expression
            if state.times and state.times[-1].end >= start - 1 and label == "MONTH_DAY" and state.times[-1].value.expression.split()[0].lower() in self.lexicon.weekdays:
                previous = state.times.pop()
                start = previous.start
                value = TimeValue(doc[start:end].text, value.date, value.precision)
            state.times.append(TimeHit(start, end, value))
            taken = end
        return doc

    def _value(self, label: str, span, published: dt.date | None) -> TimeValue | None:
        lex = self.lexicon
        text = span.text
        if label == "WEEKDAY":
            if not span[0].text[:1].isupper():
                return None
            if published is None:
                return TimeValue(text, None, "UnknownPrecision")
            day = resolve_weekday(lex.weekdays.index(span[0].lower_), published)
            return TimeValue(text, day.isoformat(), "DayPrecision")
        if label == "RELATIVE":
            if published is None:
                return TimeValue(text, None, "UnknownPrecision")
            days = lex.relative_days[" ".join(t.lower_ for t in span)]
            return TimeValue(text, (published - dt.timedelta(days=days)).isoformat(), "DayPrecision")
        if label == "MONTH_DAY":
            month_token = next(t for t in span if t.lower_ in lex.months)
            if not month_token.text[:1].isupper():
                return None
            day_token = next(t for t in span if t.is_digit and len(t.text) <= 2)  # the pattern guarantees one
            year_token = next((t for t in span if t.is_digit and len(t.text) == 4), None)
            date = resolve_month_day(lex.months.index(month_token.lower_) + 1, int(day_token.text),
                                     int(year_token.text) if year_token else None, published)
            if date is None:
                return TimeValue(text, None, "UnknownPrecision")
            return TimeValue(text, date.isoformat(), "DayPrecision")
        if label == "MONTH_YEAR":
            if not span[0].text[:1].isupper():
                return None
            month = lex.months.index(span[0].lower_) + 1
            # a month is a span of days: the first day stands for it, with month precision
            return TimeValue(text, f"{int(span[1].text):04d}-{month:02d}-01", "MonthPrecision")
        if label == "SINCE":
            if not span[1].text[:1].isupper():
                return None
            # a starting point or a span, not the date of one event: kept as written
            return TimeValue(text, None, "UnknownPrecision")
        return None


@Language.factory("kg_times")
def make_time_tagger(nlp: Language, name: str):
    return TimeTagger(nlp)
