"""Smoke test of tests/external_servers.py: each real server starts, takes one update and answers one query."""

from __future__ import annotations

import httpx
import pytest

from tests.external_servers import oxigraph_server, virtuoso_server

pytestmark = pytest.mark.slow

UPDATE = 'INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> "o"@en } }'
QUERY = "SELECT ?g ?o WHERE { GRAPH ?g { <http://example.org/s> <http://example.org/p> ?o } }"
JSON = "application/sparql-results+json"


def _bindings(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def test_oxigraph_server(tmp_path):
    with oxigraph_server(tmp_path) as base:
        with httpx.Client(base_url=base, timeout=30, trust_env=False) as client:
            response = client.post("/update", content=UPDATE.encode(),
                                   headers={"content-type": "application/sparql-update"})
            assert response.status_code == 204, response.text
            rows = _bindings(client.post("/query", data={"query": QUERY}, headers={"accept": JSON}))
    assert rows == [{"g": {"type": "uri", "value": "http://example.org/g"},
                     "o": {"type": "literal", "value": "o", "xml:lang": "en"}}]


def test_virtuoso_server(tmp_path):
    with virtuoso_server(tmp_path) as (base, user, password):
        with httpx.Client(base_url=base, timeout=60, trust_env=False) as client:
            response = client.post("/sparql-auth", content=UPDATE.encode(), auth=httpx.DigestAuth(user, password),
                                   headers={"content-type": "application/sparql-update", "accept": JSON})
            assert response.status_code == 200, response.text
            # Form-encoded POST: Virtuoso 7.2 never answers a POST with content-type application/sparql-query.
            rows = _bindings(client.post("/sparql", data={"query": QUERY}, headers={"accept": JSON}))
    assert rows == [{"g": {"type": "uri", "value": "http://example.org/g"},
                     "o": {"type": "literal", "value": "o", "xml:lang": "en"}}]
