"""The GraphQL API: events, actors, places and articles, read through `kg.graph_queries`.

Nested fields are loaded a level at a time: the objects a resolver returns share a `Level`, and the
first time one of them resolves a nested field, that field is fetched for all of them in one SPARQL
query. The number of queries per request therefore depends on the shape of the GraphQL query, not on
how many events it returns. (DataLoaders would do the same but need async execution; this works
under `execute_sync` too.)

Served requests are bounded: depth, tokens and aliases are checked before anything runs, and the
whole request must finish within `query_timeout` (see `build_schema` and `graphql_app`).

Regenerate the checked-in schema with `python -m kg.server.graphql > schema.graphql`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError, ValidationContext, ValidationRule
from strawberry.asgi import GraphQL
from strawberry.extensions import (AddValidationRules, MaxAliasesLimiter, MaxTokensLimiter, ParserCache,
                                   QueryDepthLimiter, ValidationCache)
from strawberry.extensions.query_depth_limiter import determine_depth, get_fragments, get_queries_and_mutations
from strawberry.printer import print_schema
from strawberry.types import ExecutionResult, Info

from kg import graph_queries as gq
from kg.errors import QueryTimeout
from kg.server.settings import ServerSettings
from kg.server.ui import graphiql_page
from kg.store import GraphStore
from kg.vocab import ACTOR_CLASSES, DATE_PRECISIONS, EVENT_TYPES, MODALITIES, PLACE_CLASSES, ROLE_TYPES

N = TypeVar("N")


class Level:
    """The objects at one depth of one response; a nested field is fetched once for all of them."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.members: list[Any] = []
        self._loaded: dict[str, Mapping[str, Any] | Exception] = {}

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
            try:
                found = fetch(self.store, keys) if keys else {}
            except Exception as exc:
                # Remember the failure too: otherwise every member would retry the query, one each.
                self._loaded[name] = exc
                raise
            self._loaded[name] = {k: wrap(v, child) for k, v in found.items()}
        loaded = self._loaded[name]
        if isinstance(loaded, Exception):
            raise loaded
        return loaded


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

    @strawberry.field(description="The offices or roles the actor holds, as the articles state them.")
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

    @strawberry.field(description="The events the article reports (each has an evidence sentence in it), "
                                  "ordered by date (undated last), then id.")
    def events(self) -> list[Event]:
        return self.level.load(
            "events", lambda a: [a.record.id], gq.events_for_articles,
            lambda rs, lvl: [Event.of(r, lvl) for r in rs]).get(self.record.id, [])


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

    @strawberry.field(description="The article the sentence is from.")
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

    @strawberry.field(description="Who takes part.")
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

    @strawberry.field(description="Who took part and in which role.")
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
@strawberry.type(description="Where a page ends and whether another follows.")
class PageInfo:
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item: pass it as `after` to get the next page.")
    has_next_page: bool


@strawberry.type(description="An item of a page with its cursor.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="An opaque position: pass it as `after` to continue after this item.")
    node: N


@strawberry.type(description="One page of a list; `nodes` is `edges` without the cursors.")
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
    outlet: strawberry.ID | None = strawberry.field(
        default=None, description="A media outlet IRI: events with an evidence sentence in an article it published.")
    modality: Modality | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Events with an evidence sentence stated this way (e.g. CLAIMED); "
                                  "with `outlet`, the same sentence must come from that outlet.")


First = Annotated[int, strawberry.argument(description=f"Page size, 0 to {gq.MAX_PAGE}.")]
After = Annotated[str | None, strawberry.argument(
    description="Start after this cursor (an `endCursor` or edge `cursor` of the previous page).")]


