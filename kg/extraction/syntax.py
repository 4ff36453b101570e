"""Parsing where an event can be: kg's trained pipeline (kg.syntax) over the sentences that hold a
word some trigger lemma can take.

Most sentences of a news article tell no event of the taxonomy; skipping them pays for the parse
of the others. A parsed sentence is its own spaCy Doc (tagged, lemmatised, parsed), kept in the
document state with the article tokens each of its tokens stands for. Names the taggers found
("Sar-e-Pul", "Ziaulhaq Amarkhil", "August 9, 2021") are one token each, as a parser trained on
another genre splits such unknown multi-word names badly; whitespace tokens are left out, as the
treebank has none.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg import gazetteer as gazetteer_module
from kg import syntax
from kg.extraction import frames as frames_module
from kg.extraction.state import DocState

LEADING = {"the", "a", "an"}


@dataclass
class ParsedSentence:
    doc: Doc  # the sentence, parsed
    spans: list[tuple[int, int]]  # article token range [start, end) each of doc's tokens stands for
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self):
        self._starts = [start for start, _ in self.spans]

    def at(self, article_index: int) -> Token | None:
        """The token that stands for article token `article_index`, if it is in this sentence."""
        i = bisect_right(self._starts, article_index) - 1
        if i < 0 or article_index >= self.spans[i][1]:
            return None
        return self.doc[i]

    def article(self, token: Token) -> tuple[int, int]:
        return self.spans[token.i]

    def covering(self, start: int, end: int) -> list[Token]:
        """The tokens that stand for article tokens [start, end)."""
        first, last = self.at(start), self.at(end - 1)
        if first is None or last is None:
            return []
        return list(self.doc[first.i:last.i + 1])

    def heads(self, start: int, end: int) -> list[Token]:
        """The tokens standing for article tokens [start, end) whose head lies outside them, or that
        are the sentence's root."""
        tokens = self.covering(start, end)
        inside = {t.i for t in tokens}
        return [t for t in tokens if t.head.i not in inside or t.head.i == t.i]  # (the root heads itself)


def _name_like(texts: list[str]) -> bool:
    """Do these token texts spell one name ("Sar", "-", "e", "-", "Pul"; "August", "9", ",", "2021")?"""
    first, last = texts[0], texts[-1]
    if not (first[:1].isupper() or first[:1].isdigit()) or not (last[:1].isupper() or last[:1].isdigit()):
        return False
    return all(t[:1].isupper() or t[:1].isdigit() or t in ("-", ",", "'", "’") or t.islower() and len(t) <= 3
               for t in texts)


def _spelt_as_name(texts: list[str]) -> str:
    return " ".join(t[:1].upper() + t[1:] for t in texts if not t.isspace()).replace(" ,", ",").replace(" - ", "-")


def merged_names(state: DocState, start: int, end: int, gazetteer=None) -> dict[int, int]:
    """start -> end of the multi-token names inside [start, end) to parse as one token each: names
    the taggers found, a place with its kind ("Zarghun Shahr district") and a place with the place
    that contains it in apposition ("Bala Boluk district, Farah province"), which the parser
    otherwise reads as a list of the clause's arguments."""
    names: dict[int, int] = {}
    taken: set[int] = set()
    places = state.within("places", start, end)
    place_spans = {(h.start, h.end) for h in places}
    if gazetteer is not None:
        place_spans |= {(a.start, b.end) for a, b in zip(places, places[1:])
                        if state.lower[a.end:b.start] == [","] and b.end <= end and gazetteer.contains(b.key, a.key)}
    hits = list(place_spans)
    hits += [(h.start, h.end) for h in state.within("actor_hits", start, end)]
    hits += [(h.start, h.end) for h in state.within("times", start, end)]
    for first, last in sorted(hits, key=lambda b: b[0] - b[1]):  # longest first
        while first < last and state.lower[first] in LEADING:
            first += 1
        if last - first < 2 or last > end or taken.intersection(range(first, last)):
            continue
        if any(state.lower[i].isspace() for i in range(first, last)) or not _name_like(state.texts[first:last]) \
                and not (state.texts[first][:1].isupper() and (first, last) in place_spans):
            continue
        names[first] = last
        taken.update(range(first, last))
    return names


# dependents only a predicate takes: a participle with one of them heads a clause
PREDICATE_DEPENDENTS = {"nsubj", "nsubj:pass", "obj", "obl", "obl:agent", "aux", "aux:pass"}
# particles of phrasal verbs, which the parser may read as a preposition
PARTICLES = {"over", "up", "down", "out", "off", "back", "away"}


