"""The SPARQL query layer behind the GraphQL API.

Each function takes a GraphStore and plain parameters and returns frozen dataclasses; nothing here
knows about GraphQL. The queries follow `ontology/MODEL.md`.

Rules the queries keep:
- user values reach SPARQL only as `substitutions` (scalars) or as VALUES blocks of `.n3()` terms
  (lists of IRIs, validated first); query text is only ever composed from fixed fragments;
- oxigraph substitutes only variables in the SELECT projection, so every substituted variable is
  projected (and grouped by, in COUNT queries);
- the `*_for_*` / `*_by_ids` functions take all parent ids at once and run one query, so callers can
  load a nested level for all parents together.

Graph-builder contract relied on: every event is typed `kg:Event` and with its class and all its kg
superclasses (a kg:Defection is also typed kg:Surrender); an event has at most one `kg:date`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from kg.errors import UsageError
from kg.ontology import kg_superclasses
from kg.store import GraphStore
from kg.terms import IRI, Literal, Term
from kg.terms import date as date_literal
from kg.vocab import ACTOR_CLASSES, DATE_PRECISIONS, EVENT_TYPES, KG, MODALITIES, PLACE_CLASSES, ROLE_TYPES

MAX_PAGE = 500
ORGANISATION_KINDS = ("ArmedGroup", "GovernmentBody", "MediaOutlet")
WIKIDATA = "http://www.wikidata.org/entity/"
UNDATED_KEY = "~"  # sorts after every ISO date, so undated events come last

T = TypeVar("T")


# --- records ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    cursors: tuple[str, ...]  # one opaque cursor per item
    total_count: int  # matches over all pages
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None


@dataclass(frozen=True)
class EventRecord:
    id: str
    type: str  # the most specific of `types`
    types: tuple[str, ...]  # local names from EVENT_TYPES
    label: str | None = None
    trigger: str | None = None
    date: dt.date | None = None
    date_precision: str | None = None  # local name from DATE_PRECISIONS
    time_expression: str | None = None
    not_after: dt.date | None = None
    killed: int | None = None
    injured: int | None = None
    displaced: int | None = None


@dataclass(frozen=True)
class ParticipationRecord:
    id: str
    event_id: str
    actor_id: str
    role: str  # local name from ROLE_TYPES


@dataclass(frozen=True)
class EvidenceRecord:
    id: str
    event_id: str
    text: str | None
    begin: int
    end: int
    article_id: str
    according_to_id: str | None = None
    modality: str | None = None  # local name from MODALITIES


@dataclass(frozen=True)
class ActorRecord:
    id: str
    kind: str  # "Person" | "Group" | "Organisation"
    organisation_kind: str | None = None  # one of ORGANISATION_KINDS, for organisations
    label: str | None = None
    name: str | None = None  # only named actors have one
    wikidata: str | None = None
    group_size: int | None = None


@dataclass(frozen=True)
class PositionRecord:
    id: str
    holder_id: str
    title: str | None
    place_id: str | None = None
    organisation_id: str | None = None
    is_former: bool | None = None


@dataclass(frozen=True)
class PlaceRecord:
    id: str
    kind: str  # local name from PLACE_CLASSES
    name: str | None = None
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    parent_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class ArticleRecord:
    id: str
    identifier: str | None = None
    headline: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str | None = None
    outlet_id: str | None = None


# --- events ----------------------------------------------------------------------------------
def events(
    store: GraphStore,
    *,
    types: Sequence[str] | None = None,
    place: str | None = None,
    province: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    actor: str | None = None,
    role: str | None = None,
    outlet: str | None = None,
    modality: str | None = None,
    limit: int | None = 20,
    after_cursor: str | None = None,
) -> Page[EventRecord]:
    """Events matching every given filter, ordered by date (undated last) then IRI.

    `types` are local names from EVENT_TYPES (empty or None: any) and include subclasses; `place`
    is a place IRI and matches events anywhere inside it; `province` is a province name or alias
    (case-insensitive); `actor` and `role` (a ROLE_TYPES name) match the same participation;
    `outlet` (an actor IRI) and `modality` (a MODALITIES name) match the same evidence sentence: one
    from an article the outlet published, stated with that modality.
    `limit=None` returns everything; `after_cursor` is a cursor from a previous page.
    """
    where = ["?item a kg:Event .", 'OPTIONAL { ?item kg:date ?date }',
             f'BIND(COALESCE(STR(?date), "{UNDATED_KEY}") AS ?key)']
    subs: dict[str, Term] = {}
    if types:
        # The subClassOf* step adds subclasses when the ontology graph is loaded; without it the
        # zero-length path leaves ?cls = ?type and the builder's superclass typing does the work.
        where += ["?item a ?cls . ?cls rdfs:subClassOf* ?type .",
                  _values("type", [_kg(t, EVENT_TYPES, "event type") for t in types])]
    if place is not None:
        where.append("?item kg:place/kg:locatedIn* ?place .")
        subs["place"] = _iri(place)
    if province is not None:
        where.append("?item kg:place/kg:locatedIn* ?prov . ?prov a kg:Province ; rdfs:label|skos:altLabel ?provName . "
                     "FILTER(LCASE(STR(?provName)) = LCASE(STR(?province)))")
        subs["province"] = Literal(province)
    if date_from is not None:
        where.append("FILTER(?date >= ?dateFrom)")
        subs["dateFrom"] = date_literal(date_from.isoformat())
    if date_to is not None:
        where.append("FILTER(?date <= ?dateTo)")
        subs["dateTo"] = date_literal(date_to.isoformat())
    if actor is not None or role is not None:
        where.append("?item kg:hasParticipation ?pa .")
    if actor is not None:
        where.append("?pa kg:participant ?actor .")
        subs["actor"] = _iri(actor)
    if role is not None:
        where.append("?pa kg:roleType ?role .")
        subs["role"] = _kg(role, ROLE_TYPES, "role")
    if outlet is not None or modality is not None:
        where.append("?item kg:evidence ?ev .")
    if outlet is not None:
        where.append("?ev nif:referenceContext/schema:publisher ?outlet .")
        subs["outlet"] = _iri(outlet)
    if modality is not None:
        where.append("?ev kg:modality ?modality .")
        subs["modality"] = _kg(modality, MODALITIES, "modality")
    return _page(store, where, subs, limit=limit, after=after_cursor, by_ids=events_by_ids)


def events_by_ids(store: GraphStore, ids: Iterable[str]) -> dict[str, EventRecord]:
    """The events among `ids` (unknown ids are left out), in one query."""
    ids = _unique_iris(ids)
    if not ids:
        return {}
    type_iris = [KG[t] for t in EVENT_TYPES]
    rows = store.select(f"""
        SELECT ?event ?label ?trigger ?date ?precision ?timeExpression ?notAfter ?killed ?injured ?displaced
               ?type WHERE {{
          {{ {_values("event", ids)} ?event a kg:Event .
             OPTIONAL {{ ?event rdfs:label ?label }}         OPTIONAL {{ ?event kg:evidence/kg:trigger ?trigger }}
             OPTIONAL {{ ?event kg:date ?date }}             OPTIONAL {{ ?event kg:datePrecision ?precision }}
             OPTIONAL {{ ?event kg:timeExpression ?timeExpression }}
             OPTIONAL {{ ?event kg:notAfter ?notAfter }}     OPTIONAL {{ ?event kg:killed ?killed }}
             OPTIONAL {{ ?event kg:injured ?injured }}       OPTIONAL {{ ?event kg:displaced ?displaced }} }}
          UNION {{ {_values("event", ids)} ?event a ?type . {_one_of("type", type_iris)} }}
        }}""")
    fields: dict[str, dict[str, set]] = {}
    types: dict[str, set[str]] = {}
    for row in rows:
        if "type" in row:
            types.setdefault(str(row["event"]), set()).add(_local(row["type"]))
        else:
            _collect(fields.setdefault(str(row["event"]), {}), row)
    out = {}
    for iri, f in fields.items():
        own = types.get(iri, set())
        out[iri] = EventRecord(
            id=iri,
            type=_most_specific(own),
            types=tuple(sorted(own)),
            label=_first(f, "label"),
            trigger=_first(f, "trigger"),
            date=_date(_first(f, "date")),
            date_precision=_kg_local(_first_term(f, "precision"), DATE_PRECISIONS),
            time_expression=_first(f, "timeExpression"),
            not_after=_date(_first(f, "notAfter")),
            killed=_int(_first_term(f, "killed")),
            injured=_int(_first_term(f, "injured")),
            displaced=_int(_first_term(f, "displaced")),
        )
    return out


def event_by_id(store: GraphStore, event_id: str) -> EventRecord | None:
    return events_by_ids(store, [event_id]).get(str(_iri(event_id)))


def participations_for_events(store: GraphStore, event_ids: Iterable[str]) -> dict[str, tuple[ParticipationRecord, ...]]:
    ids = _unique_iris(event_ids)
    if not ids:
        return {}
    rows = store.select(f"""
        SELECT ?event ?pa ?actor ?role WHERE {{
          {_values("event", ids)}
          ?event kg:hasParticipation ?pa . ?pa kg:participant ?actor ; kg:roleType ?role .
          {_one_of("role", [KG[r] for r in ROLE_TYPES])}
        }} ORDER BY STR(?event) STR(?pa) STR(?actor) STR(?role)""")
    return _group(rows, "event", lambda r: ParticipationRecord(
        str(r["pa"]), str(r["event"]), str(r["actor"]), _local(r["role"])))


def evidence_for_events(store: GraphStore, event_ids: Iterable[str]) -> dict[str, tuple[EvidenceRecord, ...]]:
    ids = _unique_iris(event_ids)
    if not ids:
        return {}
    rows = store.select(f"""
        SELECT ?event ?ev ?text ?begin ?end ?article ?according ?modality WHERE {{
          {_values("event", ids)}
          ?event kg:evidence ?ev .
          ?ev nif:referenceContext ?article ; nif:beginIndex ?begin ; nif:endIndex ?end .
          OPTIONAL {{ ?ev nif:anchorOf ?text }}
          OPTIONAL {{ ?ev kg:accordingTo ?according }}
          OPTIONAL {{ ?ev kg:modality ?modality }}
        }} ORDER BY STR(?event) STR(?article) ?begin ?end STR(?according)""")
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in rows:  # several accordingTo values would repeat the evidence; keep the first
        if (str(r["event"]), str(r["ev"])) not in seen:
            seen.add((str(r["event"]), str(r["ev"])))
            unique.append(r)
    return _group(unique, "event", lambda r: EvidenceRecord(
        id=str(r["ev"]), event_id=str(r["event"]), text=_lex(r.get("text")),
        begin=_int(r["begin"]), end=_int(r["end"]), article_id=str(r["article"]),
        according_to_id=_str_iri(r.get("according")),
        modality=_kg_local(r.get("modality"), MODALITIES)))


def places_for_events(store: GraphStore, event_ids: Iterable[str]) -> dict[str, tuple[PlaceRecord, ...]]:
    """Each event's places, the most specific first (a place containing another of them comes later)."""
    ids = _unique_iris(event_ids)
    if not ids:
        return {}
    return _places(store, f"""
        {_values("event", ids)} ?event kg:place ?place .
        BIND(EXISTS {{ ?event kg:place ?other . FILTER(?other != ?place) ?other kg:locatedIn+ ?place }} AS ?broader)""",
                   key="event", order="?broader")


