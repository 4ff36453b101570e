"""The SPARQL endpoint over a real socket, with real clients: SPARQLWrapper, rdflib, httpx."""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper

from kg.server.app import create_app
from kg.server.http import negotiate
from kg.server.sparql import query_form
from kg.store import GraphStore
from kg.terms import Literal, integer
from kg.vocab import ID, KG, RDF, RDFS, article_graph
from tests.servers import running_server

pytestmark = [
    pytest.mark.slow,
    # rdflib's JSON-LD parser and SPARQLWrapper still build ConjunctiveGraphs; not ours to fix
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

G1, G2 = article_graph("a1"), article_graph("a2")
ALICE, BOB, EVENT = ID["person/alice"], ID["person/bob"], ID["event/a2/1"]
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
PERSONS = "SELECT ?s ?label WHERE { ?s a kg:Person ; rdfs:label ?label } ORDER BY ?s"  # kg: and rdfs: are built in
BAD = "SELECT ?s WHERE { ?s ?p }"


@pytest.fixture(scope="module")
def store() -> GraphStore:
    store = GraphStore(None)
    store.replace_graph(G1, [
        (ALICE, RDF.type, KG.Person, G1),
        (ALICE, RDFS.label, Literal("Alice"), G1),
    ])
    store.replace_graph(G2, [
        (BOB, RDF.type, KG.Person, G2),
        (BOB, RDFS.label, Literal("Bob", language="en"), G2),
        (EVENT, RDF.type, KG.Attack, G2),
        (EVENT, KG.killed, integer(7), G2),
    ])
    return store


@pytest.fixture(scope="module")
def base_url(store) -> str:
    with running_server(create_app(store)) as url:
        yield url


@pytest.fixture(scope="module")
def endpoint(base_url) -> str:
    return base_url + "/sparql"


def wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


# --- SPARQLWrapper -----------------------------------------------------------------------
def test_sparql_select_json_with_sparqlwrapper(endpoint):
    result = wrapper(endpoint, PERSONS, JSON).queryAndConvert()
    rows = [(b["s"]["value"], b["label"]["value"], b["label"].get("xml:lang")) for b in result["results"]["bindings"]]
    assert rows == [(ALICE.value, "Alice", None), (BOB.value, "Bob", "en")]


def test_sparql_select_xml_with_sparqlwrapper(endpoint):
    doc = wrapper(endpoint, PERSONS, XML).queryAndConvert()
    literals = [(n.firstChild.data, n.getAttribute("xml:lang")) for n in doc.getElementsByTagName("literal")]
    assert literals == [("Alice", ""), ("Bob", "en")]
    assert [n.firstChild.data for n in doc.getElementsByTagName("uri")] == [ALICE.value, BOB.value]


def test_sparql_select_csv_with_sparqlwrapper(endpoint):
    body = wrapper(endpoint, PERSONS, CSV).queryAndConvert().decode()
    assert list(csv.reader(io.StringIO(body))) == [["s", "label"], [ALICE.value, "Alice"], [BOB.value, "Bob"]]


def test_sparql_select_tsv_with_sparqlwrapper(endpoint):
    body = wrapper(endpoint, PERSONS, TSV).queryAndConvert().decode()
    lines = [line.split("\t") for line in body.splitlines()]
    assert lines == [["?s", "?label"], [ALICE.n3(), '"Alice"'], [BOB.n3(), '"Bob"@en']]


def test_sparql_ask_with_sparqlwrapper(endpoint):
    yes = f"ASK {{ {EVENT.n3()} kg:killed 7 }}"
    no = f"ASK {{ {EVENT.n3()} kg:killed 8 }}"
    assert wrapper(endpoint, yes, JSON).queryAndConvert() == {"head": {}, "boolean": True}
    assert wrapper(endpoint, no, JSON).queryAndConvert()["boolean"] is False
    assert wrapper(endpoint, yes, XML).queryAndConvert().getElementsByTagName("boolean")[0].firstChild.data == "true"


def test_sparql_construct_turtle_with_sparqlwrapper(endpoint):
    sparql = wrapper(endpoint, "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }", TURTLE)
    response = sparql.query()
    assert response.info()["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.convert(), format="turtle")
    assert set(graph) == {
        (rdflib.URIRef(ALICE.value), rdflib.RDFS.label, rdflib.Literal("Alice")),
        (rdflib.URIRef(BOB.value), rdflib.RDFS.label, rdflib.Literal("Bob", lang="en")),
    }


def test_sparql_construct_jsonld_with_sparqlwrapper(endpoint):
    sparql = wrapper(endpoint, f"DESCRIBE {EVENT.n3()}", JSONLD)
    response = sparql.query()
    assert response.info()["content-type"] == "application/ld+json"
    graph = response.convert()
    killed = rdflib.URIRef(KG.killed.value)
    assert [int(o) for o in graph.objects(rdflib.URIRef(EVENT.value), killed)] == [7]


# --- rdflib ------------------------------------------------------------------------------
def test_sparql_rdflib_sparqlstore_queries_the_union(endpoint):
    graph = rdflib.Graph(store=SPARQLStore(endpoint))
    labels = {str(row.label) for row in graph.query("SELECT ?label WHERE { ?s rdfs:label ?label }")}
    assert labels == {"Alice", "Bob"}
    assert set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(KG.Person.value))) == {
        rdflib.URIRef(ALICE.value), rdflib.URIRef(BOB.value)}
    assert graph.query(f"ASK {{ {BOB.n3()} a kg:Person }}").askAnswer is True


