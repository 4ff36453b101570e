"""The GraphQL API: events, actors, places and articles, read through `kg.graph_queries`.

Nested fields are loaded a level at a time: the objects a resolver returns share a `Level`, and the
first time one of them resolves a nested field, that field is fetched for all of them in one SPARQL
query. The number of queries per request therefore depends on the shape of the GraphQL query, not on
how many events it returns. (DataLoaders would do the same but need async execution; this works
under `execute_sync` too.)

Regenerate the checked-in schema with `python -m kg.server.graphql > schema.graphql`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.asgi import GraphQL
from strawberry.printer import print_schema
from strawberry.types import Info

from kg import graph_queries as gq
from kg.store import GraphStore
from kg.vocab import ACTOR_CLASSES, DATE_PRECISIONS, EVENT_TYPES, MODALITIES, PLACE_CLASSES, ROLE_TYPES

N = TypeVar("N")


class Level:
    """The objects at one depth of one response; a nested field is fetched once for all of them."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.members: list[Any] = []
        self._loaded: dict[str, Mapping[str, Any]] = {}

    def adopt(self, obj):
        self.members.append(obj)
        return obj

    def load(self, name: str, keys_of: Callable[[Any], Iterable[str | None]],
             fetch: Callable[[GraphStore, list[str]], Mapping[str, Any]],
             wrap: Callable[[Any, Level], Any]) -> Mapping[str, Any]:
        """`fetch` the records for every member's keys at once; `wrap` them into one child level."""
        if name not in self._loaded:
            keys = list(dict.fromkeys(k for m in self.members for k in keys_of(m) if k))
            child = Level(self.store)
            found = fetch(self.store, keys) if keys else {}
            self._loaded[name] = {k: wrap(v, child) for k, v in found.items()}
        return self._loaded[name]


def _snake(local: str, suffix: str = "") -> str:
    """`CaptureOfTerritory` -> `CAPTURE_OF_TERRITORY`, dropping `suffix` (`AgentRole` -> `AGENT`)."""
    local = local.removesuffix(suffix)
    return "".join("_" + c if c.isupper() and i else c for i, c in enumerate(local)).upper()


def _enum(name: str, locals_: Iterable[str], description: str, suffix: str = ""):
    # Values are the kg local names, so records convert with EnumType(local_name).
    return strawberry.enum(Enum(name, {_snake(v, suffix): v for v in locals_}), description=description)


EventType = _enum("EventType", EVENT_TYPES,
                  "An event class of the kg ontology. Filtering on a class includes its subclasses "
                  "(SURRENDER includes DEFECTION; ATTACK includes ARMED_CLASH and AIRSTRIKE; KILLING includes ASSASSINATION).")
Role = _enum("Role", ROLE_TYPES,
             "How an actor takes part: AGENT does it, AFFECTED undergoes it, SURRENDERED_TO receives a surrender, "
             "SPEAKER made a statement.", "Role")
Modality = _enum("Modality", MODALITIES, "How the article states the evidence.")
DatePrecision = _enum("DatePrecision", DATE_PRECISIONS, "How precisely the text fixes an event's date.", "Precision")
PlaceKind = _enum("PlaceKind", PLACE_CLASSES, "The kind of a place.")
ActorKind = _enum("ActorKind", ACTOR_CLASSES, "The class of an actor; ORGANISATION includes its kinds.")
OrganisationKind = _enum("OrganisationKind", gq.ORGANISATION_KINDS, "What kind of organisation an organisation is.")


def _store(info: Info) -> GraphStore:
    return info.context["store"]


# --- places ----------------------------------------------------------------------------------
@strawberry.type(description="A place from the gazetteer: a country, province, city, district or facility.")
class Place:
    id: strawberry.ID
    kind: PlaceKind  # type: ignore[valid-type]
    name: str | None
    aliases: list[str]
    wikidata: str | None = strawberry.field(description="Wikidata entity IRI, only when verified.")
    latitude: float | None
    longitude: float | None
    record: strawberry.Private[gq.PlaceRecord]
    level: strawberry.Private[Level]

    @classmethod
    def of(cls, r: gq.PlaceRecord, level: Level) -> Place:
        return level.adopt(cls(id=strawberry.ID(r.id), kind=PlaceKind(r.kind), name=r.name, aliases=list(r.aliases),
                               wikidata=r.wikidata, latitude=r.latitude, longitude=r.longitude, record=r, level=level))

    @strawberry.field(description="The place this one is directly located in.")
    def parent(self) -> Place | None:
        return self.level.load("parent", lambda p: [p.record.parent_id], gq.places_by_ids, Place.of).get(
            self.record.parent_id)

    @strawberry.field(description="The places directly located in this one.")
    def children(self) -> list[Place]:
        return self.level.load("children", lambda p: [p.record.id], gq.children_of_places, _places).get(
            self.record.id, [])