def provinces_for_events(store: GraphStore, event_ids: Iterable[str]) -> dict[str, tuple[PlaceRecord, ...]]:
    """The provinces of each event's places: the place itself if a province, else the province it is in."""
    ids = _unique_iris(event_ids)
    if not ids:
        return {}
    return _places(store, f"{_values('event', ids)} ?event kg:place/kg:locatedIn* ?place . ?place a kg:Province .",
                   key="event")


def surrenders(store: GraphStore, *, province: str | None = None) -> tuple[EventRecord, ...]:
    """Every surrender (defections included), optionally only those in the province named `province`."""
    return events(store, types=["Surrender"], province=province, limit=None).items


# --- actors ----------------------------------------------------------------------------------
def actors(
    store: GraphStore,
    *,
    name_contains: str | None = None,
    kind: str | None = None,
    role: str | None = None,
    limit: int | None = 50,
    after_cursor: str | None = None,
) -> Page[ActorRecord]:
    """Actors ordered by IRI; `name_contains` matches label or name, case-insensitively; `kind` is
    one of ACTOR_CLASSES (Organisation includes its kinds); `role` (a ROLE_TYPES name) keeps the
    actors that hold it in at least one event."""
    classes = ACTOR_CLASSES if kind is None else _actor_classes(kind)
    where = ["?item a ?cls .", _values("cls", [KG[c] for c in classes]), 'BIND("" AS ?key)']
    subs: dict[str, Term] = {}
    if name_contains is not None:
        where.append("?item rdfs:label|schema:name ?anyName . "
                     "FILTER(CONTAINS(LCASE(STR(?anyName)), LCASE(STR(?needle))))")
        subs["needle"] = Literal(name_contains)
    if role is not None:
        where.append("?event a kg:Event ; kg:hasParticipation ?pa . ?pa kg:participant ?item ; kg:roleType ?role .")
        subs["role"] = _kg(role, ROLE_TYPES, "role")
    return _page(store, where, subs, limit=limit, after=after_cursor, by_ids=actors_by_ids)


