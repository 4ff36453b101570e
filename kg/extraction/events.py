"""Events: trigger words from the lexicon, their arguments found inside the trigger's clause.

For each trigger (a lexicon phrase), the component
1. bounds its clause: from the previous clause break, reporting verb or trigger to the next;
2. drops it when negated ("has not surrendered", "refused to surrender") - a negated event is not a fact;
3. flips before/after for a passive ("was captured by X");
4. takes the agent / affected / surrendered-to actors and the places where the lexicon says they sit,
   ignoring places that only describe another place ("Aybak, the capital of Samangan");
5. for triggers that allow it, falls back to the place the discourse is about;
6. keeps it only when its required arguments are there, else records why it was dropped.
Captures make one event per captured place; other types one event per trigger.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from kg import gazetteer as gazetteer_module
from kg.errors import DataFileError
from kg.extraction import lexicon as lexicon_module
from kg.extraction.lexicon import find_phrase, phrase_at
from kg.extraction.numbers import parse_number
from kg.extraction.parsed_events import ParsedEvents
from kg.extraction.places import filter_bounds
from kg.gazetteer import most_specific
from kg.extraction.records import EventMention, EventRecord, Participant, TextSpan
from kg.extraction.sentences import headline_end, sentence_span
from kg.extraction.state import DocState
from kg.ontology import kg_superclasses

BE_FORMS = {"is", "are", "was", "were", "be", "been", "being", "'s"}
# Words that may stand between two places of one list: "Herat in the west and in Kandahar"
LIST_SEPARATORS = {"and", "or", "as", "well", "also", "in", "near", "at", "around", "the", "both",
                   "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
REDUCED_RELATIVE_NEXT = {"in", "by", "during", "at", "near", "since", "over", "across", "when", "while"}
SKIPPABLE = {"already", "also", "reportedly", "then", "now", "completely", "fully", "recently", "allegedly", "have", "has", "had"}
PEOPLE_MOVED = {"Displacement"}  # events whose place a demonym of the people moved can give
# Acts each actor does for themselves: two surrenders in one place by different people are two events
INDIVIDUAL_ACTS = {"Surrender", "Defection"}
REPETITION_ADVERBS = {"twice", "again", "once", "repeatedly", "briefly", "temporarily"}  # between a participle and its "by"
COUNT_PROPERTY = {"Killing": "killed", "Assassination": "killed", "Injury": "injured", "Displacement": "displaced"}
VIOLENCE = {"Attack", "ArmedClash", "Airstrike"}
LOCAL_EVENTS = {"Arrest"}  # events that happen where the passage is set when no place is named
CASUALTIES = {"Killing", "Injury"}
ROLE_NAMES = {"agent": "AgentRole", "affected": "AffectedRole", "surrendered_to": "SurrenderedToRole"}
OPENING_WORDS = {"on", "in", "by", "late", "early", "also", "then", "and", "but", "\n"}  # before an opening time
TEMPORAL_LINKS = {"after", "before", "since", "until", "following", "ago", "earlier", "later", "then"}
NOMINAL_ENDINGS = ("ing", "ion", "ack", "acks", "ings", "ure")
# Surrenders and withdrawals are often told without their place ("the commanders surrendered"):
# the place is the one the passage is about.
PLACE_FROM_CONTEXT = {"Surrender", "Defection", "Withdrawal"}
DESCRIBED_KINDS = {"city": "city", "capital": "city", "town": "city", "district": "district", "province": "province"}
EMBEDDING_PREPOSITIONS = {"with", "amid", "despite", "during", "following", "after", "before", "since", "for"}
LANDMARK_WORDS = {"outside", "near", "around", "outskirts"}  # "a base outside the city"
DESTINATION_WORDS = {"to", "toward", "towards", "into"}  # a place after them is where people went
COUNT_MODIFIERS = {"at", "least", "about", "around", "nearly", "almost", "some", "over", "more", "than", "up", "to",
                   "approximately", "roughly", "an", "estimated"}  # words between a verb and its counted object
DIRECTION_WORDS = {"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
                   "northeastern", "northwestern", "southeastern", "southwestern", "the"}
CAPITAL_OF_SKIPPED = {"of", "the", "province", "northern", "southern", "eastern", "western", "central",
                      "northeastern", "northwestern", "southeastern", "southwestern"}  # "capital of the province of"


def _literal_words(token: dict) -> set[str] | None:
    """The words an obligatory token of a pattern accepts (its LOWER literal or IN list); None for a
    token with an operator or without such a constraint."""
    lower = token.get("LOWER")
    if "OP" in token:
        return None
    if isinstance(lower, str):
        return {lower}
    if isinstance(lower, dict) and "IN" in lower:
        return set(lower["IN"])
    return None


def _adjacent_runs(pattern: list[dict]) -> list[list[set[str]]]:
    """The runs of two or more consecutive pattern tokens with literal words: each obligatory token
    matches one token, so a match has the words of a run side by side."""
    runs, current = [], []
    for token in pattern:
        words = _literal_words(token)
        if words is None:
            if len(current) > 1:
                runs.append(current)
            current = []
        else:
            current.append(words)
    if len(current) > 1:
        runs.append(current)
    return runs


def _side_by_side(lower: list[str], start: int, end: int, run: list[set[str]]) -> bool:
    """Do tokens [start, end) hold the words of `run` one after the other?"""
    return any(all(lower[i + k] in words for k, words in enumerate(run))
               for i in range(start, end - len(run) + 1) if lower[i] in run[0])



SPEAKING_PRONOUNS = {"he", "she", "they", "we", "i"}


def _speaker_in_parse(state: DocState, token: int) -> bool:
    """Has the verb at article token `token` a subject in its sentence's parse that can speak: a noun
    or a name ("the US embassy", "the Humanitarian Coordinator"), or a personal pronoun?"""
    parsed = state.parses.get(state.sentence_number(token))
    verb = parsed.at(token) if parsed is not None else None
    if verb is None:
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None and verb.dep_ == "conj":  # "announced ... and called on young men to volunteer"
        subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    return subject is not None and (subject.pos_ in ("NOUN", "PROPN") or subject.lower_ in SPEAKING_PRONOUNS)


def _question(state: DocState, start: int, end: int) -> bool:
    """Does the sentence of tokens [start, end) end with a question mark (closing quotes aside)?"""
    last = next((w for w in reversed(state.lower[start:end]) if not w.isspace() and w not in ('"', "'", "”", "’", ")")), "")
    return last == "?"

class Bounds(NamedTuple):
    """Token bounds [start, end) of a trigger: plain ints, as spaCy Span objects are costly to create."""
    start: int
    end: int


class EventTagger:
    def __init__(self, nlp: Language, gazetteer=None, lexicon=None):
        self.gazetteer = gazetteer or gazetteer_module.default()
        self.lexicon = lexicon or lexicon_module.default()
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.parsed = ParsedEvents(self.gazetteer)
        # Token patterns, one Matcher per pattern, each with the words it needs (for each obligatory
        # token with literal words, the words it accepts) and the runs of those words that stand side
        # by side: a Matcher runs only on sentences that hold its words so, as token patterns are costly.
        self.patterns: list[tuple[list[set[str]], list[list[set[str]]], Matcher]] = []
        self.irrealis_starts = {phrase[0] for phrase in self.lexicon.irrealis}
        self.only_country = self.gazetteer.only_country
        # one-word casualty triggers ("killed", "wounded"): a sentence with them tells a concrete incident
        self.casualty_words = {p.lower() for t in self.lexicon.triggers if t.type in CASUALTIES
                               for p in t.phrases if " " not in p}
        for index, trigger in enumerate(self.lexicon.triggers):
            if trigger.phrases:
                self.phrases.add(str(index), [nlp.make_doc(p) for p in trigger.phrases])
            for pattern in trigger.patterns:
                needed = [words for words in map(_literal_words, pattern) if words is not None]
                matcher = Matcher(nlp.vocab)
                try:
                    matcher.add(str(index), [list(pattern)])
                except (ValueError, KeyError) as exc:  # spaCy validates token patterns
                    raise DataFileError(f"events lexicon: trigger #{index + 1} ({trigger.type}) has a bad pattern: {exc}") from exc
                self.patterns.append((needed, _adjacent_runs(pattern), matcher))
        self.pattern_anchors = {word for needed, _, _ in self.patterns if needed for word in needed[0]}
        self.pattern_anywhere = any(not needed for needed, _, _ in self.patterns)  # a pattern with no literal word
        # Word sets for the per-trigger scans: one C-level `isdisjoint` over a token slice tells
        # whether a Python loop over it can find anything at all.
        self.left_bound_words = self.lexicon.clause_breaks | {"which", "who"}  # what `_left_bound` looks for
        self.right_bound_words = self.lexicon.clause_breaks | {";"}  # what `_right_bound` stops at
        self.entry_starts = {verb[0] for verb in self.lexicon.entry_verbs}
        self.comitative_starts = {marker[0] for marker in self.lexicon.comitatives}
        self.repeat_starts = {phrase[0] for phrase in self.lexicon.repeats}
        self.reported_phrases = tuple(" " + phrase + " " for phrase in self.lexicon.reported)  # padded once
        self.reported_starts = {phrase.split()[0] for phrase in self.lexicon.reported}

    def __call__(self, doc: Doc) -> Doc:
        state: DocState = doc._.kg
        state.freeze_mentions()
        matches = list(self.phrases(doc))
        # (each needed token has one of its words in the sentence)
        holds = lambda present, needed: not any(map(present.isdisjoint, needed))  # noqa: E731
        # token patterns are costly: run them only on sentences holding the words one of them needs
        # (found from the sentences holding a pattern's first needed word)
        anchors = self.pattern_anchors
        sentences = state.sentences(doc)
        sentence_starts = [s.start for s in sentences]
        if self.pattern_anywhere:
            candidates = sentences
        else:
            candidates = [s for s in sentences if not anchors.isdisjoint(state.lower[s.start:s.end])]
        for sent in candidates:
            here = set(state.lower[sent.start:sent.end])
            span = None
            for needed, runs, matcher in self.patterns:
                if holds(here, needed) and all(_side_by_side(state.lower, sent.start, sent.end, run) for run in runs):
                    span = span or doc[sent.start:sent.end]
                    matches += [(m, s + sent.start, e + sent.start) for m, s, e in matcher(span)]
        by_span = {}
        strings = doc.vocab.strings
        for m, s, e in matches:
            by_span.setdefault((s, e), int(strings[m]))
        spans = [Bounds(s, e) for s, e in filter_bounds(list(by_span))]
        span_starts = [s.start for s in spans]  # filter_bounds sorts by start
        for number, sent in enumerate(state.sentences(doc)):
            in_sentence = spans[bisect_left(span_starts, sent.start):bisect_left(span_starts, sent.end)]
            if self._boilerplate(state, sent.start, sent.end) or not in_sentence and number not in state.parses and not (
                    self.repeat_starts.intersection(state.lower[sent.start:sent.end])):
                continue
            if _question(state, sent.start, sent.end):
                # "Did the governor of Balkh surrender?": asked, not told
                state.dropped.append(f"sentence at {state.begins[sent.start]}: a question")
                continue
            # every trigger of the sentence reads its attributions: filtered once, in text order
            attributions = [a for a in state.attributions if sent.start <= a.verb < sent.end]
            records, frames = [], set()  # frames: ids of statements that only frame a report
            unplaced = []  # violent triggers dropped for want of a place
            violent_words = any(self.lexicon.triggers[by_span[(sp.start, sp.end)]].type in VIOLENCE for sp in in_sentence)
            subject = None  # the subject of the previous trigger, for "fled ... or surrendered"
            for position, span in enumerate(in_sentence):
                trigger = self.lexicon.triggers[by_span[(span.start, span.end)]]
                previous_end = in_sentence[position - 1].end if position else sent.start
                following = next((sp for sp in in_sentence[position + 1:] if not self._nominal_reference(state, sp)), None)
                next_start = following.start if following else sent.end
                previous_places = next((r.places for r in reversed(records) if r.places), ())
                new, subject = self._event(doc, state, sent, span, trigger, previous_end, next_start, subject,
                                           sentence_starts, attributions, previous_places)
                if not new and trigger.type in VIOLENCE and state.dropped and state.dropped[-1].endswith("no place found"):
                    unplaced.append((span, trigger, previous_end, next_start, len(state.dropped) - 1))
                records.extend(new)
                if trigger.frame:
                    frames.update(id(r) for r in new)
            settings = {r.places for r in records if r.places}
            if unplaced and len(settings) == 1:
                # "After fierce fighting, the Taliban captured Kunduz": fighting with no place of its
                # own happened where the sentence's one other event did
                setting = settings.pop()
                for span, trigger, previous_end, next_start, message in reversed(unplaced):
                    new, _ = self._event(doc, state, sent, span, trigger, previous_end, next_start, None,
                                         sentence_starts, attributions, setting)
                    if new:
                        del state.dropped[message]
                        records.extend(new)
                records.sort(key=lambda r: r.trigger.begin)
            previous_violent = bool(state.events) and state.events[-1].type in VIOLENCE and (
                state.events[-1].sentence.end >= state.begins[max(sent.start - 1, 0)] - 1)
            if not records and (repeated := self._repeated(state, sent, attributions)) is not None:
                records.append(repeated)
            records = self.parsed.review(
                state, number, sent, records,
                mention=lambda bounds: self._mention(state, sent, Bounds(*bounds), state.span_text(*bounds), attributions),
                topic=lambda start, kind: (self._focus_area if kind in INDIVIDUAL_ACTS else self._focus_place)(
                    state, start, sentence_starts))
            # (the parse may have found violence the phrases did not: "a bomber struck a checkpoint")
            violent = violent_words or any(r.type in VIOLENCE for r in records)
            folded = fold_casualties(self._merge(records, frames), state.events, violent,
                                     individual=lambda a: state.actors[a].cls == "Person", previous_violent=previous_violent)
            state.events.extend(self._targeted(state, folded))
            state.events.extend(self._parts(doc, state, folded, sent))
        state.events = name_described(state.events, state.described, self.gazetteer)
        state.events = merge_reports(state.events, self.gazetteer, people=lambda a: state.actors[a].cls == "Person")
        state.events = name_unnamed_victims(state, self.gazetteer)
        state.events = merge_headline(state.events, self._headline_end(state, doc), self.gazetteer)
        return doc

    # --- one trigger -----------------------------------------------------------------------------
    def _event(self, doc, state: DocState, sent, span, trigger, previous_end, next_start, previous_subject,
               sentence_starts, attributions, previous_places=()):
        """`attributions`: those of the sentence `sent`, in text order."""
        left = self._left_bound(state, sent.start, previous_end, span.start, attributions)
        right = self._right_bound(state, span.end, next_start)
        trigger_text = state.span_text(span.start, span.end)
        where = f"{trigger_text!r} at {state.begins[span.start]}"
        coordinated = self._coordinated(state, span.start, left) and previous_subject is not None

        negated = self._negation(state, sent.start, left, span.start)  # a denied claim still keeps its arguments
        hedge = self._hypothetical(state, left, span.start, sent.start)
        if hedge:
            state.dropped.append(f"{trigger.type} {where}: hypothetical ({hedge!r})")
            return [], previous_subject

        positions = {"agent": trigger.agent, "affected": trigger.affected, "surrendered_to": trigger.surrendered_to, "place": trigger.place}
        passive = trigger.passive and self._is_passive(doc, state, span.start, left, span.end)
        if passive:
            positions = {k: {"before": "after", "after": "before"}.get(v, v) for k, v in positions.items()}
            if trigger.agent != "none":
                positions["agent"] = "after:by"
            if trigger.affected == "none" and trigger.agent != "none":
                positions["affected"] = "before"

        roles = {}
        for role in ("agent", "affected", "surrendered_to"):
            if coordinated and positions[role] == "before":
                roles[role] = previous_subject  # "forces fled ... or surrendered": one subject, two verbs
                continue
            actor = self._actor(doc, state, positions[role], span, left, right)
            if actor is not None:
                roles[role] = actor
            elif role == "agent" and positions[role] == "before" and \
                    not self.parsed.cues.participation.isdisjoint(state.lower[left:span.start]):
                roles[role] = None  # "denied involvement in the attack": someone attacked, nobody named
        subject = next((roles[r] for r in ("agent", "affected") if positions[r] == "before" and r in roles), None)
        places = self._places(doc, state, positions["place"], span, left, right, trigger.place_kinds,
                              destinations=trigger.destinations)
        if not places and trigger.type == "CaptureOfTerritory":
            places = self._entered_place(state, sent.start, span.start, trigger.place_kinds)
        unnamed = self._unnamed_places(state, left, right)  # "in several regional capitals": no setting applies
        if not places and (trigger.type in PLACE_FROM_CONTEXT or trigger.type in VIOLENCE) and previous_places \
                and not unnamed:
            places = list(previous_places)  # "X fell after the militia withdrew": one setting for the sentence
        if not places:
            places = self._scene(state, sent.start, span.start, trigger.place_kinds)
        if not places and not unnamed and (trigger.type in LOCAL_EVENTS or trigger.type in VIOLENCE and
                                           not self.casualty_words.isdisjoint(state.lower[sent.start:sent.end])):
            # "14 civilians had been killed in fighting since Friday", "police said they had arrested
            # two suspects": an incident with casualties, an arrest, happened where the passage is set
            focus = self._focus_place(state, span.start, sentence_starts)
            places = [focus] if focus else places
        if not places and trigger.type in PEOPLE_MOVED and not unnamed:
            # "forced at least 244,000 Afghans to flee their homes": a people's name places them in their country
            country = next((self.gazetteer.demonyms[w] for w in state.lower[left:right] if w in self.gazetteer.demonyms), None)
            places = [country] if country else places
        main = roles.get("affected") or roles.get("agent")
        # ("US" in capitals: "told us" is no foreign force)
        foreign = trigger.type == "Withdrawal" and any(
            w in self.lexicon.foreign_forces and (w != "us" or state.texts[i] == "US")
            for i, w in enumerate(state.lower[left:right], start=left))
        if foreign and not any(self.gazetteer.places[k].kind == "facility" for k in places):
            # "foreign forces began to withdraw", "the withdrawal of international troops": from the
            # country, wherever the passage is set (but "left Bagram Airfield": the base they left)
            country = self._country(state, span.start)
            places = [country] if country else places
        elif trigger.type in PLACE_FROM_CONTEXT and main and (
            not places or all(self.gazetteer.places[k].kind == "country" for k in places)
        ):
            if trigger.type == "Withdrawal":
                # forces withdraw from the town the passage is about ("withdrew to a base outside the city")
                focus = self._focus_place(state, span.start, sentence_starts)
            elif state.actors[main].cls in ("Person", "Group"):
                # people and local groups surrender where the passage is - or where their office is, when
                # that is more precise ("a police commander in Shindand district"); an organisation has no such place
                focus = self._office_place(state, main, span.start) or self._focus_area(state, span.start, sentence_starts)
            else:
                focus = None
            places = [focus] if focus else places

        elif trigger.type in INDIVIDUAL_ACTS and main and places and state.actors[main].cls in ("Person", "Group"):
            # "elsewhere in the province, the commander of a battalion in Ghormach district surrendered":
            # the office's district, inside the place the clause names, is the more precise place
            office = self._office_place(state, main, span.start)
            if office and any(self.gazetteer.contains(p, office) for p in places):
                places = [office] + places

        if "affected" in trigger.requires and "affected" not in roles and positions["affected"] == "before":
            handed_over = next((h for h in state.within("places", left, span.start) if h.end <= span.start
                                and span.start - h.end <= 1 and not h.descriptor), None)
            if handed_over is not None:  # "the city surrendered": the place is handed over, nobody named
                roles["affected"] = None
                places = [handed_over.key] + [p for p in places if p != handed_over.key]
        if self._is_reference(state, span, trigger.type, places):
            state.dropped.append(f"{trigger.type} {where}: refers back to an event already told")
            return [], previous_subject
        missing = [r for r in trigger.requires if (r == "place" and not places) or (r != "place" and r not in roles)
                   and not (r == "agent" and foreign)]  # "foreign forces began to withdraw": no actor needed
        if missing == ["agent"] and trigger.type == "Statement" and _speaker_in_parse(state, span.start):
            # "the Humanitarian Coordinator called on all parties ...": a speaker the lexicon does not know
            missing = []
        described = None
        if missing == ["place"] and trigger.type == "CaptureOfTerritory":
            # "On Monday they seized a new provincial capital": a place described, named later on
            described = next((DESCRIBED_KINDS[w] for w in state.lower[span.end:right] if w in DESCRIBED_KINDS), None)
        if missing and not described:
            state.dropped.append(f"{trigger.type} {where}: no {', '.join(missing)} found")
            return [], subject or previous_subject
        if trigger.agent_kinds and roles.get("agent") is not None and state.actors[roles["agent"]].cls not in trigger.agent_kinds:
            state.dropped.append(f"{trigger.type} {where}: held by a {state.actors[roles['agent']].cls}, not a capture")
            return [], subject or previous_subject

        participants = []
        for role, actor in roles.items():
            if actor is not None and all(p.actor != actor for p in participants):
                participants.append(Participant(actor, ROLE_NAMES[role]))
        # those coordinated with the subject, or "together with" it, share its role
        subject_slot = next((r for r in ("affected", "agent") if r in roles and positions[r] == "before"), None)
        companions = self._companions(state, span.end, right) if subject_slot else []
        if subject_slot and roles[subject_slot] is not None:
            companions = self._conjuncts(state, roles[subject_slot], left, span.start) + companions
        for actor in companions:
            if all(p.actor != actor for p in participants):
                participants.append(Participant(actor, ROLE_NAMES[subject_slot]))
        mention = self._mention(state, sent, span, trigger_text, attributions)
        common = dict(
            type=trigger.type,
            mentions=(mention,),
            participants=tuple(participants),
            time=self._time(state, span, sent.start if previous_end == sent.start else left, right,
                            first=previous_end == sent.start or left > previous_end, sent_start=sent.start,
                            attributions=attributions),
            counts=self._counts(doc, state, trigger.type, span, left, right),
        )
        # "overran the district of Khash Rod in Nimroz", "in Lashkar Gah in Helmand": the province only
        # locates the place inside it
        inner = self.gazetteer.innermost(places)
        named = [p for p in inner if self.gazetteer.places[p].kind != "country"]
        if trigger.per_place and len(named) > 1 and len({self.gazetteer.province_of(p).key if self.gazetteer.province_of(p) else p for p in named}) > 1:
            # "fighting in Herat and in Lashkar Gah": one event in each place
            records = [EventRecord(places=(place,), **common) for place in named]
        elif trigger.type == "CaptureOfTerritory":
            records = [EventRecord(places=(place,), **common) for place in inner]
        else:
            records = [EventRecord(places=tuple(inner), **common)]
        if described:
            lede = EventRecord(places=(), **common)
            if not negated and lede.time and lede.time.date:
                state.described.append((described, lede))
            state.dropped.append(f"{trigger.type} {where}: a {described} described, not named")
            return [], subject or previous_subject
        if negated:
            # "has not surrendered", "denied that the city had fallen": a denied claim, never a fact
            state.denied.extend(records)
            state.dropped.append(f"{trigger.type} {where}: negated by {negated!r}")
            return [], previous_subject
        return records, subject or previous_subject

    @staticmethod
    def _targeted(state: DocState, records: list[EventRecord]) -> list[EventRecord]:
        """A killing aimed at one person who holds an office or is named is an assassination."""
        out = []
        for r in records:
            victims = [state.actors[p.actor] for p in r.participants if p.role == "AffectedRole"]
            if r.type == "Killing" and victims and all(v.cls == "Person" and (v.name or v.positions) for v in victims) \
                    and not EventTagger._more_victims(state, r):
                r = EventRecord(**{**r.__dict__, "type": "Assassination"})
            out.append(r)
        return out

    @staticmethod
    def _more_victims(state: DocState, record: EventRecord) -> bool:
        """"shot dead a village elder and two of his sons": the victims named go on with a count."""
        victim = next(p.actor for p in record.participants if p.role == "AffectedRole")
        hit = next((h for h in state.actor_hits if h.actor == victim and state.begins[h.start] >= record.trigger.end), None)
        end = max(hit.end, hit.covers_end) if hit else None
        return end is not None and end + 1 < len(state.lower) and state.lower[end] == "and" and (
            parse_number(state.texts[end + 1]) is not None or state.lower[end + 1] in ("several", "many", "his", "her", "their"))

    def _boilerplate(self, state: DocState, start: int, end: int) -> bool:
        """A link to another story ("Read Also: ..."): an opener from the lexicon, then a colon (the
        sentence may start after the opener, which the sentence rule splits off as a label)."""
        line = state.token_at(state.text.rfind("\n", 0, state.begins[start]) + 1)
        if line < start and ":" in state.lower[line:start]:
            start = line
        if ":" not in state.lower[start:min(end, start + 8)]:
            return False
        words = [w for w in state.lower[start:min(end, start + 8)] if not w.isspace()]
        return any(words[:len(opener)] == list(opener) and words[len(opener):len(opener) + 1] == [":"]
                   for opener in self.lexicon.boilerplate)

    @staticmethod
    def _headline_end(state: DocState, doc) -> int:
        """Character offset where the headline ends; 0 if there is none."""
        end = headline_end(state, state.sentences(doc))
        return state.begins[end - 1] if end else 0

    def _nominal_reference(self, state: DocState, span) -> bool:
        """'the killing', 'the fighting': a definite nominal trigger - a noun phrase inside another
        clause ("condemned the killing on Saturday"), not a clause of its own."""
        return (span.start > 0 and state.lower[span.start - 1] in self.lexicon.reference_determiners
                and state.lower[span.end - 1].endswith(NOMINAL_ENDINGS))

    def _is_reference(self, state: DocState, span, event_type: str, places) -> bool:
        """'condemned the killing': a definite nominal trigger naming an event of a type already told
        in the same place (or naming no place)."""
        if not self._nominal_reference(state, span):
            return False
        family = {event_type, *kg_superclasses(event_type)} - {"Event"}
        here = most_specific(places)
        return any((e.type in family or family & set(kg_superclasses(e.type)))
                   and (here is None or most_specific(e.places) == here) for e in state.events)

    def _negation(self, state: DocState, sent_start: int, left: int, trigger_start: int) -> str | None:
        """The word that negates the trigger, if any: a negator in the few words before it (not across
        "after", "when", a comma ...), a prevention word whose object it is, or a denial verb."""
        lex, lower = self.lexicon, state.lower
        for i in range(trigger_start - 1, max(left, trigger_start - lex.negation_window) - 1, -1):
            if lower[i] in lex.negation_scope_breaks:
                break
            if lower[i] in lex.negation_words:
                return lower[i]
        i = trigger_start - 1
        while i >= left and lower[i] in lex.prevention_gap:
            i -= 1
        if i >= left and lower[i] in lex.prevention_words:
            return lower[i]
        if lex.denial_words.isdisjoint(lower[sent_start:trigger_start]):
            return None
        denial = next(i for i in range(trigger_start - 1, sent_start - 1, -1) if lower[i] in lex.denial_words)
        if find_phrase(lower, denial + 1, trigger_start, lex.denial_scope_breaks) is not None:
            return None
        return lower[denial]

    def _hypothetical(self, state: DocState, left: int, trigger_start: int, sent_start: int = 0) -> str | None:
        """'if he was killed', 'Kabul may fall', 'would be harmed': not facts. A modal counts only in the
        trigger's own verb group; a time expression ("in May") is not a modal."""
        lex, lower = self.lexicon, state.lower
        clause = lower[left:trigger_start]
        if not lex.subordinators.isdisjoint(clause):
            return next(w for w in clause if w in lex.subordinators)
        # "called on soldiers to lay down their arms", "vowed to retake the city": the infinitive
        # after a verb of asking, promising or planning is wanted, not done
        to = next((i for i in range(trigger_start - 1, max(sent_start, trigger_start - 4) - 1, -1) if lower[i] == "to"), None)
        if to is not None:
            for i in range(to - 1, max(sent_start, to - 8) - 1, -1):
                if lower[i] in (";", ".", ":"):
                    break
                if lower[i] not in self.irrealis_starts:
                    continue
                phrase = phrase_at(lower, i, lex.irrealis)
                if phrase and not self._fulfilled(lower, trigger_start):
                    return " ".join(phrase)
        i = trigger_start - 1
        while i >= left and lower[i] in ("not", "n't", "have", "be", "been", "also", "now", "soon", "still"):
            i -= 1
        if i >= left and lower[i] in lex.modals and not any(t.start <= i < t.end for t in state.times):
            return lower[i]
        return None

    def _fulfilled(self, lower: list[str], trigger_start: int) -> bool:
        """Does the sentence go on to say the wanted act was done ("..., which he accepted")?"""
        for i in range(trigger_start, len(lower)):
            if lower[i] in (".", "!", "?", ";"):
                return False
            if phrase_at(lower, i, self.lexicon.fulfilled) is not None:
                return True
        return False

    def _entered_place(self, state: DocState, sent_start: int, trigger_start: int, kinds) -> list[str]:
        lower = state.lower
        if self.entry_starts.isdisjoint(lower[sent_start:trigger_start]):
            return []  # no entry verb starts before the trigger
        for i in range(sent_start, trigger_start):
            for verb in self.lexicon.entry_verbs:
                if lower[i:i + len(verb)] == list(verb):
                    after = i + len(verb)
                    hit = next((h for h in state.within("places", after, after + 3) if h.end <= trigger_start), None)
                    if hit is not None and self.gazetteer.places[hit.key].kind in kinds:
                        return [hit.key]
        return []

    @staticmethod
    def _conjuncts(state: DocState, actor: int, left: int, before: int) -> list[int]:
        """Actors coordinated with `actor`'s mention before `before`: "soldiers and policemen",
        "officials, soldiers and policemen" share its role."""
        hits = [h for h in state.within("actor_hits", left, before) if h.end <= before]
        index = next((i for i in range(len(hits) - 1, -1, -1) if hits[i].actor == actor), None)
        found = []
        while index:
            previous, current = hits[index - 1], hits[index]
            between = state.lower[max(previous.end, previous.covers_end):current.start]
            if between not in (["and"], [","], [",", "and"]):
                break
            found.append(previous.actor)
            index -= 1
        return found

    def _companions(self, state: DocState, start: int, right: int) -> list[int]:
        """Actors named after "together with", "along with" in [start, right): they share the subject's role."""
        lower, found = state.lower, []
        if self.comitative_starts.isdisjoint(lower[start:right]):
            return found  # no marker starts in the range
        for i in range(start, right):
            for marker in self.lexicon.comitatives:
                if lower[i:i + len(marker)] == list(marker):
                    after = i + len(marker)
                    hit = next((h for h in state.within("actor_hits", after, after + 4)), None)
                    while hit is not None and hit.end <= right:
                        found.append(hit.actor)  # "together with the governor and several officials"
                        end = max(hit.end, hit.covers_end)
                        gap = 2 if lower[end:end + 2] == [",", "and"] else 1
                        hit = next((h for h in state.within("actor_hits", end + gap, end + gap + 1)), None) \
                            if lower[end:end + 1] in (["and"], [","]) else None
        return found

    def _scene(self, state: DocState, sent_start: int, trigger_start: int, kinds) -> list[str]:
        """"In Parwan's Sayd Khel district, a commander joined the Taliban": a sentence that opens
        with "In PLACE," is set there, for each of its events that names no place of its own."""
        lower = state.lower
        start = sent_start + (1 if lower[sent_start].isspace() else 0)
        if lower[start:start + 1] != ["in"]:
            return []
        comma = next((i for i in range(start + 1, min(trigger_start, start + 8)) if lower[i] == ","), None)
        if comma is None:
            return []
        hits = [h for h in state.within("places", start + 1, comma) if h.end <= comma]
        inner = self.gazetteer.innermost(h.key for h in hits)
        return [k for k in inner[-1:] if self.gazetteer.places[k].kind in kinds]

    def _coordinated(self, state: DocState, trigger_start, left) -> bool:
        lower = state.lower
        i = trigger_start - 1
        while i >= left and (lower[i] in SKIPPABLE or lower[i] == ","):
            i -= 1
        return i >= left and lower[i] in self.lexicon.coordinators

    def _left_bound(self, state, sent_start, previous_end, trigger_start, attributions) -> int:
        """`attributions`: those of the trigger's sentence."""
        left = max(sent_start, previous_end)
        lower = state.lower
        skip_to = -1
        # the loop acts only on a relative pronoun or a clause break, which most clauses do not hold
        if not self.left_bound_words.isdisjoint(lower[left:trigger_start]):
            for i in range(left, trigger_start):
                if i < skip_to:
                    continue
                if lower[i] in ("which", "who") and i > 0 and lower[i - 1] == ",":
                    # ", which sits on the highway, is ...": an insertion; the main clause goes on after it
                    close = next((j for j in range(i + 1, trigger_start) if lower[j] == ","), None)
                    if close is not None:
                        state.excluded.update(range(i - 1, close + 1))
                        skip_to = close + 1
                        continue
                if lower[i] in self.lexicon.clause_breaks:
                    left = i + 1
        # "X said that <clause>": the clause starts after the reporting verb (and "that")
        for attribution in attributions:
            if left <= attribution.verb < trigger_start and not attribution.prefix:
                left = attribution.verb + 1
                if left < trigger_start and lower[left] == "that":
                    left += 1
        return left

    def _right_bound(self, state, trigger_end, next_start) -> int:
        lower, breaks = state.lower, self.right_bound_words  # the clause breaks and ";"
        if breaks.isdisjoint(lower[trigger_end:next_start]):
            return next_start
        return next(i for i in range(trigger_end, next_start) if lower[i] in breaks)

    @staticmethod
    def _is_passive(doc, state: DocState, trigger_start, left, trigger_end=None) -> bool:
        lower = state.lower  # token attributes from the state's lists; a Token object only for is_punct
        i = trigger_start - 1
        while i >= left and lower[i] in SKIPPABLE:
            i -= 1
        first = lower[trigger_start]
        if i >= left and lower[i] in BE_FORMS:
            return not first.endswith("ing")  # "was captured", "was shot dead"; not "were attacking"
        if not first.endswith(("ed", "en", "ken", "un", "wn")):  # "overrun", "overthrown"
            return False
        # a reduced relative: "children killed in the violence", "Ghazni, captured by the Taliban"
        after = trigger_end
        while after is not None and after < len(lower) and lower[after] in REPETITION_ADVERBS:
            after += 1  # "conquered twice by the insurgents"
        after = after if after is not None and after < len(lower) else None
        before = trigger_start - 1 if trigger_start > left else None
        return (after is not None and lower[after] in REDUCED_RELATIVE_NEXT and before is not None
                and lower[before] not in ("have", "has", "had", "having") and not doc[before].is_punct or
                i >= left and state.texts[i] == "," and after is not None and lower[after] in REDUCED_RELATIVE_NEXT)

    def _visible(self, state: DocState, left: int, right: int, trigger_start: int):
        """Actor mentions inside [left, right) that can be arguments: not inside a modifier segment
        (", notably those headed by X,") that closes before the trigger."""
        hits = [h for h in state.within("actor_hits", left, right) if h.end <= right and h.start not in state.excluded]
        return [h for h in hits if not self._in_modifier(state, h.start, left, trigger_start)]

    def _in_modifier(self, state: DocState, index: int, left: int, trigger_start: int) -> bool:
        lower = state.lower
        if "," not in lower[index:trigger_start]:
            return False
        comma_before = next((i for i in range(index - 1, left - 1, -1) if lower[i] == ","), None)  # the last one
        if comma_before is None:
            return False
        segment = " " + " ".join(lower[comma_before + 1:index]) + " "
        return any(" " + marker + " " in segment for marker in self.lexicon.modifier_markers)

    def _actor(self, doc, state: DocState, position: str, span, left, right) -> int | None:
        if position == "none":
            return None
        head, _, word = position.partition(":")
        hits = self._visible(state, left, right, span.start)
        if head in ("before", "any"):
            before = [h for h in hits if max(h.end, h.covers_end) <= span.start]
            if before and not self.parsed.cues.participation.isdisjoint(
                    state.lower[max(before[-1].end, before[-1].covers_end):span.start]):
                return None  # "the Taliban denied involvement in the attack": not who attacked
            if before or head == "before":
                return before[-1].actor if before else None
            # "any": "In a statement on Saturday, the Taliban called on ...": the subject after the phrase
            after = [h for h in hits if h.start >= span.end]
            return after[0].actor if after else None
        if head == "after":
            inside = [h for h in hits if span.start <= h.start and h.end <= span.end]
            if inside and not word:
                return inside[0].actor  # a pattern trigger can hold its actor ("under Taliban control")
            start = span.end
            if word:
                marker = next((i for i in range(span.end, min(right, span.end + 4)) if state.lower[i] == word), None)
                if marker is None:
                    return None
                start = marker + 1
            after = [h for h in hits if h.start >= start]
            return after[0].actor if after and after[0].start - start <= 3 else None
        return None

    def _places(self, doc, state: DocState, position: str, span, left, right, kinds, destinations=True) -> list[str]:
        """Places next to the trigger: the nearest one within a few tokens, and those listed with it
        ("Zaranj, Sheberghan and Taloqan"); a place further away belongs to another predicate."""
        if position == "none":
            return []
        candidates = [h for h in state.within("places", left, right) if h.end <= right and h.start not in state.excluded
                      and (h.descriptor or self.gazetteer.places[h.key].kind in kinds)]  # walk over what cannot be the place
        if not candidates:
            return []
        if not destinations:  # "withdrew to a base near Kabul airport": Kabul is where they went
            lower = state.lower
            # (only after the trigger: "began to withdraw from Kunduz" has an infinitive "to")
            # ("to a base outside the city": the city is where they were, a landmark for the base)
            # before the trigger too, in a translation's word order: "from Farkhar district to Taloqan city
            # have been displaced", "left Dawlat Shah for Mihtarlam"
            candidates = [h for h in candidates if lower[h.start - 1] in LANDMARK_WORDS or not (
                h.start >= span.end and any(w in DESTINATION_WORDS for w in lower[max(span.end, h.start - 5):h.start])
                or any(w in DESTINATION_WORDS or w == "for" for w in lower[max(left, h.start - 3):h.start]))]
        chains = []
        if position in ("after", "any"):
            # a pattern trigger can hold its place ("entered Ghazni and raised their flag")
            after = [h for h in candidates if h.start >= span.start]
            between = state.lower[span.end:after[0].start] if after else []  # (no place set there: nothing to test)
            if not self.lexicon.place_sets.isdisjoint(between) and any(
                    state.lower[i] in self.lexicon.place_sets and state.lower[i + 1] != "of"
                    and (self._counted(state, i) or "in" in state.lower[max(span.end, i - 3):i])
                    for i in range(span.end, after[0].start)):
                # "captured three districts in the province": unnamed places inside the one named
                # (but "the five provincial capitals of Zaranj, Sheberghan ..." names them); "displaced
                # in fighting in northern provinces and now in Kabul": the place named is elsewhere
                after = []
            chains.append(self._chain(state, after, span.start, trigger=range(span.start, span.end)))
        if position in ("before", "any"):
            before = [h for h in candidates if h.end <= span.start][::-1]
            chains.append(self._chain(state, before, span.start, backwards=True, trigger=range(span.start, span.end)))
        result = []
        for hit in (h for chain in chains for h in chain):
            if hit.descriptor:
                continue  # walked over to reach the place it describes, never an argument itself
            key = self._capital_named(state, hit, kinds) or hit.key
            if self.gazetteer.places[key].kind in kinds and key not in result:
                result.append(key)
        # a country is only the place when nothing more precise is named
        if any(self.gazetteer.places[k].kind != "country" for k in result):
            result = [k for k in result if self.gazetteer.places[k].kind != "country"]
        return result

    def _capital_named(self, state: DocState, hit, kinds) -> str | None:
        """"captured the capital of Kunduz province": the place is the province's capital city."""
        if "city" not in kinds or self.gazetteer.places[hit.key].kind != "province":
            return None
        i = hit.start - 1
        while i > 0 and state.lower[i] in CAPITAL_OF_SKIPPED:
            i -= 1
        if state.lower[i] != "capital" or "of" not in state.lower[i + 1:hit.start]:
            return None
        capital = self.gazetteer.capital_of(hit.key)
        return capital.key if capital else None

    def _unnamed_places(self, state: DocState, left: int, right: int) -> bool:
        """Does the clause set its event in places it does not name ("in several regional capitals",
        "in northern provinces", "across the country's districts")? Then no other place is its place."""
        lower = state.lower
        if self.lexicon.place_sets.isdisjoint(lower[left:right]):
            return False
        for i in range(left, right):
            if lower[i] in self.lexicon.place_sets and (i + 1 >= len(lower) or lower[i + 1] != "of"):
                if any(w in ("in", "across", "throughout") for w in lower[max(left, i - 4):i]):
                    return True
        return False

    def _counted(self, state: DocState, noun: int) -> bool:
        """Is the plural noun at `noun` counted ("three districts", "two more provincial capitals",
        "several districts"), rather than possessed ("their villages")?"""
        for i in range(noun - 1, max(noun - 4, -1), -1):
            word = state.lower[i]
            if word in self.lexicon.quantifiers or parse_number(state.texts[i]) is not None:
                return True
        return False

    @classmethod
    def _chain(cls, state: DocState, hits, anchor: int, *, backwards: bool = False, first_gap: int = 8, trigger=range(0)):
        """The places next to the trigger: the nearest within `first_gap` words, then those listed
        with it. Words of actor mentions (with their appositions), of places that only describe
        another, and of the trigger itself do not count as distance."""
        chain, edge = [], anchor
        if not hits:
            return chain
        if state.actor_tokens is None:  # once per document
            state.actor_tokens = frozenset(i for h in state.actor_hits for i in range(h.start, max(h.end, h.covers_end)))
        skip = set(trigger)
        for hit in hits:
            if chain and cls._apposed(chain[-1], hit):
                pass  # "Asadabad, the capital of Kunar Province": the place a description belongs to
            elif chain and [w for w in state.lower[hit.end if backwards else edge:edge if backwards else hit.start]
                            if w not in DIRECTION_WORDS] in (["'s"], ["’s"], ["of"], ["in"]):
                # "Baghlan's Burka district", "Andarab district of Baghlan", "Burka district in northern
                # Baghlan province": one place inside the other
                pass
            elif all(h.descriptor for h in chain):
                skip |= {i for h in chain for i in range(h.start, h.end)}
                between = range(hit.end, anchor) if backwards else range(anchor, hit.start)
                if sum(1 for i in between if i not in skip and i not in state.actor_tokens) > first_gap:
                    break
            elif not cls._list_gap(state.texts[hit.end:edge] if backwards else state.texts[edge:hit.start]):
                break
            chain.append(hit)
            edge = hit.start if backwards else hit.end
        return chain

    @staticmethod
    def _apposed(a, b) -> bool:
        return a.head == b.start or b.head == a.start

    @staticmethod
    def _list_gap(texts: list[str]) -> bool:
        """Do the tokens with `texts` only separate two items of a list? (", ", " and ", ", 50 km to the east, and ")"""
        if len(texts) > 16:
            return False
        words, depth = [], 0
        for text in texts:  # drop parenthesised asides
            if text == "(":
                depth += 1
            elif text == ")":
                depth = max(0, depth - 1)
            elif depth == 0:
                words.append(text.lower())
        pieces = " ".join(words).split(",")
        outer = [pieces[0], pieces[-1]] if len(pieces) > 1 else pieces
        # the pieces between two commas are appositions; what is outside them must be separators only
        return all(set(piece.split()) <= LIST_SEPARATORS for piece in outer) and (
            len(pieces) > 1 or bool(words)
        )

    def _focus_place(self, state: DocState, before: int, sentence_starts: list[int], sentences_back: int = 2) -> str | None:
        """The most specific place named last in this sentence or the `sentences_back` before it."""
        current = max(i for i, start in enumerate(sentence_starts) if start <= before)
        horizon = sentence_starts[max(0, current - sentences_back)]
        for hit in reversed(state.places):
            # (a place in a description or an office - "the former governor of Balkh" - sets no scene)
            if horizon <= hit.start < before and not hit.descriptor and self.gazetteer.places[hit.key].kind != "country":
                return hit.key
        return None

    def _focus_area(self, state: DocState, before: int, sentence_starts: list[int]) -> str | None:
        """Where people act when the passage names no place for them: the district (or facility)
        the passage is about; else the province of the place it names (a surrender "in the city" is
        rarely what a text about a city's fall says)."""
        focus = self._focus_place(state, before, sentence_starts)
        if focus is None:  # only offices named ("the deputy governor of Samangan province"): their province
            return self._focus_province(state, before, sentence_starts)
        if self.gazetteer.places[focus].kind in ("district", "facility", "province"):
            return focus
        province = self.gazetteer.province_of(focus)
        return province.key if province is not None else focus

    def _focus_province(self, state: DocState, before: int, sentence_starts: list[int], sentences_back: int = 2) -> str | None:
        """The province the passage is about: that of the last place named in this sentence or the
        `sentences_back` before it."""
        current = max(i for i, start in enumerate(sentence_starts) if start <= before)
        horizon = sentence_starts[max(0, current - sentences_back)]
        for hit in reversed(state.places):
            if horizon <= hit.start < before:
                province = self.gazetteer.province_of(hit.key)
                if province is not None:
                    return province.key
        return None

    def _country(self, state: DocState, before: int) -> str | None:
        """The country named last before `before`, else the first one the text names, else the
        gazetteer's only country."""
        countries = [h.key for h in state.places if self.gazetteer.places[h.key].kind == "country"]
        earlier = [h.key for h in state.within("places", 0, before) if self.gazetteer.places[h.key].kind == "country"]
        return earlier[-1] if earlier else countries[0] if countries else self.only_country

    def _office_place(self, state: DocState, actor: int, before: int) -> str | None:
        """The district or facility an actor's office is in: named ("the police chief of Qadis
        district"), or the district the passage is about for a district office ("the district police
        chief")."""
        positions = state.actors[actor].positions
        named = next((p.place_key for p in positions if p.place_key
                      and self.gazetteer.places[p.place_key].kind in ("district", "facility")), None)
        if named or not any("district" in p.title.split() and not p.place_key for p in positions):
            return named
        return next((h.key for h in reversed(state.within("places", 0, before))
                     if self.gazetteer.places[h.key].kind == "district"), None)

    @staticmethod
    def _time(state: DocState, span, left: int, right: int, *, first: bool, sent_start: int, attributions):
        """The first time expression after the trigger in its clause; else, for the clause's first
        trigger, the last one before it ("On Saturday night, the Taliban captured ...").
        `attributions`: those of the trigger's sentence, which holds every token looked at here."""
        if not state.within("times", sent_start, right):
            return None  # every time expression looked at below starts in [sent_start, right)
        # a reported event is past: a later date is a deadline or a plan ("to be completed by August 31")
        published = state.published.isoformat() if state.published else None
        past = lambda t: published is None or t.value.date is None or t.value.date <= published  # noqa: E731
        # "..., Unicef said Monday": a time after a reporting verb dates the report, not the event
        report = next((a.verb for a in attributions if not a.prefix and span.end <= a.verb < right), right)
        # a time inside a pattern trigger ("entered Ghazni early on Thursday and raised their flag") counts
        after = [t for t in state.within("times", span.start, report) if t.end <= right and not t.forward and past(t)]
        if after:
            return after[0].value
        # ("launched an offensive in early May with the withdrawal of foreign forces": a time before an
        # event named in a prepositional phrase dates the clause's verb, not that event)
        embedded = span.start >= 2 and state.lower[span.start - 1] in ("the", "a", "an") \
            and state.lower[span.start - 2] in EMBEDDING_PREPOSITIONS
        # "a day after taking control of Zaranj": a time right before the trigger is its own
        adjacent = [t for t in state.within("times", left, span.start) if span.start - 2 <= t.end <= span.start and past(t)]
        if adjacent and not embedded:
            return adjacent[-1].value
        before = [t for t in state.within("times", left, span.start) if t.end <= span.start and past(t)] \
            if first and not embedded else []
        # "X claimed on Monday that the Taliban entered Y": that time dates the claim, not the event
        reporting = [a.verb for a in attributions if not a.prefix and left <= a.verb < span.start]
        before = [t for t in before if not any(t.start < verb + 3 and t.end > verb - 3 or t.end <= verb for verb in reporting)]
        if before:
            return before[-1].value
        # "A day earlier, the governor gave himself up, and the capital came under Taliban control": a
        # time that opens the sentence, set off by a comma, dates each of its clauses
        # (not across a report - "A few hours later, the governor confirmed that ..." - or a temporal
        # subordinator - "vowed ... after attacking": that is another time)
        opening = [t for t in state.within("times", sent_start, sent_start + 3) if t.end < span.start and past(t)
                   and t.end < len(state.lower) and state.lower[t.end] == ","
                   and all(w in OPENING_WORDS for w in state.lower[sent_start:t.start])
                   and not any(t.end <= a.verb < span.start for a in attributions if not a.prefix)
                   and not any(w in TEMPORAL_LINKS for w in state.lower[t.end:span.start])]
        if opening:
            return opening[0].value
        # "The Taliban on Wednesday claimed to have seized X": one's own act claimed with a perfect
        # infinitive is dated by the claim
        verb = span.start - 3
        if verb >= sent_start and state.lower[verb + 1:span.start] == ["to", "have"] and any(
                a.verb == verb for a in attributions):
            claim = [t for t in state.within("times", sent_start, verb) if t.end <= verb and past(t)]
            return claim[-1].value if claim else None
        return None

    def _counts(self, doc, state, event_type, span, left, right):
        prop = COUNT_PROPERTY.get(event_type)
        if prop is None:
            return ()
        # the nearest number before the trigger, then after it up to a list of parts ("killed on
        # Monday, including three women": three is a part, not the whole) (a Token object only for like_num)
        opener = find_phrase(state.lower, span.end, right, self.lexicon.list_openers)
        right = opener[0] if opener else right
        # a number in a date is no count ("KABUL, 27 July 2021 - ... killed 48")
        dated = {i for h in state.within("times", left, right) for i in range(h.start, h.end)}
        # an object counted right after its verb is the count ("killed 48 fighters and wounded 19 others")
        i = span.end
        while i < min(right, span.end + 4) and state.lower[i] in COUNT_MODIFIERS:
            i += 1
        order = [i] if i < right else []
        for i in [*order, *range(span.start - 1, left - 1, -1), *range(span.end, right)]:
            value = parse_number(state.texts[i])
            if value is not None and doc[i].like_num and i not in dated:
                return ((prop, value),)
        return ()

    def _repeated(self, state: DocState, sent, attributions) -> EventRecord | None:
        """"The governor surrendered. About 250 militiamen did the same.": a sentence that only says
        someone repeated the event told just before (in the previous sentence) is that event again,
        with the actor it names in the role the first event's subject had, in the same place, with
        both sentences as evidence; the day is not carried over, as the text does not say it was the same."""
        lower, starts = state.lower, self.repeat_starts
        if starts.isdisjoint(lower[sent.start:sent.end]):
            return None  # (most sentences: one C-level test)
        found = find_phrase(lower, sent.start, sent.end, self.lexicon.repeats)
        if found is None or not state.events or self._negation(state, sent.start, sent.start, found[0]) \
                or self._hypothetical(state, sent.start, found[0], sent.start):
            return None  # "the militias did not do the same", "others may follow suit"
        bounds = Bounds(found[0], found[0] + len(found[1]))
        previous = state.events[-1]
        mention = self._mention(state, sent, bounds, state.span_text(*bounds), attributions)
        if not _consecutive(previous.sentence, mention.sentence) or previous.type == "Statement":
            return None  # only the event of the sentence right before
        speakers = {a.speaker for a in attributions}
        actor = next((h.actor for h in state.within("actor_hits", sent.start, sent.end) if h.actor not in speakers), None)
        subject = next((p for p in previous.participants if p.role in ("AgentRole", "AffectedRole")), None)
        if actor is None or subject is None:
            return None
        participants = tuple(Participant(actor, p.role) if p == subject else p for p in previous.participants)
        # the sentence told before stays evidence: "the same" means nothing without it
        return EventRecord(type=previous.type, mentions=(mention, previous.mentions[-1]), places=previous.places,
                           participants=participants)

    def _parts(self, doc, state: DocState, records: list[EventRecord], sent) -> list[EventRecord]:
        """"27 children were killed in different provinces, including 20 in Kandahar": a counted
        event's list of parts, each counted and placed, is one more event per part (the whole keeps
        its own count). Only "NUMBER [words] in PLACE" items count as parts."""
        counted = [r for r in records if r.counts]
        if not counted:
            return []
        lower, texts = state.lower, state.texts
        openers = [o for o in self.lexicon.list_openers if o[0] in lower[sent.start:sent.end]]
        parts = []
        for record in counted:
            trigger_end = bisect_left(state.ends, record.trigger.end)  # the trigger's last token
            for opener in openers:
                found = find_phrase(lower, trigger_end + 1, sent.end, (opener,))
                i = found[0] + len(opener) if found else sent.end
                while i < sent.end:
                    value = parse_number(texts[i]) if doc[i].like_num else None
                    place = next((p for p in state.within("places", i + 1, min(sent.end, i + 5))
                                  if lower[p.start - 1] == "in"), None) if value is not None else None
                    if place is None:
                        break
                    begin, end = state.char_span(i, place.end)
                    mention = EventMention(**{**record.mentions[0].__dict__,
                                              "trigger": TextSpan(begin, end, state.text[begin:end])})
                    parts.append(EventRecord(**{**record.__dict__, "mentions": (mention,), "places": (place.key,),
                                                "counts": ((record.counts[0][0], value),)}))
                    i = place.end + (1 if place.end < sent.end and lower[place.end] in (",", "and") else 0)
                    i += 1 if i < sent.end and lower[i] == "and" else 0
        return parts

    def _mention(self, state: DocState, sent, span, trigger_text: str, attributions) -> EventMention:
        """The mention of an event by the trigger at `span` in `sent`: its words, its sentence (no
        surrounding whitespace), and who asserted it, as its sentence's attributions say."""
        begin, end = sentence_span(state, sent.start, sent.end)
        attribution = self._attribution(attributions, span)
        return EventMention(
            trigger=TextSpan(*state.char_span(span.start, span.end), trigger_text),
            sentence=TextSpan(begin, end, state.text[begin:end]),
            modality=self._modality(state, sent, attribution),
            according_to=attribution.speaker if attribution else None,
        )

    def _modality(self, state, sent, attribution) -> str:
        words = state.lower[sent.start:sent.end]
        if not self.reported_starts.isdisjoint(words):  # (a phrase can only start at a whole token)
            lowered = " " + " ".join(words) + " "
            if any(phrase in lowered for phrase in self.reported_phrases):
                return "Reported"
        return "Claimed" if attribution and attribution.claimed else "Asserted"

    @staticmethod
    def _attribution(attributions, span):
        """The attribution of the trigger `span` among its sentence's `attributions`: the last one
        before it, else the first one after it."""
        before = [a for a in attributions if a.verb < span.start]
        return before[-1] if before else (attributions[0] if attributions else None)

    @staticmethod
    def _merge(records: list[EventRecord], frames: set[int] = frozenset()) -> list[EventRecord]:
        """One sentence, one event per happening: 'surrendered and joined the Taliban' is one event of
        the most specific type; 'In a statement, the Taliban called on ...' is one statement; a
        statement framing another event of the sentence ('in a statement', 'on Twitter') is that
        event's attribution, while a speech act ('condemned the attack') stays an event."""
        statements = [r for r in records if r.type == "Statement"]
        if statements:
            if any(r.type != "Statement" for r in records) and all(id(r) in frames for r in statements):
                records = [r for r in records if r.type != "Statement"]
            else:  # "In a statement on Tuesday, the ministry ... urged ...": one statement
                keep = min(statements, key=lambda r: r.trigger.begin)
                time = next((r.time for r in statements if r.time), None)
                records = [r for r in records if r.type != "Statement"] + [EventRecord(**{**keep.__dict__, "time": time})]
        kept: list[EventRecord] = []
        for record in records:
            twin = next((k for k in kept if k.participants and k.participants[:1] == record.participants[:1]
                         and (record.type in kg_superclasses(k.type) or k.type in kg_superclasses(record.type)
                              or record.type == k.type and record.places == k.places)), None)
            if twin is None:
                kept.append(record)
                continue
            specific = record if twin.type in kg_superclasses(record.type) else twin
            kept[kept.index(twin)] = EventRecord(**{**specific.__dict__, "places": twin.places or record.places,
                                                    "time": twin.time or record.time,
                                                    "counts": twin.counts or record.counts})
        return kept