# --- root ------------------------------------------------------------------------------------
@strawberry.type
class Query:
    @strawberry.field(description="Events ordered by date (undated last), then id.")
    def events(self, info: Info,
               filter: Annotated[EventFilter | None, strawberry.argument(
                   description="Only events meeting every given condition.")] = None,
               first: First = 20, after: After = None) -> Connection[Event]:
        f = filter or EventFilter()
        store = _store(info)
        page = gq.events(
            store, types=[t.value for t in f.types or ()], place=f.place, province=f.province,
            date_from=f.date_from, date_to=f.date_to, actor=f.actor, role=f.role.value if f.role else None,
            outlet=f.outlet, modality=f.modality.value if f.modality else None, limit=first, after_cursor=after)
        return _connection(page, _events(page.items, store))

    @strawberry.field(description="The event with this id, or null.")
    def event(self, info: Info, id: strawberry.ID) -> Event | None:
        record = gq.event_by_id(_store(info), id)
        return _events([record], _store(info))[0] if record else None

    @strawberry.field(description="Surrender events (defections included), optionally only those in the named "
                                  "province, with their participants, places, dates and evidence.")
    def surrenders(self, info: Info, province: Annotated[str | None, strawberry.argument(
            description="A province name or alias, case-insensitive.")] = None) -> list[Event]:
        return _events(gq.surrenders(_store(info), province=province), _store(info))

    @strawberry.field(description="Actors ordered by id.")
    def actors(self, info: Info,
               name_contains: Annotated[str | None, strawberry.argument(
                   description="Part of the name or label, case-insensitive.")] = None,
               kind: Annotated[ActorKind | None, strawberry.argument(  # type: ignore[valid-type]
                   description="Only actors of this class (ORGANISATION includes its kinds).")] = None,
               role: Annotated[Role | None, strawberry.argument(  # type: ignore[valid-type]
                   description="Only actors holding this role in at least one event.")] = None,
               first: First = 50,
               after: After = None) -> Connection[Actor]:
        store = _store(info)
        page = gq.actors(store, name_contains=name_contains, kind=kind.value if kind else None,
                         role=role.value if role else None, limit=first, after_cursor=after)
        level = Level(store)
        return _connection(page, [_actor(r, level) for r in page.items])

    @strawberry.field(description="The actor with this id, or null.")
    def actor(self, info: Info, id: strawberry.ID) -> Actor | None:
        record = gq.actor_by_id(_store(info), id)
        return _actor(record, Level(_store(info))) if record else None

    @strawberry.field(description="Places ordered by name, then id.")
    def places(self, info: Info,
               kind: Annotated[PlaceKind | None, strawberry.argument(  # type: ignore[valid-type]
                   description="Only places of this kind.")] = None,
               name: Annotated[str | None, strawberry.argument(
                   description="A name or alias, matched exactly but case-insensitively.")] = None,
               first: First = 100,
               after: After = None) -> Connection[Place]:
        store = _store(info)
        page = gq.places(store, kind=kind.value if kind else None, name=name, limit=first, after_cursor=after)
        return _connection(page, _places(page.items, Level(store)))

    @strawberry.field(description="The place with this id, or null.")
    def place(self, info: Info, id: strawberry.ID) -> Place | None:
        record = gq.place_by_id(_store(info), id)
        return Place.of(record, Level(_store(info))) if record else None

    @strawberry.field(description="Articles ordered by publication date (unknown last), then id.")
    def articles(self, info: Info,
                 outlet: Annotated[strawberry.ID | None, strawberry.argument(
                     description="Only articles published by this media outlet (an actor IRI).")] = None,
                 first: First = 50,
                 after: After = None) -> Connection[Article]:
        store = _store(info)
        page = gq.articles(store, outlet=outlet, limit=first, after_cursor=after)
        level = Level(store)
        return _connection(page, [Article.of(r, level) for r in page.items])

    @strawberry.field(description="The article with this id, or null.")
    def article(self, info: Info, id: strawberry.ID) -> Article | None:
        record = gq.article_by_id(_store(info), id)
        return Article.of(record, Level(_store(info))) if record else None


ACTOR_TYPES = [Person, Group, Organisation]  # reached only through the Actor interface, so listed


class DepthLimiter(QueryDepthLimiter):
    """strawberry's QueryDepthLimiter, with an error naming both the limit and the query's depth
    (strawberry's own message names only the limit)."""

    MEASURE_CAP = 100  # beyond the limit, stop measuring: fragments could nest past the recursion limit

    def __init__(self, max_depth: int):
        self.max_depth = max_depth
        AddValidationRules.__init__(self, [_depth_rule(max_depth, max_depth + self.MEASURE_CAP)])


class _Unreported:
    """A stand-in validation context: strawberry's depth walker reports nothing through it."""

    def report_error(self, error) -> None:
        pass


