"""A trigger's arguments from its dependents: which actor, place and time each grammatical relation
names, as its frame says.

- subject and object (the passive's subject takes the object's role, its "by" phrase the subject's);
  a verb without a subject of its own takes the one it shares: a conjoined verb's ("fled or
  surrendered"), the controller of an infinitive ("forced the soldiers to surrender"), the noun a
  relative or participle clause modifies ("the commander who surrendered", "the city captured by");
- phrases with a preposition, by the frame's table ("to the Taliban") or as places ("in Herat");
- for a noun trigger: its "of" phrase and possessor ("the fall of Kunduz"), the words before it ("a
  Taliban attack"), who holds what it names ("under Taliban control"), and the subject of the verb
  whose object it is when that verb does it ("the Taliban took control of ...");
- coordination distributes: "Zaranj, Sheberghan and Taloqan" are three places, "X and Y" two people;
- an actor or place inside a noun phrase (its compounds, "of" phrases, appositions) is the phrase's.
Times come from the trigger's own clause: the verb's and noun's phrases, not another clause's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.extraction import lexicon as lexicon_module
from kg.extraction.numbers import parse_number
from kg.extraction.cues import Cues
from kg.extraction.frames import REFLEXIVES, Frame
from kg.extraction.state import ActorHit, DocState, PlaceHit, TimeHit
from kg.extraction.syntax import ParsedSentence

# Relations that stay inside a noun phrase: the phrase's actor or place may sit in any of them.
INSIDE_PHRASE = {"compound", "flat", "flat:name", "flat:foreign", "appos", "nmod", "nmod:poss", "list", "nmod:desc",
                 "nmod:unmarked", "amod", "nummod", "det:poss", "dep"}
COORDINATED = {"conj", "appos", "list"}
OBLIQUES = {"obl", "obl:agent", "nmod", "obl:npmod", "obl:unmarked", "nmod:unmarked", "advmod", "obl:tmod",
            "nmod:tmod", "obl:lmod"}
# Relations that start another clause: times and places there are that clause's.
CLAUSES = {"ccomp", "xcomp", "advcl", "acl", "acl:relcl", "parataxis", "csubj", "csubj:pass", "conj"}
TIME_PATH = OBLIQUES | {"compound", "flat", "appos", "nummod", "amod", "case", "det", "fixed", "nmod:poss", "list",
                        "nmod:desc"}
PLACE_SET_NOUNS = {"capital": "city", "city": "city", "town": "city", "district": "district", "province": "province"}
SINGLE_PRONOUNS = frozenset({"him", "her", "he", "she"})
# pronouns that stand for people nobody named in the clause, as those an act is done to or who give
# themselves up ("he handed the city to the Taliban"; not "as he left his home")
PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them", "we", "i"})
SINGLE_DETERMINERS = frozenset({"a", "an", "the", "one", "this", "that"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
PASSIVE_MARKS = {"nsubj:pass", "aux:pass", "obl:agent"}
DESTINATIONS = {"to", "toward", "towards", "into", "for"}
# a clause opened by one of these has a time of its own, even when the parser hangs the word elsewhere
TEMPORAL_SUBORDINATORS = frozenset({"after", "before", "since", "until", "till", "when", "while", "as", "once",
                                    "following", "because", "if", "unless", "although", "though"})


class Anchors:
    """The taggers' mentions in one parsed sentence, each anchored at the token that heads it."""

    def __init__(self, state: DocState, parsed: ParsedSentence, start: int, end: int):
        self.parsed = parsed
        self.actors: dict[int, list[ActorHit]] = {}
        self.places: dict[int, list[PlaceHit]] = {}
        self.times: dict[int, list[TimeHit]] = {}
        for name, table in (("actor_hits", self.actors), ("places", self.places), ("times", self.times)):
            for hit in state.within(name, start, end):
                head = self.head(hit.start, hit.end)
                if head is not None:
                    table.setdefault(head.i, []).append(hit)

    def head(self, start: int, end: int) -> Token | None:
        """The token heading article tokens [start, end): the one whose head lies outside them."""
        heads = self.parsed.heads(start, end)
        tokens = heads or self.parsed.covering(start, end)
        return heads[0] if heads else tokens[-1] if tokens else None