@Language.factory("kg_events")
def make_event_tagger(nlp: Language, name: str):
    return EventTagger(nlp)


def _main_place(places: tuple[str, ...], gazetteer) -> str | None:
    return most_specific(p for p in places if p in gazetteer.places)


def _agree(a, b) -> bool:
    return a is None or b is None or a == b


def _subjects(event: EventRecord) -> set[int]:
    return {p.actor for p in event.participants if p.role in ("AgentRole", "AffectedRole")}


def _others(a: EventRecord, b: EventRecord) -> bool:
    """Do both events name who did them, and nobody in common?"""
    first, second = _subjects(a), _subjects(b)
    return bool(first) and bool(second) and first.isdisjoint(second)


def _consecutive(earlier: TextSpan, later: TextSpan) -> bool:
    """Does sentence `later` follow sentence `earlier` with only whitespace between (a space, a
    paragraph break)? Sentence spans exclude their surrounding whitespace."""
    return 0 <= later.begin - earlier.end <= 3


def _next_sentence(earlier: EventRecord, later: EventRecord) -> bool:
    """Is `later` told in the sentence right after (or the same sentence as) one of `earlier`'s mentions?"""
    return any(_consecutive(m.sentence, later.sentence) or m.sentence == later.sentence for m in earlier.mentions)


