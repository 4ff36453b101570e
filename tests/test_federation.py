"""SERVICE: only endpoints on the allow-list are called; every other target is refused before anything runs."""

from __future__ import annotations

import httpx
import pytest

from kg.server.app import create_app
from kg.server.settings import ServerSettings
from kg.server.federation import WIKIDATA_ENDPOINT, allowed_endpoints, check_services
from kg.server.sparql_text import service_targets
from kg.server.http import Forbidden
from kg.store import GraphStore
from kg.terms import IRI, Literal, Quad
from kg.vocab import PREFIXES
from tests.conftest import QUERIES
from tests.servers import running_server


def test_federation_reads_service_targets_past_strings_comments_and_prefixes():
    query = """PREFIX remote: <http://10.0.0.1/>
    # SERVICE <http://in-a-comment/> { }
    SELECT * WHERE { ?s ?p "SERVICE <http://in-a-string/>" .
      SERVICE SILENT <https://query.wikidata.org/sparql> { ?a ?b ?c }
      service remote:sparql { ?d ?e ?f }
      SERVICE ?where { ?g ?h ?i } }"""
    assert service_targets(query) == [WIKIDATA_ENDPOINT, "http://10.0.0.1/sparql", None]


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE <http://169.254.169.254/latest/meta-data/> { ?s ?p ?o } }",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    "PREFIX x: <http://127.0.0.1:7878/> SELECT * { SERVICE SILENT x:query { ?s ?p ?o } }",
])
def test_federation_refuses_targets_off_the_list(query):
    with pytest.raises(Forbidden):
        check_services(query, (WIKIDATA_ENDPOINT,), PREFIXES)


def test_federation_allow_list_comes_from_the_option_then_the_environment(monkeypatch):
    monkeypatch.delenv("KG_SERVICE_ALLOW", raising=False)
    assert allowed_endpoints() == (WIKIDATA_ENDPOINT,)
    monkeypatch.setenv("KG_SERVICE_ALLOW", "http://a/sparql, http://b/sparql")
    assert allowed_endpoints() == ("http://a/sparql", "http://b/sparql")
    assert allowed_endpoints(["http://c/sparql"]) == ("http://c/sparql",)
    monkeypatch.setenv("KG_SERVICE_ALLOW", "none")
    assert allowed_endpoints() == ()


def test_federation_saved_query_calls_only_wikidata():
    query = (QUERIES / "province_population_federated.rq").read_text(encoding="utf-8")
    assert service_targets(query) == [WIKIDATA_ENDPOINT]
    check_services(query, (WIKIDATA_ENDPOINT,), PREFIXES)


def remote_store(tmp_path) -> GraphStore:
    store = GraphStore(tmp_path / "remote")
    graph = IRI("https://example.org/graph/remote")
    quad: Quad = (IRI("http://www.wikidata.org/entity/Q1"), IRI("http://example.org/population"), Literal("42"), graph)
    store.replace_graph(graph, [quad])
    return store


def test_federation_over_http_calls_an_allowed_endpoint_and_refuses_others(seed_store, tmp_path):
    with running_server(create_app(remote_store(tmp_path))) as remote:
        endpoint = remote + "/sparql"
        query = f"SELECT ?o WHERE {{ SERVICE <{endpoint}> {{ ?s <http://example.org/population> ?o }} }}"
        with running_server(create_app(seed_store, ServerSettings(allowed_services=(endpoint,)))) as base:
            answer = httpx.get(base + "/sparql", params={"query": query},
                               headers={"Accept": "application/sparql-results+json"}, timeout=30)
            assert answer.status_code == 200, answer.text
            assert [b["o"]["value"] for b in answer.json()["results"]["bindings"]] == ["42"]
        with running_server(create_app(seed_store)) as base:  # default list: Wikidata only
            refused = httpx.get(base + "/sparql", params={"query": query}, timeout=30)
            assert refused.status_code == 403
            assert "allow-list" in refused.text and endpoint in refused.text