@dataclass
class Arguments:
    """What the dependents of one trigger name, by role."""
    actors: dict[str, list[int]] = field(default_factory=dict)  # role -> actor ids, in text order
    places: list[PlaceHit] = field(default_factory=list)  # in order of preference
    themes: list[PlaceHit] = field(default_factory=list)  # places the act is done to: the object, "into X"
    time: TimeHit | None = None
    count: int | None = None
    object_kinds: list[str] = field(default_factory=list)
    unnamed_places: bool = False  # "captured three districts in the province": places not named
    unnamed_people: set[str] = field(default_factory=set)  # roles filled by people nobody named ("two suspects")

    def add(self, role: str, actor: int) -> None:
        if role in ("agent", "affected", "surrendered_to") and actor not in self.actors.setdefault(role, []):
            self.actors[role].append(actor)

    def add_places(self, hits) -> None:
        """Add the places of `hits` not already among the arguments' places, in order."""
        for hit in hits:
            if all(hit.key != known.key for known in self.places):
                self.places.append(hit)


def people_nouns(cues: Cues) -> frozenset[str]:
    """The nouns that name people: the cues' own and the heads of the offices in actors.toml
    ("police chief" -> "chief")."""
    return cues.people | {title.split()[-1].lower() for title in lexicon_module.default().titles}


def case_of(token: Token) -> str:
    """The preposition of a phrase: "to" for "to the Taliban", "according to", "along with"."""
    words = [c for c in token.children if c.dep_ in ("case", "mark") and c.i < token.i]
    if not words:
        return ""
    first = words[0]
    fixed = [g.lower_ for g in first.children if g.dep_ == "fixed"]
    return " ".join([first.lower_, *fixed]) if fixed else " ".join(w.lower_ for w in words)


def conjuncts(token: Token) -> list[Token]:
    """`token` and the words coordinated with it ("Zaranj, Sheberghan and Taloqan")."""
    found, stack = [], [token]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(c for c in current.children if c.dep_ == "conj")
    return sorted(found, key=lambda t: t.i)


def phrase_levels(token: Token, depth: int = 3) -> Iterator[list[Token]]:
    """The tokens of `token`'s noun phrase, level by level (the head first), not entering clauses."""
    level = [token]
    for _ in range(depth + 1):
        if not level:
            return
        yield level
        # (a name in apposition the parser made an adverb: "The police chief, Mohammad Yasin Hakimi, gave up")
        level = [c for t in level for c in t.children if c.dep_ in INSIDE_PHRASE or c.dep_ == "advmod" and c.text[:1].isupper()]


def is_passive(trigger: Token) -> bool:
    if any(c.dep_ in PASSIVE_MARKS for c in trigger.children):
        return True
    # a reduced relative: "the city captured by the Taliban", "soldiers killed in the attack"
    return trigger.dep_ in ("acl", "amod") and "Part" in trigger.morph.get("VerbForm") and \
        "Past" in trigger.morph.get("Tense")