def _places(records: Iterable[gq.PlaceRecord], level: Level) -> list[Place]:
    return [Place.of(r, level) for r in records]


# --- actors ----------------------------------------------------------------------------------
@strawberry.type(description="An office or role an actor holds, such as deputy governor of Samangan.")
class Position:
    id: strawberry.ID
    title: str | None
    is_former: bool | None
    record: strawberry.Private[gq.PositionRecord]
    level: strawberry.Private[Level]

    @classmethod
    def of(cls, r: gq.PositionRecord, level: Level) -> Position:
        return level.adopt(cls(id=strawberry.ID(r.id), title=r.title, is_former=r.is_former, record=r, level=level))

    @strawberry.field(description="The jurisdiction of the position, when stated.")
    def place(self) -> Place | None:
        return self.level.load("place", lambda p: [p.record.place_id], gq.places_by_ids, Place.of).get(
            self.record.place_id)

    @strawberry.field(description="The organisation the position belongs to, when stated.")
    def organisation(self) -> Actor | None:
        return self.level.load("organisation", lambda p: [p.record.organisation_id], gq.actors_by_ids, _actor).get(
            self.record.organisation_id)


@strawberry.interface(description="A person, group or organisation that takes part in events.")
class Actor:
    id: strawberry.ID
    label: str | None = strawberry.field(description="How the text or gazetteer refers to the actor.")
    name: str | None = strawberry.field(description="The proper name; null for unnamed actors.")
    wikidata: str | None = strawberry.field(description="Wikidata entity IRI, only when verified.")
    record: strawberry.Private[gq.ActorRecord]
    level: strawberry.Private[Level]

    @strawberry.field
    def positions(self) -> list[Position]:
        return self.level.load(
            "positions", lambda a: [a.record.id], gq.positions_for_actors,
            lambda rs, lvl: [Position.of(r, lvl) for r in rs]).get(self.record.id, [])


@strawberry.type(description="A person, named or not (an unnamed official is local to its article).")
class Person(Actor):
    pass


@strawberry.type(description="People acting together that are not a named organisation.")
class Group(Actor):
    size: int | None


@strawberry.type(description="A named organisation: an armed group, a government body, a media outlet or other.")
class Organisation(Actor):
    kind: OrganisationKind | None  # type: ignore[valid-type]


def _actor(r: gq.ActorRecord, level: Level) -> Actor:
    common = dict(id=strawberry.ID(r.id), label=r.label, name=r.name, wikidata=r.wikidata, record=r, level=level)
    if r.kind == "Person":
        return level.adopt(Person(**common))
    if r.kind == "Group":
        return level.adopt(Group(size=r.group_size, **common))
    kind = OrganisationKind(r.organisation_kind) if r.organisation_kind else None
    return level.adopt(Organisation(kind=kind, **common))


# --- articles and evidence -------------------------------------------------------------------
@strawberry.type(description="A news article the graph was built from.")
class Article:
    id: strawberry.ID
    identifier: str | None
    headline: str | None
    url: str | None
    published: dt.date | None
    language: str | None
    record: strawberry.Private[gq.ArticleRecord]
    level: strawberry.Private[Level]

    @classmethod
    def of(cls, r: gq.ArticleRecord, level: Level) -> Article:
        return level.adopt(cls(id=strawberry.ID(r.id), identifier=r.identifier, headline=r.headline, url=r.url,
                               published=r.published, language=r.language, record=r, level=level))

    @strawberry.field(description="The media outlet that published the article, when known.")
    def outlet(self) -> Actor | None:
        return self.level.load("outlet", lambda a: [a.record.outlet_id], gq.actors_by_ids, _actor).get(
            self.record.outlet_id)