def _depth_rule(max_depth: int, cap: int) -> type[ValidationRule]:
    class DepthRule(ValidationRule):
        def __init__(self, context: ValidationContext):
            super().__init__(context)
            definitions = context.document.definitions
            fragments = get_fragments(definitions)
            for name, operation in get_queries_and_mutations(definitions).items():
                depth = determine_depth(node=operation, fragments=fragments, depth_so_far=0, max_depth=cap,
                                        context=_Unreported(), operation_name=name, should_ignore=None)
                if depth > max_depth:
                    measured = f"more than {cap}" if depth > cap else str(depth)
                    # strawberry names unnamed operations "anonymous"
                    which = "the query" if name == "anonymous" else f"query '{name}'"
                    context.report_error(GraphQLError(
                        f"{which} is {measured} levels deep; the limit is {max_depth}",
                        [operation], extensions={"code": "query_too_deep"}))

    return DepthRule


def build_schema(settings: ServerSettings | None = None) -> strawberry.Schema:
    """The served schema: `schema` plus the depth, token and alias limits of `settings` (None: defaults).

    The limits are checked on the document, before any resolver runs, so a refused request costs no
    SPARQL query. Aliases are limited because each aliased root field is a separate set of queries.
    """
    settings = settings or ServerSettings()
    # The two caches are shared by all requests (an app sends the same documents again and again;
    # parsing and validating them cost as much as their SPARQL queries). They key on the document
    # and the validation rules, so the limits below still apply to every request.
    parsed, validated = ParserCache(maxsize=256), ValidationCache(maxsize=256)
    # Factories, not instances: strawberry builds fresh extensions per request (requests run concurrently).
    return strawberry.Schema(query=Query, types=ACTOR_TYPES, extensions=[
        lambda: DepthLimiter(settings.graphql_max_depth),
        lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
        lambda: parsed,
        lambda: validated,
    ])


# Without limits: for printing `schema.graphql` and for in-process use; the printed SDL is the same.
schema = strawberry.Schema(query=Query, types=ACTOR_TYPES)


class _DeadlineStore:
    """The request's view of the store: refuses to start a query once the request has timed out, so
    the worker thread of an abandoned request stops after its current query."""

    def __init__(self, store: GraphStore, deadline: float, timeout: float):
        self._store, self._deadline, self._timeout = store, deadline, timeout

    def select(self, sparql: str, **kwargs):
        if time.monotonic() > self._deadline:
            raise QueryTimeout(f"the GraphQL request took more than {self._timeout:g} s")
        return self._store.select(sparql, **kwargs)


class _GraphQLApp(GraphQL):
    def __init__(self, store: GraphStore, settings: ServerSettings, pool: Executor | None):
        super().__init__(build_schema(settings), graphql_ide="graphiql")
        self.store = store
        self.timeout = settings.query_timeout
        self.pool = pool

    async def get_context(self, request, response) -> dict:
        deadline = time.monotonic() + self.timeout
        return {"request": request, "response": response, "store": _DeadlineStore(self.store, deadline, self.timeout)}

    async def render_graphql_ide(self, request):
        # Our own page: strawberry's GraphiQL loads its scripts from a CDN.
        return graphiql_page(request)

    async def execute_single(self, **kwargs) -> ExecutionResult:
        # The resolvers are synchronous (pyoxigraph blocks): run the whole execution on a worker
        # thread, in its own event loop, so it blocks neither the server nor the timeout below.
        # strawberry's own execute_single still maps bad requests to HTTP errors.
        parent = super().execute_single
        try:
            work = asyncio.get_running_loop().run_in_executor(self.pool, lambda: asyncio.run(parent(**kwargs)))
            result = await asyncio.wait_for(work, self.timeout)
        except TimeoutError:
            return self._timed_out()
        # The deadline can also trip inside (it starts a little earlier): drop the partial data then too.
        if any(isinstance(e.original_error, QueryTimeout) for e in result.errors or ()):
            return self._timed_out()
        return result

    def _timed_out(self) -> ExecutionResult:
        # Never partial data: the whole answer is the error (the thread stops at its next query).
        return ExecutionResult(data=None, errors=[GraphQLError(
            f"the GraphQL request took more than {self.timeout:g} s and was stopped", extensions={"code": "timeout"})])


def graphql_app(store: GraphStore, settings: ServerSettings | None = None, pool: Executor | None = None) -> GraphQL:
    """Return an ASGI app serving the GraphQL schema over `store` with the limits of `settings`
    (None: `ServerSettings()` defaults), running requests on `pool` (the threads SPARQL queries use
    too, so the bound on work at once holds for both; None: asyncio's default pool); a browser GET
    gets the GraphiQL page of `kg.server.ui`."""
    return _GraphQLApp(store, settings or ServerSettings(), pool)


if __name__ == "__main__":
    print(print_schema(schema))
