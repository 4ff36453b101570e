"""The SPARQL query layer over the hand-written graph in tests/fixtures/mini.trig."""

from __future__ import annotations

import datetime as dt

import pytest

from kg import graph_queries as gq
from kg.errors import UsageError
from kg.store import GraphStore
from tests.conftest import load_mini

ID = "https://kg.example.org/id/"

SURRENDER_SAMANGAN = ID + "event/mini001/1"
CAPTURE_AYBAK = ID + "event/mini001/2"
CAPTURE_MAZAR = ID + "event/mini002/1"
DEFECTION_BALKH = ID + "event/mini002/2"
STATEMENT = ID + "event/mini002/3"
ALL_EVENTS = [SURRENDER_SAMANGAN, CAPTURE_AYBAK, CAPTURE_MAZAR, DEFECTION_BALKH, STATEMENT]

TALIBAN = ID + "actor/taliban"
AZIMI = ID + "person/asif-azimi"
MUJAHID = ID + "person/zabihullah-mujahid"
AFGHANISTAN = ID + "place/country/afghanistan"
SAMANGAN = ID + "place/province/samangan"
AYBAK = ID + "place/city/aybak"
BALKH = ID + "place/province/balkh"
MAZAR = ID + "place/city/mazar-i-sharif"




class CountingStore:
    """Wraps a store's select to record every query and how many rows it returned."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.calls: list[tuple[str, int]] = []
        original = store.select

        def select(sparql, **kwargs):
            rows = original(sparql, **kwargs)
            self.calls.append((sparql, len(rows)))
            return rows

        store.select = select


@pytest.fixture(scope="module")
def store() -> GraphStore:
    return load_mini()


def ids(records) -> list[str]:
    return [r.id for r in records]


def all_events(store, **filters) -> list[str]:
    return ids(gq.events(store, limit=None, **filters).items)


def test_graph_queries_fixture_evidence_offsets_match_article_text(store):
    rows = store.select("""
        SELECT ?anchor ?begin ?end ?text WHERE {
          ?ev a kg:Evidence ; nif:anchorOf ?anchor ; nif:beginIndex ?begin ; nif:endIndex ?end ;
              nif:referenceContext/nif:isString ?text .
        }""")
    assert len(rows) == 5
    for row in rows:
        begin, end = int(row["begin"].lexical), int(row["end"].lexical)
        assert row["text"].lexical[begin:end] == row["anchor"].lexical


def test_graph_queries_events_are_ordered_by_date_then_iri_with_undated_last(store):
    page = gq.events(store, limit=None)
    assert ids(page.items) == ALL_EVENTS
    assert page.total_count == 5 and not page.has_next_page
    assert [e.date for e in page.items] == [dt.date(2021, 8, 8), dt.date(2021, 8, 9), dt.date(2021, 8, 14),
                                            dt.date(2021, 8, 14), None]


def test_graph_queries_events_type_filter_includes_subclasses(store):
    assert all_events(store, types=["Surrender"]) == [SURRENDER_SAMANGAN, DEFECTION_BALKH]
    assert all_events(store, types=["Defection"]) == [DEFECTION_BALKH]
    assert all_events(store, types=["CaptureOfTerritory", "Statement"]) == [CAPTURE_AYBAK, CAPTURE_MAZAR, STATEMENT]
    assert all_events(store, types=["Airstrike"]) == []
    assert gq.events(store, types=["Surrender"], limit=1).total_count == 2


def test_graph_queries_events_type_filter_follows_ontology_subclasses_when_loaded():
    # An event typed only with its own class: only the ontology graph can tell it is an Attack.
    store = load_mini("""
        PREFIX kg: <https://kg.example.org/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        GRAPH <https://kg.example.org/graph/ontology> {
          kg:Airstrike rdfs:subClassOf kg:Attack . kg:Attack rdfs:subClassOf kg:Event .
        }
        GRAPH <https://kg.example.org/graph/article/extra> {
          <https://kg.example.org/id/event/extra/1> a kg:Airstrike, kg:Event ; kg:date "2021-08-20"^^<http://www.w3.org/2001/XMLSchema#date> .
        }""")
    found = gq.events(store, types=["Attack"], limit=None).items
    assert ids(found) == [ID + "event/extra/1"]
    assert found[0].type == "Airstrike"


def test_graph_queries_events_most_specific_type_without_ontology(store):
    defection = gq.event_by_id(store, DEFECTION_BALKH)
    assert defection.types == ("Defection", "Surrender")
    assert defection.type == "Defection"


def test_graph_queries_events_rejects_unknown_type_and_role(store):
    with pytest.raises(UsageError, match="unknown event type"):
        gq.events(store, types=["Surrender", "Party"])
    with pytest.raises(UsageError, match="unknown role"):
        gq.events(store, role="Agent")


def test_graph_queries_events_place_filter_includes_contained_places(store):
    assert all_events(store, place=SAMANGAN) == [SURRENDER_SAMANGAN, CAPTURE_AYBAK]
    assert all_events(store, place=AYBAK) == [CAPTURE_AYBAK]
    assert all_events(store, place=BALKH) == [CAPTURE_MAZAR, DEFECTION_BALKH]
    assert all_events(store, place=MAZAR) == [CAPTURE_MAZAR]
    assert all_events(store, place=AFGHANISTAN) == ALL_EVENTS[:4]
    assert gq.events(store, place=AFGHANISTAN, limit=1).total_count == 4


def test_graph_queries_events_province_filter_matches_name_or_alias_ignoring_case(store):
    assert all_events(store, province="Balkh") == [CAPTURE_MAZAR, DEFECTION_BALKH]
    assert all_events(store, province="samangan province") == [SURRENDER_SAMANGAN, CAPTURE_AYBAK]
    assert all_events(store, province="Aybak") == []  # a city, not a province


def test_graph_queries_events_date_range_is_inclusive_and_excludes_undated(store):
    assert all_events(store, date_from=dt.date(2021, 8, 9), date_to=dt.date(2021, 8, 14)) == [
        CAPTURE_AYBAK, CAPTURE_MAZAR, DEFECTION_BALKH]
    assert all_events(store, date_from=dt.date(2021, 8, 10)) == [CAPTURE_MAZAR, DEFECTION_BALKH]
    assert all_events(store, date_to=dt.date(2021, 8, 8)) == [SURRENDER_SAMANGAN]
    assert gq.events(store, date_from=dt.date(2021, 8, 10), limit=1).total_count == 2


def test_graph_queries_events_actor_filter(store):
    assert all_events(store, actor=TALIBAN) == ALL_EVENTS[:4]
    assert all_events(store, actor=AZIMI) == [SURRENDER_SAMANGAN]
    assert all_events(store, actor=MUJAHID) == [STATEMENT]


def test_graph_queries_events_role_filter_and_actor_role_on_same_participation(store):
    assert all_events(store, role="AgentRole") == [CAPTURE_AYBAK, CAPTURE_MAZAR]
    assert all_events(store, role="SpeakerRole") == [STATEMENT]
    assert all_events(store, actor=TALIBAN, role="SurrenderedToRole") == [SURRENDER_SAMANGAN, DEFECTION_BALKH]
    assert all_events(store, actor=TALIBAN, role="AffectedRole") == []
    assert all_events(store, actor=AZIMI, role="AffectedRole") == [SURRENDER_SAMANGAN]


def test_graph_queries_events_filters_combine(store):
    assert all_events(store, types=["Surrender"], place=BALKH, date_from=dt.date(2021, 8, 14),
                      actor=TALIBAN, role="SurrenderedToRole") == [DEFECTION_BALKH]
    assert gq.events(store, types=["Surrender"], place=SAMANGAN, role="AgentRole").total_count == 0


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 6])
def test_graph_queries_events_pages_are_disjoint_stable_and_cover_everything(store, size):
    def walk():
        seen, after, pages = [], None, 0
        while True:
            page = gq.events(store, limit=size, after_cursor=after)
            assert page.total_count == 5
            assert len(page.items) <= size
            seen += ids(page.items)
            pages += 1
            if not page.has_next_page:
                return seen, pages
            assert len(page.items) == size
            after = page.end_cursor

    first, pages = walk()
    assert first == ALL_EVENTS  # disjoint (no repeats) and complete, in order
    assert pages == -(-5 // size)
    assert walk() == (first, pages)  # stable


def test_graph_queries_events_pagination_with_filter_and_tie_on_date(store):
    first = gq.events(store, place=BALKH, limit=1)
    assert ids(first.items) == [CAPTURE_MAZAR] and first.has_next_page and first.total_count == 2
    second = gq.events(store, place=BALKH, limit=1, after_cursor=first.end_cursor)
    assert ids(second.items) == [DEFECTION_BALKH] and not second.has_next_page and second.total_count == 2


def test_graph_queries_events_cursor_is_applied_in_the_query(store):
    counting = CountingStore(load_mini())
    page = gq.events(counting.store, limit=2)
    counting.calls.clear()
    gq.events(counting.store, limit=2, after_cursor=page.end_cursor)
    page_query, rows = counting.calls[0]
    assert "?afterKey" in page_query and "LIMIT 3" in page_query
    assert rows == 3  # the two after the cursor plus one to tell there is a next page


def test_graph_queries_events_rejects_malformed_cursor_and_page_size(store):
    with pytest.raises(UsageError, match="cursor"):
        gq.events(store, after_cursor="not a cursor")
    with pytest.raises(UsageError, match="page size"):
        gq.events(store, limit=-1)


def test_graph_queries_user_strings_cannot_change_the_query(store):
    with pytest.raises(UsageError, match="not an IRI"):
        gq.events(store, actor="x> } UNION { ?item ?p ?o")
    assert ids(gq.actors(store, name_contains='") || true || ("').items) == []
    assert all_events(store, province='Balkh") || true || ("') == []


def test_graph_queries_events_by_ids_reads_every_field(store):
    found = gq.events_by_ids(store, [CAPTURE_MAZAR, ID + "event/unknown"])
    assert list(found) == [CAPTURE_MAZAR]
    event = found[CAPTURE_MAZAR]
    assert event == gq.EventRecord(
        id=CAPTURE_MAZAR, type="CaptureOfTerritory", types=("CaptureOfTerritory",), label="capture of Mazar-i-Sharif",
        trigger="captured", date=dt.date(2021, 8, 14), date_precision="DayPrecision", time_expression="on Saturday",
        not_after=dt.date(2021, 8, 15), killed=7)


def test_graph_queries_participations_for_events_in_one_query(store):
    counting = CountingStore(load_mini())
    found = gq.participations_for_events(counting.store, ALL_EVENTS)
    assert len(counting.calls) == 1
    assert [(p.actor_id, p.role) for p in found[SURRENDER_SAMANGAN]] == [
        (AZIMI, "AffectedRole"), (ID + "actor/mini001/1", "AffectedRole"), (TALIBAN, "SurrenderedToRole")]
    assert [(p.actor_id, p.role) for p in found[STATEMENT]] == [(MUJAHID, "SpeakerRole")]
    assert set(found) == set(ALL_EVENTS)


def test_graph_queries_evidence_for_events(store):
    found = gq.evidence_for_events(store, [CAPTURE_MAZAR, STATEMENT])
    (mazar,) = found[CAPTURE_MAZAR]
    assert (mazar.begin, mazar.end, mazar.modality) == (0, 93, "Reported")
    assert mazar.text.startswith("The Taliban captured Mazar-i-Sharif")
    assert mazar.article_id == ID + "article/mini002"
    assert mazar.according_to_id == ID + "actor/mini002/1"
    assert found[STATEMENT][0].according_to_id == MUJAHID


def test_graph_queries_places_for_events_most_specific_first_and_provinces(store):
    places = gq.places_for_events(store, [CAPTURE_AYBAK, STATEMENT])
    assert ids(places[CAPTURE_AYBAK]) == [AYBAK, SAMANGAN]
    assert STATEMENT not in places
    provinces = gq.provinces_for_events(store, ALL_EVENTS)
    assert {event: ids(ps) for event, ps in provinces.items()} == {
        SURRENDER_SAMANGAN: [SAMANGAN], CAPTURE_AYBAK: [SAMANGAN], CAPTURE_MAZAR: [BALKH], DEFECTION_BALKH: [BALKH]}


def test_graph_queries_surrenders_by_province(store):
    assert ids(gq.surrenders(store)) == [SURRENDER_SAMANGAN, DEFECTION_BALKH]
    assert ids(gq.surrenders(store, province="samangan")) == [SURRENDER_SAMANGAN]
    assert ids(gq.surrenders(store, province="Kunduz")) == []


def test_graph_queries_actors_filter_by_name_and_kind(store):
    assert ids(gq.actors(store, name_contains="TALI").items) == [TALIBAN]
    assert ids(gq.actors(store, name_contains="official").items) == [ID + "actor/mini002/1"]
    assert ids(gq.actors(store, kind="Organisation").items) == [ID + "actor/agence-france-presse", TALIBAN]
    assert ids(gq.actors(store, kind="ArmedGroup").items) == [TALIBAN]
    everyone = gq.actors(store, limit=3)
    assert everyone.total_count == 7 and everyone.has_next_page
    rest = gq.actors(store, limit=10, after_cursor=everyone.end_cursor)
    assert len(set(ids(everyone.items)) | set(ids(rest.items))) == 7 and not rest.has_next_page


def test_graph_queries_actor_records_distinguish_kinds(store):
    found = gq.actors_by_ids(store, [TALIBAN, AZIMI, ID + "actor/mini001/1", ID + "actor/agence-france-presse"])
    assert (found[TALIBAN].kind, found[TALIBAN].organisation_kind) == ("Organisation", "ArmedGroup")
    assert (found[AZIMI].kind, found[AZIMI].name) == ("Person", "Asif Azimi")
    unnamed = found[ID + "actor/mini001/1"]
    assert (unnamed.kind, unnamed.name, unnamed.label) == ("Group", None, "several pro-government militia commanders")
    assert found[ID + "actor/agence-france-presse"].wikidata == "http://www.wikidata.org/entity/Q40464"


def test_graph_queries_positions_for_actors(store):
    found = gq.positions_for_actors(store, [AZIMI, MUJAHID, TALIBAN])
    (deputy,) = found[AZIMI]
    assert (deputy.title, deputy.place_id, deputy.is_former) == ("deputy governor", SAMANGAN, False)
    assert found[MUJAHID][0].organisation_id == TALIBAN
    assert TALIBAN not in found


def test_graph_queries_places_by_kind_and_name(store):
    assert ids(gq.places(store, kind="Province").items) == [BALKH, SAMANGAN]
    assert ids(gq.places(store, name="aibak").items) == [AYBAK]
    assert ids(gq.places(store, kind="City", name="Balkh").items) == []
    aybak = gq.place_by_id(store, AYBAK)
    assert (aybak.kind, aybak.name, aybak.parent_id, aybak.wikidata) == (
        "City", "Aybak", SAMANGAN, "http://www.wikidata.org/entity/Q1020649")
    assert (aybak.latitude, aybak.longitude) == (36.261, 68.04)
    assert "Aibak" in aybak.aliases
    with pytest.raises(UsageError):
        gq.places(store, kind="Village")


def test_graph_queries_places_are_ordered_by_name_and_paged_in_the_query():
    counting = CountingStore(load_mini())
    everything = gq.places(counting.store, limit=None)
    by_name = [AFGHANISTAN, AYBAK, BALKH, MAZAR, SAMANGAN]  # Afghanistan, Aybak, Balkh, Mazar-i-Sharif, Samangan
    assert ids(everything.items) == by_name and everything.total_count == 5
    first = gq.places(counting.store, limit=2)
    assert ids(first.items) == by_name[:2] and first.has_next_page and first.total_count == 5
    counting.calls.clear()
    second = gq.places(counting.store, limit=2, after_cursor=first.end_cursor)
    assert ids(second.items) == by_name[2:4] and second.has_next_page
    page_query, rows = counting.calls[0]
    assert "?afterKey" in page_query and "LIMIT 3" in page_query and rows == 3
    third = gq.places(counting.store, limit=2, after_cursor=second.end_cursor)
    assert ids(third.items) == by_name[4:] and not third.has_next_page
    province_page = gq.places(counting.store, kind="Province", limit=1)
    assert ids(province_page.items) == [BALKH] and province_page.total_count == 2


def test_graph_queries_places_with_two_labels_are_listed_once():
    # A second label sorting before the first: the place is keyed by its smallest label, once.
    store = load_mini("""GRAPH <https://kg.example.org/graph/gazetteer> {
        <https://kg.example.org/id/place/province/samangan> <http://www.w3.org/2000/01/rdf-schema#label> "A-Samangan" }""")
    page = gq.places(store, limit=None)
    assert ids(page.items) == [SAMANGAN, AFGHANISTAN, AYBAK, BALKH, MAZAR]
    assert page.total_count == 5
    assert ids(gq.places(store, limit=2).items) == [SAMANGAN, AFGHANISTAN]


