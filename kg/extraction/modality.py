"""Modality from the dependency tree: whether what a trigger tells happened, as far as its sentence
says.

A trigger is read together with the words that frame it, walking up the tree through the clauses
and noun phrases that hold it ("officials rejected [reports that [the governor had surrendered]]"):
- its own negation ("has not surrendered", "no surrender") makes a denied claim;
- a verb or adjective of denial above it ("denied that", "rejected reports that", "were false",
  "there was no truth to reports that"), or a negative implicative ("refused to", "prevented"), too;
- a modal or a conditional ("could fall", "if the city falls") makes it hypothetical, and a verb or
  noun of wanting, planning or fearing ("urged ... to surrender", "threatened to", "calls for") makes
  it only wanted: neither is kept;
- hearsay ("reportedly", "is said to") keeps it as reported.
Coordinated verbs that share a subject share their auxiliaries ("could surrender or flee").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.extraction.cues import Cues

FACT, DENIED, HYPOTHETICAL, WANTED, ABSENT = "fact", "denied", "hypothetical", "wanted", "absent"
# relations through which a word frames the clause or phrase below it
COMPLEMENTS = {"xcomp", "ccomp", "csubj", "csubj:pass", "obj", "iobj"}
CONTENT = {"acl", "nmod", "obl", "appos"}  # a noun's content clause or phrase: "reports that ...", "claims of ..."
SUBJECTS = {"nsubj", "nsubj:pass"}
NEGATING = {"advmod", "det", "neg", "cc:preconj", "advmod:neg"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass", "expl", "csubj"}
MAX_DEPTH = 8


@dataclass(frozen=True)
class Modality:
    status: str  # fact | denied | hypothetical | wanted | absent
    cue: str | None = None  # the word that decided it
    hearsay: bool = False

    @property
    def kept(self) -> bool:
        return self.status in (FACT, DENIED)


def _negated(token: Token, cues: Cues) -> Token | None:
    for child in token.children:
        if child.dep_ in NEGATING and child.lower_ in cues.negators | {"n't", "not"}:
            return child
        if child.dep_ == "det" and child.lower_ == "no":
            return child
        if child.dep_ in SUBJECTS | {"obj"} and child.lower_ in cues.negators:
            return child  # "Nobody has arrested me", "none of the soldiers surrendered"
        if child.dep_ in SUBJECTS | {"obj"}:
            no = next((g for g in child.children if g.dep_ == "det" and g.lower_ == "no"), None)
            if no is not None:
                return no  # "No convoy of the mujahideen was ambushed", "they killed no civilians"
    return None


def _modal(token: Token, cues: Cues) -> Token | None:
    children = list(token.children)
    if any(c.dep_ == "mark" and c.lower_ == "to" for c in children) and any(
            c.dep_ == "aux" and c.lemma_ == "be" for c in children):
        return next(c for c in children if c.dep_ == "aux" and c.lemma_ == "be")  # "is to be completed": planned
    for child in children:
        if child.dep_ in ("aux", "aux:pass") and child.lemma_.lower() in cues.modals:
            return child
        if child.dep_ == "mark" and child.lower_ in cues.conditional_marks:
            return child
    return None


def _hearsay(token: Token, cues: Cues) -> bool:
    return any(child.dep_ in ("advmod", "amod") and child.lower_ in cues.hearsay_adverbs | cues.hearsay_adjectives
               for child in token.children)


def _past(token: Token) -> bool:
    """Is this clause told in a past or perfect tense ("were killed", "had fallen")?"""
    return "Past" in token.morph.get("Tense") and "Fin" in token.morph.get("VerbForm") or any(
        c.dep_ in ("aux", "aux:pass") and "Past" in c.morph.get("Tense") or c.lemma_ == "have" and c.dep_ == "aux"
        for c in token.children)


def _own_subject(token: Token) -> bool:
    return any(child.dep_ in SUBJECT_DEPS for child in token.children)


def _fulfilled(wanting: Token, cues: Cues) -> bool:
    """"asked the governor to withdraw, which he accepted": the text says the wanted act was done."""
    return any(t is not wanting and t.lemma_.lower() in cues.fulfilled and t.i > wanting.i
               and (t.dep_ in ("acl:relcl", "conj", "parataxis", "advcl")) for t in wanting.subtree)


def read(trigger: Token, cues: Cues) -> Modality:
    """The modality of the event `trigger` tells (its sentence's tree, nothing else)."""
    hearsay = _hearsay(trigger, cues)
    if trigger.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "case" and c.lower_ in cues.negating_prepositions
                                                  for c in trigger.children):
        return Modality(ABSENT, "without")  # "fell without a fight": no fight took place
    if (negator := _negated(trigger, cues)) is not None:
        return Modality(DENIED, negator.lower_, hearsay)
    if (modal := _modal(trigger, cues)) is not None:
        return Modality(HYPOTHETICAL, modal.lower_, hearsay)
    current, depth = trigger, 0
    while current.dep_ != "ROOT" and current.head.i != current.i and depth < MAX_DEPTH:
        relation, head = current.dep_, current.head
        lemma = head.lemma_.lower()
        depth += 1
        if relation == "acl:relcl" and lemma in cues.report_nouns and any(c.dep_ == "nsubj" for c in current.children):
            relation = "acl"  # "the claim that Shutul has fallen", parsed as a relative clause, is its content
        if lemma in cues.participation:
            break  # "denied involvement in the attack": who took part is denied, not the attack
        if relation == "conj":
            if not _own_subject(current):  # "could surrender or flee": one subject, one auxiliary
                if (negator := _negated(head, cues)) is not None:
                    return Modality(DENIED, negator.lower_, hearsay)
                if (modal := _modal(head, cues)) is not None:
                    return Modality(HYPOTHETICAL, modal.lower_, hearsay)
            current = head
            continue
        if relation in CONTENT and head.pos_ not in ("NOUN", "PROPN") and current.i != trigger.i:
            break  # a phrase of a verb ("even as scores of soldiers ... laid down") is not its content
        if relation in COMPLEMENTS or relation in CONTENT or relation in SUBJECTS:
            if lemma in cues.denial_verbs and (relation not in SUBJECTS or relation == "nsubj:pass"):
                # ("reports that the Taliban had captured X were rejected": what is rejected)
                return Modality(DENIED, head.lower_, hearsay)
            if lemma in cues.implicatives and relation in COMPLEMENTS:
                return Modality(DENIED, head.lower_, hearsay)
            if lemma in cues.wanted and relation in COMPLEMENTS | {"advcl"} and not _fulfilled(head, cues) \
                    and not (relation == "ccomp" and _past(current)):
                # ("it is feared that many were killed": a past complement is told, if uncertainly)
                return Modality(WANTED, head.lower_, hearsay)
            if head.pos_ in ("NOUN", "PROPN") and relation in CONTENT | {"ccomp"}:
                if lemma in cues.wanted_nouns:
                    return Modality(WANTED, head.lower_, hearsay)
                if lemma in cues.denial_nouns:
                    return Modality(DENIED, head.lower_, hearsay)
            if relation in SUBJECTS and lemma in cues.denial_adjectives | cues.denial_nouns:
                return Modality(DENIED, head.lower_, hearsay)  # "reports that he surrendered were false"
            if lemma in cues.negated_nouns and _negated(head, cues) is not None:
                return Modality(DENIED, "no " + head.lower_, hearsay)  # "no truth to reports that ..."
            if relation in ("xcomp", "ccomp") and lemma in cues.hearsay_passives and any(
                    c.dep_ in ("aux:pass", "nsubj:pass") for c in head.children) and relation == "xcomp":
                hearsay = True  # "is said to have surrendered"
            if relation == "xcomp" and (modal := _modal(head, cues)) is not None:
                return Modality(HYPOTHETICAL, modal.lower_, hearsay)  # "could be forced to surrender"
            if relation == "xcomp" and (negator := _negated(head, cues)) is not None:
                return Modality(DENIED, negator.lower_, hearsay)  # "did not manage to"
            if relation in ("ccomp", "obj") and lemma in cues.reporting_verbs and _negated(head, cues) is not None:
                hearsay = True  # "did not confirm that the city had fallen"
            hearsay = hearsay or _hearsay(head, cues)
            if current.pos_ in ("NOUN", "PROPN") and relation in ("obj", "obl", "nsubj", "nsubj:pass") \
                    and (modal := _modal(head, cues)) is not None and head.pos_ in ("VERB", "AUX"):
                # "would gain a lot from Kunduz's capture": a noun's event is as real as the verb around it
                return Modality(HYPOTHETICAL, modal.lower_, hearsay)
            if relation in ("ccomp", "xcomp", "csubj") and _modal(current, cues) is not None:
                return Modality(HYPOTHETICAL, _modal(current, cues).lower_, hearsay)
            current = head
            continue
        break  # an adverbial, relative or parenthetical clause asserts on its own
    return Modality(FACT, None, hearsay)