class ArgumentReader:
    def __init__(self, state: DocState, anchors: Anchors, cues: Cues, gazetteer, triggers: set[int],
                 people: frozenset[str] = frozenset()):
        self.state, self.anchors, self.cues, self.gazetteer = state, anchors, cues, gazetteer
        self.triggers = triggers  # doc token indices of every trigger in the sentence
        self.people = people  # head nouns that name people: `people_nouns(cues)`, computed once by the caller

    # --- mentions inside a phrase -----------------------------------------------------------------
    def actors_in(self, token: Token) -> list[int]:
        """The actors a noun phrase names: those headed nearest its head, for it and each conjunct."""
        found = []
        for conjunct in conjuncts(token):
            for level in phrase_levels(conjunct, depth=2):
                hits = [h for t in level for h in self.anchors.actors.get(t.i, ())]
                if hits:
                    found.extend(h.actor for h in sorted(hits, key=lambda h: h.start))
                    break
        return list(dict.fromkeys(found))

    def places_in(self, token: Token, kinds) -> list[PlaceHit]:
        """The places a noun phrase names, for it and each item listed with it; "the capital of
        Kunduz province" names the city."""
        found, listed = [], []
        for conjunct in conjuncts(token):
            for level in phrase_levels(conjunct, depth=3):
                hits = []
                for t in level:
                    for hit in self.anchors.places.get(t.i, ()):
                        if hit.descriptor and t.i != conjunct.i:
                            # "Aybak, capital of Samangan": describes Aybak; when the parser made the
                            # apposition the argument ("Aybak" left dangling), the place it describes
                            described = self._described(conjunct, hit)
                            if described is not None:
                                hits.append(described)
                            continue
                        hits.append(self._capital(t, hit) or hit)
                    if self.anchors.places.get(t.i):
                        # "Kunduz, Zaranj and Taloqan": places listed with this one (not a phrase the
                        # parser hung off a noun without one: "an operation in X district, Y province")
                        hits.extend(h for c in t.children if c.dep_ in COORDINATED
                                    for h in self.anchors.places.get(c.i, ()) if not h.descriptor)
                    else:
                        # "in Marjeh district, Helmand province": a district the gazetteer lacks, and
                        # the province the parser listed with it or with a word above it (when the
                        # phrase names no other place)
                        listed.extend(h for c in t.children if c.dep_ in COORDINATED
                                      for h in self.anchors.places.get(c.i, ()) if not h.descriptor)
                    if t.i != conjunct.i and t.dep_ in ("appos", "list") and self.anchors.places.get(t.i):
                        # "three capitals, Kunduz in the north and Zaranj in the west": the listed ones
                        hits.extend(h for c in conjuncts(t)[1:] for h in self.anchors.places.get(c.i, ()) if not h.descriptor)
                hits = [h for h in hits if self.gazetteer.places[h.key].kind in kinds]
                if hits:
                    found.extend(hits)
                    break
        found = found or [h for h in listed if self.gazetteer.places[h.key].kind in kinds]
        unique = []
        for hit in found:
            if all(h.key != hit.key for h in unique):
                unique.append(hit)
        return unique

    def _described(self, noun: Token, descriptor: PlaceHit) -> PlaceHit | None:
        """The place an apposition ("X, the capital of Y") describes, when `noun` heads the apposition
        itself ("capital", "city", "centre") and X has no place in the tree of its own."""
        if descriptor.head is None or noun.lemma_.lower() not in PLACE_SET_NOUNS.keys() | {"centre", "center"}:
            return None
        if self.anchors.places.get(noun.i):
            return None
        return next((p for p in self.state.places if p.start == descriptor.head and not p.descriptor), None)

    def _capital(self, token: Token, hit: PlaceHit) -> PlaceHit | None:
        """"the capital of Kunduz province": Kunduz city, when the province hangs off "capital"."""
        if self.gazetteer.places[hit.key].kind != "province":
            return None
        above = token.head
        while above.dep_ in ("nmod", "compound", "appos") and above.head.i != above.i and above.lemma_ != "capital":
            above = above.head
        if above.lemma_.lower() != "capital" or token.dep_ not in ("nmod", "compound"):
            return None
        capital = self.gazetteer.capital_of(hit.key)
        return PlaceHit(hit.start, hit.end, capital.key, hit.confidence) if capital else None

    def listed_places(self, clause: Token, counted: Token) -> list[PlaceHit]:
        """The places of the counted kind named after a counted set in its clause ("took three more
        capitals, Kunduz in the north and Zaranj in the west"); not those that only locate the set
        ("three districts in the province")."""
        kind = PLACE_SET_NOUNS[counted.lemma_.lower()]
        inside = [t for t in clause.subtree if t.i > counted.i and not self._in_other_clause(t, clause)]
        return [h for t in inside for h in self.anchors.places.get(t.i, ())
                if not h.descriptor and self.gazetteer.places[h.key].kind == kind]

    @staticmethod
    def _in_other_clause(token: Token, clause: Token) -> bool:
        while token.i != clause.i and token.head.i != token.i:
            if token.dep_ in CLAUSES - {"conj"}:
                return True
            token = token.head
        return False

    def place_set(self, token: Token) -> bool:
        """Is `token` a counted set of places ("three districts", "two more provincial capitals")?"""
        return token.lemma_.lower() in PLACE_SET_NOUNS and "Plur" in token.morph.get("Number") and any(
            c.dep_ in ("nummod", "amod", "det") and (c.pos_ == "NUM" or c.lower_ in ("several", "many", "more", "other", "some"))
            for c in token.children)

    # --- slots --------------------------------------------------------------------------------------
    def slots(self, trigger: Token, frame: Frame) -> list[tuple[str, Token, str]]:
        """(role, token, how) for each dependent that fills a role of `frame`."""
        passive = frame.pos == "VERB" and is_passive(trigger)
        particles = {w for words in frame.extras for w in words}
        found: list[tuple[str, Token, str]] = []
        subject_seen = False
        for child in trigger.children:
            dep = child.dep_
            if dep in ("nsubj", "nsubj:pass", "obj") and child.lower_ in RELATIVE_PRONOUNS:
                child = self._antecedent(trigger, child)
            if dep == "nsubj" and frame.pos == "VERB":
                found.append((frame.subject, child, "subject"))
                subject_seen = True
            elif dep == "nsubj:pass":
                found.append((frame.object, child, "object"))
                subject_seen = True
            elif dep in ("obj", "iobj") and frame.pos == "VERB":
                if child.lower_ not in REFLEXIVES and child.lemma_.lower() not in particles:
                    found.append((frame.object, child, "object"))
                elif child.lemma_.lower() in particles:
                    # the object is part of the trigger ("raised their flag over the compound"): its
                    # phrases are the verb's
                    for phrase in child.children:
                        if phrase.dep_ == "nmod" and case_of(phrase):
                            found.extend(self._oblique(phrase, frame, passive, particles))
            elif dep in OBLIQUES or dep == "obl:agent":
                found.extend(self._oblique(child, frame, passive, particles))
            elif dep in ("nmod:poss", "det:poss") and frame.pos == "NOUN":
                found.append((frame.prepositions.get("of", "none"), child, "of"))
            elif dep in ("compound", "amod") and frame.pos == "NOUN":
                role = frame.holder if frame.holder != "none" else frame.modifier
                found.append((role, child, "modifier"))
        if frame.pos == "VERB" and not subject_seen:
            shared = self._shared_subject(trigger)
            if shared is not None:
                token, how = shared
                found.append((frame.object if how == "theme" else frame.subject, token, "subject"))
        if frame.pos == "NOUN":
            found.extend(self._noun_context(trigger, frame))
        return [(role, token, how) for role, token, how in found if role != "none"]

    def _oblique(self, child: Token, frame: Frame, passive: bool, particles: set[str]) -> list[tuple[str, Token, str]]:
        preposition = case_of(child)
        if child.dep_ == "obl:agent" or passive and preposition == "by":
            role = frame.prepositions.get("by", frame.subject)
        elif preposition in frame.prepositions:
            role = frame.prepositions[preposition]
        elif preposition and preposition.split()[0] in particles:
            # "handed over the city": the particle read as a preposition; "drove the Taliban out of
            # Andarab": the particle opens the phrase of the place
            role = frame.object if preposition in particles else frame.prepositions.get(preposition.split()[-1], frame.object)
        elif frame.pos == "NOUN" and frame.holder != "none" and preposition == "of":
            role = frame.holder  # "in the hands of the Taliban"
        elif preposition in self.cues.locative or preposition in self.cues.scene or \
                not preposition and child.dep_ in ("obl:npmod", "nmod:unmarked"):
            role = "place"
        else:
            role = "none"
        # ("North of the capital, ...": a phrase with no preposition of its own is a description)
        return [(role, child, preposition or child.dep_)] + (self._misattached(child, frame, preposition) if preposition else [])

    @staticmethod
    def _misattached(noun: Token, frame: Frame, own: str = "") -> list[tuple[str, Token, str]]:
        """Phrases attached to the noun of a verb's phrase, by an easy parsing mistake ("arrived in
        Maymana city [from Almar district]"): their role is the verb's, when the frame gives their
        preposition one."""
        found = []
        for phrase in noun.children:
            preposition = case_of(phrase) if phrase.dep_ == "nmod" else ""
            if preposition and preposition != own and frame.prepositions.get(preposition, "none") != "none":
                found.append((frame.prepositions[preposition], phrase, preposition))
        return found

    def _antecedent(self, clause: Token, pronoun: Token) -> Token:
        """What a relative pronoun stands for: the name right before it ("Abdul Rahman, who surrendered")
        when one is there, however the parser hung the clause; else the noun the clause modifies."""
        before = pronoun.i - 1
        while before >= 0 and pronoun.doc[before].is_punct:
            before -= 1
        if before >= 0 and (self.anchors.actors.get(before) or pronoun.lower_ != "who" and self.anchors.places.get(before)):
            return pronoun.doc[before]  # ("In Sheberghan, which the Taliban took": the place)
        return clause.head if clause.dep_ == "acl:relcl" else pronoun

    def _shared_subject(self, trigger: Token) -> tuple[Token, str] | None:
        """The subject a verb without one of its own shares, and whether it is the agent ("subject")
        or the one the verb is done to ("theme": "the city captured by ...")."""
        head = trigger.head
        if trigger.dep_ == "conj" and head.i != trigger.i:
            subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
            if subject is not None:
                return subject, "subject" if subject.dep_ == "nsubj" or is_passive(trigger) else "subject"
            return self._shared_subject(head) if head.dep_ == "conj" else None
        if trigger.dep_ == "xcomp":
            # "forced the soldiers to surrender": the object; "agreed to surrender": the subject
            controller = next((c for c in head.children if c.dep_ == "obj"), None) or \
                next((c for c in head.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
            if controller is None and head.dep_ in ("conj", "xcomp"):
                return self._shared_subject(head)
            return (controller, "subject") if controller is not None else None
        if trigger.dep_ == "acl:relcl":
            return head, "theme" if is_passive(trigger) else "subject"
        if trigger.dep_ in ("acl", "amod"):
            return head, "theme" if is_passive(trigger) else "subject"
        if trigger.dep_ == "advcl" and "Ger" in trigger.morph.get("VerbForm") or (
                trigger.dep_ == "advcl" and "Part" in trigger.morph.get("VerbForm") and "Pres" in trigger.morph.get("Tense")):
            # "..., killing two policemen": the main clause's subject did it
            subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
            return (subject, "subject") if subject is not None else None
        return None

    def _noun_context(self, noun: Token, frame: Frame) -> list[tuple[str, Token, str]]:
        """The arguments a noun trigger takes from the verb around it: the subject of a verb doing it
        ("the Taliban took control of"), the clause subject of a noun after its preposition ("the city
        came under Taliban control"), and the verb's own places and role phrases."""
        head = noun.head
        if head.i == noun.i:
            # a copular predicate: "Kunduz is under Taliban control" heads its own clause
            subject = next((c for c in noun.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
            return [(frame.subject, subject, "subject")] if subject is not None and frame.cases else []
        found = []
        preposition = case_of(noun)
        if frame.cases and preposition in frame.cases:
            subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubj:pass")), None) or \
                next((c for c in noun.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
            if subject is not None:
                found.append((frame.subject, subject, "subject"))
        elif noun.dep_ in ("obj", "nsubj:pass") and head.lemma_.lower() in self.cues.support:
            subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if subject is not None and noun.dep_ == "obj":
                found.append((frame.subject, subject, "subject"))
        else:
            return found
        for child in head.children:
            if child.i != noun.i and child.dep_ in OBLIQUES:
                found.extend((role, token, how) for role, token, how in self._oblique(child, frame, False, set())
                             if role != frame.subject or how not in ("", "by"))
        return found

    # --- reading ------------------------------------------------------------------------------------
    def read(self, trigger: Token, frame: Frame) -> Arguments:
        arguments = Arguments()
        kinds = frame.place_kinds
        particles = {w for words in frame.extras for w in words}  # "moved into the city": the particle's phrase
        targets = []  # the phrases of whom the act is done to
        for role, token, how in self.slots(trigger, frame):
            if how == "object" and role in ("affected", "agent"):
                targets.append(token)
            if role == "place":
                if how in DESTINATIONS and frame.prepositions.get(how) != "place" and how not in particles:
                    continue  # ("swept into Sar-e Pol": the particle's phrase is the place taken)
                if self.place_set(token):
                    arguments.unnamed_places = True  # "three districts": named, if at all, in apposition
                    listed = self.listed_places(trigger, token)
                    arguments.add_places(listed)
                    arguments.themes.extend(listed)
                    continue  # "three districts in Ghor province": Ghor only locates the set
                places = self.places_in(token, kinds)
                if places:
                    arguments.add_places(places)
                    # a place the frame names by its relation is the act's; one from a locative
                    # phrase ("fighting took place near Herat") only locates it
                    if how in ("object", "subject", "of") or frame.prepositions.get(how) == "place" or \
                            how.split()[:1] and how.split()[0] in particles:
                        arguments.themes.extend(places)
                continue
            actors = self.actors_in(token)
            for actor in actors:
                arguments.add(role, actor)
            if not actors and role in ("agent", "affected") and how in ("subject", "object", "by") \
                    and (token.lemma_.lower() in self.people or role == "affected" and token.lower_ in PERSONAL_PRONOUNS):
                arguments.unnamed_people.add(role)
            if how == "object" and actors:
                arguments.object_kinds.extend(self.state.actors[a].cls for a in actors)
            if role == "affected" and arguments.count is None:
                arguments.count = self.count(token)
            if not actors and (role in ("affected", "agent") and how in ("subject", "object")
                               or role == "affected" and trigger.pos_ == "VERB" and how not in ("", "by", "subject", "object")):
                # "the city surrendered", "Kunduz fell", "struck a checkpoint on the outskirts of
                # Mazar-i-Sharif": a place where an actor was expected
                places = self.places_in(token, kinds)
                if places and role == "affected":
                    arguments.places.extend(places)
                    arguments.themes.extend(places)
        if not arguments.places:
            # "struck an army checkpoint in Dihdadi district", "attacked the compound of the UN mission
            # in Herat": where what it was done to stood
            # (a name, not "the city": deep in a description an anaphor is a weak guess)
            for target in targets:
                arguments.add_places(p for p in self.places_in(target, kinds) if not p.anaphoric)
        if not arguments.places:
            # "shot dead as he left his home in western Kabul", "killed when a bomb exploded in
            # Kabul's Khair Khana area": a clause at the same time says where
            for clause in trigger.children:
                if clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in self.cues.simultaneous
                                                  for c in clause.children):
                    for t in clause.subtree:
                        if case_of(t) in self.cues.locative:
                            arguments.add_places(self.places_in(t, kinds))
        if not arguments.places:
            # "killed a leader and detained two others during an operation in X": where the later
            # verb sharing the subject happened, the first did
            for later in self._sharing(trigger):
                for child in later.children:
                    preposition = case_of(child)
                    if child.i > later.i and child.dep_ in OBLIQUES and (
                            preposition in self.cues.locative or preposition in self.cues.scene):
                        arguments.add_places(self.places_in(child, kinds))
        arguments.time = self.time(trigger, through_verb=frame.cases is not None)
        return arguments

    def victims(self, trigger: Token, frame: Frame) -> int | None:
        """How many people the text says a killing or an injury was done to, counting each one it
        names singly: "an insurgent", "the Taliban leader, Alaudin", "him", "Fayez Jan and one
        additional insurgent" (2). None when any of them is uncounted ("several insurgents")."""
        total = None
        for role, token, how in self.slots(trigger, frame):
            if role != "affected" or how not in ("object", "subject"):
                continue
            for person in conjuncts(token):
                if person.i != token.i and any(c.dep_ in ("amod", "acl") and c.lower_.endswith("ed")
                                               and c.lemma_.lower() != trigger.lemma_.lower() for c in person.children):
                    continue  # "killed 31 fighters and wounded 17", "wounded" parsed as describing "17"
                number = self.count(person)
                if number is None and (person.lower_ in SINGLE_PRONOUNS or self.anchors.actors.get(person.i) and all(
                        self.state.actors[h.actor].cls == "Person" for h in self.anchors.actors[person.i])
                        or "Sing" in person.morph.get("Number") and person.pos_ == "NOUN"
                        and any(c.dep_ == "det" and c.lower_ in SINGLE_DETERMINERS for c in person.children)):
                    number = 1
                if number is None:
                    return None
                total = (total or 0) + number
            break
        return total

    def count(self, token: Token) -> int | None:
        """The number a phrase gives ("27 civilians", "at least 10", "dozens of soldiers")."""
        if token.pos_ == "NUM" or token.like_num:
            return parse_number(token.text)
        for child in token.children:
            if child.dep_ == "nummod" and (value := parse_number(child.text)) is not None:
                return value
        if (value := parse_number(token.text)) is not None:
            return value
        return None

    def time(self, trigger: Token, through_verb: bool = False) -> TimeHit | None:
        """The first time expression in the trigger's own clause: among its phrases, nearest first;
        for a noun, also the verb that does it ("carried out an airstrike on Monday"); else the time
        of the clause it depends on ("targeted two leaders, detaining one, ... yesterday"), but not
        across a report ("said on Monday that ...") or a clause of another time ("after ...")."""
        found = self._times_below(trigger)
        if found:
            return found[0]
        for later in self._sharing(trigger):
            # "killed an insurgent leader and detained several others during an operation ... Sunday":
            # the phrases after the last of verbs sharing a subject are all of theirs
            found = [t for t in self._times_below(later) if t.start > later.i]
            if found:
                return found[0]
        current = trigger
        for _ in range(2):
            if current.dep_ not in ("advcl", "conj", "xcomp") or current.head.i == current.i:
                break
            head = current.head
            between = current.doc[min(head.i, current.left_edge.i) + 1:max(head.i, current.i)]
            if any(c.dep_ == "mark" and c.lower_ not in ("to",) for c in current.children) or \
                    any(t.lower_ in TEMPORAL_SUBORDINATORS for t in between):
                break  # "after seizing ...", "when ...": a time of its own, however it is parsed
            if head.lemma_.lower() in self.cues.reporting_verbs:
                break
            found = [t for t in self._times_below(head, skip=current)]
            if found:
                return found[0]
            current = head
        if trigger.pos_ in ("NOUN", "PROPN") and trigger.head.i != trigger.i and (
                trigger.dep_ in ("obj", "nsubj", "nsubj:pass") and trigger.head.lemma_.lower() in self.cues.support
                or through_verb and trigger.dep_ in ("obl", "nmod")  # "passed into Taliban control on Friday"
                and case_of(trigger) not in TEMPORAL_SUBORDINATORS):  # (not "fell on Friday after a siege")
            found = self._times_below(trigger.head, skip=trigger)
            if found:
                return found[0]
        # the parser hung the time on a phrase of the clause ("took control of Lashkar Gah this afternoon"
        # with "afternoon" under "Lashkar Gah"): any time of the clause itself still dates it
        found = self._clause_times(trigger)
        return found[0] if found else None

    def _clause_times(self, trigger: Token) -> list[TimeHit]:
        """Times anywhere in the trigger's own clause, outside other clauses and other events' phrases."""
        if trigger.pos_ not in ("VERB", "AUX") and trigger.dep_ != "ROOT":
            # a noun inside another verb's phrase ("launched an offensive in May with the withdrawal
            # of ...") is not done at that verb's time
            return []
        found, level = [], [trigger]
        while level:
            for token in level:
                found.extend(self._times_at(token))
            level = [c for t in level for c in t.children
                     if c.dep_ not in CLAUSES and c.dep_ not in ("mark", "parataxis")
                     # another event's phrase has its own time, but not the noun a light verb takes
                     # ("took control ... this afternoon")
                     and not (c.i in self.triggers and c.i != trigger.i and c.pos_ in ("NOUN", "VERB")
                              and not (t.i == trigger.i and c.dep_ in ("obj", "nsubj:pass"))
                              and not any(g.dep_ == "case" and g.lower_ == "without" for g in c.children))
                     and not any(g.lower_ in TEMPORAL_SUBORDINATORS for g in c.children if g.dep_ in ("case", "mark"))]
        return sorted(found, key=lambda h: h.start)

    @staticmethod
    def _sharing(trigger: Token) -> list[Token]:
        """Verbs coordinated after `trigger` with no subject of their own (they share its subject)."""
        if trigger.pos_ != "VERB":
            return []
        return [c for c in trigger.children if c.dep_ == "conj" and c.pos_ == "VERB" and c.i > trigger.i
                and not any(g.dep_ in ("nsubj", "nsubj:pass") for g in c.children)]

    def _times_at(self, token: Token) -> list[TimeHit]:
        """The times anchored at `token`; a day after publication is a deadline or a plan, never the
        day of a reported event."""
        published = self.state.published.isoformat() if self.state.published else None
        return [h for h in self.anchors.times.get(token.i, ())
                if published is None or h.value.date is None or h.value.date <= published]

    def _times_below(self, top: Token, skip: Token | None = None) -> list[TimeHit]:
        found, level = [], [top]
        while level:
            for token in level:
                found.extend(self._times_at(token))
            if found:
                # a day before a word that only orders events ("shortly after midday today")
                return sorted(found, key=lambda h: (h.value.date is None, h.start))
            level = [c for t in level for c in t.children if (skip is None or c.i != skip.i) and (
                c.dep_ in TIME_PATH and (c.i not in self.triggers or c.pos_ not in ("NOUN", "VERB"))
                or c.dep_ == "advcl" and (c.left_edge.lower_ in self.cues.simultaneous
                                          or c.lemma_.lower() in self.cues.times_of_day))]
        return found