def test_graph_queries_children_of_places(store):
    found = gq.children_of_places(store, [AFGHANISTAN, SAMANGAN, AYBAK])
    assert ids(found[AFGHANISTAN]) == [BALKH, SAMANGAN]
    assert ids(found[SAMANGAN]) == [AYBAK]
    assert AYBAK not in found


def test_graph_queries_articles(store):
    page = gq.articles(store)
    found = page.items
    assert ids(found) == [ID + "article/mini001", ID + "article/mini002"] and page.total_count == 2
    first = found[0]
    assert (first.published, first.language, first.outlet_id) == (
        dt.date(2021, 8, 9), "en", ID + "actor/agence-france-presse")
    assert first.url == "https://news.example.com/2021/08/09/aybak"
    assert gq.article_by_id(store, ID + "article/mini002").headline == "Mazar-i-Sharif falls to the Taliban"


UNDATED_ARTICLE = """
    PREFIX kg: <https://kg.example.org/ontology#>
    GRAPH <https://kg.example.org/graph/article/mini000> {
      <https://kg.example.org/id/article/mini000> a kg:Article ;
          <http://schema.org/publisher> <https://kg.example.org/id/actor/agence-france-presse> . }"""


def test_graph_queries_articles_undated_last_paged_and_filtered_by_outlet():
    store = load_mini(UNDATED_ARTICLE)
    every = [ID + "article/mini001", ID + "article/mini002", ID + "article/mini000"]  # undated last
    assert ids(gq.articles(store, limit=None).items) == every
    first = gq.articles(store, limit=2)
    assert ids(first.items) == every[:2] and first.has_next_page and first.total_count == 3
    rest = gq.articles(store, limit=2, after_cursor=first.end_cursor)
    assert ids(rest.items) == every[2:] and not rest.has_next_page
    by_afp = gq.articles(store, outlet=ID + "actor/agence-france-presse", limit=None)
    assert ids(by_afp.items) == [ID + "article/mini001", ID + "article/mini000"]  # mini002 has no publisher
    assert gq.articles(store, outlet=TALIBAN).total_count == 0
    with pytest.raises(UsageError, match="not an IRI"):
        gq.articles(store, outlet="AFP")


