"""The per-document working state that pipeline components read and extend (doc._.kg)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from kg.extraction.records import ActorRef, EventRecord, Position, TimeValue


@dataclass
class PlaceHit:
    start: int  # token indices, end exclusive
    end: int
    key: str
    confidence: float
    rejected: tuple[str, ...] = ()
    anaphoric: bool = False
    descriptor: bool = False  # an attribute, not an argument: "Aybak, capital of Samangan", "governor of Samangan"
    head: int | None = None  # token start of the place this one describes, for appositions


@dataclass
class ActorHit:
    start: int
    end: int
    actor: int
    covers_end: int = -1  # end of the apposition folded into this mention, if any
    confidence: float = 1.0


@dataclass
class TimeHit:
    start: int
    end: int
    value: TimeValue
    forward: bool = False  # "a day after <event>": dates the event named after it, not the one before


@dataclass
class Attribution:
    verb: int  # token index of the reporting verb, or of the first word of a prefix ("according to")
    speaker: int | None  # actor local id
    claimed: bool
    prefix: bool = False  # "according to X, ...": the reported clause is not cut at the prefix


class Sentence(NamedTuple):
    start: int  # token indices, end exclusive
    end: int


@dataclass
class DocState:
    published: dt.date | None
    text: str = ""  # the article text (spaCy rebuilds doc.text on every access)
    lower: list[str] = field(default_factory=list)  # lower-cased token texts, computed once per document
    texts: list[str] = field(default_factory=list)  # token texts as written
    begins: list[int] = field(default_factory=list)  # character offset of each token
    ends: list[int] = field(default_factory=list)  # character offset just after each token
    _sentences: list[Sentence] | None = None
    _sentence_starts: list[int] = field(default_factory=list)  # for `sentence_number`
    places: list[PlaceHit] = field(default_factory=list)
    actors: dict[int, ActorRef] = field(default_factory=dict)
    actor_hits: list[ActorHit] = field(default_factory=list)
    times: list[TimeHit] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    denied: list[EventRecord] = field(default_factory=list)  # negated or denied events: claims, never facts
    described: list[EventRecord] = field(default_factory=list)  # "seized a new provincial capital": named later
    dropped: list[str] = field(default_factory=list)
    occupied: set[int] = field(default_factory=set)  # tokens already part of a place or actor mention
    actor_tokens: frozenset[int] | None = None  # tokens of actor mentions and their appositions, once known
    excluded: set[int] = field(default_factory=set)  # tokens of insertions (relative clauses) outside any argument
    person_keys: dict[str, int] = field(default_factory=dict)  # person key -> actor local id
    title_holders: dict[int, int] = field(default_factory=dict)  # end of a title in apposition -> its holder
    _starts: dict[str, list[int]] = field(default_factory=dict)  # for `within`
    parses: dict = field(default_factory=dict)  # sentence number -> ParsedSentence (kg_syntax), for sentences that may tell an event

    def freeze_mentions(self) -> None:
        """Sort the place, actor and time mentions by position; `within` reads them from then on."""
        for name in ("places", "actor_hits", "times"):
            getattr(self, name).sort(key=lambda h: h.start)
            self._starts[name] = [h.start for h in getattr(self, name)]

    def within(self, name: str, left: int, right: int) -> list:
        """The mentions of the list `name` ("places", "actor_hits", "times") starting in [left, right),
        by bisection: components after `freeze_mentions` ask this for every trigger."""
        starts = self._starts[name]
        return getattr(self, name)[bisect_left(starts, left):bisect_left(starts, right)]

    def sentences(self, doc) -> list[Sentence]:
        """Sentence bounds, read once the sentence components have run."""
        if self._sentences is None:
            self._sentences = [Sentence(s.start, s.end) for s in doc.sents]
        return self._sentences

    def token_at(self, char: int) -> int:
        """The token starting at character offset `char` (or the first one after it)."""
        return bisect_left(self.begins, char)

    def sentence_number(self, token: int) -> int:
        """The number of the sentence holding token `token`, once the sentences are read."""
        if len(self._sentence_starts) != len(self._sentences):
            self._sentence_starts = [s.start for s in self._sentences]
        return bisect_right(self._sentence_starts, token) - 1

    def sentence_of(self, event: EventRecord) -> int:
        """The number of the sentence holding `event`'s trigger, once the sentences are read."""
        return self.sentence_number(self.token_at(event.trigger.begin))

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens [start, end)."""
        return self.begins[start], self.ends[end - 1]

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens [start, end), as `doc[start:end].text` but without creating a Span."""
        return self.text[self.begins[start]:self.ends[end - 1]] if end > start else ""

    def new_actor(self, **fields) -> ActorRef:
        actor = ActorRef(local_id=len(self.actors) + 1, **fields)
        self.actors[actor.local_id] = actor
        return actor

    def add_positions(self, actor_id: int, positions: tuple[Position, ...]) -> None:
        actor = self.actors[actor_id]
        merged = actor.positions + tuple(p for p in positions if p not in actor.positions)
        self.actors[actor_id] = ActorRef(**{**actor.__dict__, "positions": merged})
