"""Datelines: "KABUL, Afghanistan (Aug. 6, 2012) -", "MAIMANA, Afghanistan (Reuters) —".

Wire copy opens with where and when the report was filed. That place is not where the events
happened and that date is not their date: the dateline's place becomes a description (no event
argument, no passage topic) and its time expressions are dropped (the publication date, which
the article's metadata carries, dates the report).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extraction.sentences import is_line_break
from kg.extraction.state import DocState

DASHES = {"-", "–", "—", "--", "―"}
MAX_LENGTH = 16  # tokens from the place to the dash or line end: "PLACE, Country (Month D, YYYY)"
SENTENCES_SEARCHED = 12  # a dateline follows the headline, bylines, release numbers and links


def dateline(state: DocState, start: int, end: int) -> int | None:
    """End (exclusive) of the dateline opening tokens [start, end), if they open with one: a place,
    an optional ", Country" and "(...)", then a dash or a line end."""
    while start < end and state.lower[start].isspace():
        start += 1
    place = next((h for h in state.within("places", start, start + 1)), None)
    if place is None:
        return None
    capitals = state.texts[place.start].isupper() and len(state.texts[place.start]) > 1
    i = place.end
    if i < end and state.lower[i] == ",":
        i += 1
        country = next((h for h in state.within("places", i, i + 1)), None)
        if country is None and not capitals:
            return None
        i = country.end if country is not None else i + 1
    parenthesis = i < end and state.lower[i] == "("
    if parenthesis:
        close = next((j for j in range(i, min(end, i + MAX_LENGTH)) if state.lower[j] == ")"), None)
        if close is None:
            return None
        i = close + 1
    while i < len(state.lower) and state.lower[i].isspace() and not is_line_break(state.lower[i]):
        i += 1
    closed = i < len(state.lower) and (state.lower[i] in DASHES or is_line_break(state.lower[i]))
    if not closed or not (capitals or parenthesis):
        return None
    return i + 1


@Language.component("kg_datelines")
def datelines(doc: Doc) -> Doc:
    state: DocState = doc._.kg
    state.freeze_mentions()
    for sent in state.sentences(doc)[:SENTENCES_SEARCHED]:
        end = dateline(state, sent.start, sent.end)
        if end is None:
            continue
        for hit in state.within("places", sent.start, end):
            hit.descriptor = True
        state.times = [t for t in state.times if not sent.start <= t.start < end]
        state.freeze_mentions()
        break
    return doc
