"""Passage time: an event told "during the operation", "at the scene", "in the raid", with no time of
its own, happened when that occasion, told just before with its day, did.

"Afghan and coalition forces detained a Taliban leader in Khost province yesterday. The security
force detained two more suspects during the operation." Both arrests are of yesterday. Only a
definite reference to an occasion carries the day over (not a sentence that merely follows), only
from the events of the few sentences before, and never across another time expression.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extraction import cues as cues_module
from kg.extraction.records import EventRecord
from kg.extraction.state import DocState

DEFINITE = {"the", "this", "that", "these", "those", "same"}
SENTENCES_BACK = 4


class PassageTimes:
    def __init__(self, cues=None):
        self.occasions = (cues or cues_module.default()).occasions

    def __call__(self, doc: Doc) -> Doc:
        state: DocState = doc._.kg
        sentences = state.sentences(doc)
        events = sorted(state.events, key=lambda e: e.trigger.begin)
        out, dated = [], []  # dated: (sentence number, time) of events with a day, in text order
        for event in events:
            number = state.sentence_of(event)
            if event.time and event.time.date:
                dated.append((number, event.time))
            elif dated and self._refers_back(state, sentences[number]) and number - dated[-1][0] <= SENTENCES_BACK \
                    and not any(state.within("times", sentences[n].start, sentences[n].end)
                                for n in range(dated[-1][0] + 1, number + 1)):
                event = EventRecord(**{**event.__dict__, "time": dated[-1][1]})
            out.append(event)
        state.events = out
        return doc

    def _refers_back(self, state: DocState, sentence) -> bool:
        """Does the sentence name an occasion told before: "the operation", "this raid", "the scene"?"""
        lower = state.lower
        return any(lower[i] in self.occasions and lower[i - 1] in DEFINITE
                   for i in range(sentence.start + 1, sentence.end))


@Language.factory("kg_occasions")
def make_passage_times(nlp: Language, name: str):
    return PassageTimes()
