"""Cross-article event coreference: one incident per real-world event reported by several sources.

Each article's events stay in its own graph, as that source tells them (evidence, attribution,
modality), so conflicting reports stay visible. This module derives `graph:incidents`: a
`kg:Incident` per real-world event, linked to every report of it (`kg:report`). Two reports are the
same incident when they have the same type and the same main place and their dates agree:
- dated reports agree when the dates are equal;
- an undated report joins the dated incident with the latest date on or before its publication date
  (`kg:notAfter`) and at most `WINDOW` days earlier;
- undated reports with no such partner group together when published within `WINDOW` days of the
  group's first report; a report with no publication date stays alone.
Events with no place are not grouped. The result depends only on the store's content, never on the
order articles were built in, so rebuilding gives the same graph.

Reports of different (type, place) keys never share an incident, so incidents are derived again per
key: a build or a removal re-derives only the keys its articles touch, and memory holds one chunk of
keys' reports at a time: at most REPORTS_PER_TRANSACTION reports, or one key's when it has more.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kg.gazetteer import PLACE_CLASS, most_specific
from kg.ontology import kg_superclasses
from kg.store import GraphStore
from kg.terms import IRI, Literal, Quad, date
from kg.vocab import GRAPH, ID, KG, RDF, RDFS, EVENT_TYPES
from kg.ontology import kg_label

INCIDENTS_GRAPH = GRAPH.incidents
WINDOW = dt.timedelta(days=7)


@dataclass(frozen=True)
class Report:
    event: IRI
    type: str
    place: str  # place key, e.g. "city/aybak"
    date: dt.date | None
    not_after: dt.date | None


Key = tuple[str, str]  # (event type, main place key): reports of different keys never merge


def _report(event: str, types: set[str], places: set[str], day, not_after) -> Report | None:
    """An event as a report: its most specific type and most specific gazetteer place (None when
    it has no place, so it joins no incident)."""
    own = {t for t in types if t in EVENT_TYPES}
    specific = sorted(t for t in own if not any(t in kg_superclasses(o) for o in own if o != t))
    place_keys = [p for p in places if p.split("/", 1)[0] in PLACE_CLASS]
    if not specific or not place_keys:
        return None
    return Report(IRI(event), specific[0], most_specific(sorted(place_keys)),
                  dt.date.fromisoformat(day) if day else None,
                  dt.date.fromisoformat(not_after) if not_after else None)


def _reports_from_rows(rows) -> list[Report]:
    """Reports from rows of (event, type, place, date?, notAfter?), one row per type and place."""
    types: dict[str, set[str]] = defaultdict(set)
    places: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, tuple] = {}
    for row in rows:
        event = row["event"].value
        types[event].add(_type_name(row["type"]))
        places[event].add(_place_key(row["place"]))
        day, not_after = row.get("date"), row.get("notAfter")
        dates[event] = (day.lexical if day else None, not_after.lexical if not_after else None)
    reports = (_report(event, own, places[event], *dates[event]) for event, own in types.items())
    return [r for r in reports if r is not None]


def reports_in_quads(quads) -> list[Report]:
    """The reports an article's quads make (before they are stored): to know which incidents they touch."""
    types: dict[str, set[str]] = defaultdict(set)
    places: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, dict[IRI, str]] = defaultdict(dict)
    rdf_type, place, day, not_after, kg_prefix = RDF.type, KG.place, KG.date, KG.notAfter, KG.iri
    for s, p, o, _ in quads:
        if p == rdf_type:
            if o.value.startswith(kg_prefix):
                types[s.value].add(o.value[len(kg_prefix):])
        elif p == place:
            places[s.value].add(_place_key(o))
        elif p == day or p == not_after:
            dates[s.value][p] = o.lexical
    reports = (_report(event, own, places[event], dates[event].get(day), dates[event].get(not_after))
               for event, own in types.items() if "Event" in own)
    return [r for r in reports if r is not None]


_PLACE_PREFIX = ID["place/"].value
_ARTICLE_GRAPH_PREFIX = GRAPH["article/"].value
# One GRAPH block with the key's place and type first: pyoxigraph then reads the candidates through
# its indexes (twice as fast as a separate pattern for the event's details).
_REPORT_DETAILS = """?event a ?type . ?event kg:place ?place .
             OPTIONAL { ?event kg:date ?date } OPTIONAL { ?event kg:notAfter ?notAfter }"""