class SyntaxParser:
    def __init__(self, nlp: Language, lexicon=None, model=None, batch_size: int = 64, gazetteer=None):
        self.model = model or syntax.load()
        self.gazetteer = gazetteer or gazetteer_module.default()
        triggers = lexicon or frames_module.default()
        self.cues = triggers.cue_forms
        self.verb_of_form = triggers.verb_of_form
        self.batch_size = batch_size

    def sentences_to_parse(self, doc: Doc, state: DocState) -> list[int]:
        return [number for number, sent in enumerate(state.sentences(doc))
                if not self.cues.isdisjoint(state.lower[sent.start:sent.end])]

    def __call__(self, doc: Doc) -> Doc:
        state: DocState = doc._.kg
        state.freeze_mentions()  # `merged_names` reads the mentions by position
        sentences = state.sentences(doc)
        text, begins, ends = state.text, state.begins, state.ends
        chosen, docs = [], []
        for number in self.sentences_to_parse(doc, state):
            sent = sentences[number]
            names = merged_names(state, sent.start, sent.end, self.gazetteer)
            spans, i = [], sent.start
            while i < sent.end:
                if state.lower[i].isspace():
                    i += 1
                    continue
                stop = names.get(i, i + 1)
                spans.append((i, stop))
                i = stop
            if not spans:
                continue
            # a merged name is spelt as one ("Yangi Qala District"): a lower-case word inside it
            # ("district", "province") makes the tagger read it as anything but a proper noun
            words = [text[begins[a]:ends[b - 1]] if b - a == 1 else _spelt_as_name(state.texts[a:b]) for a, b in spans]
            spaces = [ends[a[1] - 1] < begins[b[0]] for a, b in zip(spans, spans[1:])] + [False]
            chosen.append((number, spans))
            docs.append(Doc(self.model.vocab, words=words, spaces=spaces))
        for (number, spans), parsed in zip(chosen, self.model.pipe(docs, batch_size=self.batch_size)):
            _clause_for_verbless_root(parsed)
            _subject_object_verb(parsed)
            self._verbal_participles(parsed)
            state.parses[number] = ParsedSentence(parsed, spans)
        return doc

    def _verbal_participles(self, parsed: Doc) -> None:
        """A trigger verb's participle the tagger read as an adjective but the parser gave a clause
        ("who surrendered to the Taliban on Sunday": a subject and obliques) is the verb; and a
        trigger verb's form has its lexicon lemma."""
        for token in parsed:
            lemma = self.verb_of_form.get(token.lower_)
            if lemma is None:
                continue
            past = token.lower_ != lemma and not token.lower_.endswith(("s", "ing"))  # "retook", "surrendered"
            if (token.pos_ == "ADJ" or token.pos_ == "NOUN" and past) and \
                    any(c.dep_ in PREDICATE_DEPENDENTS for c in token.children):
                # (a past form read as a noun: "said the movement retook Dih Salah ...")
                token.pos_, token.lemma_ = "VERB", lemma
            elif token.pos_ == "VERB" and token.lemma_ != lemma:
                token.lemma_ = lemma  # the lexicon's inflections over the lemmatizer's guess ("repelled" -> "repell")


def _clause_for_verbless_root(parsed: Doc) -> None:
    """A sentence the parser left verbless, a noun at its root, is a clause with that noun as subject
    when a verb hangs on it
    - as a reduced relative that takes an object: in "Kunar governor and officials handed over
      Asadabad to the Taliban" the governor is the subject of "handed", as a passive participle takes
      no object;
    - or as a finite verb coordinated with it: "The police chief of Baharak district, Mohammad Yasin
      Hakimi, gave up with 70 of his men".
    The verb becomes the root and the noun its subject."""
    root = next((t for t in parsed if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("NOUN", "PROPN"):
        return
    verb = next((c for c in root.children if c.i > root.i and c.pos_ == "VERB" and (
        c.dep_ == "acl" and "Past" in c.morph.get("Tense") and _takes_object(parsed, c)
        or c.dep_ == "conj" and "Fin" in c.morph.get("VerbForm"))), None)
    if verb is None or any(c.dep_ in ("nsubj", "nsubj:pass", "aux", "aux:pass", "mark") for c in verb.children):
        return
    # the new root first: making the noun depend on the verb while the verb still hangs on the noun
    # would be a cycle
    verb.head, verb.dep_ = verb, "ROOT"
    root.head, root.dep_ = verb, "nsubj"
    for child in list(root.children):
        if child.dep_ in ("punct", "cc") and child.i > verb.i or child.dep_ == "cc" and child.i == verb.i - 1:
            child.head = verb


def _subject_object_verb(parsed: Doc) -> None:
    """A translation that keeps its source's verb-final order ("the Taliban last week Charsada district
    had captured") leaves the parser two subjects before an active verb, or a noun root before the
    verb's clause: the first is the subject, the one nearer the verb the object."""
    roots = [t for t in parsed if t.dep_ == "ROOT"]
    if len(roots) == 2 and roots[0].pos_ in ("NOUN", "PROPN") and roots[1].pos_ == "VERB" and \
            not any(t.pos_ in ("VERB", "AUX") for t in roots[0].subtree) and _active(roots[1]):
        noun, verb = roots
        noun.head, noun.dep_ = verb, "nsubj"
    for verb in parsed:
        if verb.pos_ != "VERB" or not _active(verb):
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
        if len(subjects) == 2:
            subjects[1].dep_ = "obj"


def _active(verb: Token) -> bool:
    return not any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.children)


def _takes_object(parsed: Doc, verb: Token) -> bool:
    """Has `verb` an object, or a particle read as the preposition of the noun right after it ("handed
    over Gardez")?"""
    after = parsed[verb.i + 1] if verb.i + 1 < len(parsed) else None
    return any(c.dep_ == "obj" for c in verb.children) or (
        after is not None and after.lower_ in PARTICLES and after.dep_ == "case" and after.head.head.i == verb.i
        and after.head.dep_ == "obl" and after.head.left_edge.i == after.i)


@Language.factory("kg_syntax")
def make_syntax_parser(nlp: Language, name: str):
    return SyntaxParser(nlp)