def test_graph_queries_events_for_articles_in_two_queries_without_denied_claims():
    counting = CountingStore(load_mini("""
        PREFIX kg: <https://kg.example.org/ontology#>
        GRAPH <https://kg.example.org/graph/article/mini002> {
          <https://kg.example.org/id/denied/mini002/1> a kg:DeniedClaim ; kg:claimedType kg:Surrender ;
              kg:evidence <https://kg.example.org/id/evidence/mini002/94-168> . }"""))
    found = gq.events_for_articles(counting.store, [ID + "article/mini001", ID + "article/mini002", ID + "article/none"])
    assert len(counting.calls) == 2  # which events, then their details
    assert {article: ids(events) for article, events in found.items()} == {
        ID + "article/mini001": [SURRENDER_SAMANGAN, CAPTURE_AYBAK],
        ID + "article/mini002": [CAPTURE_MAZAR, DEFECTION_BALKH, STATEMENT]}
    assert found[ID + "article/mini002"][0].killed == 7


# An event reported twice: as Reported by AFP (mini001) and as Claimed in mini002 (no outlet).
TWICE_REPORTED = """
    PREFIX kg: <https://kg.example.org/ontology#>
    PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
    GRAPH <https://kg.example.org/graph/article/extra> {
      <https://kg.example.org/id/event/extra/1> a kg:Attack, kg:Event ;
          kg:evidence <https://kg.example.org/id/evidence/extra/1>, <https://kg.example.org/id/evidence/extra/2> .
      <https://kg.example.org/id/evidence/extra/1> a kg:Evidence ; kg:modality kg:Reported ;
          nif:referenceContext <https://kg.example.org/id/article/mini001> ; nif:beginIndex 0 ; nif:endIndex 1 .
      <https://kg.example.org/id/evidence/extra/2> a kg:Evidence ; kg:modality kg:Claimed ;
          nif:referenceContext <https://kg.example.org/id/article/mini002> ; nif:beginIndex 0 ; nif:endIndex 1 . }"""