def _counted_apart(a: EventRecord, b: EventRecord) -> bool:
    """Do the two events give different figures for one count ("27 killed" and "600 killed")?"""
    counts = dict(a.counts)
    return any(name in counts and counts[name] != value for name, value in b.counts)


def merge_reports(events: list[EventRecord], gazetteer, people=lambda actor: True) -> list[EventRecord]:
    """Within one article, an event told several times is one event with several mentions: same type,
    same main place, and dates that do not disagree; events without a place only when told in
    consecutive sentences and nothing tells them apart (who did them, their day, their counts).
    Surrenders by different people stay apart."""
    main_places: dict[tuple[str, ...], str | None] = {}  # each event is compared with every kept one

    def main_place(places: tuple[str, ...]) -> str | None:
        if places not in main_places:
            main_places[places] = _main_place(places, gazetteer)
        return main_places[places]

    merged: list[EventRecord] = []
    for event in events:
        place = main_place(event.places)
        date = event.time.date if event.time else None
        twin = None
        victims = {p.actor for p in event.participants if p.role == "AffectedRole" and people(p.actor)}
        if victims and event.type in ("Assassination", "Killing", "Arrest"):
            # one person is killed (or arrested) once: later mentions with agreeing date and place are that event
            twin = next((k for k in merged if k.type == event.type
                         and victims & {p.actor for p in k.participants if p.role == "AffectedRole"}
                         and _agree(k.time.date if k.time else None, date)
                         and _agree(main_place(k.places), place)), None)
        speakers = {p.actor for p in event.participants if p.role == "AgentRole"}
        if twin is None and event.type == "Statement" and speakers:
            # one speaker's statement told in several sentences ("UNICEF expressed shock ... UNICEF
            # raised alarm ...") is one statement, unless the days differ
            twin = next((k for k in merged if k.type == "Statement"
                         and speakers & {p.actor for p in k.participants if p.role == "AgentRole"}
                         and _agree(k.time.date if k.time else None, date)), None)
        if twin is None and place is not None:
            for kept in merged:
                kept_date = kept.time.date if kept.time else None
                if kept.type == event.type and main_place(kept.places) == place and (
                    date is None or kept_date is None or date == kept_date
                ) and not (event.type in INDIVIDUAL_ACTS and _others(kept, event)):
                    twin = kept
                    break
        if twin is None and place is None and event.type != "Statement":
            # told twice without a place ("the US intensified its air attacks ... 'US forces have
            # deployed several air strikes'"): one event unless something tells the two apart
            twin = next((k for k in merged if k.type == event.type and main_place(k.places) is None
                         and _agree(k.time.date if k.time else None, date) and not _others(k, event)
                         and not _counted_apart(k, event) and _next_sentence(k, event)), None)
        if twin is None:
            merged.append(event)
            continue
        participants = twin.participants + tuple(p for p in event.participants if p not in twin.participants)
        merged[merged.index(twin)] = EventRecord(
            type=twin.type,
            mentions=twin.mentions + event.mentions,
            places=twin.places + tuple(p for p in event.places if p not in twin.places),
            participants=participants,
            time=twin.time if twin.time and twin.time.date else (event.time or twin.time),
            counts=twin.counts or event.counts,
        )
    return merged


