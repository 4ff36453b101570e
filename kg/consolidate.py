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
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
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


def _reports(store: GraphStore) -> list[Report]:
    rows = store.select("""
        SELECT ?event ?type ?place ?date ?notAfter WHERE {
          GRAPH ?g { ?event a kg:Event ; a ?type ; kg:place ?place .
                     OPTIONAL { ?event kg:date ?date } OPTIONAL { ?event kg:notAfter ?notAfter } }
          FILTER (STRSTARTS(STR(?g), STR(graph:article\\/)))
        }""")
    types: dict[str, set[str]] = defaultdict(set)
    places: dict[str, set[str]] = defaultdict(set)
    dates: dict[str, tuple] = {}
    prefix = ID["place/"].value
    for row in rows:
        event = row["event"].value
        local = row["type"].value.rsplit("#", 1)[-1]
        if local in EVENT_TYPES:
            types[event].add(local)
        places[event].add(row["place"].value[len(prefix):])
        dates[event] = (row.get("date"), row.get("notAfter"))
    reports = []
    for event, own in types.items():
        specific = sorted(t for t in own if not any(t in kg_superclasses(o) for o in own if o != t))
        place_keys = [p for p in places[event] if p.split("/", 1)[0] in PLACE_CLASS]
        if not specific or not place_keys:
            continue
        place = most_specific(sorted(place_keys))
        day, not_after = dates[event]
        reports.append(Report(IRI(event), specific[0], place,
                              dt.date.fromisoformat(day.lexical) if day else None,
                              dt.date.fromisoformat(not_after.lexical) if not_after else None))
    return reports


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


def consolidate(store: GraphStore) -> int:
    """Rewrite graph:incidents from the article graphs, in one transaction; returns how many
    incidents more than one report tells (the same real-world event from several accounts)."""
    incidents = cluster(_reports(store))
    store.replace_graph(INCIDENTS_GRAPH, incident_quads(incidents))
    return sum(1 for reports in incidents.values() if len(reports) > 1)
