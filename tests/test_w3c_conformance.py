"""The W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description test suites, run
against /sparql and /store over a real socket.

The manifests describe each test as HTTP requests (ht: vocabulary) and the expected responses; they
live outside the project (../shared/w3c-sparql11/, see its README) and these tests skip without them.
Requests carry the update token, as a client allowed to write would.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from kg.server.app import create_app
from kg.server.settings import ServerSettings
from kg.store import GraphStore
from kg.terms import IRI
from tests.servers import running_server

SUITE = Path(os.environ.get("KG_W3C_TESTS", Path(__file__).resolve().parents[2] / "shared" / "w3c-sparql11"))
pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason=f"W3C SPARQL 1.1 test manifests not found at {SUITE}")

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
TOKEN = "w3c-conformance-token-0123456789"
STATUS = {"OK": {200}, "Created": {201}, "NoContent": {204}, "NotFound": {404}}
RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld"}


def _manifest(path: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    for included in graph.objects(None, MF.include):
        for item in Collection(graph, included):
            graph.parse(path.parent / Path(str(item)).name, format="turtle")
    return graph


def _tests(manifest: str, kind) -> list[tuple[str, rdflib.Graph, rdflib.term.Node]]:
    path = SUITE / manifest
    if not path.exists():
        return []
    graph = _manifest(path)
    tests = list(graph.subjects(RDF.type, kind))
    return sorted(((str(t).rsplit("#", 1)[-1], graph, t) for t in tests), key=lambda x: x[0])


def _ids(tests):
    return [name for name, _, _ in tests]


PROTOCOL = _tests("protocol/manifest.ttl", MF.ProtocolTest)
GRAPH_STORE = _tests("graph-store-protocol/manifest.ttl", MF.GraphStoreProtocolTest)


@pytest.fixture(scope="module")
def server():
    store = GraphStore(None)
    with running_server(create_app(store, ServerSettings(update_token=TOKEN))) as base:
        yield store, base


def _expected_statuses(graph, response) -> set[int]:
    codes: set[int] = set()
    for status in graph.objects(response, MF.expectedStatus):
        name = str(status).removeprefix(HTS)
        match = re.fullmatch(r"StatusCode(\d)xx", name)
        codes |= set(range(int(match.group(1)) * 100, int(match.group(1)) * 100 + 100)) if match else STATUS[name]
    return codes


def _headers(graph, node) -> dict[str, str]:
    headers = graph.value(node, HT.headers)
    if headers is None:
        return {}
    return {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue)) for h in Collection(graph, headers)}


def _body(graph, node) -> tuple[str, str] | None:
    body = graph.value(node, HT.body)
    if body is None:
        return None
    return str(graph.value(body, CNT.chars)), str(graph.value(body, CNT.characterEncoding) or "UTF-8")


def _run(graph, test, base: str, path_of) -> None:
    """Send each request of `test` in order; check each response against the manifest."""
    variables: dict[str, str] = {}
    action = graph.value(test, MF.action)
    for request in Collection(graph, graph.value(action, HT.requests)):
        path = str(graph.value(request, HT.absolutePath))
        for name, value in variables.items():
            path = path.replace(name, value)
        headers = {**_headers(graph, request), "authorization": f"Bearer {TOKEN}"}
        body = _body(graph, request)
        content = None
        if body is not None:
            text, encoding = body
            for name, value in variables.items():
                text = text.replace(name, value)
            content = text.encode(encoding)
        method = str(graph.value(request, HT.methodName))
        response = httpx.request(method, base + path_of(path), headers=headers, content=content, timeout=30)
        expected = graph.value(request, HT.resp)
        where = f"{method} {path} -> {response.status_code} {response.text[:300]}"
        assert response.status_code in _expected_statuses(graph, expected), where
        location = graph.value(expected, MF.expectedLocation)
        if location is not None:
            assert response.headers.get("location"), where
            variables[str(location)] = response.headers["location"]
        media = response.headers.get("content-type", "").split(";")[0].strip()
        expected_format = graph.value(expected, MF.expectedFormat)
        if expected_format is not None:
            if str(expected_format) in ("boolean", "tabular"):
                assert media in RESULT_TYPES, where
            else:
                assert media in RDF_TYPES, where
                rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media])
        boolean = graph.value(expected, MF.expectedBoolean)
        if boolean is not None:
            assert media == "application/sparql-results+json", where
            assert json.loads(response.content)["boolean"] is boolean.toPython(), where
        expected_body = _body(graph, expected)
        if expected_body is not None:
            expected_media = _headers(graph, expected).get("content-type", "").split(";")[0].strip()
            assert media == expected_media, where
            got = rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media], publicID=base + path_of(path))
            want = rdflib.Graph().parse(data=expected_body[0], format=RDF_TYPES[expected_media])
            assert isomorphic(got, want), f"{where}\nexpected:\n{want.serialize(format='nt')}"


def _load_graph_data(graph, test, store: GraphStore, manifest_dir: Path) -> None:
    store.update("DROP SILENT ALL")
    for data in graph.objects(test, UT.graphData):
        name = str(graph.value(data, RDFS.label))
        source = manifest_dir / Path(str(graph.value(data, UT.graph))).name
        store.load(source.read_bytes(), media_type="application/n-triples", graph=IRI(name))


@pytest.mark.parametrize("name,graph,test", PROTOCOL, ids=_ids(PROTOCOL))
def test_w3c_sparql_protocol(server, name, graph, test):
    store, base = server
    _load_graph_data(graph, test, store, SUITE / "protocol")
    # The manifest's paths start with /sparql/; ours is /sparql.
    _run(graph, test, base, lambda path: "/sparql" + path.removeprefix("/sparql/"))


@pytest.mark.parametrize("name,graph,test", GRAPH_STORE, ids=_ids(GRAPH_STORE))
def test_w3c_graph_store_protocol(server, name, graph, test):
    store, base = server
    store.update("DROP SILENT ALL")
    _run(graph, test, base, lambda path: "/store" + path.removeprefix("/gsp"))


def test_w3c_suites_were_found_whole():
    # A manifest that fails to parse must not pass as "no tests".
    assert len(PROTOCOL) == 34
    assert len(GRAPH_STORE) >= 14


def test_w3c_service_description(server):
    """The three Service Description tests: GET on the endpoint returns RDF, it has an sd:endpoint
    triple naming the endpoint, and it follows the sd: schema (a Service with languages and formats)."""
    _, base = server
    response = httpx.get(base + "/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    description = rdflib.Graph().parse(data=response.content, format="turtle")
    services = set(description.subjects(SD.endpoint, rdflib.URIRef(base + "/sparql")))
    assert len(services) == 1
    service = services.pop()
    assert (service, RDF.type, SD.Service) in description
    assert set(description.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query, SD.SPARQL11Update}
    assert set(description.objects(service, SD.resultFormat))
    dataset = description.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in description