def actors_by_ids(store: GraphStore, ids: Iterable[str]) -> dict[str, ActorRecord]:
    ids = _unique_iris(ids)
    if not ids:
        return {}
    rows = store.select(f"""
        SELECT ?actor ?cls ?label ?name ?wikidata ?size WHERE {{
          {_values("actor", ids)}
          ?actor a ?cls . {_one_of("cls", [KG[c] for c in ACTOR_CLASSES])}
          OPTIONAL {{ ?actor rdfs:label ?label }}
          OPTIONAL {{ ?actor schema:name ?name }}
          OPTIONAL {{ ?actor owl:sameAs ?wikidata FILTER(STRSTARTS(STR(?wikidata), "{WIKIDATA}")) }}
          OPTIONAL {{ ?actor kg:groupSize ?size }}
        }}""")
    fields: dict[str, dict[str, set]] = {}
    for row in rows:
        _collect(fields.setdefault(str(row["actor"]), {}), row)
    out = {}
    for iri, f in fields.items():
        classes = {_local(c) for c in f.get("cls", ())}
        org_kind = next((k for k in ORGANISATION_KINDS if k in classes), None)
        kind = "Person" if "Person" in classes else "Group" if "Group" in classes else "Organisation"
        out[iri] = ActorRecord(
            id=iri, kind=kind, organisation_kind=org_kind if kind == "Organisation" else None,
            label=_first(f, "label"), name=_first(f, "name"), wikidata=_first(f, "wikidata"),
            group_size=_int(_first_term(f, "size")))
    return out


