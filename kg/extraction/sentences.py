"""Sentence boundaries: spaCy's sentencizer rule, plus a break at every line end.

A sentence ends after a token that is sentence-final punctuation (". ! ?" and their Unicode kin, the
same characters as spaCy's `sentencizer`), once the closing quotes and brackets after it are passed.
News copy has headlines, datelines and captions without final punctuation, so a line end also ends one.
The rule runs over the token texts the pipeline already holds, not over spaCy Token objects, which
makes it several times cheaper than the stock component; the result is written to the Doc as well.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_PUNCT, SENT_START
from spacy.language import Language
from spacy.pipeline.sentencizer import Sentencizer
from spacy.tokens import Doc

from kg.extraction.state import Sentence
from kg.slug import fold

FINAL_PUNCTUATION = frozenset(Sentencizer.default_punct_chars)
# every character that ends a line: web and feed text uses the Unicode separators as well as "\n"
LINE_BREAKS = ("\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c")


def is_line_break(word: str) -> bool:
    # (the tokenizer keeps whitespace apart, so only whitespace tokens are worth the search)
    return word.isspace() and any(mark in word for mark in LINE_BREAKS)


def sentence_starts(words: list[str], is_punct: list[int]) -> list[int]:
    """Token indices that start a sentence.

    >>> sentence_starts(["He", "left", ".", "”", "Then", "\\n", "Next"], [0, 0, 1, 1, 0, 0, 0])
    [0, 4, 6]
    """
    starts = [0] if words else []
    seen_final = False
    for i, word in enumerate(words):
        final = word in FINAL_PUNCTUATION
        if seen_final and not is_punct[i] and not final:
            if i != starts[-1]:
                starts.append(i)
            seen_final = False
        elif final:
            seen_final = True
        if is_line_break(word) and i + 1 < len(words):
            if starts[-1] != i + 1:
                starts.append(i + 1)
            seen_final = False
    return starts


LABEL_REACH = 16  # tokens a speaker's label may take: "[12 Aug 2021, 18:05] Local reporter, Ghazni:"
LABEL_STOPS = {"in", "of", "on", "at", "to", "the", "a", "an", "for", "with", "from", "and", "as", "by"}


def after_speaker_labels(texts: list[str]) -> list[int]:
    """Token indices right after a speaker's label that opens a line ("QUESTION (Radio X): ...",
    "[12 Aug 2021, 18:05] Mawlawi Zahed: ...", "HAQJO: ..."): what the speaker says is a sentence of
    its own, which a parser trained on running text reads far better without the label.

    >>> after_speaker_labels(["Q", "(", "Radio", ")", ":", "Did", "it", "fall", "?"])
    [5]
    """
    found = []
    for first in [0] + [i + 1 for i, w in enumerate(texts) if is_line_break(w)]:
        if first >= len(texts) or not (texts[first][:1].isupper() or texts[first] == "["):
            continue
        depth, words = 0, 0  # brackets open; words outside brackets
        for j in range(first, min(len(texts) - 1, first + LABEL_REACH)):
            word = texts[j]
            if word in FINAL_PUNCTUATION or is_line_break(word) or word in ("“", '"'):
                break
            if word in ("[", "("):
                depth += 1
            elif word in ("]", ")", "]:", "):"):  # (the tokenizer keeps "):" together)
                depth -= 1
                word = word[1:] or word
            elif depth == 0 and word.isalpha():
                words += 1
                # a name or a role, not a headline's clause ("Taliban advance in Takhar: ...")
                if words > 4 or word in LABEL_STOPS:
                    break
            if word == ":" and depth == 0:
                after = j + 1
                while after < len(texts) and texts[after].isspace() and not is_line_break(texts[after]):
                    after += 1
                if after < len(texts) and (texts[after][:1].isupper() or texts[after][:1] in ('"', "“")):
                    found.append(after)
                break
    return found


def headline_end(state, sentences) -> int:
    """Token index where the headline ends: a first line without final punctuation; 0 if none."""
    first = sentences[0] if state.lower else None
    if first is None or first.end >= len(state.lower) or "\n" not in state.lower[first.end - 1]:
        return 0
    words = [w for w in state.lower[first.start:first.end] if not w.isspace()]
    return first.end if words and words[-1] not in (".", "!", "?") else 0


@Language.component("kg_sentences")
def sentences(doc: Doc) -> Doc:
    state = doc._.kg
    words = state.lower if state is not None else [t.text for t in doc]
    starts = sentence_starts(words, doc.to_array(IS_PUNCT).tolist())
    if state is not None:
        starts = sorted(set(starts) | set(after_speaker_labels(state.texts)))
    if words:
        # spaCy's own encoding: 1 starts a sentence, -1 (as uint64) does not
        marks = numpy.full((len(words), 1), -1, dtype="int64").astype("uint64")
        marks[starts] = 1
        doc.from_array([SENT_START], marks)
    if state is not None:
        state._sentences = [Sentence(a, b) for a, b in zip(starts, starts[1:] + [len(words)])]
    return doc


def sentence_span(state, start: int, end: int) -> tuple[int, int]:
    """Character offsets of tokens [start, end) without leading/trailing whitespace tokens."""
    lower = state.lower
    while start < end - 1 and lower[start].isspace():
        start += 1
    while end > start + 1 and lower[end - 1].isspace():
        end -= 1
    return state.char_span(start, end)


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
            doc[i].norm_ = fold(state.texts[i] if state is not None else doc[i].text)  # texts[i] is doc[i].text
    return doc


def normalised_pattern(nlp: Language, text: str) -> Doc:
    """A PhraseMatcher pattern normalised like `kg_normalise` normalises documents."""
    return normalise(nlp.make_doc(text))