def _type_name(iri: IRI) -> str:
    return iri.value.rsplit("#", 1)[-1]  # kg:CaptureOfTerritory -> "CaptureOfTerritory"


def _place_key(iri: IRI) -> str:
    return iri.value[len(_PLACE_PREFIX):]  # id/place/city/aybak -> "city/aybak"


def _values(keys: Iterable[Key]) -> str:
    return " ".join(f"({KG[t].n3()} {ID['place/' + p].n3()})" for t, p in sorted(keys))


def _in_articles(rows):
    return [row for row in rows if row["g"].value.startswith(_ARTICLE_GRAPH_PREFIX)]


def reports_for_keys(store: GraphStore, keys: set[Key]) -> list[Report]:
    """Every stored report whose key is one of `keys`."""
    rows = store.select(f"""
        SELECT ?g ?event ?type ?place ?date ?notAfter WHERE {{
          VALUES (?t ?p) {{ {_values(keys)} }}
          GRAPH ?g {{ ?event kg:place ?p ; a ?t . {_REPORT_DETAILS} }}
        }}""")
    return [r for r in _reports_from_rows(_in_articles(rows)) if (r.type, r.place) in keys]


def keys_of_graphs(store: GraphStore, graphs: list[IRI]) -> set[Key]:
    """The incident keys the stored reports in `graphs` (article graphs) belong to."""
    if not graphs:
        return set()
    rows = store.select(f"""
        SELECT ?g ?event ?type ?place ?date ?notAfter WHERE {{
          VALUES ?g {{ {" ".join(g.n3() for g in graphs)} }}
          GRAPH ?g {{ ?event a kg:Event . {_REPORT_DETAILS} }}
        }}""")
    return {(r.type, r.place) for r in _reports_from_rows(_in_articles(rows))}


def all_keys(store: GraphStore) -> set[Key]:
    """Every key that has reports or incidents now: a full consolidation touches all of them.
    Bounded by the gazetteer (types x places), not by the corpus."""
    candidates = store.select(f"""
        SELECT DISTINCT ?type ?place WHERE {{
          GRAPH ?g {{ ?event a kg:Event ; a ?type ; kg:place ?place }}
          FILTER (STRSTARTS(STR(?g), STR(graph:article\\/)))
        }}""")
    existing = store.select("SELECT DISTINCT ?type ?place WHERE { GRAPH graph:incidents { ?i kg:incidentType ?type ; kg:place ?place } }")
    keys = set()
    for row in [*candidates, *existing]:
        local = _type_name(row["type"])
        if local in EVENT_TYPES:
            keys.add((local, _place_key(row["place"])))
    return keys


def cluster(reports: list[Report]) -> dict[tuple[str, str, str], list[Report]]:
    """Group reports into incidents keyed by (type, place, date or 'undated-<first publication>')."""
    incidents: dict[tuple[str, str, str], list[Report]] = {}
    by_kind: dict[tuple[str, str], list[Report]] = defaultdict(list)
    for report in reports:
        by_kind[(report.type, report.place)].append(report)
    for (event_type, place), group in sorted(by_kind.items()):
        dated = sorted({r.date for r in group if r.date})
        for day in dated:
            incidents[(event_type, place, day.isoformat())] = [r for r in group if r.date == day]
        loose = []
        for report in sorted((r for r in group if not r.date), key=lambda r: (r.not_after or dt.date.min, r.event.value)):
            match = [d for d in dated if report.not_after and report.not_after - WINDOW <= d <= report.not_after]
            if match:
                incidents[(event_type, place, match[-1].isoformat())].append(report)
            else:
                loose.append(report)
        current: list[Report] = []
        for report in loose:
            if report.not_after is None:  # no publication date: nothing to group it by
                incidents[(event_type, place, "undated-" + report.event.value.rsplit("/id/", 1)[-1].replace("/", "-"))] = [report]
                continue
            # group undated reports published within the window of the group's first report
            if current and report.not_after - current[0].not_after > WINDOW:
                incidents[_undated_key(event_type, place, current)] = current
                current = []
            current.append(report)
        if current:
            incidents[_undated_key(event_type, place, current)] = current
    return incidents


def _undated_key(event_type: str, place: str, reports: list[Report]) -> tuple[str, str, str]:
    first = reports[0].not_after
    return event_type, place, "undated-" + (first.isoformat() if first else "unknown")


