"""Events read from the dependency parse of one sentence (kg_syntax), beside the events the lexicon's
phrases found in it.

For each sentence that was parsed, `ParsedEvents.review`
1. reads the modality of every event already found there from the tree: one inside the complement
   of a denial ("officials rejected reports that the governor had surrendered", "there was no
   truth to claims that ...") becomes a denied claim; one under a modal, a condition or a wish
   ("could fall", "urged to surrender") is dropped;
2. reads every word whose lemma and part of speech evoke a frame of the trigger lexicon, with its
   arguments from its dependents (`arguments.ArgumentReader`), and adds the events the phrases
   missed: another phrasing of the same happening, another place of a list ("took three more
   capitals, A in the north and B in the west"), another inflection.
An event the phrases already found (same type family, same place or no place of its own) is not
told twice.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Token

from kg.extraction import cues as cues_module
from kg.extraction import frames as frames_module
from kg.extraction import modality as modality_module
from kg.extraction.arguments import Anchors, Arguments, ArgumentReader, is_passive, people_nouns
from kg.extraction.frames import Frame
from kg.extraction.records import EventMention, EventRecord, Participant
from kg.extraction.state import DocState
from kg.ontology import kg_superclasses

ROLE_NAMES = {"agent": "AgentRole", "affected": "AffectedRole", "surrendered_to": "SurrenderedToRole"}
COUNT_PROPERTY = {"Killing": "killed", "Assassination": "killed", "Injury": "injured", "Displacement": "displaced"}
# types whose place, when their clause names none, is the one the passage is about
# (not violence: "his car was attacked" on the way to a city the passage names is not in that city)
PLACE_FROM_TOPIC = {"Surrender", "Defection", "Withdrawal", "Arrest"}
VIOLENT_ACTS_REPELLED = {"Attack"}  # what a repelling verb's object may be
CASUALTIES = {"Killing", "Injury"}
VICTIM_COUNTS = {"Killing", "Assassination", "Injury"}  # types counting each victim named singly
CAUSES = {"Attack", "Airstrike"}  # violence whose casualties are its counts
KNOWN_DETERMINERS = {"the", "this", "that", "these", "those"}  # fighting already told ("the fighting")
DURATIONS = {"hour", "day", "night", "week", "month"}  # a span of fighting ("two days of fighting")
# a surrender or a defection by an official with no place of its own is where the office is
PLACE_FROM_OFFICE = {"Surrender", "Defection"}
# types whose noun, in a phrase of another verb, is of the place that verb's subject or object names
PLACE_OF_GOVERNOR = {"Siege"}
STATES = {"be", "remain", "stay", "lie"}  # "is under Taliban control" tells a state, not a change
# types of which each place is an event of its own ("took Kunduz and Zaranj": two captures)
ONE_PLACE_PER_EVENT = {"CaptureOfTerritory"}


def family(event_type: str) -> set[str]:
    return {event_type, *kg_superclasses(event_type)} - {"Event"}


def related(a: str, b: str) -> bool:
    """Is one type the other or one of its kinds ("Assassination" and "Killing")?"""
    return a == b or a in kg_superclasses(b) or b in kg_superclasses(a)


class ParsedEvents:
    def __init__(self, gazetteer, lexicon=None, cues=None):
        self.gazetteer = gazetteer
        self.lexicon = lexicon or frames_module.default()
        self.cues = cues or cues_module.default()
        self.people = people_nouns(self.cues)

    # --- entry point ----------------------------------------------------------------------------------
    def review(self, state: DocState, number: int, sent, records: list[EventRecord],
               mention: Callable[[tuple[int, int]], EventMention],
               topic: Callable[[int, str], str | None]) -> list[EventRecord]:
        """The events of sentence `number` (`records`: those the phrases found), checked and completed
        from its parse. `mention(bounds)` makes the mention of a trigger at article tokens `bounds`;
        `topic(start, type)` is the place the passage is about before token `start`."""
        parsed = state.parses.get(number)
        if parsed is None:
            return records
        anchors = Anchors(state, parsed, sent.start, sent.end)
        triggers = [(t, f) for t in parsed.doc if (f := self.lexicon.frames_for(t))]
        reader = ArgumentReader(state, anchors, self.cues, self.gazetteer, {t.i for t, _ in triggers}, self.people)
        frames_at = {t.i: f for t, f in triggers}
        kept = []
        for record in records:
            token = self._token_of(state, parsed, record)
            if token is not None and self._backdrop(token, record.type):
                state.dropped.append(f"{record.type} {record.trigger.text!r} at {record.trigger.begin}: a backdrop")
                continue
            if token is not None and self._describes_people(token, record.type, reader):
                state.dropped.append(f"{record.type} {record.trigger.text!r} at {record.trigger.begin}: describes people")
                continue
            if token is not None and self._repels_attack_told(token, record.type, frames_at):
                state.dropped.append(f"{record.type} {record.trigger.text!r} at {record.trigger.begin}: "
                                     f"how an attack told in its sentence ended")
                continue
            status = modality_module.read(token, self.cues) if token is not None else None
            if status is None or status.status == modality_module.FACT or record.type == "Statement":
                # (a statement is an act of saying: what it says may be wanted or denied, the saying is not)
                kept.append(self._completed(state, record, token, frames_at.get(token.i, []), reader,
                                            [(r.trigger.begin, r.trigger.end) for r in records if r is not record])
                            if token is not None else record)
            elif status.status == modality_module.DENIED:
                state.denied.append(record)
                state.dropped.append(f"{record.type} {record.trigger.text!r} at {record.trigger.begin}: "
                                     f"denied by {status.cue!r}")
            else:
                state.dropped.append(f"{record.type} {record.trigger.text!r} at {record.trigger.begin}: "
                                     f"{status.status} ({status.cue!r})")
        told = {id(r) for r in records}  # what the phrases found, denied or not: never added again
        begin, end = state.begins[sent.start], state.ends[sent.end - 1]
        denied_here = [r for r in state.denied if begin <= r.trigger.begin < end]
        for record in list(denied_here):
            # ("denied reports that fighters executed captured soldiers": no capture was denied)
            token = self._token_of(state, parsed, record)
            if token is not None and self._describes_people(token, record.type, reader):
                state.denied.remove(record)
                denied_here.remove(record)
        statements = [r.trigger for r in records if r.type == "Statement"]
        for token, frames in triggers:
            if not self._assertive(token) or self._said(state, parsed, token, statements) or \
                    any(self._backdrop(token, f.type) or self._describes_people(token, f.type, reader) for f in frames):
                continue
            status = modality_module.read(token, self.cues)
            # (a denial needs no place of its own: it is read against the claims told before it)
            found = self._events(state, parsed, reader, token, frames, mention, topic,
                                 placeless=status.status == modality_module.DENIED)
            if not found:
                continue
            for event in found:
                if any(self._same(event, r) for r in denied_here) or \
                        any(self._same(event, r) or self._overlap(event, r) for r in records if id(r) in told) or \
                        any(self._same(event, r) for r in kept if id(r) not in told):
                    continue
                if status.status == modality_module.FACT:
                    kept.append(event)
                elif status.status == modality_module.DENIED:
                    state.denied.append(event)
        return sorted(kept, key=lambda r: r.trigger.begin)

    # --- reading one trigger ----------------------------------------------------------------------------
    def _events(self, state: DocState, parsed, reader: ArgumentReader, token: Token, frames: list[Frame],
                mention, topic, placeless: bool = False) -> list[EventRecord]:
        start, end = parsed.article(token)
        for frame in frames:
            arguments = self._read(reader, token, frame)
            places = [p.key for p in arguments.places]
            main = (arguments.actors.get("affected") or arguments.actors.get("agent") or [None])[0]
            if not places and frame.type in PLACE_FROM_OFFICE:
                # "the police chief of Nad Ali district surrendered": where his office is
                places = self._office_places(state, arguments.actors.get("affected", ()))
            if not places and frame.type in PLACE_FROM_TOPIC and not arguments.unnamed_places and token.pos_ == "VERB" \
                    and main is not None and state.actors[main].cls in ("Person", "Group"):
                # people and local groups act where the passage is; a state or an alliance does not
                focus = topic(start, frame.type)
                places = [focus] if focus else []
            if not places and frame.type in PLACE_OF_GOVERNOR and token.pos_ == "NOUN" and token.dep_ in ("obl", "nmod") \
                    and token.head.pos_ == "VERB":
                # "Herat fell to the Taliban after a two-week siege": the siege of the place whose fall
                # (or whatever its verb tells) it led to
                places = [p.key for c in token.head.children if c.dep_ in ("nsubj", "nsubj:pass", "obj")
                          for p in reader.places_in(c, frame.place_kinds)]
            # an event added from the parse must say where: a happening with no place, or only a
            # country, is rarely one the phrases missed and mostly a campaign or a general remark
            places = [p for p in places if self.gazetteer.places[p].kind != "country"]
            if not places and not placeless or frame.type == "Statement":
                continue
            if not self._fits(state, frame, arguments, places, token):
                continue
            prop = COUNT_PROPERTY.get(frame.type)
            common = dict(type=frame.type, mentions=(mention((start, end)),), participants=self._participants(arguments),
                          time=arguments.time.value if arguments.time else None,
                          counts=((prop, arguments.count),) if prop and arguments.count else ())
            inner = self.gazetteer.innermost(places)
            if frame.type in ONE_PLACE_PER_EVENT and inner:
                return [EventRecord(places=(place,), **common) for place in inner]
            return [EventRecord(places=tuple(inner), **common)]
        return []

    def _cause(self, token: Token, told: list[tuple[int, int]], begin_of: Callable[[Token], int]) -> Frame | None:
        """The frame of violence a casualty verb's subject names ("mortar fire killed", "a bomb
        exploded ..., killing"): a noun of an attack or an airstrike, its conditions met, that no
        event `told` (character spans of the sentence's triggers) already stands for - those
        take the casualties as their counts."""
        clause = token.head if token.dep_ == "advcl" and token.head.i != token.i else token
        subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubj:pass")]
        # ("mortar fire", "a mortar round": the weapon may be the compound)
        for subject in subjects + [c for s in subjects for c in s.children if c.dep_ == "compound"]:
            begin = begin_of(subject)
            if any(b <= begin < e for b, e in told):
                return None
            for frame in self.lexicon.frames_for(subject):
                if frame.type in CAUSES and frame.pos == "NOUN" and all(self._condition(w, subject) for w in frame.when):
                    return frame
        return None

    @staticmethod
    def _describes(reader: ArgumentReader, place: str, theme: str) -> bool:
        """Is `place` named inside a description of `theme` ("Ghazni, 150 km south-west of Kabul on
        the highway to Kandahar"), not listed with it ("Kunduz ... and Sar-e-Pul")?"""
        tokens = reader.anchors.places
        at = [i for i, hits in tokens.items() if any(h.key == place for h in hits)]
        top = [i for i, hits in tokens.items() if any(h.key == theme for h in hits)]
        if len(at) != 1 or len(top) != 1:
            return False
        doc = reader.anchors.parsed.doc
        token = doc[at[0]]
        while token.i != top[0] and token.head.i != token.i:
            if token.dep_ == "conj":
                return False
            token = token.head
        return token.i == top[0]

    def _describes_people(self, token: Token, event_type: str, reader: ArgumentReader) -> bool:
        """"executed captured soldiers": a participle describing people tells no taking of territory."""
        if event_type not in ONE_PLACE_PER_EVENT or token.dep_ != "amod" or token.head.i < token.i or \
                any(c.dep_ not in ("advmod", "punct") for c in token.children):
            return False  # (a participle with dependents of its own is a clause, however it is parsed)
        head = token.head
        return head.lemma_.lower() in self.people or bool(reader.anchors.actors.get(head.i))

    def _repels_attack_told(self, token: Token, event_type: str, frames_at: dict) -> bool:
        """Is `token` a verb of repelling that tells how an attack its clause chain tells ended ("the
        enemy attacked our positions and was pushed back", "attacked police posts ..., before they
        were repelled")? The attack is the event, not a clash of its own."""
        if event_type in VIOLENT_ACTS_REPELLED or token.lemma_.lower() not in self.cues.repelling:
            return False
        current = token
        for _ in range(2):
            if current.dep_ not in ("conj", "advcl") or current.head.i == current.i:
                return False
            current = current.head
            if any(f.type in VIOLENT_ACTS_REPELLED for f in frames_at.get(current.i, ())):
                return True
        return False

    def _backdrop(self, token: Token, event_type: str) -> bool:
        """Is the noun `token` fighting told as the backdrop of another event ("during the fighting",
        "after two days of heavy fighting", "since the fighting began")?"""
        if event_type not in self.cues.backdrop_types or token.pos_ not in ("NOUN", "PROPN"):
            return False
        # only fighting already known ("the fighting") or a span of it ("two days of fighting"):
        # "after heavy fighting on Wednesday", "after clashes that killed five" tell fighting of their own
        known = any(c.dep_ == "det" and c.lower_ in KNOWN_DETERMINERS for c in token.children)
        if token.dep_ == "obj" and token.head.lemma_.lower() in self.cues.backdrop_verbs:
            return True  # "fled the fighting in Logar", "25,000 flee fighting in Ishkamish"
        current = token
        for _ in range(2):
            opened = any(c.dep_ in ("case", "mark") and c.lower_ in self.cues.backdrop for c in current.children) or \
                current.dep_ in ("nsubj", "nsubj:pass") and any(  # "since the fighting began"
                    c.dep_ == "mark" and c.lower_ in self.cues.backdrop for c in current.head.children)
            if opened:
                return known
            if current.dep_ not in ("nmod", "compound") or current.head.i == current.i:
                return False
            current = current.head  # "after two days of fighting"
            known = known or current.lemma_.lower() in DURATIONS
        return False

    def _office_places(self, state: DocState, actors) -> list[str]:
        """The places of the offices the people `actors` hold (not a country: a minister's office is
        no place of a surrender)."""
        found = [p.place_key for a in actors for p in state.actors[a].positions if p.place_key]
        return [k for k in dict.fromkeys(found) if self.gazetteer.places[k].kind != "country"]

    @staticmethod
    def _said(state: DocState, parsed, token: Token, statements) -> bool:
        """Is `token` in what a statement the phrases found says ("announced that they have attacked
        X")? That content is the statement's, as the phrases read it, not a new event."""
        for above in token.ancestors:
            begin = state.begins[parsed.article(above)[0]]
            if any(s.begin <= begin < s.end for s in statements):
                return True
        return False

    @staticmethod
    def _read(reader: ArgumentReader, token: Token, frame: Frame) -> Arguments:
        arguments = reader.read(token, frame)
        if "place" in frame.requires or frame.cases is not None or frame.support:
            # the place the act is done to, not the places around it ("heavy fighting is taking
            # place near Herat", "captured three districts in the province")
            arguments.places = arguments.themes
        return arguments

    def _assertive(self, token: Token) -> bool:
        """May this word tell an event of its own? A verb may; a noun only when indefinite or with its
        own "of" phrase ("an attack in Herat", "the fall of Kunduz"): "the attack", "the offensive" in
        another clause name an event already told, or a campaign, not a new happening."""
        if token.pos_ == "VERB":
            return True
        determiners = [c.lower_ for c in token.children if c.dep_ in ("det", "det:poss", "nmod:poss")]
        definite = any(d in ("the", "this", "that", "these", "those", "its", "their", "his", "her") for d in determiners)
        own_phrase = any(c.dep_ == "nmod" and any(g.dep_ == "case" and g.lower_ == "of" for g in c.children)
                         or c.dep_ == "nmod:poss" and c.pos_ == "PROPN" for c in token.children)
        return not definite or own_phrase

    def _fits(self, state: DocState, frame: Frame, arguments: Arguments, places: list[str], token: Token) -> bool:
        """Are the frame's required roles filled, by actors of the kinds it allows, and its conditions met?"""
        for role in frame.requires:
            if role == "place" and not places or \
                    role != "place" and not arguments.actors.get(role) and role not in arguments.unnamed_people:
                return False
        if places and all(self.gazetteer.places[p].kind not in frame.place_kinds for p in places):
            return False
        for role, kinds in (("agent", frame.agent_kinds), ("affected", frame.affected_kinds)):
            if kinds and any(state.actors[a].cls not in kinds for a in arguments.actors.get(role, ())):
                return False
        if frame.cases and (token.head.i == token.i or token.head.lemma_.lower() in STATES or token.head.pos_ != "VERB"):
            return False
        if frame.support and not (token.dep_ in ("obj", "nsubj:pass") and token.head.lemma_.lower() in self.cues.support):
            return False
        if frame.object_kinds and not set(arguments.object_kinds) & set(frame.object_kinds):
            return False
        if frame.voice == "passive" and token.pos_ == "VERB" and not is_passive(token):
            return False
        return all(self._condition(name, token) for name in frame.when)

    def _condition(self, name: str, token: Token) -> bool:
        """Does the trigger's clause hold a word of the condition `name` (modality.toml [conditions])?"""
        words = self.cues.conditions.get(name, frozenset())
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubj:pass")] \
            if name == "civilians" and token.pos_ == "VERB" else []
        if subjects:
            # who flees is the subject: "the Afghan side", "Afghan forces" elsewhere in the clause are not
            near = {w for c in subjects for t in c.subtree for w in (t.lemma_.lower(), t.lower_)}
        else:
            near = {t.lemma_.lower() for t in token.subtree} | {t.lower_ for t in token.subtree}
            clause = token.head if token.dep_ in ("xcomp", "conj") else token
            near |= {t.lemma_.lower() for t in clause.children}
            if token.dep_ in ("obj", "nsubj:pass") and token.head.lemma_.lower() in self.cues.support:
                # "the Afghan Air Force carried out strikes": the support verb's subject does the act
                near |= {t.lower_ for c in token.head.children if c.dep_ == "nsubj" for t in c.subtree}
        if token.dep_ in ("acl:relcl", "acl"):
            near.add(token.head.lemma_.lower())  # "people who fled": the clause is about its head
        if name == "unopposed":
            negated = self.cues.conditions.get("unopposed_negated", frozenset())
            return bool(near & words) or any(t.lower_ in ("without", "no") and t.head.lemma_.lower() in negated
                                              for t in token.subtree)
        return bool(near & words)

    def _completed(self, state: DocState, record: EventRecord, token: Token, frames: list[Frame],
                   reader: ArgumentReader, told: list[tuple[int, int]] = ()) -> EventRecord:
        """`record` as its parse reads it: of the type of the first frame its arguments fit when no
        frame of its own type does ("captured a Taliban leader": an arrest, not a capture), with the
        place and the day its clause gives when the phrases found none ("detained two suspects
        during an operation in X province yesterday")."""
        if record.time is None or not record.time.date:
            # a noun of control takes its time from the verb it is the phrase of ("passed into the
            # hands of the Taliban shortly after midday today")
            time = reader.time(token, through_verb=any(f.cases is not None for f in frames if f.type == record.type))
            if time is not None and time.value.date:
                record = EventRecord(**{**record.__dict__, "time": time.value})
        if token.lemma_.lower() in self.cues.repelling and record.type not in VIOLENT_ACTS_REPELLED:
            # "the Taliban attack on the post was repelled": the attack is the event
            for noun in token.children:
                attack = next((f for f in self.lexicon.frames_for(noun) if f.type in VIOLENT_ACTS_REPELLED), None) \
                    if noun.dep_ in ("obj", "nsubj:pass") else None
                if attack is not None:
                    arguments = self._read(reader, noun, attack)
                    return EventRecord(**{**record.__dict__, "type": attack.type,
                                          "participants": self._participants(arguments) or record.participants})
        if record.type in CASUALTIES and (cause := self._cause(
                token, told, lambda t: state.begins[reader.anchors.parsed.article(t)[0]])) is not None:
            # "mortar fire killed five civilians", "a mortar round hit a house, killing five": the
            # violence that killed them, with the dead as its count
            return EventRecord(**{**record.__dict__, "type": cause.type})
        if not frames:
            return record
        fitting = None
        readings = {}  # frame type -> (arguments, places) of the first frame of that type, as read
        for frame in frames:
            arguments = self._read(reader, token, frame)
            places = [p.key for p in arguments.places if self.gazetteer.places[p.key].kind != "country"]
            readings.setdefault(frame.type, (frame, arguments, places))
            if self._fits(state, frame, arguments, places or list(record.places), token):
                fitting = (frame, arguments, places)
                break
        if fitting is None:
            # the phrases told the event; its parse may still say where, though not all of who
            # ("arrested a senior IMU leader in X district, Y province": a leader no tagger knows)
            # (only for acts of people: where the phrases left a capture or a casualty count without
            # a place, that was deliberate - "three districts in Ghor", "30 killed in several provinces")
            if record.type not in readings or record.places or record.type not in PLACE_FROM_TOPIC:
                return record
            own, arguments, places = readings[record.type]
            if arguments.unnamed_places:
                return record  # "captured three districts in Ghor province": not Ghor itself
            places = [p for p in places if self.gazetteer.places[p].kind in own.place_kinds]
            return EventRecord(**{**record.__dict__, "places": tuple(self.gazetteer.innermost(places))}) if places else record
        frame, arguments, places = fitting
        changes: dict = {}
        if record.type in VICTIM_COUNTS and frame.type in VICTIM_COUNTS and (dead := reader.victims(token, frame)) \
                and dead > dict(record.counts).get(COUNT_PROPERTY[record.type], 0):
            # "killed the Taliban leader, Alaudin": one dead, though no number is written; "killed
            # Fayez Jan and one additional insurgent": two, where the phrases saw only "one"
            changes["counts"] = tuple({**dict(record.counts), COUNT_PROPERTY[record.type]: dead}.items())
        if not related(frame.type, record.type):
            changes.update(type=frame.type, participants=self._participants(arguments) or record.participants)
        themes = list(dict.fromkeys(p.key for p in arguments.themes if p.key in places))
        if record.type in ONE_PLACE_PER_EVENT and len(record.places) == 1 and len(themes) == 1 and \
                record.places[0] not in places and not self._nested(record.places[0], themes[0]) and \
                self._describes(reader, record.places[0], themes[0]):
            # "Ghazni, 150 km south-west of Kabul on the highway to Kandahar, fell": the place the
            # clause says was taken (its subject or object), not the last one named before the verb
            changes["places"] = tuple(themes)
        elif not record.places and places and not (arguments.unnamed_places and record.type not in ONE_PLACE_PER_EVENT):
            # ("30 civilians were killed in several provinces, including 12 in Kandahar": the
            # places listed are the parts', not the whole's)
            changes["places"] = tuple(self.gazetteer.innermost(places))
        known = self._participants(arguments, keep=lambda a: state.actors[a].name or state.actors[a].cls not in (
            "Person", "Group") or state.actors[a].positions and state.actors[a].cls == "Person")
        if not record.participants and known:
            # ("district chief Mr X together with 23 police himself to the Taliban surrendered"): the
            # named, the office holders and the organisations the parse finds
            changes["participants"] = known
        return EventRecord(**{**record.__dict__, **changes}) if changes else record

    @staticmethod
    def _participants(arguments: Arguments, keep=lambda actor: True) -> tuple[Participant, ...]:
        """The actors the arguments name, each once, in the first role it fills."""
        found: list[Participant] = []
        for role, actors in arguments.actors.items():
            for actor in actors:
                if keep(actor) and all(p.actor != actor for p in found):
                    found.append(Participant(actor, ROLE_NAMES[role]))
        return tuple(found)

    # --- bookkeeping ----------------------------------------------------------------------------------
    @staticmethod
    def _token_of(state: DocState, parsed, record: EventRecord) -> Token | None:
        """The parsed token heading the trigger of `record` (a verb or noun of it)."""
        first = state.token_at(record.trigger.begin)
        end = max(state.token_at(record.trigger.end), first + 1)
        heads = parsed.heads(first, end) or parsed.covering(first, end)[:1]
        return next((t for t in heads if t.pos_ in ("VERB", "NOUN", "PROPN")), heads[0] if heads else None)

    def _nested(self, a: str, b: str) -> bool:
        """Is one place the other or inside it (a city and its province)?"""
        if a == b:
            return True
        province_a, province_b = self.gazetteer.province_of(a), self.gazetteer.province_of(b)
        return province_a is not None and province_a.key == b or province_b is not None and province_b.key == a

    @staticmethod
    def _overlap(event: EventRecord, other: EventRecord) -> bool:
        """Do the two share trigger words? (the phrases' reading of a word stands: "people have fled
        Kunduz" is a displacement, not also a withdrawal)"""
        return event.trigger.begin < other.trigger.end and other.trigger.begin < event.trigger.end

    def _same(self, event: EventRecord, other: EventRecord) -> bool:
        """Does `other` already tell `event`: a related type, and the same place or no place to tell
        them apart, and the trigger words overlap or the type is the same?"""
        if not related(event.type, other.type):
            return False
        if any(self._nested(a, b) for a in event.places for b in other.places):
            return True
        overlap = self._overlap(event, other)
        if event.type in ONE_PLACE_PER_EVENT and other.type in ONE_PLACE_PER_EVENT:
            return bool(set(event.places) & set(other.places)) or not event.places or not other.places and overlap
        return overlap or event.type == other.type and (
            not event.places or not other.places or bool(set(event.places) & set(other.places)))