def name_described(events: list[EventRecord], described: list[tuple[str, EventRecord]], gazetteer,
                   reach: int = 1200) -> list[EventRecord]:
    """A lede often describes the place and names it later: "On Saturday night, the Taliban captured
    the final major city in the north. ... the Taliban captured Mazar-i-Sharif". The described event
    is the first later event of its type, in a place of the described kind, that has no date of its
    own, told within `reach` characters: that event takes the lede's date and its sentence."""
    events = list(events)
    for kind, lede in described:
        for index, event in enumerate(events):
            place = _main_place(event.places, gazetteer)
            if event.trigger.begin <= lede.trigger.begin or event.trigger.begin - lede.sentence.end > reach:
                continue
            if event.type == lede.type and place and gazetteer.places[place].kind == kind and not (
                    event.time and event.time.date):
                events[index] = EventRecord(**{**event.__dict__, "mentions": lede.mentions + event.mentions,
                                               "time": lede.time,
                                               "participants": event.participants or lede.participants})
                break
    return events


def name_unnamed_victims(state: DocState, gazetteer) -> list[EventRecord]:
    """"Gunmen killed the head of the media centre in Kabul on Friday ... Dawa Khan Menapal was shot
    dead in his car after Friday prayers": when one article tells one targeted killing of an unnamed
    office holder and one of a named person, on agreeing dates and places, they are one killing and
    the office holder is that person (the office becomes one of the person's positions)."""
    events = state.events

    def victims(event: EventRecord, named: bool) -> list[int]:
        return [p.actor for p in event.participants if p.role == "AffectedRole" and state.actors[p.actor].cls == "Person"
                and bool(state.actors[p.actor].name) == named and (named or state.actors[p.actor].positions)]

    killings = [e for e in events if e.type == "Assassination"]
    unnamed = [e for e in killings if victims(e, False) and not victims(e, True)]
    named = [e for e in killings if victims(e, True) and not victims(e, False)]
    if len(unnamed) != 1 or len(named) != 1:
        return events  # several killings: no way to tell which is which
    (anonymous,), (known,) = unnamed, named
    if not (_agree(anonymous.time.date if anonymous.time else None, known.time.date if known.time else None)
            and _agree(_main_place(anonymous.places, gazetteer), _main_place(known.places, gazetteer))):
        return events
    office_holder, person = victims(anonymous, False)[0], victims(known, True)[0]
    state.add_positions(person, state.actors[office_holder].positions)
    first, second = sorted((anonymous, known), key=lambda e: e.trigger.begin)
    participants = tuple(Participant(person, p.role) if p.actor == office_holder else p for p in first.participants)
    participants += tuple(p for p in second.participants if p.actor != office_holder and p not in participants)
    merged = EventRecord(**{**first.__dict__, "mentions": first.mentions + second.mentions,
                            "participants": participants, "places": first.places or second.places,
                            "time": first.time if first.time and first.time.date else (second.time or first.time),
                            "counts": first.counts or second.counts})
    return [merged if e is first else e for e in events if e is not second]