def test_sparql_rdflib_graph_named_by_iri_sees_only_that_graph(endpoint):
    # rdflib sends the graph's identifier as default-graph-uri
    graph = rdflib.Graph(store=SPARQLStore(endpoint), identifier=rdflib.URIRef(G1.value))
    assert [str(r.s) for r in graph.query("SELECT ?s WHERE { ?s a ?type }")] == [ALICE.value]
    construct = graph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
    assert len(construct) == 2


# --- protocol edge cases (httpx) ---------------------------------------------------------
def test_sparql_get_post_form_and_post_direct_agree(endpoint):
    get = httpx.get(endpoint, params={"query": PERSONS})
    form = httpx.post(endpoint, data={"query": PERSONS})
    direct = httpx.post(endpoint, content=PERSONS.encode(), headers={"Content-Type": "application/sparql-query"})
    for response in (get, form, direct):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/sparql-results+json"
    assert get.content == form.content == direct.content
    assert len(get.json()["results"]["bindings"]) == 2


def test_sparql_default_graph_uri_restricts_the_default_graph(endpoint):
    query = "SELECT ?s WHERE { ?s a kg:Person }"
    only_g2 = httpx.get(endpoint, params={"query": query, "default-graph-uri": G2.value}).json()
    assert [b["s"]["value"] for b in only_g2["results"]["bindings"]] == [BOB.value]
    both = httpx.post(endpoint, data={"query": query, "default-graph-uri": [G1.value, G2.value]}).json()
    assert {b["s"]["value"] for b in both["results"]["bindings"]} == {ALICE.value, BOB.value}
    direct = httpx.post(endpoint, params={"default-graph-uri": G1.value}, content=query,
                        headers={"Content-Type": "application/sparql-query"}).json()
    assert [b["s"]["value"] for b in direct["results"]["bindings"]] == [ALICE.value]


def test_sparql_named_graph_uri_limits_graph_patterns(endpoint):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    every = httpx.get(endpoint, params={"query": query}).json()
    assert {b["g"]["value"] for b in every["results"]["bindings"]} == {G1.value, G2.value}
    named = httpx.get(endpoint, params={"query": query, "named-graph-uri": G2.value}).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [G2.value]