@strawberry.type(description="A sentence of an article that supports an event.")
class Evidence:
    id: strawberry.ID
    text: str | None = strawberry.field(description="The sentence, exactly as in the article.")
    begin: int = strawberry.field(description="Offset of the sentence in the article text (code points).")
    end: int = strawberry.field(description="Offset just after the sentence (exclusive).")
    modality: Modality | None  # type: ignore[valid-type]
    record: strawberry.Private[gq.EvidenceRecord]
    level: strawberry.Private[Level]

    @classmethod
    def of(cls, r: gq.EvidenceRecord, level: Level) -> Evidence:
        modality = Modality(r.modality) if r.modality else None
        return level.adopt(cls(id=strawberry.ID(r.id), text=r.text, begin=r.begin, end=r.end, modality=modality,
                               record=r, level=level))

    @strawberry.field
    def article(self) -> Article | None:
        return self.level.load("article", lambda e: [e.record.article_id], gq.articles_by_ids, Article.of).get(
            self.record.article_id)

    @strawberry.field(description="Who the text says asserted it, when it says so.")
    def according_to(self) -> Actor | None:
        return self.level.load("accordingTo", lambda e: [e.record.according_to_id], gq.actors_by_ids, _actor).get(
            self.record.according_to_id)


# --- events ----------------------------------------------------------------------------------
@strawberry.type(description="An actor's part in an event.")
class Participation:
    role: Role  # type: ignore[valid-type]
    record: strawberry.Private[gq.ParticipationRecord]
    level: strawberry.Private[Level]

    @classmethod
    def of(cls, r: gq.ParticipationRecord, level: Level) -> Participation:
        return level.adopt(cls(role=Role(r.role), record=r, level=level))

    @strawberry.field
    def actor(self) -> Actor | None:
        return self.level.load("actor", lambda p: [p.record.actor_id], gq.actors_by_ids, _actor).get(
            self.record.actor_id)


@strawberry.type(description="Casualty and displacement counts, when the text states them.")
class Counts:
    killed: int | None
    injured: int | None
    displaced: int | None


@strawberry.type(description="Something that happened, as reported by one article.")
class Event:
    id: strawberry.ID
    type: EventType | None = strawberry.field(  # type: ignore[valid-type]
        description="The most specific event class.")
    types: list[EventType] = strawberry.field(  # type: ignore[valid-type]
        description="All event classes of the event, superclasses included.")
    label: str | None
    trigger: str | None = strawberry.field(description="The trigger words as written.")
    date: dt.date | None
    date_precision: DatePrecision | None  # type: ignore[valid-type]
    time_expression: str | None = strawberry.field(description="The time expression as written.")
    not_after: dt.date | None = strawberry.field(description="The latest date the event can have: the publication date.")
    counts: Counts
    record: strawberry.Private[gq.EventRecord]
    level: strawberry.Private[Level]

    @classmethod
    def of(cls, r: gq.EventRecord, level: Level) -> Event:
        return level.adopt(cls(
            id=strawberry.ID(r.id), type=EventType(r.type) if r.type in EVENT_TYPES else None,
            types=[EventType(t) for t in r.types], label=r.label, trigger=r.trigger, date=r.date,
            date_precision=DatePrecision(r.date_precision) if r.date_precision else None,
            time_expression=r.time_expression, not_after=r.not_after,
            counts=Counts(killed=r.killed, injured=r.injured, displaced=r.displaced), record=r, level=level))

    def _places(self) -> list[Place]:
        return self.level.load("places", lambda e: [e.record.id], gq.places_for_events, _places).get(self.record.id, [])

    @strawberry.field(description="The most specific place of the event.")
    def place(self) -> Place | None:
        places = self._places()
        return places[0] if places else None

    @strawberry.field(description="All places of the event, the most specific first.")
    def places(self) -> list[Place]:
        return self._places()

    @strawberry.field(description="The provinces the event's places are in (a province place is its own province).")
    def provinces(self) -> list[Place]:
        return self.level.load("provinces", lambda e: [e.record.id], gq.provinces_for_events, _places).get(
            self.record.id, [])

    @strawberry.field
    def participants(self) -> list[Participation]:
        return self.level.load(
            "participants", lambda e: [e.record.id], gq.participations_for_events,
            lambda rs, lvl: [Participation.of(r, lvl) for r in rs]).get(self.record.id, [])

    @strawberry.field(description="The sentences that support the event.")
    def evidence(self) -> list[Evidence]:
        return self.level.load(
            "evidence", lambda e: [e.record.id], gq.evidence_for_events,
            lambda rs, lvl: [Evidence.of(r, lvl) for r in rs]).get(self.record.id, [])


def _events(records: Iterable[gq.EventRecord], store: GraphStore) -> list[Event]:
    level = Level(store)
    return [Event.of(r, level) for r in records]


# --- connections -----------------------------------------------------------------------------
@strawberry.type
class PageInfo:
    end_cursor: str | None
    has_next_page: bool


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type
class Connection(Generic[N]):
    edges: list[Edge[N]]
    nodes: list[N]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Matches over all pages.")