def actor_by_id(store: GraphStore, actor_id: str) -> ActorRecord | None:
    return actors_by_ids(store, [actor_id]).get(str(_iri(actor_id)))


def positions_for_actors(store: GraphStore, actor_ids: Iterable[str]) -> dict[str, tuple[PositionRecord, ...]]:
    ids = _unique_iris(actor_ids)
    if not ids:
        return {}
    rows = store.select(f"""
        SELECT ?actor ?position ?title ?place ?org ?former WHERE {{
          {_values("actor", ids)}
          ?actor kg:holdsPosition ?position .
          OPTIONAL {{ ?position kg:title ?title }}
          OPTIONAL {{ ?position kg:positionPlace ?place }}
          OPTIONAL {{ ?position kg:positionOrganisation ?org }}
          OPTIONAL {{ ?position kg:isFormer ?former }}
        }} ORDER BY STR(?actor) STR(?position) ?title STR(?place) STR(?org)""")
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in rows:
        if (str(r["actor"]), str(r["position"])) not in seen:
            seen.add((str(r["actor"]), str(r["position"])))
            unique.append(r)
    return _group(unique, "actor", lambda r: PositionRecord(
        id=str(r["position"]), holder_id=str(r["actor"]), title=_lex(r.get("title")),
        place_id=_str_iri(r.get("place")), organisation_id=_str_iri(r.get("org")),
        is_former=_bool(r.get("former"))))