def merge_headline(events: list[EventRecord], headline_end: int, gazetteer) -> list[EventRecord]:
    """A headline restates what the body tells ("Taliban kill media chief" over "gunmen shot dead the
    head of the media centre in Kabul on Friday"): a headline event joins the first body event of
    the same or a more specific type whose place and date do not disagree (a place inside the
    headline's province agrees with it)."""
    if not headline_end:
        return events
    body = [e for e in events if e.sentence.begin >= headline_end]
    kept = [e for e in events if e.sentence.begin < headline_end]
    headline = list(kept)
    for event in headline:
        place, date = _main_place(event.places, gazetteer), event.time.date if event.time else None
        for index, other in enumerate(body):
            other_place = _main_place(other.places, gazetteer)
            inside = place is None or other_place is not None and (
                other_place == place or gazetteer.contains(place, other_place))
            if (other.type == event.type or event.type in kg_superclasses(other.type)) and inside \
                    and _agree(date, other.time.date if other.time else None):
                body[index] = EventRecord(**{**other.__dict__, "mentions": event.mentions + other.mentions,
                                             "time": other.time or event.time, "counts": other.counts or event.counts})
                kept.remove(event)
                break
    return sorted(kept + body, key=lambda e: e.trigger.begin)


def _with_counts(event: EventRecord, other: EventRecord) -> EventRecord:
    """`event` with the counts (and, when it has none, the place and time) of the casualty report `other`."""
    merged = dict(event.counts)
    for name, value in other.counts:
        merged.setdefault(name, value)
    # the report's sentence (and who said it) stays evidence of the counts
    mentions = event.mentions + tuple(m for m in other.mentions if m not in event.mentions)
    return EventRecord(**{**event.__dict__, "counts": tuple(merged.items()), "places": event.places or other.places,
                          "time": event.time or other.time, "mentions": mentions})


