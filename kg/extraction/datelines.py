"""Datelines: "KABUL, Afghanistan (Aug. 6, 2012) -", "MAIMANA, Afghanistan (Reuters) —".

Wire copy opens with where and when the report was filed. That place is not where the events
happened and that date is not their date: the dateline's place becomes a description (no event
argument, no passage topic) and its time expressions are dropped (the publication date, which
the article's metadata carries, dates the report).

Text copied from web pages and feeds often loses its line ends, so a dateline may sit inside a line,
after the headline and a release number ("... For Immediate Release KABUL, Afghanistan (Nov. 23, 2011)
A Haqqani network leader was captured ..."). There it needs a place in capitals, and it ends a
sentence: what follows is the report's first sentence, and is parsed as one.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extraction.sentences import is_line_break
from kg.extraction.state import DocState, Sentence

DASHES = {"-", "–", "—", "--", "―"}
MAX_LENGTH = 16  # tokens from the place to the dash or line end: "PLACE, Country (Month D, YYYY)"
SENTENCES_SEARCHED = 12  # a dateline follows the headline, bylines, release numbers and links


def dateline(state: DocState, start: int, end: int, inside: bool = False) -> int | None:
    """End (exclusive) of the dateline opening tokens [start, end), if they open with one: a place,
    an optional ", Country" and "(...)", then a dash or a line end, or (after the parenthesis) the
    capital letter of the report's first sentence. `inside`: tokens [start, end) are not the start of
    a sentence, so only a place in capitals opens a dateline."""
    while start < end and state.lower[start].isspace():
        start += 1
    place = next((h for h in state.within("places", start, start + 1)), None)
    if place is None:
        return None
    capitals = state.texts[place.start].isupper() and len(state.texts[place.start]) > 1
    if inside and not capitals:
        return None
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
    if closed and (capitals or parenthesis):
        return i + 1
    # "KABUL, Afghanistan (Nov. 23, 2011) A Haqqani network leader ...": the line end was lost
    if parenthesis and i < len(state.lower) and state.texts[i][:1].isupper():
        return i
    return None


@Language.component("kg_datelines")
def datelines(doc: Doc) -> Doc:
    state: DocState = doc._.kg
    state.freeze_mentions()
    sentences = state.sentences(doc)
    for number, sent in enumerate(sentences[:SENTENCES_SEARCHED]):
        found = _find(state, sent)
        if found is None:
            continue
        start, end = found
        for hit in state.within("places", start, end):
            hit.descriptor = True
        state.times = [t for t in state.times if not start <= t.start < end]
        state.freeze_mentions()
        _split(doc, sentences, number, [b for b in (start, end) if sent.start < b < sent.end])
        break
    return doc


def _find(state: DocState, sent: Sentence) -> tuple[int, int] | None:
    """Tokens [start, end) of the dateline in `sent`: at its start, or inside it at a place in capitals."""
    end = dateline(state, sent.start, sent.end)
    if end is not None:
        return sent.start, end
    for hit in state.within("places", sent.start + 1, sent.end):
        end = dateline(state, hit.start, sent.end, inside=True)
        if end is not None:
            return hit.start, end
    return None


def _split(doc: Doc, sentences: list[Sentence], number: int, bounds: list[int]) -> None:
    """Start a sentence at each of `bounds`, inside sentence `number` of the document's `sentences`
    (the state's own list, changed in place)."""
    if not bounds:
        return
    sent = sentences[number]
    edges = [sent.start, *bounds, sent.end]
    sentences[number:number + 1] = [Sentence(a, b) for a, b in zip(edges, edges[1:])]
    for bound in bounds:
        doc[bound].is_sent_start = True
