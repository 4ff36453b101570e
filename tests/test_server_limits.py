"""What makes the endpoints safe on a public address: the update token, size and row limits,
timeouts, refused LOAD and SERVICE, and the Graph Store Protocol's access rules. Every refused
request must leave the store unchanged."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
import rdflib

from kg.errors import QueryTimeout
from kg.server.app import create_app
from kg.server.runner import StoreRunner
from kg.server.settings import ServerSettings
from kg.store import GraphStore
from kg.terms import Literal
from kg.vocab import ID, KG, RDF, RDFS, article_graph
from tests.servers import running_server

pytestmark = pytest.mark.slow

TOKEN = "test-update-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
G = article_graph("limits")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
ROWS = 40


def _store() -> GraphStore:
    store = GraphStore(None)
    people = [ID[f"person/p{i}"] for i in range(ROWS)]
    store.replace_graph(G, [q for p in people for q in ((p, RDF.type, KG.Person, G), (p, RDFS.label, Literal(p.value[-3:]), G))])
    return store


def _snapshot(store: GraphStore) -> list[str]:
    return sorted(map(repr, store.quads()))


@pytest.fixture
def server():
    """A fresh store per test, so each test can check that nothing changed."""
    store = _store()
    settings = ServerSettings(update_token=TOKEN, max_rows=ROWS + 5, max_body=4_000, query_timeout=2.0)
    with running_server(create_app(store, settings)) as base:
        yield store, base


def _ask(base: str, query: str) -> bool:
    return httpx.get(base + "/sparql", params={"query": query}).json()["boolean"]


# --- updates --------------------------------------------------------------------------------
def test_update_with_the_token_is_applied_once_and_answers_204(server):
    store, base = server
    update = f'INSERT DATA {{ GRAPH <{G.value}> {{ <{ID["person/p1"].value}> rdfs:label "Renamed" }} }}'
    response = httpx.post(base + "/sparql", content=update, headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert response.status_code == 204, response.text
    assert _ask(base, 'ASK { ?p rdfs:label "Renamed" }')
    response = httpx.post(base + "/sparql", data={"update": 'DELETE WHERE { GRAPH ?g { ?p rdfs:label "Renamed" } }'},
                          headers=AUTH)
    assert response.status_code == 204
    assert not _ask(base, 'ASK { ?p rdfs:label "Renamed" }')


@pytest.mark.parametrize("headers,status,code", [
    ({}, 401, "unauthorized"),
    ({"Authorization": "Bearer wrong-token-wrong-token"}, 403, "forbidden"),
    ({"Authorization": f"Basic {TOKEN}"}, 401, "unauthorized"),
])
def test_update_without_the_right_token_is_refused_and_changes_nothing(server, headers, status, code):
    store, base = server
    before = _snapshot(store)
    response = httpx.post(base + "/sparql", data={"update": "DROP ALL"}, headers=headers)
    assert response.status_code == status and response.json()["error"] == code
    if status == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert _snapshot(store) == before


@pytest.mark.parametrize("update,word", [
    ("LOAD <http://127.0.0.1:9/secret.ttl>", "LOAD"),
    ("load silent <file:///etc/passwd> INTO GRAPH <http://x/g>", "LOAD"),
    ("INSERT { GRAPH <http://x/g> { ?s ?p ?o } } WHERE { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }", "SERVICE"),
])
def test_update_that_would_fetch_from_other_hosts_is_refused(server, update, word):
    store, base = server
    before = _snapshot(store)
    response = httpx.post(base + "/sparql", data={"update": update}, headers=AUTH)
    assert response.status_code == 403 and word in response.json()["message"]
    assert _snapshot(store) == before


def test_load_inside_a_string_is_not_a_load(server):
    _, base = server
    update = f'INSERT DATA {{ GRAPH <{G.value}> {{ <http://x/s> rdfs:comment "LOAD <http://x>" }} }}'
    assert httpx.post(base + "/sparql", data={"update": update}, headers=AUTH).status_code == 204


def test_malformed_update_is_400_with_the_parser_message_and_changes_nothing(server):
    store, base = server
    before = _snapshot(store)
    response = httpx.post(base + "/sparql", data={"update": "DROP ALL ; INSERT DATA { <a> }"}, headers=AUTH)
    assert response.status_code == 400 and "malformed SPARQL update" in response.json()["message"]
    assert _snapshot(store) == before  # the DROP before the error was not applied either


def test_update_dataset_from_the_protocol_is_used_and_a_conflict_refused(server):
    store, base = server
    other = article_graph("other")
    store.replace_graph(other, [(ID["person/x"], RDF.type, KG.Person, other)])
    update = "INSERT { GRAPH <http://x/copy> { ?p a kg:Person } } WHERE { ?p a kg:Person }"
    response = httpx.post(base + "/sparql", params={"using-graph-uri": other.value}, data={"update": update}, headers=AUTH)
    assert response.status_code == 204
    copied = httpx.get(base + "/sparql", params={"query": "SELECT ?p { GRAPH <http://x/copy> { ?p a kg:Person } }"}).json()
    assert [b["p"]["value"] for b in copied["results"]["bindings"]] == [ID["person/x"].value]
    conflict = "WITH <http://x/copy> DELETE { ?p a kg:Person } WHERE { ?p a kg:Person }"
    response = httpx.post(base + "/sparql", params={"using-graph-uri": other.value}, data={"update": conflict}, headers=AUTH)
    assert response.status_code == 400


# --- limits ---------------------------------------------------------------------------------
def test_oversized_request_body_is_413_and_changes_nothing(server):
    store, base = server
    before = _snapshot(store)
    big = "INSERT DATA { GRAPH <http://x/g> { " + " ".join(f"<http://x/s{i}> <http://x/p> {i} ." for i in range(500)) + " } }"
    response = httpx.post(base + "/sparql", content=big, headers={**AUTH, "Content-Type": "application/sparql-update"})
    assert response.status_code == 413 and "4000" in response.json()["message"]
    query = "SELECT * WHERE { ?s ?p ?o FILTER(?o != '" + "x" * 5000 + "') }"
    assert httpx.post(base + "/sparql", data={"query": query}).status_code == 413
    assert _snapshot(store) == before


def test_answers_over_the_row_limit_are_an_error_never_a_cut_answer(server):
    _, base = server
    within = httpx.get(base + "/sparql", params={"query": "SELECT ?p WHERE { ?p a kg:Person }"})
    assert within.status_code == 200 and len(within.json()["results"]["bindings"]) == ROWS
    for query in ("SELECT * WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"):
        for accept in ("application/sparql-results+json", "text/csv", "text/turtle", "application/ld+json"):
            response = httpx.get(base + "/sparql", params={"query": query}, headers={"Accept": f"{accept}, */*;q=0.1"})
            assert response.status_code == 400, (query, accept)
            assert response.json()["error"] == "too_many_rows" and str(ROWS + 5) in response.json()["message"]
    response = httpx.get(base + "/store", params={"graph": G.value})
    assert response.status_code == 400 and response.json()["error"] == "too_many_rows"


def test_a_query_over_time_gets_an_error_status_not_a_partial_answer():
    store = _store()
    # Every person with every triple, three times over: millions of rows, streamed until the deadline.
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    settings = ServerSettings(query_timeout=0.5, max_rows=10**9)
    with running_server(create_app(store, settings)) as base:
        started = time.monotonic()
        response = httpx.get(base + "/sparql", params={"query": query}, timeout=30)
        elapsed = time.monotonic() - started
        assert response.status_code == 503 and response.json()["error"] == "timeout"
        assert elapsed < 10
        # The server still answers.
        assert httpx.get(base + "/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_runner_gives_up_on_work_that_has_not_produced_anything_by_the_deadline():
    runner = StoreRunner(ServerSettings(query_timeout=0.2, max_concurrent_queries=1))

    def slow(*, deadline):
        time.sleep(1.0)
        return "late"

    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        asyncio.run(runner.read(slow))
    assert time.monotonic() - started < 0.9


# --- graph store protocol ----------------------------------------------------------------------
def test_graph_store_reads_are_open_writes_need_the_token(server):
    store, base = server
    turtle = httpx.get(base + "/store", params={"graph": G.value}, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 400  # over the row limit: 80 triples > 45
    before = _snapshot(store)
    doc = b"<http://x/s> <http://x/p> <http://x/o> ."
    for method in ("PUT", "POST"):
        response = httpx.request(method, base + "/store", params={"graph": "http://x/new"}, content=doc,
                                 headers={"Content-Type": "application/n-triples"})
        assert response.status_code == 401
    assert httpx.delete(base + "/store", params={"graph": G.value}).status_code == 401
    assert _snapshot(store) == before
    response = httpx.put(base + "/store", params={"graph": "http://x/new"}, content=doc,
                         headers={**AUTH, "Content-Type": "application/n-triples"})
    assert response.status_code == 201
    got = httpx.get(base + "/store", params={"graph": "http://x/new"}, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200 and got.text.strip() == doc.decode()
    assert httpx.get(base + "/store", params={"graph": "http://x/missing"}).status_code == 404


def test_graph_store_refuses_bad_documents_and_changes_nothing(server):
    store, base = server
    before = _snapshot(store)
    bad = httpx.put(base + "/store", params={"graph": G.value}, content=b"<http://x/s> <http://x/p> .",
                    headers={**AUTH, "Content-Type": "text/turtle"})
    assert bad.status_code == 400 and "malformed" in bad.json()["message"]
    quads = httpx.put(base + "/store", params={"graph": G.value}, content=b"<http://x/s> <http://x/p> <http://x/o> <http://x/g> .",
                      headers={**AUTH, "Content-Type": "application/n-quads"})
    assert quads.status_code == 415
    assert _snapshot(store) == before


# --- descriptions ------------------------------------------------------------------------------
def test_void_counts_the_dataset_and_follows_updates(server):
    store, base = server
    response = httpx.get(base + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    void = rdflib.Graph().parse(data=response.content, format="turtle")
    dataset = rdflib.URIRef(base + "/void#dataset")
    assert int(void.value(dataset, VOID.triples)) == len(store.quads()) == 2 * ROWS
    assert void.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(base + "/sparql")
    persons = [p for p in void.objects(dataset, VOID.classPartition)
               if void.value(p, VOID["class"]) == rdflib.URIRef(KG.Person.value)]
    assert [int(void.value(p, VOID.entities)) for p in persons] == [ROWS]
    update = f"INSERT DATA {{ GRAPH <{G.value}> {{ <http://x/new> a kg:Person }} }}"
    assert httpx.post(base + "/sparql", data={"update": update}, headers=AUTH).status_code == 204
    void = rdflib.Graph().parse(data=httpx.get(base + "/void").content, format="turtle")
    assert int(void.value(dataset, VOID.triples)) == 2 * ROWS + 1


def test_service_description_offers_update_only_with_a_token(server):
    _, base = server
    with_token = rdflib.Graph().parse(data=httpx.get(base + "/sparql").content, format="turtle")
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) in with_token
    with running_server(create_app(_store(), ServerSettings())) as other:
        without = rdflib.Graph().parse(data=httpx.get(other + "/sparql").content, format="turtle")
    assert (None, SD.supportedLanguage, SD.SPARQL11Query) in without
    assert (None, SD.supportedLanguage, SD.SPARQL11Update) not in without
