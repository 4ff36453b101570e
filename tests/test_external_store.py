"""The external store: build, query and serve against real SPARQL servers (Oxigraph server, Virtuoso).

The servers are installed by tests/external/install.sh (CI runs it and sets KG_REQUIRE_EXTERNAL_STORES=1,
so a missing server fails the run there instead of skipping).
"""

from __future__ import annotations

import io
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from external_servers import oxigraph_server, virtuoso_server
from servers import running_server
from kg.build import article_ids, build, remove
from kg.errors import StoreError
from kg.remote_store import LAYOUTS, RemoteStore
from kg.server.app import create_app
from kg.server.settings import ServerSettings
from kg.vocab import article_graph

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SAVED = ["capitals_captured", "events_by_province", "officials_surrendered"]  # the others ask Wikidata


def answer(store, name: str) -> list[tuple]:
    """A saved query's rows, comparable across stores: values only (servers differ in derived
    datatypes), GROUP_CONCAT parts sorted (SPARQL leaves their order open), rows sorted."""
    rows = store.select((ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8"))
    def value(term):
        text = getattr(term, "value", None) or term.lexical
        return "; ".join(sorted(text.split("; ")))
    return sorted(tuple(sorted((k, value(v)) for k, v in row.items())) for row in rows)


def build_seeds(store) -> None:
    report = build([SEEDS], store, progress=False, log=io.StringIO())
    assert report.ok and len(report.built) == 5, report.failed


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        store = RemoteStore(url, LAYOUTS["oxigraph"])
        build_seeds(store)
        yield url, store


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as (url, user, password):
        patch = pytest.MonkeyPatch()
        patch.setenv("KG_STORE_USER", user)
        patch.setenv("KG_STORE_PASSWORD", password)
        store = RemoteStore(url, LAYOUTS["virtuoso"])
        build_seeds(store)
        yield url, store
        patch.undo()


@pytest.mark.parametrize("name", SAVED)
def test_external_oxigraph_answers_the_saved_queries_as_the_embedded_store(oxigraph, seed_store, name):
    _, store = oxigraph
    expected = answer(seed_store, name)
    assert expected and answer(store, name) == expected


@pytest.mark.parametrize("name", [
    "capitals_captured", "officials_surrendered",
    pytest.param("events_by_province", marks=pytest.mark.xfail(
        strict=True, reason="Virtuoso 7.2 counts some events under their broader class as well; tests/external/NOTES.md")),
])
def test_external_virtuoso_answers_the_saved_queries_as_the_embedded_store(virtuoso, seed_store, name):
    _, store = virtuoso
    expected = answer(seed_store, name)
    assert expected and answer(store, name) == expected


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_external_rebuild_finds_every_article_unchanged(request, server):
    _, store = request.getfixturevalue(server)
    report = build([SEEDS], store, progress=False, log=io.StringIO())
    assert report.built == [] and len(report.unchanged) == 5


def test_external_remove_and_rebuild_keeps_incidents_consistent(tmp_path):
    with oxigraph_server(tmp_path) as url:
        store = RemoteStore(url)
        build_seeds(store)
        victim = sorted(article_ids(store))[1]
        assert remove(store, victim) == [victim]
        assert not store.has_graph(article_graph(victim))
        orphans = store.select("""SELECT ?r WHERE { GRAPH graph:incidents { ?i kg:report ?r }
            FILTER NOT EXISTS { GRAPH ?g { ?r a kg:Event } FILTER (STRSTARTS(STR(?g), STR(graph:article\\/))) } }""")
        assert orphans == []
        report = build([SEEDS], store, progress=False, log=io.StringIO())
        assert report.built == [victim]


def test_external_cli_builds_and_queries_through_the_url(oxigraph, tmp_path):
    url, _ = oxigraph
    query = tmp_path / "q.rq"
    query.write_text("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Surrender }", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kg", "query", str(query), "--store", url],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert any(line.strip().isdigit() and int(line.strip()) > 0 for line in result.stdout.splitlines()), result.stdout


def test_external_server_serves_sparql_and_graphql_from_the_remote_store(oxigraph, seed_store):
    _, store = oxigraph
    query = (ROOT / "queries" / "officials_surrendered.rq").read_text(encoding="utf-8")
    with running_server(create_app(store, ServerSettings())) as base, httpx.Client(base_url=base) as client:
        response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
        graphql = client.post("/graphql", json={"query": "{ surrenders { participants { actor { name } } } }"})
    assert response.status_code == 200, response.text
    names = {row["personName"]["value"] for row in response.json()["results"]["bindings"] if "personName" in row}
    assert "Asif Azimi" in names
    assert graphql.status_code == 200 and "errors" not in graphql.json(), graphql.text
    assert "Asif Azimi" in {p["actor"]["name"] for s in graphql.json()["data"]["surrenders"] for p in s["participants"]}


def test_external_virtuoso_wrong_password_is_a_clear_error(virtuoso, monkeypatch):
    url, _ = virtuoso
    monkeypatch.setenv("KG_STORE_PASSWORD", "not-the-password")
    with pytest.raises(StoreError, match="refused the credentials.*401"):
        RemoteStore(url, LAYOUTS["virtuoso"]).update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }")


def test_external_unreachable_store_names_its_url():
    with socket.socket() as probe:  # a port nobody listens on: bind, read it, close
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError, match=f"cannot reach the store at http://127.0.0.1:{port}/"):
        RemoteStore(f"http://127.0.0.1:{port}").select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
