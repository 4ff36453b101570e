"""The GraphQL schema over the hand-written graph in tests/fixtures/mini.trig."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from strawberry.printer import print_schema

from kg.server.graphql import graphql_app, schema
from kg.store import GraphStore
from tests.conftest import load_mini

ROOT = Path(__file__).parent.parent
ID = "https://kg.example.org/id/"




@pytest.fixture(scope="module")
def store() -> GraphStore:
    return load_mini()


def run(store: GraphStore, query: str, **variables) -> dict:
    result = schema.execute_sync(query, variable_values=variables, context_value={"store": store})
    assert result.errors is None, result.errors
    return result.data


def count_queries(store: GraphStore) -> list[str]:
    """Record every SPARQL query the store runs from now on."""
    seen: list[str] = []
    original = store.select

    def select(sparql, **kwargs):
        seen.append(sparql)
        return original(sparql, **kwargs)

    store.select = select
    return seen


def extra_surrenders(n: int) -> str:
    """TriG for `n` more surrenders in Aybak, each with its own named person holding a position."""
    lines = ["PREFIX kg: <https://kg.example.org/ontology#>", "PREFIX id: <https://kg.example.org/id/>",
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
             "GRAPH <https://kg.example.org/graph/article/bulk> {"]
    for i in range(n):
        e, p, a, pos = (f"<{ID}event/bulk/{i}>", f"<{ID}participation/bulk/{i}/1>", f"<{ID}person/bulk-{i}>",
                        f"<{ID}position/bulk-{i}/commander>")
        lines += [
            f'{e} a kg:Surrender, kg:Event ; rdfs:label "bulk surrender {i}" ; kg:place <{ID}place/city/aybak> ;',
            f'  kg:date "2021-08-{10 + i % 5:02d}"^^<http://www.w3.org/2001/XMLSchema#date> ;',
            f"  kg:evidence <{ID}evidence/mini001/0-126> ; kg:hasParticipation {p} .",
            f"{p} a kg:Participation ; kg:participant {a} ; kg:roleType kg:AffectedRole .",
            f'{a} a kg:Person ; rdfs:label "Commander {i}" ; kg:holdsPosition {pos} .',
            f'{pos} a kg:Position ; kg:title "commander" ; kg:positionPlace <{ID}place/province/samangan> .',
        ]
    return "\n".join(lines + ["}"])


DEEP_QUERY = """
query Deep($first: Int!) {
  events(first: $first) {
    totalCount
    nodes {
      id type date
      place { name parent { name } }
      provinces { name }
      participants { role actor { label positions { title place { name } } } }
      evidence { text accordingTo { label } article { headline outlet { name } } }
    }
  }
}"""


def test_server_graphql_events_connection_pages_with_cursors(store):
    query = """query($after: String) { events(first: 2, after: $after) {
        totalCount pageInfo { endCursor hasNextPage } edges { cursor node { id } } nodes { id } } }"""
    seen, after, pages = [], None, 0
    while True:
        page = run(store, query, after=after)["events"]
        assert page["totalCount"] == 5
        assert [e["node"]["id"] for e in page["edges"]] == [n["id"] for n in page["nodes"]]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        seen += [n["id"] for n in page["nodes"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3
    assert seen == [ID + "event/mini001/1", ID + "event/mini001/2", ID + "event/mini002/1",
                    ID + "event/mini002/2", ID + "event/mini002/3"]


def test_server_graphql_events_filter(store):
    query = """query($filter: EventFilter) { events(filter: $filter) { totalCount nodes { id type types } } }"""
    surrenders = run(store, query, filter={"types": ["SURRENDER"]})["events"]
    assert surrenders["totalCount"] == 2
    assert [(n["type"], n["types"]) for n in surrenders["nodes"]] == [
        ("SURRENDER", ["SURRENDER"]), ("DEFECTION", ["DEFECTION", "SURRENDER"])]
    in_samangan = run(store, query, filter={"place": ID + "place/province/samangan", "role": "AGENT"})["events"]
    assert [n["id"] for n in in_samangan["nodes"]] == [ID + "event/mini001/2"]
    dated = run(store, query, filter={"dateFrom": "2021-08-14", "dateTo": "2021-08-14",
                                      "actor": ID + "actor/taliban", "province": "balkh"})["events"]
    assert [n["id"] for n in dated["nodes"]] == [ID + "event/mini002/1", ID + "event/mini002/2"]


def test_server_graphql_surrenders_answer_who_where_when_and_evidence(store):
    data = run(store, """{ surrenders {
        id type date datePrecision timeExpression notAfter
        provinces { name }
        participants { role actor { __typename name label ... on Person { positions { title isFormer place { name } } } } }
        evidence { text begin end modality article { headline published } } } }""")
    first, second = data["surrenders"]
    assert (first["type"], first["date"], first["datePrecision"], first["timeExpression"], first["notAfter"]) == (
        "SURRENDER", "2021-08-08", "DAY", "on Sunday", "2021-08-09")
    assert first["provinces"] == [{"name": "Samangan"}]
    assert [(p["role"], p["actor"]["__typename"], p["actor"]["label"]) for p in first["participants"]] == [
        ("AFFECTED", "Person", "Asif Azimi"),
        ("AFFECTED", "Group", "several pro-government militia commanders"),
        ("SURRENDERED_TO", "Organisation", "Taliban")]
    assert first["participants"][0]["actor"]["positions"] == [
        {"title": "deputy governor", "isFormer": False, "place": {"name": "Samangan"}}]
    assert first["participants"][1]["actor"]["name"] is None
    (evidence,) = first["evidence"]
    assert evidence["text"].startswith("Samangan deputy governor Asif Azimi surrendered")
    assert (evidence["begin"], evidence["end"], evidence["modality"]) == (0, 126, "ASSERTED")
    assert evidence["article"]["published"] == "2021-08-09"
    assert (second["type"], second["provinces"]) == ("DEFECTION", [{"name": "Balkh"}])


def test_server_graphql_surrenders_filter_by_province(store):
    query = "query($p: String) { surrenders(province: $p) { id } }"
    assert run(store, query, p="Balkh province")["surrenders"] == [{"id": ID + "event/mini002/2"}]
    assert run(store, query, p="Kandahar")["surrenders"] == []


def test_server_graphql_event_place_counts_and_places(store):
    data = run(store, """query($id: ID!, $mazar: ID!) {
        aybak: event(id: $id) { place { name kind } places { name } }
        mazar: event(id: $mazar) { counts { killed injured displaced } evidence { accordingTo { label } } }
        missing: event(id: "https://kg.example.org/id/event/none") { id } }""",
                id=ID + "event/mini001/2", mazar=ID + "event/mini002/1")
    assert data["aybak"]["place"] == {"name": "Aybak", "kind": "CITY"}
    assert data["aybak"]["places"] == [{"name": "Aybak"}, {"name": "Samangan"}]
    assert data["mazar"]["counts"] == {"killed": 7, "injured": None, "displaced": None}
    assert data["mazar"]["evidence"][0]["accordingTo"] == {"label": "a Balkh official"}
    assert data["missing"] is None


def test_server_graphql_actors_are_an_interface_over_kinds(store):
    data = run(store, """{
        orgs: actors(kind: ORGANISATION) { totalCount nodes { __typename name wikidata ... on Organisation { kind } } }
        named: actors(nameContains: "mujahid") { nodes { name positions { title organisation { name } } } }
        group: actor(id: "https://kg.example.org/id/actor/mini002/2") { __typename label ... on Group { size } } }""")
    assert data["orgs"]["totalCount"] == 2
    assert data["orgs"]["nodes"] == [
        {"__typename": "Organisation", "name": "Agence France-Presse", "wikidata": "http://www.wikidata.org/entity/Q40464",
         "kind": "MEDIA_OUTLET"},
        {"__typename": "Organisation", "name": "Taliban", "wikidata": None, "kind": "ARMED_GROUP"}]
    assert data["named"]["nodes"] == [
        {"name": "Zabihullah Mujahid", "positions": [{"title": "spokesman", "organisation": {"name": "Taliban"}}]}]
    assert data["group"] == {"__typename": "Group", "label": "Dozens of soldiers", "size": None}


def test_server_graphql_places_hierarchy(store):
    data = run(store, """{
        countries: places(kind: COUNTRY) { nodes { name wikidata children { name children { name kind } } } }
        aibak: places(name: "AIBAK") { nodes { name latitude longitude parent { name parent { name } } } } }""")
    (afghanistan,) = data["countries"]["nodes"]
    assert afghanistan["wikidata"] == "http://www.wikidata.org/entity/Q889"
    assert afghanistan["children"] == [
        {"name": "Balkh", "children": [{"name": "Mazar-i-Sharif", "kind": "CITY"}]},
        {"name": "Samangan", "children": [{"name": "Aybak", "kind": "CITY"}]}]
    assert data["aibak"]["nodes"] == [{"name": "Aybak", "latitude": 36.261, "longitude": 68.04,
                              "parent": {"name": "Samangan", "parent": {"name": "Afghanistan"}}}]


def test_server_graphql_articles(store):
    data = run(store, "{ articles { totalCount nodes { identifier headline url published language outlet { name } } } }")
    assert data["articles"]["totalCount"] == 2
    assert data["articles"]["nodes"] == [
        {"identifier": "mini001", "headline": "Taliban take Aybak after Samangan deputy governor surrenders",
         "url": "https://news.example.com/2021/08/09/aybak", "published": "2021-08-09", "language": "en",
         "outlet": {"name": "Agence France-Presse"}},
        {"identifier": "mini002", "headline": "Mazar-i-Sharif falls to the Taliban", "url": None,
         "published": "2021-08-15", "language": "en", "outlet": None}]


def test_server_graphql_query_count_does_not_grow_with_events():
    counts = {}
    for extra in (0, 40):
        store = load_mini(extra_surrenders(extra) if extra else "")
        queries = count_queries(store)
        data = run(store, DEEP_QUERY, first=100)
        assert data["events"]["totalCount"] == 5 + extra
        assert len(data["events"]["nodes"]) == 5 + extra
        counts[extra] = len(queries)
    # One query per nested field per level: page, count, details, then one per nested field.
    assert counts[0] == counts[40] <= 16, counts


def test_server_graphql_bad_input_is_a_graphql_error(store):
    result = schema.execute_sync('{ events(after: "garbage") { totalCount } }', context_value={"store": store})
    assert result.data is None
    assert "malformed cursor" in result.errors[0].message
    result = schema.execute_sync('{ event(id: "not an iri") { id } }', context_value={"store": store})
    assert "not an IRI" in result.errors[0].message


def test_server_graphql_asgi_app_serves_queries(store):
    # The GraphiQL page (GET) comes from kg.server.ui and is tested there.
    async def exchange():
        transport = httpx.ASGITransport(app=graphql_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post("/", json={"query": "{ events(first: 1) { totalCount nodes { label } } }"})

    answer = asyncio.run(exchange())
    assert answer.status_code == 200
    assert answer.json() == {"data": {"events": {"totalCount": 5, "nodes": [{"label": "surrender in Samangan"}]}}}


def test_server_graphql_events_filter_by_outlet_and_modality(store):
    query = """query($filter: EventFilter) { events(filter: $filter) { totalCount nodes { id } } }"""
    afp = ID + "actor/agence-france-presse"
    by_afp = run(store, query, filter={"outlet": afp})["events"]
    assert [n["id"] for n in by_afp["nodes"]] == [ID + "event/mini001/1", ID + "event/mini001/2"]
    reported = run(store, query, filter={"modality": "REPORTED"})["events"]
    assert [n["id"] for n in reported["nodes"]] == [ID + "event/mini001/2", ID + "event/mini002/1"]
    both = run(store, query, filter={"modality": "REPORTED", "outlet": afp})["events"]
    assert [n["id"] for n in both["nodes"]] == [ID + "event/mini001/2"] and both["totalCount"] == 1
    assert run(store, query, filter={"modality": "CLAIMED"})["events"]["totalCount"] == 0


def test_server_graphql_actors_filter_by_role(store):
    query = "query($role: Role, $kind: ActorKind) { actors(role: $role, kind: $kind) { totalCount nodes { id } } }"
    assert [n["id"] for n in run(store, query, role="SPEAKER")["actors"]["nodes"]] == [ID + "person/zabihullah-mujahid"]
    assert [n["id"] for n in run(store, query, role="SURRENDERED_TO")["actors"]["nodes"]] == [ID + "actor/taliban"]
    affected = run(store, query, role="AFFECTED", kind="PERSON")["actors"]
    assert [n["id"] for n in affected["nodes"]] == [ID + "person/asif-azimi"] and affected["totalCount"] == 1
    assert run(store, query)["actors"]["totalCount"] == 7  # no role: everyone


def test_server_graphql_places_and_articles_page_with_cursors(store):
    query = """query($after: String) { places(first: 2, after: $after) {
        totalCount pageInfo { endCursor hasNextPage } nodes { name } } }"""
    names, after = [], None
    while True:
        page = run(store, query, after=after)["places"]
        assert page["totalCount"] == 5 and len(page["nodes"]) <= 2
        names += [n["name"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert names == ["Afghanistan", "Aybak", "Balkh", "Mazar-i-Sharif", "Samangan"]
    data = run(store, """query($afp: ID!) {
        first: articles(first: 1) { pageInfo { hasNextPage } nodes { identifier } }
        afp: articles(outlet: $afp) { totalCount nodes { identifier } } }""", afp=ID + "actor/agence-france-presse")
    assert data["first"] == {"pageInfo": {"hasNextPage": True}, "nodes": [{"identifier": "mini001"}]}
    assert data["afp"] == {"totalCount": 1, "nodes": [{"identifier": "mini001"}]}


def test_server_graphql_article_events_in_one_level_of_queries():
    store = load_mini()
    queries = count_queries(store)
    data = run(store, "{ articles { nodes { identifier events { id evidence { article { identifier } } } } } }")
    events = {a["identifier"]: [e["id"] for e in a["events"]] for a in data["articles"]["nodes"]}
    assert events == {"mini001": [ID + "event/mini001/1", ID + "event/mini001/2"],
                      "mini002": [ID + "event/mini002/1", ID + "event/mini002/2", ID + "event/mini002/3"]}
    # each event's evidence is in the article that lists it
    for article in data["articles"]["nodes"]:
        assert {ev["article"]["identifier"] for e in article["events"] for ev in e["evidence"]} == {article["identifier"]}
    # page, count, article details; events (ids, details); evidence; evidence articles
    assert len(queries) == 7, queries


def test_server_graphql_printed_schema_matches_checked_in_file():
    checked_in = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert print_schema(schema).strip() == checked_in.strip(), (
        "schema.graphql is out of date; regenerate it with: python -m kg.server.graphql > schema.graphql")


def test_server_graphql_timeout_inside_the_request_drops_partial_data():
    # A nested level hitting the request deadline: the answer is the timeout error alone, not the
    # events with null places; and the failed level is not retried once per event.
    from kg.errors import QueryTimeout

    store = load_mini()
    original, calls = store.select, []

    def select(sparql, **kwargs):
        calls.append(sparql)
        if len(calls) == 4:  # page, count, event details, then the places level
            raise QueryTimeout("deadline")
        return original(sparql, **kwargs)

    store.select = select

    async def exchange():
        transport = httpx.ASGITransport(app=graphql_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post("/", json={"query": "{ events(first: 2) { nodes { id place { name } } } }"})

    answer = asyncio.run(exchange())
    assert len(calls) == 4
    assert answer.status_code == 200
    assert answer.json()["data"] is None
    assert [e["message"] for e in answer.json()["errors"]] == [
        "the GraphQL request took more than 30 s and was stopped"]
