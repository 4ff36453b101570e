"""Sentence boundaries: spaCy's sentencizer, plus a break at every line end.

News copy has headlines, datelines and captions without final punctuation; a line break ends them.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.slug import fold


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    state = doc._.kg
    if state is None or "\n" not in state.text:
        lower = [t.text for t in doc] if state is None else None
    else:
        lower = state.lower
    if lower is None:
        return doc
    # spaCy keeps any whitespace but a single space as a token of its own, so line ends are tokens
    for i, word in enumerate(lower[:-1]):
        if "\n" in word:
            doc[i + 1].is_sent_start = True
    return doc


def sentence_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character offsets of tokens [start, end) without leading/trailing whitespace tokens."""
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


@Language.component("kg_normalise")
def normalise(doc: Doc) -> Doc:
    """Set each token's NORM to its accent-folded lower case, so "Mazār-i-Sharīf" matches "mazar-i-sharif"."""
    state = doc._.kg
    if (state.text if state is not None else doc.text).isascii():  # doc.text is rebuilt on every access
        return doc
    # ASCII tokens keep spaCy's NORM, their lower case; patterns are normalised the same way
    words = state.lower if state is not None else [t.lower_ for t in doc]
    for i, word in enumerate(words):
        if not word.isascii():
            token = doc[i]
            token.norm_ = fold(token.text)
    return doc


def normalised_pattern(nlp: Language, text: str) -> Doc:
    """A PhraseMatcher pattern normalised like `kg_normalise` normalises documents."""
    return normalise(nlp.make_doc(text))