def incident_quads(incidents: dict[tuple[str, str, str], list[Report]]) -> list[Quad]:
    g = INCIDENTS_GRAPH
    quads: list[Quad] = []
    for (event_type, place, when), reports in sorted(incidents.items()):
        node = ID[f"incident/{event_type}/{place}/{when}"]
        quads.append((node, RDF.type, KG.Incident, g))
        quads.append((node, KG.incidentType, KG[event_type], g))
        quads.append((node, KG.place, ID["place/" + place], g))
        quads.append((node, RDFS.label, Literal(f"{kg_label(event_type)} in {place.rsplit('/', 1)[-1]}"
                                                f"{'' if when.startswith('undated') else ' on ' + when}"), g))
        if not when.startswith("undated"):
            quads.append((node, KG.date, date(when), g))
        for report in sorted(reports, key=lambda r: r.event.value):  # sorted: order-independent output
            quads.append((node, KG.report, report.event, g))
    return quads


KEYS_PER_TRANSACTION = 200  # bounds the size of one query
# Bounds memory: the reports of one chunk of keys are held at once. Keys are bounded by the gazetteer
# but their reports grow with the corpus, so chunks are cut by reports, not by keys (at 100k articles
# 200 keys held up to 82,000 reports). A key with more reports than this is a chunk of its own.
REPORTS_PER_TRANSACTION = 10_000


def report_counts(store: GraphStore, keys: list[Key]) -> dict[Key, int]:
    """An upper bound of each key's reports: the events with the key's type and place, whether or
    not they are the event's most specific ones."""
    rows = store.select(f"""
        SELECT ?t ?p (COUNT(?event) AS ?n) WHERE {{
          VALUES (?t ?p) {{ {_values(keys)} }}
          GRAPH ?g {{ ?event kg:place ?p ; a ?t }}
        }} GROUP BY ?t ?p""")
    return {(_type_name(row["t"]), _place_key(row["p"])): int(row["n"].lexical) for row in rows}


def chunks_by_reports(keys: list[Key], counts: dict[Key, int], budget: int) -> list[list[Key]]:
    """`keys` in order, cut into runs of at most `budget` reports (a larger key alone)."""
    chunks: list[list[Key]] = []
    current: list[Key] = []
    size = 0
    for key in keys:
        if current and size + counts.get(key, 0) > budget:
            chunks.append(current)
            current, size = [], 0
        current.append(key)
        size += counts.get(key, 0)
    if current:
        chunks.append(current)
    return chunks


def consolidate(store: GraphStore, keys: set[Key] | None = None) -> None:
    """Derive the incidents of `keys` again (all keys when None) from the article graphs.

    Each chunk of keys is one transaction that deletes the chunk's incidents and writes them anew,
    so a changed or removed article leaves no incident pointing at an event that is gone.
    """
    keys = all_keys(store) if keys is None else set(keys)
    ordered = sorted(keys)
    for start in range(0, len(ordered), KEYS_PER_TRANSACTION):
        group = ordered[start:start + KEYS_PER_TRANSACTION]
        for chunk in chunks_by_reports(group, report_counts(store, group), REPORTS_PER_TRANSACTION):
            _derive_again(store, set(chunk))


def _derive_again(store: GraphStore, chunk: set[Key]) -> None:
    incidents = cluster(reports_for_keys(store, chunk))
    lines = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o, _ in incident_quads(incidents))
    # the place first: pyoxigraph then reads each key's incidents through the place index (with
    # the type first it scanned every incident per key: 20x slower on 2,000 articles)
    store.update(f"""
        DELETE {{ GRAPH graph:incidents {{ ?i ?property ?value }} }}
        WHERE {{ VALUES (?t ?p) {{ {_values(chunk)} }}
                 GRAPH graph:incidents {{ ?i kg:place ?p ; kg:incidentType ?t ; ?property ?value }} }} ;
        INSERT DATA {{ GRAPH graph:incidents {{
        {lines}
        }} }}""")
    # written to disk per chunk: otherwise the store's write buffers grow with every chunk
    # (re-deriving 10k articles' incidents: 512 MB at the end without, 312 MB with)
    store.flush()


def incidents_with_several_reports(store: GraphStore) -> int:
    """How many incidents more than one report tells (the same real-world event from several accounts)."""
    rows = store.select("""
        SELECT (COUNT(*) AS ?n) WHERE {
          { SELECT ?i WHERE { GRAPH graph:incidents { ?i kg:report ?r } } GROUP BY ?i HAVING (COUNT(?r) > 1) } }""")
    return int(rows[0]["n"].lexical)