def fold_casualties(records: list[EventRecord], earlier: list[EventRecord], violent_words: bool,
                    individual=lambda actor: False, previous_violent: bool = False) -> list[EventRecord]:
    """Casualties are counts on the violence that caused them (ACLED-style), not events of their own:
    "seven people were killed in fighting in Helmand" is a clash with killed=7; "95 others were injured
    in the fighting" adds to the clash told before. A killing and an injury told together with no
    cause are one killing carrying both counts. Killings with a victim named as an actor stay events."""
    def foldable(r: EventRecord) -> bool:
        return r.type in CASUALTIES and not any(p.role == "AffectedRole" and individual(p.actor) for p in r.participants)

    kept = [r for r in records if not foldable(r)]
    for record in (r for r in records if foldable(r)):
        if violent_words or previous_violent:
            target = next((r for r in reversed(kept) if r.type in VIOLENCE), None)
            if target is not None:
                kept[kept.index(target)] = _with_counts(target, record)
                continue
            here = most_specific(record.places)
            target = next((r for r in reversed(earlier) if r.type in VIOLENCE
                           and (here is None or most_specific(r.places) == here)), None)
            if target is not None:
                earlier[earlier.index(target)] = _with_counts(target, record)
                continue
        killing = next((r for r in kept if r.type == "Killing"), None) if record.type == "Injury" else None
        if killing is not None:
            kept[kept.index(killing)] = _with_counts(killing, record)
            continue
        kept.append(record)
    kept.sort(key=lambda r: r.trigger.begin)
    return kept
