"""Date bounds: an event the text tells as done, with no date of its own, happened on or before the
day the article was published.

"The Taliban captured Kunduz" in an article of 9 August happened on or before 9 August; so did the
headline "Insurgents capture city of X" (headlines tell past events in the present tense). Told as
going on ("are advancing"), or with no publication date, an event gets no bound: a date is never
invented beyond what the text and its metadata say. The bound is kept apart from an exact date
(`EventRecord.on_or_before`; `kg:OnOrBeforePrecision` in the graph).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.extraction.records import EventRecord
from kg.extraction.sentences import headline_end
from kg.extraction.state import DocState

NOMINAL = {"NOUN", "PROPN"}


def told_as_done(trigger: Token, headline: bool) -> bool:
    """Does the clause of `trigger` tell its event as done: a past or perfect tense, a past participle
    ("the city, captured on ..."), a noun ("the fall of X"), or a headline's present tense? Not a
    progressive present ("are advancing on the city")."""
    verb = trigger.head if trigger.pos_ in NOMINAL and trigger.head.pos_ in ("VERB", "AUX") else trigger
    if trigger.pos_ in NOMINAL and verb.i == trigger.i:
        return True  # a noun phrase on its own: "Fall of Kunduz"
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "aux:pass", "cop")]
    if any(a.lemma_ == "have" for a in auxiliaries) or any("Past" in a.morph.get("Tense") for a in auxiliaries):
        return True
    tense, form = verb.morph.get("Tense"), verb.morph.get("VerbForm")
    if "Past" in tense and not auxiliaries:
        return True  # "captured", "the city captured by ..."
    if "Pres" in tense and "Part" in form:
        return False  # "are advancing"
    return headline and not auxiliaries


class DateBounds:
    def __call__(self, doc: Doc) -> Doc:
        state: DocState = doc._.kg
        if state.published is None:
            return doc
        bound = state.published.isoformat()
        headline = headline_end(state, state.sentences(doc))
        state.events = [self._bounded(state, event, bound, headline) for event in state.events]
        return doc

    @staticmethod
    def _bounded(state: DocState, event: EventRecord, bound: str, headline: int) -> EventRecord:
        if event.time and event.time.date:
            return event
        for mention in event.mentions:
            first = state.token_at(mention.trigger.begin)
            parsed = state.parses.get(state.sentence_number(first))
            token = parsed.at(first) if parsed else None
            if token is None:
                continue
            while token.head.i != token.i and token.head.i in range(token.i - 3, token.i + 4) and \
                    token.dep_ in ("compound", "compound:prt", "fixed", "flat"):
                token = token.head  # the head of a multi-word trigger ("took control")
            if told_as_done(token, first < headline):
                return EventRecord(**{**event.__dict__, "on_or_before": bound})
        return event


@Language.factory("kg_date_bounds")
def make_date_bounds(nlp: Language, name: str):
    return DateBounds()
