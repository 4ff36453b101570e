"""Claims denied after they were told: a denial that does not repeat what it denies.

"Unconfirmed posts on social media say Kishim district has also fallen. ... The district governor
tells us the reports are false." / "The Taliban said their fighters had captured Kaldar. The
Defence Ministry rejected the claims." The event was told on someone's word in one sentence and
denied, by a reference back to that word ("the claims", "those posts", "this"), in a later one. The
sentence-level readers cannot see this; this component moves such claims to the denied events, so
a denied claim is never stated as a fact. It also does so for a claim that a later (or earlier)
sentence denies outright with the same type and place ("Some reports say the governor surrendered.
... The governor's office says he did not surrender"), for one its own sentence denies after telling
it ("..., which the spokesman denied"; "Taliban say they have taken Aybak; the governor denies"), and
for reports a sentence calls false or rejects, whatever the parse made of it ("Reports on social media
that ... were rejected", "reports claiming that ... are baseless").

Only events told on someone's word are moved: what the article asserts in its own voice stays,
even when someone denies it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg import gazetteer as gazetteer_module
from kg.extraction import cues as cues_module
from kg.extraction.inflection import noun_forms, verb_forms
from kg.extraction.records import EventRecord
from kg.extraction.state import DocState

DEMONSTRATIVES = {"the", "this", "that", "these", "those", "such", "their", "his", "its", "her", "both"}
PRONOUNS = {"this", "that", "it"}
CONTENT_OPENERS = {"that", "of", "on", "about", "saying", "claiming", "suggesting", "which"}
COPULAS = {"is", "are", "was", "were"}
SENTENCES_BACK = 4  # a live blog's correction follows its report within a few entries


class ContestedClaims:
    def __init__(self, cues=None, gazetteer=None):
        cues = cues or cues_module.default()
        self.gazetteer = gazetteer or gazetteer_module.default()
        self.denial_verbs = {f for lemma in cues.denial_verbs for f in verb_forms(lemma)}
        self.denial_adjectives = set(cues.denial_adjectives)
        self.denials = self.denial_verbs | {f for lemma in cues.denial_nouns for f in noun_forms(lemma)} | \
            self.denial_adjectives
        self.negated_nouns = set(cues.negated_nouns)
        self.negators = set(cues.negators)
        self.references = {f for lemma in cues.report_nouns for f in noun_forms(lemma)}
        self.reporting = {f for lemma in cues.reporting_verbs for f in verb_forms(lemma)}

    def __call__(self, doc: Doc) -> Doc:
        state: DocState = doc._.kg
        if not state.events:
            return doc
        sentences = state.sentences(doc)
        numbered = [(state.sentence_of(e), e) for e in state.events]
        # told on someone's word: hearsay or a claim, or said by someone in its sentence
        hearsay = {id(e) for _, e in numbered if any(m.modality != "Asserted" for m in e.mentions)}
        on_word = hearsay | {id(e) for n, e in numbered if self._attributed(state, sentences[n], e)}
        contested: dict[int, str] = {}  # id of the event -> why
        # "officials reject reports that fighters executed 20 civilians", "Taliban reject Rukha
        # killings reports": the parse of a headline's present tense ("reject", "rejects") often
        # misses the verb; the words still say it
        reports: dict[int, list[tuple[int, int]]] = {}
        for n, e in numbered:
            # the sentence of its first mention; a claim told on someone's word is also denied by a
            # denial that repeats it ("Reports say two soldiers were shot dead. ... The report that
            # the mujahideen killed surrendered soldiers is completely false")
            triggers = [state.token_at(m.trigger.begin) for m in (e.mentions if id(e) in on_word else e.mentions[:1])]
            for trigger in triggers:
                number = state.sentence_number(trigger)
                if number not in reports:
                    reports[number] = self._denied_reports(state, sentences[number])
                if any(start <= trigger < end for start, end in reports[number]):
                    contested[id(e)] = "inside a report its sentence denies"
            if id(e) not in contested and id(e) in on_word and \
                    self._denied_after(state, triggers[0], sentences[n].end):
                contested[id(e)] = "denied later in its sentence"
        # sentences counted back: blank lines and speakers' labels ("[03 Sep, 09:02] Name:") do not count
        saying = [n for n, sent in enumerate(sentences) if _tells(state, sent)]
        reach = {n: set(saying[max(0, i - SENTENCES_BACK):i]) for i, n in enumerate(saying)}
        denied_at = [(state.sentence_of(d), d) for d in state.denied]
        denied_in = {n for n, _ in denied_at}
        for number, sent in enumerate(sentences):
            # (a denial with a content of its own - "deny that their fighters killed ..." - denies that)
            retracts = self._retracts(state, sent.start, sent.end)
            # ("denied the claim, saying ... had repelled several attacks": the claim named is what
            # is denied, whatever else the sentence's own words deny)
            if not retracts or number in denied_in and retracts != "named":
                continue
            places = [h.key for h in state.within("places", sent.start, sent.end) if not h.descriptor]
            for back in sorted(reach.get(number, ()), reverse=True):
                if back in denied_in:
                    break  # ("The Taliban deny that ... . '...', he said, calling the reports propaganda")
                claims = [e for n, e in numbered if n == back and id(e) in on_word and self._near(e.places, places)]
                if claims:
                    why = f"denied by a later sentence referring back to it (at {state.begins[sent.start]})"
                    contested.update((id(e), why) for e in claims)
                    break
        # (what this component has found denied so far denies too: "The report that the mujahideen
        # killed surrendered soldiers in Ghazni is completely false")
        for where, denied in denied_at + [(n, e) for n, e in numbered if id(e) in contested]:
            # a correction: another sentence denies the same happening outright, at the same place or
            # of the same person ("Some reports say the governor surrendered. ... He did not surrender")
            start = state.token_at(denied.trigger.begin)
            if "without" in state.lower[max(0, start - 2):start]:
                continue  # "surrendered without fighting" denies nothing told elsewhere
            who = {p.actor for p in denied.participants if state.actors[p.actor].cls == "Person"}
            why = f"contradicted by a denial at {denied.trigger.begin}"
            # a denial that calls it a claim ("rejected the claim that soldiers had surrendered in Waza
            # Khwa") makes a claim of what was told, whoever told it
            called = not self.references.isdisjoint(state.lower[sentences[where].start:start])
            # (not of what happened on another day: "27 June - the governor denies reports that Shinkay
            # has fallen. ... 2 July - Shinkay district falls")
            day = denied.time.date if denied.time else None
            # (a denial of the same place, or one inside the other among the sentences just before:
            # "Jalrez DC reportedly fell ... CORRECTION: Wardak PHQ denies DC has fallen")
            contested.update((id(e), why) for n, e in numbered
                             if n != where and (id(e) in on_word or called) and e.type == denied.type and (
                                 set(e.places) & set(denied.places) or who & {p.actor for p in e.participants}
                                 or n in reach.get(where, ()) and denied.places and self._near(e.places, denied.places))
                             and not (day and e.time and e.time.date and e.time.date != day))
            if not denied.places and not who:
                # a denial naming neither place nor person ("denied that any such killings took place",
                # "the report that the mujahideen killed surrendered soldiers is false") is of the
                # latest such claim before it, where its sentence names no other place
                sent = sentences[where]
                places = [h.key for h in state.within("places", sent.start, sent.end) if not h.descriptor and not h.anaphoric]
                claim = max(((n, e) for n, e in numbered if n in reach.get(where, ()) and id(e) in on_word
                             and e.type == denied.type and self._near(e.places, places)),
                            key=lambda item: item[0], default=None)
                if claim is not None:
                    contested[id(claim[1])] = why
        if contested:
            state.denied.extend(e for e in state.events if id(e) in contested)
            state.dropped.extend(f"{e.type} {e.trigger.text!r} at {e.trigger.begin}: a claim {contested[id(e)]}"
                                 for e in state.events if id(e) in contested)
            state.events = [e for e in state.events if id(e) not in contested]
        return doc

    def _attributed(self, state: DocState, sent, event: EventRecord) -> bool:
        """Does someone say the event: a speaker of its own, a report in its sentence, a reporting verb
        before it, whoever speaks ("Residents say fighters killed ..."), or the speaker whose turn of a
        transcript or thread its line is ("QUESTION (Radio X): ...", "[12 Aug, 18:05] Local reporter: ...")?"""
        trigger = state.token_at(event.trigger.begin)
        return any(m.according_to is not None for m in event.mentions) or \
            any(sent.start <= a.verb < sent.end for a in state.attributions) or \
            not self.reporting.isdisjoint(state.lower[sent.start:trigger]) or _in_turn(state, state.begins[sent.start])

    def _retracts(self, state: DocState, start: int, end: int) -> str | None:
        """Does tokens [start, end) deny what was told before, by referring back to it: by naming it
        ("the reports are false", "rejected the claims": "named") or by a pronoun ("there is no truth
        in this", "That was wrong": "pronoun")? None when it does not."""
        lower = state.lower[start:end]
        denial = [i for i, w in enumerate(lower) if w in self.denials or w in self.negated_nouns
                  and any(n in self.negators for n in lower[max(0, i - 2):i])]
        if not denial:
            return None
        for i, word in enumerate(lower):
            if word in self.references and any(d in DEMONSTRATIVES for d in lower[max(0, i - 3):i]) \
                    and (i + 1 >= len(lower) or lower[i + 1] not in CONTENT_OPENERS and lower[i + 2:i + 3] != ["that"]):
                return "named"  # ("the reports that ...", "reports of ...": they say what they deny)
            # "That was wrong.", "There is no truth in this."
            if word in PRONOUNS and any(abs(i - d) <= 3 for d in denial) and (i + 1 >= len(lower) or lower[i + 1] in (".", "was", "is", "were")):
                return "pronoun"
        return None

    def _denied_after(self, state: DocState, trigger: int, end: int) -> bool:
        """Is what was said up to `trigger` denied later in the sentence by a denial with no object of
        its own: "..., which Lawang denied.", "Taliban say they have taken Aybak; the governor's
        spokesman denies, says forces are in control"?"""
        lower = state.lower
        for i in range(trigger + 1, end):
            if lower[i] not in self.denial_verbs:
                continue
            after = lower[i + 1] if i + 1 < end else "."
            if "which" in lower[max(trigger, i - 4):i] or after in (".", ",", ";", ":", "—", "-") or after in ("saying", "says", "said"):
                return True
        return False

    def _denied_reports(self, state: DocState, sent) -> list[tuple[int, int]]:
        """Token ranges of what a denial of reports in `sent` says: "reject reports that <...>" (up
        to a clause of the denier's own: ", saying ..."), "reject <Rukha killings> reports", "the
        news that <...> rejected"."""
        lower, found = state.lower, []
        # "But the rumours that the Faizabad city also was fallen, the security commander rejected":
        # the verb at the end, as machine translation from a verb-final language leaves it
        for j in range(sent.start, sent.end - 2):
            if lower[j] not in self.references:
                continue
            # ("reports that ...", "reports on social media that ...", "claims by the Taliban that ...")
            that = next((k for k in range(j + 1, min(j + 6, sent.end)) if lower[k] == "that"), None)
            if that is not None and all(w not in self.denial_verbs for w in lower[j + 1:that]):
                denial = next((k for k in range(that + 1, sent.end) if lower[k] in self.denial_verbs), None)
                if denial is not None:
                    found.append((that + 1, denial))
            # "Reports on social media claiming that <...> are baseless": the reports' predicate denies
            # ("... are not true", "is not correct": a negated word of truth denies as well)
            copula = next((k for k in range(j + 2, sent.end - 1) if lower[k] in COPULAS
                           and (any(w in self.denial_adjectives for w in lower[k + 1:k + 4])
                                or any(w in self.negators and v in self.negated_nouns
                                       for w, v in zip(lower[k + 1:k + 3], lower[k + 2:k + 4])))), None)
            if copula is not None and any(w in CONTENT_OPENERS for w in lower[j + 1:j + 6]):
                found.append((j + 1, copula))
        for i in range(sent.start, sent.end - 1):
            if lower[i] not in self.denial_verbs:
                continue
            # "Ministry denies fall of Chora": the denial's object is the event itself
            opens = i + 2 if lower[i + 1] in ("the", "a", "any") else i + 1
            if opens < sent.end and any(state.token_at(e.trigger.begin) == opens for e in state.events):
                found.append((opens, next((k for k in range(opens, sent.end) if lower[k] in (",", ";")), sent.end)))
                continue
            for j in range(i + 1, min(i + 6, sent.end)):
                if lower[j] not in self.references:
                    continue
                if j + 1 < sent.end and lower[j + 1] == "that":
                    end = next((k for k in range(j + 2, sent.end - 1) if lower[k] == "," and (
                        lower[k + 1].endswith("ing") or lower[k + 1] in ("and", "but", "he", "she", "they"))), sent.end)
                    found.append((j + 2, end))
                elif j > i + 1:
                    found.append((i + 1, j))
                break
        return found

    def _near(self, places: tuple[str, ...], others) -> bool:
        """Do the two place lists name the same place, or one inside the other (or either none)?"""
        if not places or not others:
            return True
        return any(a == b or self.gazetteer.contains(a, b) or self.gazetteer.contains(b, a)
                   for a in places for b in others)


def _tells(state: DocState, sent) -> bool:
    """Does the sentence say something: a word, and not only a speaker's label ending in a colon?"""
    words = [w for w in state.lower[sent.start:sent.end] if not w.isspace()]
    return any(w.isalpha() for w in words) and words[-1] not in (":", "):", "]:")


# a speaker's label opening a line: an optional [timestamp], then a name or role and a colon
TURN_LABEL = re.compile(r"[ \t]*(?:\[[^\]\n]{1,40}\][ \t]*)?[A-Z][^\n:.?!\"“]{0,60}:[ \t]")


def _in_turn(state: DocState, begin: int) -> bool:
    """Is the character at `begin` in a line that opens with a speaker's label (not a dateline: "KABUL:")?"""
    line = state.text.rfind("\n", 0, begin) + 1
    label = TURN_LABEL.match(state.text, line)
    if label is None:
        return False
    first, colon = state.token_at(line), state.token_at(label.end() - 2)
    return not any(h.end >= colon for h in state.within("places", first, colon + 1))


@Language.factory("kg_contested")
def make_contested_claims(nlp: Language, name: str):
    return ContestedClaims()
