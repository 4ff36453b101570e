"""Passage time: an event told "during the operation", "at the scene", "in the raid", with no time of
its own, happened when that occasion, told just before with its day, did.

"Afghan and coalition forces detained a Taliban leader in Khost province yesterday. The security
force detained two more suspects during the operation." Both arrests are of yesterday. Only a
definite reference to an occasion carries the day over (not a sentence that merely follows), only
from the events of the few sentences before or an occasion they told with its day and no event of
its own ("conducted a security operation in Bermal district today. During the operation, ..."), and
never across another time expression. The entries of a chronology or a ticker ("8 August – The
Taliban take three more provincial capitals: ...") are dated by the day that opens their line, and
the entries of a live log stamped with a clock time ("09:20 — ...") by the day of the log.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.extraction import cues as cues_module
from kg.extraction.inflection import verb_forms
from kg.extraction.records import EventRecord, TimeValue
from kg.extraction.state import DocState
from kg.extraction.times import ENTRY_MARKS, STAMP_CLOSERS, is_calendar_date, line_head_date

DEFINITE = {"the", "this", "that", "these", "those", "same"}
INDEFINITE = {"a", "an", "one"}
# a clock time opening a live log's entry: "09:20 — ", "14.05 - ", "7:40 am: "
HEADING_WORDS = 16  # words a log's heading line may have ("Thursday 12 August 2021. All times local (GMT+4:30).")
CLOCK_ENTRY = re.compile(r"[ \t]*\d{1,2}[:.]\d{2}(?:[ \t]*(?:am|pm|a\.m\.|p\.m\.|GMT|UTC))?[ \t]*[–—\-:|]")
SENTENCES_BACK = 4


class PassageTimes:
    def __init__(self, cues=None):
        cues = cues or cues_module.default()
        self.occasions = cues.occasions
        # the occasion told by its verb in the past: "searched a compound last night. During the search, ..."
        self.occasion_verbs = {f for verb in cues.occasion_verbs for f in verb_forms(verb) if f.endswith("ed")}

    def __call__(self, doc: Doc) -> Doc:
        state: DocState = doc._.kg
        sentences = state.sentences(doc)
        events = sorted(state.events, key=lambda e: e.trigger.begin)
        out, dated = [], []  # dated: (sentence number, time) of events with a day, in text order
        # an occasion told with its day but no event of its own ("Afghan and coalition forces conducted
        # a security operation in Bermal district today. During the operation, ...") dates it too
        occasions = self._occasions_told(state, sentences)
        for event in events:
            number = state.sentence_of(event)
            while occasions and occasions[0][0] < number:
                dated.append(occasions.pop(0))
            if not (event.time and event.time.date) and (day := self._entry_day(state, sentences[number])
                                                          or self._clock_entry_day(state, sentences[number])) is not None:
                # "8 August – The Taliban take three more provincial capitals: ...": a dated entry;
                # "09:20 — Taliban fighters enter Kunduz city": an entry of the day the log is of
                event = EventRecord(**{**event.__dict__, "time": day})
            if event.time and event.time.date:
                dated.append((number, event.time))
            elif dated and self._refers_back(state, sentences[number]) and number - dated[-1][0] <= SENTENCES_BACK \
                    and not any(state.within("times", sentences[n].start, sentences[n].end)
                                for n in range(dated[-1][0] + 1, number + 1)):
                event = EventRecord(**{**event.__dict__, "time": dated[-1][1]})
            out.append(event)
        state.events = out
        return doc

    @staticmethod
    def _entry_day(state: DocState, sentence):
        """The day a chronology or ticker entry opens with ("22 June – ...", "12 August: ..."), for
        the sentences of its line: a day-precise date first on the line, then a dash or a colon."""
        line = state.text.rfind("\n", 0, state.begins[sentence.start]) + 1
        first = next(iter(state.within("times", state.token_at(line), sentence.end)), None)
        after = line_head_date(state, line, first) if first is not None else None
        # ("[12 Aug 2021, 09:30] Name: ...": a thread's stamp, closed by a bracket or a comma and a clock time)
        return first.value if after in ENTRY_MARKS or after in STAMP_CLOSERS and is_calendar_date(first) else None

    @staticmethod
    def _clock_entry_day(state: DocState, sentence) -> TimeValue | None:
        """The day of a live log's entry stamped with a clock time ("09:20 — ..."): the last day named
        on a line before it that is no entry (the log's heading: "Sunday, 8 August 2021"), else the
        day of publication."""
        text = state.text
        line = text.rfind("\n", 0, state.begins[sentence.start]) + 1
        if not CLOCK_ENTRY.match(text, line):
            return None
        heading = None
        for hit in state.within("times", 0, state.token_at(line)):
            start = text.rfind("\n", 0, state.begins[hit.start]) + 1
            end = text.find("\n", start)
            # (a heading is a short line: a date in a paragraph before the log is another story's)
            if hit.value.date and hit.value.precision == "DayPrecision" and not CLOCK_ENTRY.match(text, start) \
                    and len(text[start:end if end >= 0 else len(text)].split()) <= HEADING_WORDS:
                heading = hit.value
        if heading is not None:
            return heading
        if state.published is None:
            return None
        return TimeValue("the day of the log", state.published.isoformat(), "DayPrecision")

    def _occasions_told(self, state: DocState, sentences) -> list[tuple[int, object]]:
        """(sentence number, time) of sentences naming an occasion with an indefinite article, or
        telling it by its verb in the past, and a day ("conducted an operation ... yesterday", "searched
        a compound last night"), in text order."""
        lower, found = state.lower, []
        for number, sentence in enumerate(sentences):
            if not any(lower[i] in self.occasions and INDEFINITE.intersection(lower[max(sentence.start, i - 3):i])
                       or lower[i] in self.occasion_verbs  # ("a joint security force searched a compound")
                       for i in range(sentence.start + 1, sentence.end)):  # ("a security operation")
                continue
            days = [t.value for t in state.within("times", sentence.start, sentence.end)
                    if t.value.date and t.value.precision == "DayPrecision"]
            if len(days) == 1:
                found.append((number, days[0]))
        return found

    def _refers_back(self, state: DocState, sentence) -> bool:
        """Does the sentence name an occasion told before: "the operation", "this raid", "the scene"?"""
        lower = state.lower
        return any(lower[i] in self.occasions and lower[i - 1] in DEFINITE
                   for i in range(sentence.start + 1, sentence.end))


@Language.factory("kg_occasions")
def make_passage_times(nlp: Language, name: str):
    return PassageTimes()