# --- places ----------------------------------------------------------------------------------
def places(
    store: GraphStore,
    *,
    kind: str | None = None,
    name: str | None = None,
    limit: int | None = 100,
    after_cursor: str | None = None,
) -> Page[PlaceRecord]:
    """Places ordered by name then IRI; `kind` is one of PLACE_CLASSES, `name` matches the label or
    an alias exactly, case-insensitively."""
    subs: dict[str, Term] = {}
    if kind is None:
        where = ["?item a ?anyKind .", _values("anyKind", [KG[c] for c in PLACE_CLASSES])]
    else:
        where = ["?item a ?kind ."]
        subs["kind"] = _kg(kind, PLACE_CLASSES, "place kind")
    # The smallest label is the sort key, so a place with two labels still sorts (and pages) once.
    where += ["OPTIONAL { ?item rdfs:label ?label "
              "FILTER NOT EXISTS { ?item rdfs:label ?smaller FILTER(STR(?smaller) < STR(?label)) } }",
              'BIND(COALESCE(STR(?label), "") AS ?key)']
    if name is not None:
        where.append("?item rdfs:label|skos:altLabel ?anyName . FILTER(LCASE(STR(?anyName)) = LCASE(STR(?nameQuery)))")
        subs["nameQuery"] = Literal(name)
    return _page(store, where, subs, limit=limit, after=after_cursor, by_ids=places_by_ids)


def places_by_ids(store: GraphStore, ids: Iterable[str]) -> dict[str, PlaceRecord]:
    ids = _unique_iris(ids)
    if not ids:
        return {}
    return _place_records(store, ids)


def place_by_id(store: GraphStore, place_id: str) -> PlaceRecord | None:
    return places_by_ids(store, [place_id]).get(str(_iri(place_id)))


def children_of_places(store: GraphStore, place_ids: Iterable[str]) -> dict[str, tuple[PlaceRecord, ...]]:
    """The places directly `kg:locatedIn` each place, ordered by name then IRI."""
    ids = _unique_iris(place_ids)
    if not ids:
        return {}
    return _places(store, f"{_values('parentQuery', ids)} ?place kg:locatedIn ?parentQuery .", key="parentQuery")


# --- articles --------------------------------------------------------------------------------
def articles(
    store: GraphStore,
    *,
    outlet: str | None = None,
    limit: int | None = 50,
    after_cursor: str | None = None,
) -> Page[ArticleRecord]:
    """Articles ordered by publication date (unknown last) then IRI; `outlet` (an actor IRI) keeps
    the articles it published."""
    # As for places: the smallest date is the key, so a doubly dated article still pages once.
    where = ["?item a kg:Article .",
             "OPTIONAL { ?item schema:datePublished ?published "
             "FILTER NOT EXISTS { ?item schema:datePublished ?earlier FILTER(STR(?earlier) < STR(?published)) } }",
             f'BIND(COALESCE(STR(?published), "{UNDATED_KEY}") AS ?key)']
    subs: dict[str, Term] = {}
    if outlet is not None:
        where.append("?item schema:publisher ?outlet .")
        subs["outlet"] = _iri(outlet)
    return _page(store, where, subs, limit=limit, after=after_cursor, by_ids=articles_by_ids)