def test_graph_queries_events_outlet_filter(store):
    afp = ID + "actor/agence-france-presse"
    assert all_events(store, outlet=afp) == [SURRENDER_SAMANGAN, CAPTURE_AYBAK]  # mini002 has no publisher
    assert all_events(store, outlet=TALIBAN) == []
    assert gq.events(store, outlet=afp, limit=1).total_count == 2
    with pytest.raises(UsageError, match="not an IRI"):
        gq.events(store, outlet="AFP")


def test_graph_queries_events_modality_filter(store):
    assert all_events(store, modality="Reported") == [CAPTURE_AYBAK, CAPTURE_MAZAR]
    assert all_events(store, modality="Asserted") == [SURRENDER_SAMANGAN, DEFECTION_BALKH, STATEMENT]
    assert all_events(store, modality="Claimed") == []
    with pytest.raises(UsageError, match="unknown modality"):
        gq.events(store, modality="Rumoured")


def test_graph_queries_events_outlet_and_modality_hold_for_the_same_sentence():
    store = load_mini(TWICE_REPORTED)
    afp, extra = ID + "actor/agence-france-presse", ID + "event/extra/1"
    assert extra in all_events(store, outlet=afp)
    assert extra in all_events(store, modality="Claimed")
    # AFP's sentence is Reported; the Claimed one is from another article
    assert all_events(store, outlet=afp, modality="Claimed") == []
    assert all_events(store, outlet=afp, modality="Reported") == [CAPTURE_AYBAK, extra]