def test_sparql_malformed_query_is_400_with_the_parser_message(endpoint):
    with pytest.raises(SyntaxError) as parser:
        pyoxigraph.Store().query(BAD)
    assert "1:" in str(parser.value)  # the parser reports line:column
    for response in (httpx.get(endpoint, params={"query": BAD}),
                     httpx.post(endpoint, content=BAD, headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert body["error"] == "malformed_query"
        assert str(parser.value) in body["message"]
        assert set(body) <= {"error", "message", "hint"}


def test_sparql_missing_or_duplicated_query_is_400(endpoint):
    missing = httpx.post(endpoint, data={"default-graph-uri": G1.value})
    assert missing.status_code == 400 and missing.json()["error"] == "bad_request"
    twice = httpx.post(endpoint, params={"query": PERSONS}, data={"query": PERSONS})
    assert twice.status_code == 400 and "both in the URL and in the body" in twice.json()["message"]
    graphs_in_url = httpx.post(endpoint, params={"default-graph-uri": G1.value}, data={"query": PERSONS})
    assert graphs_in_url.status_code == 200 and len(graphs_in_url.json()["results"]["bindings"]) == 1
    repeated = httpx.get(endpoint, params={"query": [PERSONS, PERSONS]})
    assert repeated.status_code == 400
    bad_graph = httpx.get(endpoint, params={"query": PERSONS, "default-graph-uri": "not an iri"})
    assert bad_graph.status_code == 400 and "default-graph-uri" in bad_graph.json()["message"]


def test_sparql_unacceptable_format_is_406(endpoint):
    select = httpx.get(endpoint, params={"query": PERSONS}, headers={"Accept": "image/png"})
    assert select.status_code == 406
    assert select.json()["error"] == "not_acceptable" and "application/sparql-results+json" in select.json()["hint"]
    construct = httpx.get(endpoint, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json, text/csv"})
    assert construct.status_code == 406
    wrong_family = httpx.get(endpoint, params={"query": PERSONS, "format": "turtle"})
    assert wrong_family.status_code == 406
    refused = httpx.get(endpoint, params={"query": PERSONS}, headers={"Accept": "application/sparql-results+json;q=0"})
    assert refused.status_code == 406
    unknown = httpx.get(endpoint, params={"query": PERSONS, "format": "yaml"})
    assert unknown.status_code == 400


def test_sparql_negotiates_q_values_wildcards_and_format_override(endpoint):
    def content_type(query, accept=None, **params):
        headers = {"Accept": accept} if accept else {}
        response = httpx.get(endpoint, params={"query": query, **params}, headers=headers)
        assert response.status_code == 200, response.text
        return response.headers["content-type"].split(";")[0]

    construct = "CONSTRUCT WHERE { ?s ?p ?o }"
    assert content_type(PERSONS) == "application/sparql-results+json"
    assert content_type(construct) == "text/turtle"
    assert content_type(PERSONS, "application/sparql-results+json;q=0.5, text/csv") == "text/csv"
    assert content_type(PERSONS, "text/*") == "text/csv"
    assert content_type(PERSONS, "*/*;q=0.1, application/sparql-results+xml") == "application/sparql-results+xml"
    assert content_type(construct, "application/n-triples, */*;q=0.1") == "application/n-triples"
    assert content_type(construct, "application/rdf+xml") == "application/rdf+xml"
    assert content_type(PERSONS, "text/csv", format="tsv") == "text/tab-separated-values"
    assert content_type(construct, format="jsonld") == "application/ld+json"
    assert content_type(construct, format="application/n-triples") == "application/n-triples"
    ntriples = httpx.get(endpoint, params={"query": construct, "format": "ntriples"}).text
    assert len(ntriples.strip().splitlines()) == 6


def test_sparql_post_with_other_content_type_is_415(endpoint):
    for content_type in ("text/plain", "application/json", None):
        headers = {"Content-Type": content_type} if content_type else {}
        response = httpx.post(endpoint, content=PERSONS.encode(), headers=headers)
        assert response.status_code == 415
        assert response.json()["error"] == "unsupported_media_type"


def test_sparql_updates_without_a_configured_token_are_refused_and_change_nothing(endpoint, store):
    before = sorted(map(repr, store.quads()))
    update = f"INSERT DATA {{ GRAPH {G1.n3()} {{ {ALICE.n3()} rdfs:label \"Mallory\" }} }}"
    attempts = [
        httpx.post(endpoint, data={"update": update}),
        httpx.post(endpoint, content=update, headers={"Content-Type": "application/sparql-update",
                                                      "Authorization": "Bearer guessed-token-guessed"}),
    ]
    for response in attempts:
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden" and "disabled" in response.json()["message"]
    # Not updates the protocol allows at all: 400 whatever the token.
    for response in (httpx.get(endpoint, params={"update": update}),
                     httpx.post(endpoint, data={"query": PERSONS, "update": update})):
        assert response.status_code == 400
    assert sorted(map(repr, store.quads())) == before
    assert httpx.get(endpoint, params={"query": 'ASK { ?s rdfs:label "Mallory" }'}).json()["boolean"] is False


def test_sparql_service_description_is_turtle_naming_the_endpoint(endpoint):
    response = httpx.get(endpoint)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    service = graph.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert graph.value(service, SD.endpoint) == rdflib.URIRef(endpoint)
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(service, SD.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle", "JSON-LD"} <= formats


def test_sparql_service_description_is_negotiated(endpoint):
    jsonld = httpx.get(endpoint, headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"] == "application/ld+json"
    graph = rdflib.Graph().parse(data=jsonld.text, format="json-ld")
    assert list(graph.objects(None, SD.endpoint)) == [rdflib.URIRef(endpoint)]
    rdfxml = httpx.get(endpoint, params={"format": "rdfxml"})
    assert (None, SD.feature, SD.UnionDefaultGraph) in rdflib.Graph().parse(data=rdfxml.text, format="xml")
    assert httpx.get(endpoint, headers={"Accept": "text/csv"}).status_code == 406


def test_sparql_cors_and_vary_headers(endpoint):
    origin = {"Origin": "https://yasgui.example"}
    for response in (httpx.get(endpoint, params={"query": PERSONS}, headers=origin),
                     httpx.post(endpoint, data={"query": PERSONS}, headers=origin),
                     httpx.get(endpoint, params={"query": BAD}, headers=origin)):
        assert response.headers["access-control-allow-origin"] == "*"
        assert "Accept" in response.headers["vary"]
    preflight = httpx.options(endpoint, headers={**origin, "Access-Control-Request-Method": "POST",
                                                 "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    plain = httpx.options(endpoint)
    assert plain.status_code == 204 and "POST" in plain.headers["allow"]


def test_sparql_concurrent_queries_run_off_the_event_loop(endpoint):
    queries = [f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {i}" for i in range(24)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda q: httpx.post(endpoint, data={"query": q}).json(), queries))
    assert {a["results"]["bindings"][0]["n"]["value"] for a in answers} == {"6"}


# --- the rest of the app and the helpers ---------------------------------------------------
def test_app_home_healthz_and_json_404(base_url):
    home = httpx.get(base_url + "/")
    assert home.headers["content-type"].startswith("text/html") and 'href="/sparql"' in home.text
    assert httpx.get(base_url + "/healthz").json() == {"status": "ok"}
    missing = httpx.get(base_url + "/nowhere")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    wrong_method = httpx.delete(base_url + "/sparql")
    assert wrong_method.status_code == 405 and wrong_method.json()["error"] == "method_not_allowed"


def test_http_negotiate_prefers_q_then_specificity_then_server_order():
    offers = ["application/sparql-results+json", "text/csv"]
    assert negotiate(None, offers) == "application/sparql-results+json"
    assert negotiate("", offers) == "application/sparql-results+json"
    assert negotiate("text/csv, */*", offers) == "text/csv"
    assert negotiate("*/*;q=0.9, text/csv;q=0.8", offers) == "application/sparql-results+json"
    assert negotiate("text/*;q=0.5, text/csv;q=0", offers) is None
    assert negotiate("image/png", offers) is None


def test_sparql_query_form_skips_the_prologue():
    prologue = "# a comment with SELECT\nBASE <http://x/>\nPREFIX kg: <https://kg.example.org/ontology#>\n"
    assert query_form(prologue + "select * { ?s ?p ?o }") == "results"
    assert query_form(prologue + "ASK {}") == "results"
    assert query_form(prologue + "CONSTRUCT WHERE { ?s ?p ?o }") == "graph"
    assert query_form("describe <http://x>") == "graph"
    assert query_form("INSERT DATA {}") is None


def test_sparql_serialisations_parse_back(endpoint):
    # every graph format the endpoint offers parses back to the same graph
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    parsers = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}
    graphs = [rdflib.Graph().parse(data=httpx.get(endpoint, params={"query": query, "format": f}).text, format=p)
              for f, p in parsers.items()]
    assert all(len(g) == 6 for g in graphs)
    assert all(set(g) == set(graphs[0]) for g in graphs)
    rows = json.loads(httpx.get(endpoint, params={"query": PERSONS, "format": "json"}).text)
    assert rows["head"]["vars"] == ["s", "label"]
