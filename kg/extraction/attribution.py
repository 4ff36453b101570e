"""Attribution: who the text says asserted a sentence ("Rahmani said that ...", "according to X",
"..., he said"), and whether the reporting verb makes it a claim."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extraction import lexicon as lexicon_module
from kg.extraction.state import Attribution, DocState


QUOTES = {'"', "“", "”", "«", "»", "''", "``"}

# Closed-class English: the auxiliaries that open a reported clause without "that"
AUXILIARIES = frozenset({"had", "has", "have", "was", "were", "is", "are", "would", "will", "could", "might"})
BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been"})


class AttributionTagger:
    def __init__(self, nlp: Language, lexicon=None):
        self.lexicon = lexicon or lexicon_module.default()
        self.prefixes = [p.lower().split() for p in self.lexicon.reporting_prefixes]
        self.prefix_starts = {p[0] for p in self.prefixes}  # only tokens among these can start a prefix
        self.cues = self.lexicon.reporting_verbs | self.prefix_starts  # tokens that can start an attribution

    def __call__(self, doc: Doc) -> Doc:
        state: DocState = doc._.kg
        lex = self.lexicon
        lower, reporting_verbs, prefix_starts, cues = state.lower, lex.reporting_verbs, self.prefix_starts, self.cues
        for number, sent in enumerate(state.sentences(doc)):
            if cues.isdisjoint(lower[sent.start:sent.end]):
                continue  # one C-level test for a sentence without any cue
            for i in range(sent.start, sent.end):
                low = lower[i]
                if low not in cues:
                    continue  # one set look-up for most tokens
                if low in reporting_verbs and ((by_words := self._reports(doc, state, i, sent.end))
                                               or self._parsed_report(state, number, i)):
                    # (a clause found by the parse follows the verb: a name right after it is the
                    # clause's subject, not a speaker - "says Governor Nasiri did not surrender")
                    speaker = self._speaker_near(doc, state, i, sent.start, sent.end, after=by_words)
                    state.attributions.append(Attribution(i, speaker, low in lex.claimed))
                elif low in prefix_starts:
                    for prefix in self.prefixes:
                        if low == prefix[0] and state.lower[i:i + len(prefix)] == prefix:
                            after = i + len(prefix)
                            hit = next((h for h in state.actor_hits if h.start in (after, after + 1)), None)
                            state.attributions.append(Attribution(i, hit.actor if hit else None, False, prefix=True))
        return doc

    def _reports(self, doc: Doc, state: DocState, verb: int, sent_end: int) -> bool:
        """A reporting use ("said that", "said Monday.", ', he said') rather than another sense
        ("the Taliban added Aibak to the list")."""
        lower = state.lower
        if verb > 0 and lower[verb - 1] in BE_FORMS:
            return False  # "is said to have switched sides": a hedge on the clause's own verb, not a report
        # the cheap list tests first; Token objects only for is_punct and is_quote
        if verb > 0 and (lower[verb - 1] in self.lexicon.pronouns or doc[verb - 1].is_punct or doc[verb - 1].is_quote):
            return True
        following = range(verb + 1, min(sent_end, verb + 5))  # empty where doc[verb + 1:...] would be
        # "said 14 civilians had been killed": a clause (its auxiliary) follows the verb
        return not following or any(lower[i] == "that" or lower[i] in AUXILIARIES or doc[i].is_punct or doc[i].is_quote
                                    for i in following)

    @staticmethod
    def _parsed_report(state: DocState, number: int, verb: int) -> bool:
        """Does the parse give the verb a reported clause ("said on Monday their fighters had
        captured ...": a time between the verb and its clause hides it from the word test)?"""
        parsed = state.parses.get(number)
        token = parsed.at(verb) if parsed is not None else None
        return token is not None and token.pos_ == "VERB" and any(c.dep_ == "ccomp" for c in token.children)

    def _speaker_near(self, doc: Doc, state: DocState, verb: int, sent_start: int, sent_end: int,
                      after: bool = True) -> int | None:
        # "..., he said": the last person named before (a salience rule)
        if verb > 0 and state.lower[verb - 1] in self.lexicon.pronouns:
            for hit in reversed(state.actor_hits):
                actor = state.actors[hit.actor]
                if hit.start < verb - 1 and actor.cls == "Person" and actor.name:
                    return hit.actor
            return None
        # "X said", "X, a council member, said", '"...," X, deputy governor of Y, told AFP':
        # the last actor before the verb and after any closing quote
        quote = max((i for i in range(sent_start, verb) if state.lower[i] in QUOTES), default=sent_start - 1)
        first = max(sent_start, quote)  # computed once: the loop below visits every hit of the article
        for hit in reversed(state.actor_hits):
            if first <= hit.start:
                end = max(hit.end, hit.covers_end)
                if end <= verb and (verb - end <= 2 or quote >= sent_start):
                    # "a senior official at the Interior Ministry told us": the person, not the body
                    # inside the phrase that names the person's office
                    outer = next((h for h in state.actor_hits if h.start < hit.start and h.end >= hit.end
                                  and h.start >= first), None)
                    return (outer or hit).actor
        # "said X", "said an AFP correspondent" ("told AFP" names the listener, "said that X ..." the content)
        if not after or verb + 1 < len(doc) and state.lower[verb + 1] == "that":
            return None
        for hit in state.actor_hits:
            if verb < hit.start <= verb + 3 and hit.start < sent_end and state.lower[verb] != "told":
                return hit.actor
        return None


@Language.factory("kg_attribution")
def make_attribution_tagger(nlp: Language, name: str):
    return AttributionTagger(nlp)