def test_graph_queries_actors_filter_by_role(store):
    assert ids(gq.actors(store, role="AgentRole").items) == [TALIBAN]
    assert ids(gq.actors(store, role="SurrenderedToRole").items) == [TALIBAN]
    assert ids(gq.actors(store, role="AffectedRole").items) == [ID + "actor/mini001/1", ID + "actor/mini002/2", AZIMI]
    assert ids(gq.actors(store, role="SpeakerRole").items) == [MUJAHID]
    assert ids(gq.actors(store, role="AffectedRole", kind="Person").items) == [AZIMI]
    assert gq.actors(store, role="AffectedRole", limit=1).total_count == 3
    with pytest.raises(UsageError, match="unknown role"):
        gq.actors(store, role="Agent")


def test_graph_queries_actors_role_counts_only_events_not_denied_claims():
    store = load_mini("""
        PREFIX kg: <https://kg.example.org/ontology#>
        GRAPH <https://kg.example.org/graph/article/mini002> {
          <https://kg.example.org/id/denied/mini002/1> a kg:DeniedClaim ; kg:claimedType kg:Surrender ;
              kg:hasParticipation <https://kg.example.org/id/participation/denied/mini002/1/1> .
          <https://kg.example.org/id/participation/denied/mini002/1/1> a kg:Participation ;
              kg:participant <https://kg.example.org/id/person/zabihullah-mujahid> ; kg:roleType kg:AgentRole . }""")
    assert ids(gq.actors(store, role="AgentRole").items) == [TALIBAN]