def _connection(page: gq.Page, nodes: list) -> Connection:
    return Connection(
        edges=[Edge(cursor=c, node=n) for c, n in zip(page.cursors, nodes)], nodes=nodes,
        page_info=PageInfo(end_cursor=page.end_cursor, has_next_page=page.has_next_page),
        total_count=page.total_count)


@strawberry.input(description="Event filters; all given filters must hold.")
class EventFilter:
    types: list[EventType] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Any of these classes, subclasses included.")
    place: strawberry.ID | None = strawberry.field(
        default=None, description="A place IRI; matches events anywhere inside it.")
    province: str | None = strawberry.field(
        default=None, description="A province name or alias, case-insensitive; matches events anywhere inside it.")
    date_from: dt.date | None = strawberry.field(default=None, description="On or after this date.")
    date_to: dt.date | None = strawberry.field(default=None, description="On or before this date.")
    actor: strawberry.ID | None = strawberry.field(default=None, description="An actor IRI taking part.")
    role: Role | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="A role someone (the actor, if given) has in the event.")


# --- root ------------------------------------------------------------------------------------
@strawberry.type
class Query:
    @strawberry.field(description="Events ordered by date (undated last), then id.")
    def events(self, info: Info, filter: EventFilter | None = None, first: int = 20,
               after: str | None = None) -> Connection[Event]:
        f = filter or EventFilter()
        store = _store(info)
        page = gq.events(
            store, types=[t.value for t in f.types or ()], place=f.place, province=f.province,
            date_from=f.date_from, date_to=f.date_to, actor=f.actor, role=f.role.value if f.role else None,
            limit=first, after_cursor=after)
        return _connection(page, _events(page.items, store))

    @strawberry.field
    def event(self, info: Info, id: strawberry.ID) -> Event | None:
        record = gq.event_by_id(_store(info), id)
        return _events([record], _store(info))[0] if record else None

    @strawberry.field(description="Surrender events (defections included), optionally only those in the named "
                                  "province, with their participants, places, dates and evidence.")
    def surrenders(self, info: Info, province: str | None = None) -> list[Event]:
        return _events(gq.surrenders(_store(info), province=province), _store(info))

    @strawberry.field(description="Actors ordered by id.")
    def actors(self, info: Info, name_contains: str | None = None, kind: ActorKind | None = None,  # type: ignore[valid-type]
               first: int = 50, after: str | None = None) -> Connection[Actor]:
        store = _store(info)
        page = gq.actors(store, name_contains=name_contains, kind=kind.value if kind else None, limit=first, after_cursor=after)
        level = Level(store)
        return _connection(page, [_actor(r, level) for r in page.items])

    @strawberry.field
    def actor(self, info: Info, id: strawberry.ID) -> Actor | None:
        record = gq.actor_by_id(_store(info), id)
        return _actor(record, Level(_store(info))) if record else None

    @strawberry.field(description="Places ordered by name; `name` matches a name or alias exactly, case-insensitively.")
    def places(self, info: Info, kind: PlaceKind | None = None,  # type: ignore[valid-type]
               name: str | None = None) -> list[Place]:
        records = gq.places(_store(info), kind=kind.value if kind else None, name=name)
        return _places(records, Level(_store(info)))

    @strawberry.field
    def place(self, info: Info, id: strawberry.ID) -> Place | None:
        record = gq.place_by_id(_store(info), id)
        return Place.of(record, Level(_store(info))) if record else None

    @strawberry.field(description="Articles ordered by publication date, then id.")
    def articles(self, info: Info) -> list[Article]:
        level = Level(_store(info))
        return [Article.of(r, level) for r in gq.articles(_store(info))]

    @strawberry.field
    def article(self, info: Info, id: strawberry.ID) -> Article | None:
        record = gq.article_by_id(_store(info), id)
        return Article.of(record, Level(_store(info))) if record else None


schema = strawberry.Schema(query=Query, types=[Person, Group, Organisation])


class _GraphQLApp(GraphQL):
    def __init__(self, store: GraphStore):
        super().__init__(schema, graphql_ide="graphiql")
        self.store = store

    async def get_context(self, request, response) -> dict:
        return {"request": request, "response": response, "store": self.store}


def graphql_app(store: GraphStore, settings=None) -> GraphQL:
    """Return an ASGI app serving the GraphQL schema over `store` (GraphiQL on GET)."""
    return _GraphQLApp(store)


if __name__ == "__main__":
    print(print_schema(schema))
