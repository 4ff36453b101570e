"""What extraction produces: frozen records, free of RDF and of any store.

Offsets are Python string offsets (code points) into the article text, end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TextSpan:
    begin: int
    end: int
    text: str


@dataclass(frozen=True)
class PlaceMention:
    span: TextSpan
    place_key: str  # gazetteer key, e.g. "city/aybak"
    confidence: float
    rejected: tuple[str, ...] = ()  # other candidates the linker ruled out
    anaphoric: bool = False  # "the provincial capital", "the province": resolved from context


@dataclass(frozen=True)
class Position:
    title: str  # normalised, lower case: "deputy governor"
    place_key: str | None = None
    organisation_key: str | None = None
    former: bool = False


@dataclass(frozen=True)
class ActorRef:
    """An actor as this article knows it.

    `key` is a gazetteer key ("actor/taliban", "person/ashraf-ghani"), a person key minted from the
    name ("person/asif-azimi"), or None for an unnamed actor local to the article.
    """

    local_id: int  # unique within the article
    cls: str  # Person | Group | Organisation | ArmedGroup | GovernmentBody | MediaOutlet
    label: str
    name: str | None = None
    key: str | None = None
    positions: tuple[Position, ...] = ()
    size: int | None = None  # for groups: "about 250 militia soldiers"


@dataclass(frozen=True)
class ActorMention:
    span: TextSpan
    actor: int  # ActorRef.local_id
    confidence: float = 1.0


@dataclass(frozen=True)
class TimeValue:
    expression: str
    date: str | None  # ISO date when resolved
    precision: str  # DayPrecision | MonthPrecision | YearPrecision | UnknownPrecision


@dataclass(frozen=True)
class Participant:
    actor: int  # ActorRef.local_id
    role: str  # AgentRole | AffectedRole | SurrenderedToRole | SpeakerRole


@dataclass(frozen=True)
class EventMention:
    """One sentence that states an event, with who the text says asserted it."""

    trigger: TextSpan
    sentence: TextSpan
    modality: str = "Asserted"  # Asserted | Reported | Claimed
    according_to: int | None = None  # ActorRef.local_id


@dataclass(frozen=True)
class EventRecord:
    """One real-world event as one article tells it, possibly in several sentences (mentions)."""

    type: str  # a kg event class local name
    mentions: tuple[EventMention, ...]
    places: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = ()
    time: TimeValue | None = None
    counts: tuple[tuple[str, int], ...] = ()  # ("killed", 27), ("injured", 95) ...
    on_or_before: str | None = None  # ISO date: with no date of its own, told as done by then (publication)

    # the first mention, for callers that need one
    @property
    def trigger(self) -> TextSpan:
        return self.mentions[0].trigger

    @property
    def sentence(self) -> TextSpan:
        return self.mentions[0].sentence

    @property
    def modality(self) -> str:
        return self.mentions[0].modality

    @property
    def according_to(self) -> int | None:
        return self.mentions[0].according_to


@dataclass(frozen=True)
class Extraction:
    article_id: str
    actors: tuple[ActorRef, ...] = ()
    actor_mentions: tuple[ActorMention, ...] = ()
    place_mentions: tuple[PlaceMention, ...] = ()
    events: tuple[EventRecord, ...] = ()
    denied: tuple[EventRecord, ...] = ()  # events the text negates or denies: never facts
    dropped: tuple[str, ...] = field(default=())  # why matches were not kept (negated, no argument ...)

    def actor(self, local_id: int) -> ActorRef:
        return next(a for a in self.actors if a.local_id == local_id)
