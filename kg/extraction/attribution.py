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

    def __call__(self, doc: Doc) -> Doc:
        state: DocState = doc._.kg
        lex = self.lexicon
        for sent in state.sentences(doc):
            for i in range(sent.start, sent.end):
                low = state.lower[i]
                if low in lex.reporting_verbs and self._reports(doc, i, sent.end):
                    speaker = self._speaker_near(doc, state, i, sent.start, sent.end)
                    state.attributions.append(Attribution(i, speaker, low in lex.claimed))
                else:
                    for prefix in self.prefixes:
                        if low == prefix[0] and state.lower[i:i + len(prefix)] == prefix:
                            after = i + len(prefix)
                            hit = next((h for h in state.actor_hits if h.start in (after, after + 1)), None)
                            state.attributions.append(Attribution(i, hit.actor if hit else None, False, prefix=True))
        return doc

    def _reports(self, doc: Doc, verb: int, sent_end: int) -> bool:
        """A reporting use ("said that", "said Monday.", ', he said') rather than another sense
        ("the Taliban added Aibak to the list")."""
        previous = doc[verb - 1] if verb > 0 else None
        if previous is not None and previous.lower_ in BE_FORMS:
            return False  # "is said to have switched sides": a hedge on the clause's own verb, not a report
        if previous is not None and (previous.is_punct or previous.is_quote or previous.lower_ in self.lexicon.pronouns):
            return True
        following = doc[verb + 1:min(sent_end, verb + 5)]
        # "said 14 civilians had been killed": a clause (its auxiliary) follows the verb
        return not following or any(t.lower_ == "that" or t.is_punct or t.is_quote or t.lower_ in AUXILIARIES
                                    for t in following)

    def _speaker_near(self, doc: Doc, state: DocState, verb: int, sent_start: int, sent_end: int) -> int | None:
        # "..., he said": the last person named before (a salience rule)
        if verb > 0 and doc[verb - 1].lower_ in self.lexicon.pronouns:
            for hit in reversed(state.actor_hits):
                actor = state.actors[hit.actor]
                if hit.start < verb - 1 and actor.cls == "Person" and actor.name:
                    return hit.actor
            return None
        # "X said", "X, a council member, said", '"...," X, deputy governor of Y, told AFP':
        # the last actor before the verb and after any closing quote
        quote = max((i for i in range(sent_start, verb) if state.lower[i] in QUOTES), default=sent_start - 1)
        for hit in reversed(state.actor_hits):
            end = max(hit.end, hit.covers_end)
            if max(sent_start, quote) <= hit.start and end <= verb and (verb - end <= 2 or quote >= sent_start):
                return hit.actor
        # "said X", "said an AFP correspondent" ("told AFP" names the listener, "said that X ..." the content)
        if verb + 1 < len(doc) and state.lower[verb + 1] == "that":
            return None
        for hit in state.actor_hits:
            if verb < hit.start <= verb + 3 and hit.start < sent_end and doc[verb].lower_ != "told":
                return hit.actor
        return None


@Language.factory("kg_attribution")
def make_attribution_tagger(nlp: Language, name: str):
    return AttributionTagger(nlp)