def events_for_articles(store: GraphStore, article_ids: Iterable[str]) -> dict[str, tuple[EventRecord, ...]]:
    """The events each article reports (those with an evidence sentence in it), ordered like `events`;
    two queries for all articles: which events, then their details."""
    ids = _unique_iris(article_ids)
    if not ids:
        return {}
    rows = store.select(f"""
        SELECT DISTINCT ?article ?event ?key WHERE {{
          {_values("article", ids)}
          ?event kg:evidence/nif:referenceContext ?article ; a kg:Event .
          OPTIONAL {{ ?event kg:date ?date }}
          BIND(COALESCE(STR(?date), "{UNDATED_KEY}") AS ?key)
        }} ORDER BY STR(?article) ?key STR(?event)""")
    found = events_by_ids(store, [str(r["event"]) for r in rows])
    return _group((r for r in rows if str(r["event"]) in found), "article", lambda r: found[str(r["event"])])


def articles_by_ids(store: GraphStore, ids: Iterable[str]) -> dict[str, ArticleRecord]:
    ids = _unique_iris(ids)
    if not ids:
        return {}
    return _articles(store, f"{_values('article', ids)} ?article a kg:Article .")


def article_by_id(store: GraphStore, article_id: str) -> ArticleRecord | None:
    return articles_by_ids(store, [article_id]).get(str(_iri(article_id)))


# --- query helpers ---------------------------------------------------------------------------
_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$")
_WKT_POINT = re.compile(r"POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)")


def _iri(value: str) -> IRI:
    if not isinstance(value, str) or not _IRI_RE.match(value):
        raise UsageError(f"not an IRI: {value!r}", hint="ids are absolute IRIs such as https://kg.example.org/id/...")
    return IRI(value)


def _unique_iris(values: Iterable[str]) -> list[IRI]:
    return [_iri(v) for v in dict.fromkeys(str(v) for v in values)]


def _values(var: str, terms: Sequence[IRI]) -> str:
    # Terms are validated IRIs (or kg: constants); n3() writes them as <...>.
    return f"VALUES ?{var} {{ {' '.join(t.n3() for t in terms)} }}"


def _one_of(var: str, terms: Sequence[IRI]) -> str:
    """A test of a variable already bound by the ids of a batch. A VALUES of constants there would be
    joined first by pyoxigraph, reading every instance of those classes (6x slower on the seeds)."""
    return f"FILTER(?{var} IN ({', '.join(t.n3() for t in terms)}))"


def _kg(local: str, allowed: Sequence[str], what: str) -> IRI:
    if local not in allowed:
        raise UsageError(f"unknown {what} {local!r}", hint="one of: " + ", ".join(allowed))
    return KG[local]


def _actor_classes(kind: str) -> tuple[str, ...]:
    _kg(kind, ACTOR_CLASSES, "actor kind")
    return ("Organisation",) + ORGANISATION_KINDS if kind == "Organisation" else (kind,)


def _cursor(key: str, iri: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, iri]).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        key, iri = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if isinstance(key, str) and isinstance(iri, str):
            return key, iri
    except (ValueError, TypeError, binascii.Error):
        pass
    raise UsageError(f"malformed cursor {cursor!r}", hint="pass an endCursor from a previous page unchanged")


def _page(store: GraphStore, where: list[str], subs, *, limit, after, by_ids) -> Page:
    """One page of the items matching `where`, loaded by `by_ids` in one query, in page order."""
    keys, total, more = _paged(store, "\n".join(where), subs, limit=limit, after=after)
    found = by_ids(store, [iri for iri, _ in keys])
    items = tuple(found[iri] for iri, _ in keys if iri in found)
    return Page(items, tuple(_cursor(key, iri) for iri, key in keys if iri in found), total, more)


