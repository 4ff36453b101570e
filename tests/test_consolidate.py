"""Cross-article event coreference: reports of one real-world event become one incident."""

from __future__ import annotations

import datetime as dt

from kg.consolidate import Report, cluster
from kg.terms import IRI


def report(name, event_type="CaptureOfTerritory", place="city/aybak", day=None, published="2021-08-09"):
    return Report(IRI(f"http://example.org/{name}"), event_type, place,
                  dt.date.fromisoformat(day) if day else None, dt.date.fromisoformat(published) if published else None)


def test_consolidate_undated_reports_join_the_dated_one_published_after_it():
    incidents = cluster([report("a", day="2021-08-09"), report("b"), report("c", published="2021-08-10")])
    assert list(incidents) == [("CaptureOfTerritory", "city/aybak", "2021-08-09")]
    assert sorted(r.event.value[-1] for r in incidents[("CaptureOfTerritory", "city/aybak", "2021-08-09")]) == ["a", "b", "c"]


def test_consolidate_keeps_different_places_types_and_dates_apart():
    incidents = cluster([
        report("a", day="2021-08-08", place="city/kunduz"),
        report("b", day="2021-08-08", place="province/kunduz"),  # the province is not the city
        report("c", day="2021-08-08", place="city/kunduz", event_type="ArmedClash"),
        report("d", day="2015-09-28", place="city/kunduz", published="2021-08-09"),  # an older capture
    ])
    assert len(incidents) == 4


def test_consolidate_undated_reports_far_apart_are_different_incidents():
    incidents = cluster([report("a", published="2021-08-09"), report("b", published="2021-09-20")])
    assert len(incidents) == 2


def test_consolidate_does_not_depend_on_order():
    import random

    reports = [report("a", day="2021-08-09"), report("b", day="2021-08-09"), report("c"), report("d", published="2021-08-12"),
               report("e", published="2021-08-30"), report("f", published="2021-09-02"), report("g", published=None),
               report("h", published=None)]
    canonical = {k: sorted(r.event.value for r in v) for k, v in cluster(reports).items()}
    for seed in range(5):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        assert {k: sorted(r.event.value for r in v) for k, v in cluster(shuffled).items()} == canonical


def test_consolidate_reports_without_publication_date_are_never_lost():
    incidents = cluster([report("a", published=None), report("b", published=None), report("c", published=None)])
    assert sorted(r.event.value[-1] for reports in incidents.values() for r in reports) == ["a", "b", "c"]


def test_consolidate_undated_group_is_measured_from_its_first_report():
    incidents = cluster([report("a", published="2021-08-01"), report("b", published="2021-08-06"),
                         report("c", published="2021-08-12")])
    assert sorted(len(v) for v in incidents.values()) == [1, 2]


def test_consolidate_seed_capture_of_sar_e_pol_is_one_incident_with_several_sources(seed_store):
    rows = seed_store.select("""
        SELECT ?incident (COUNT(DISTINCT ?article) AS ?sources) WHERE {
          ?incident a kg:Incident ; kg:incidentType kg:CaptureOfTerritory ; kg:place id:place\\/city\\/sar-e-pol ;
                    kg:report ?event .
          ?event kg:evidence/nif:referenceContext ?article .
        } GROUP BY ?incident""")
    assert len(rows) == 1 and int(rows[0]["sources"].lexical) >= 3
    assert rows[0]["incident"].value.endswith("/2021-08-08")