def _paged(store: GraphStore, where: str, subs: Mapping[str, Term], *, limit: int | None, after: str | None):
    """One page of (?item, ?key) from `where`, ordered by ?key then IRI, plus the total count.

    The cursor is the last (key, IRI) seen, compared inside the query, so pages stay disjoint and
    stable however the result set is sliced.
    """
    if limit is not None and not 0 <= int(limit) <= MAX_PAGE:
        raise UsageError(f"page size {limit} out of range", hint=f"ask for 0 to {MAX_PAGE} items per page")
    params = " ".join(f"?{name}" for name in subs)
    page_subs = dict(subs)
    cursor_filter = ""
    if after is not None:
        page_subs["afterKey"], page_subs["afterId"] = map(Literal, _decode_cursor(after))
        cursor_filter = "FILTER(?key > ?afterKey || (?key = ?afterKey && STR(?item) > ?afterId))"
    page_params = " ".join(f"?{name}" for name in page_subs)
    limit_clause = "" if limit is None else f"LIMIT {int(limit) + 1}"
    rows = store.select(
        f"SELECT DISTINCT ?item ?key {page_params} WHERE {{\n{where}\n{cursor_filter}\n}} "
        f"ORDER BY ?key STR(?item) {limit_clause}",
        substitutions=page_subs or None)
    keys = [(str(r["item"]), r["key"].lexical) for r in rows]
    if limit is None and after is None:
        total = len(keys)  # everything was fetched: no need to count
    else:
        counted = store.select(
            f"SELECT {params} (COUNT(DISTINCT ?item) AS ?n) WHERE {{\n{where}\n}}" + (f" GROUP BY {params}" if params else ""),
            substitutions=dict(subs) or None)
        total = _int(counted[0]["n"]) if counted else 0
    more = limit is not None and len(keys) > int(limit)
    return (keys[: int(limit)] if limit is not None else keys), total, more


_PLACE_FIELDS = f"""
    ?place a ?kindClass . {_one_of("kindClass", [KG[c] for c in PLACE_CLASSES])}
    OPTIONAL {{ ?place rdfs:label ?name }}
    OPTIONAL {{ ?place skos:altLabel ?alias }}
    OPTIONAL {{ ?place owl:sameAs ?wikidata FILTER(STRSTARTS(STR(?wikidata), "{WIKIDATA}")) }}
    OPTIONAL {{ ?place kg:locatedIn ?parent }}
    OPTIONAL {{ ?place geo:hasGeometry/geo:asWKT ?wkt }}"""


def _places(store: GraphStore, pattern: str, subs: Mapping[str, Term] | None = None, *, key: str,
            order: str = "") -> dict[str, tuple[PlaceRecord, ...]]:
    """Places bound to ?place by `pattern`, grouped by ?{key}, ordered by `order`, name, IRI.

    Two queries: which places, then each distinct place's fields once. Joining the fields to every
    (key, place) pair multiplied the rows by the aliases of each place and was 4x slower.
    """
    projected = dict.fromkeys([f"?{key}", "?place", *order.split()])
    rows = store.select(f"SELECT DISTINCT {' '.join(projected)} WHERE {{ {pattern} }}",
                        substitutions=dict(subs) if subs else None)
    found = _place_records(store, [row["place"] for row in rows if isinstance(row.get("place"), IRI)])
    records: dict[str, list[tuple[tuple, PlaceRecord]]] = {}
    for row in rows:
        record = found.get(str(row.get("place")))
        if record is not None:
            rank = tuple(_lex(row.get(v.lstrip("?"))) or "" for v in order.split())
            records.setdefault(_lex(row[key]), []).append((rank + (record.name or "", record.id), record))
    return {g: tuple(dict.fromkeys(r for _, r in sorted(items, key=lambda x: x[0]))) for g, items in records.items()}


def _place_records(store: GraphStore, ids: Sequence[IRI]) -> dict[str, PlaceRecord]:
    """The gazetteer fields of each place (places of no place class are left out)."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    rows = store.select(f"""
        SELECT ?place ?kindClass ?name ?alias ?wikidata ?parent ?wkt WHERE {{
          {_values("place", ids)}
          {_PLACE_FIELDS}
        }}""")
    fields: dict[str, dict[str, set]] = {}
    for row in rows:
        _collect(fields.setdefault(str(row["place"]), {}), row)
    records = {}
    for iri, f in fields.items():
        lon = lat = None
        match = _WKT_POINT.search(_first(f, "wkt") or "")
        if match:
            lon, lat = float(match.group(1)), float(match.group(2))
        records[iri] = PlaceRecord(
            id=iri, kind=_most_specific_place(f.get("kindClass", ())),
            name=_first(f, "name"), aliases=tuple(sorted(_lex(a) for a in f.get("alias", ()))),
            wikidata=_first(f, "wikidata"), parent_id=_first(f, "parent"), latitude=lat, longitude=lon)
    return records


def _articles(store: GraphStore, pattern: str) -> dict[str, ArticleRecord]:
    rows = store.select(f"""
        SELECT ?article ?identifier ?headline ?url ?published ?language ?outlet WHERE {{
          {pattern}
          OPTIONAL {{ ?article schema:identifier ?identifier }}
          OPTIONAL {{ ?article schema:headline ?headline }}
          OPTIONAL {{ ?article schema:url ?url }}
          OPTIONAL {{ ?article schema:datePublished ?published }}
          OPTIONAL {{ ?article schema:inLanguage ?language }}
          OPTIONAL {{ ?article schema:publisher ?outlet }}
        }}""")
    fields: dict[str, dict[str, set]] = {}
    for row in rows:
        _collect(fields.setdefault(str(row["article"]), {}), row)
    return {
        iri: ArticleRecord(
            id=iri, identifier=_first(f, "identifier"), headline=_first(f, "headline"), url=_first(f, "url"),
            published=_date(_first(f, "published")), language=_first(f, "language"), outlet_id=_first(f, "outlet"))
        for iri, f in fields.items()
    }


# --- result helpers --------------------------------------------------------------------------
def _collect(into: dict[str, set], row: Mapping[str, Term]) -> None:
    for name, term in row.items():
        into.setdefault(name, set()).add(term)


def _first_term(fields: Mapping[str, set], name: str) -> Term | None:
    # Several values for a single-valued property: take the smallest lexical form, deterministically.
    values = fields.get(name)
    return min(values, key=lambda t: (str(t) if isinstance(t, IRI) else t.lexical)) if values else None


def _first(fields: Mapping[str, set], name: str) -> str | None:
    return _lex(_first_term(fields, name))


def _group(rows: Iterable[Mapping[str, Term]], key: str, make) -> dict[str, tuple]:
    out: dict[str, list] = {}
    for row in rows:
        out.setdefault(str(row[key]), []).append(make(row))
    return {k: tuple(v) for k, v in out.items()}


def _lex(term: Term | None) -> str | None:
    if term is None:
        return None
    return term.value if isinstance(term, IRI) else term.lexical


def _str_iri(term: Term | None) -> str | None:
    return term.value if isinstance(term, IRI) else None


def _int(term: Term | None) -> int | None:
    try:
        return int(term.lexical) if isinstance(term, Literal) else None
    except ValueError:
        return None


def _bool(term: Term | None) -> bool | None:
    return term.lexical in ("true", "1") if isinstance(term, Literal) else None


def _date(lexical: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(lexical[:10]) if lexical else None
    except ValueError:
        return None


def _local(iri: Term) -> str:
    value = str(iri)
    return value[len(KG.iri):] if value.startswith(KG.iri) else value


def _kg_local(term: Term | None, allowed: Sequence[str]) -> str | None:
    if not isinstance(term, IRI):
        return None
    local = _local(term)
    return local if local in allowed else None


def _most_specific(types: set[str]) -> str:
    """The event's most specific type: the one that is no other of its types' superclass (per the ontology)."""
    if not types:
        return "Event"
    leaves = [t for t in types if not any(t in kg_superclasses(other) for other in types if other != t)] or list(types)
    return min(leaves)


def _most_specific_place(classes: Iterable[Term]) -> str:
    kinds = {_local(c) for c in classes}
    return next(k for k in PLACE_CLASSES if k in kinds)  # the query binds at least one
