"""/graphql of the whole HTTP app, driven by a real GraphQL client (gql over requests) on a real socket:
how many SPARQL queries a request costs, the document limits and the request timeout."""

from __future__ import annotations

import threading
import time

import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport

from kg.server.app import create_app
from kg.server.settings import ServerSettings
from kg.store import GraphStore
from tests.conftest import load_mini
from tests.servers import running_server

pytestmark = pytest.mark.slow

ID = "https://kg.example.org/id/"
RICH_DATE = "2021-08-20"  # after every event of mini.trig, so a date filter selects only the rich events


def rich_events(n: int) -> str:
    """TriG for `n` surrenders in Aybak on RICH_DATE, each filling every field of DEEP_QUERY: a
    participant holding a position with a place, and its own evidence sentence, attributed to that
    participant, in its own article published by AFP."""
    lines = ["PREFIX kg: <https://kg.example.org/ontology#>", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
             "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>",
             "PREFIX schema: <http://schema.org/>", "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"]
    for i in range(n):
        article, event, evidence = f"<{ID}article/rich{i}>", f"<{ID}event/rich{i}/1>", f"<{ID}evidence/rich{i}/0-9>"
        participation, person, position = (f"<{ID}participation/rich{i}/1/1>", f"<{ID}person/rich-{i}>",
                                           f"<{ID}position/rich-{i}/commander>")
        lines += [
            f"GRAPH <https://kg.example.org/graph/article/rich{i}> {{",
            f'  {article} a kg:Article ; schema:headline "rich {i}" ; schema:datePublished "{RICH_DATE}"^^xsd:date ;',
            f"    schema:publisher <{ID}actor/agence-france-presse> .",
            f'  {evidence} a kg:Evidence ; nif:referenceContext {article} ; nif:beginIndex 0 ; nif:endIndex 9 ;',
            f'    nif:anchorOf "surrender" ; kg:accordingTo {person} ; kg:modality kg:Asserted .',
            f'  {event} a kg:Surrender, kg:Event ; rdfs:label "rich surrender {i}" ; kg:place <{ID}place/city/aybak> ;',
            f'    kg:date "{RICH_DATE}"^^xsd:date ; kg:evidence {evidence} ; kg:hasParticipation {participation} .',
            f"  {participation} a kg:Participation ; kg:participant {person} ; kg:roleType kg:AffectedRole .",
            f'  {person} a kg:Person ; rdfs:label "Commander {i}" ; kg:holdsPosition {position} .',
            f'  {position} a kg:Position ; kg:title "commander" ; kg:positionPlace <{ID}place/province/samangan> .',
            "}",
        ]
    return "\n".join(lines)


DEEP_QUERY = """
query Deep($first: Int!, $from: Date!) {
  events(first: $first, filter: {dateFrom: $from}) {
    totalCount
    nodes {
      id
      place { name parent { name } }
      provinces { name }
      participants { role actor { label positions { title place { name } } } }
      evidence { text accordingTo { label } article { headline outlet { name } } }
    }
  }
}"""


def deep_query(first: int, date_from: str):
    request = gql(DEEP_QUERY)
    request.variable_values = {"first": first, "from": date_from}
    return request


class Recorder:
    """Replaces the store's `select` to record each SPARQL query it runs (from any thread), optionally
    taking `delay` seconds per query."""

    def __init__(self, store: GraphStore, delay: float = 0.0):
        self.delay = delay
        self.queries: list[str] = []
        self._lock = threading.Lock()
        original = store.select

        def select(sparql, **kwargs):
            with self._lock:
                self.queries.append(sparql)
            time.sleep(self.delay)
            return original(sparql, **kwargs)

        store.select = select

    def take(self) -> list[str]:
        with self._lock:
            taken, self.queries = self.queries, []
        return taken


def client(base: str) -> Client:
    return Client(transport=RequestsHTTPTransport(url=base + "/graphql", timeout=30), fetch_schema_from_transport=False)


def test_graphql_client_query_count_is_the_same_for_one_event_and_for_all():
    store = load_mini(rich_events(40))
    recorder = Recorder(store)
    counts = {}
    with running_server(create_app(store, ServerSettings())) as base, client(base) as session:
        for first in (1, 100):
            recorder.take()
            data = session.execute(deep_query(first, RICH_DATE))
            counts[first] = len(recorder.take())
            nodes = data["events"]["nodes"]
            assert data["events"]["totalCount"] == 40 and len(nodes) == min(first, 40)
            # every nested field is filled for every event, so no level was skipped for lack of keys
            for node in nodes:
                assert node["place"]["parent"]["name"] == "Samangan" and node["provinces"] == [{"name": "Samangan"}]
                (participant,) = node["participants"]
                assert participant["actor"]["positions"][0]["place"] == {"name": "Samangan"}
                (evidence,) = node["evidence"]
                assert evidence["accordingTo"]["label"] == participant["actor"]["label"]
                assert evidence["article"]["outlet"] == {"name": "Agence France-Presse"}
    # page + count + event details, then one per nested field: place, parent, provinces, participants,
    # actor, positions, position place, evidence, accordingTo, article, outlet; the two levels that
    # find places through events (place, provinces) take two (which places, then their fields)
    assert counts == {1: 16, 100: 16}


def refused(session: Client, query: str) -> str:
    with pytest.raises(TransportQueryError) as caught:
        session.execute(gql(query))
    assert caught.value.data is None
    (error,) = caught.value.errors
    return error["message"]


def test_graphql_client_limits_refuse_before_any_sparql_query():
    store = load_mini()
    recorder = Recorder(store)
    settings = ServerSettings(graphql_max_depth=4, graphql_max_tokens=40, graphql_max_aliases=2)
    at_depth_4 = "{ events { nodes { place { parent { name } } } } }"
    at_depth_5 = "{ events { nodes { place { parent { parent { name } } } } } }"
    two_aliases = "{ a: events { totalCount } b: events { totalCount } }"
    three_aliases = "{ a: events { totalCount } b: events { totalCount } c: events { totalCount } }"
    many_tokens = "{ events { nodes { " + "id " * 40 + "} } }"
    with running_server(create_app(store, settings)) as base, client(base) as session:
        for allowed in (at_depth_4, two_aliases):
            recorder.take()
            assert session.execute(gql(allowed))
            assert recorder.take(), "an allowed request runs queries"

        assert refused(session, at_depth_5) == "the query is 5 levels deep; the limit is 4"
        assert recorder.take() == []
        named = refused(session, "query Deeper " + at_depth_5)
        assert named == "query 'Deeper' is 5 levels deep; the limit is 4"
        assert recorder.take() == []
        assert refused(session, three_aliases) == "3 aliases found. Allowed: 2"
        assert recorder.take() == []
        assert "more than 40 tokens" in refused(session, many_tokens)
        assert recorder.take() == []


def test_graphql_client_request_timeout_is_an_error_not_partial_data():
    store = load_mini()
    # DEEP_QUERY needs 16 queries: 8 s at 0.5 s each, against a 1 s limit for the whole request
    recorder = Recorder(store, delay=0.5)
    with running_server(create_app(store, ServerSettings(query_timeout=1.0))) as base, client(base) as session:
        started = time.monotonic()
        with pytest.raises(TransportQueryError) as caught:
            session.execute(deep_query(5, "2021-08-01"))
        answered = time.monotonic() - started
        assert caught.value.data is None
        (error,) = caught.value.errors
        assert error["message"] == "the GraphQL request took more than 1 s and was stopped"
        assert answered < 3.0
        # The abandoned request stops at its next query: queries start at 0, 0.5 and (maybe) 1.0 s.
        time.sleep(2.0)
        ran = len(recorder.take())
        assert 1 <= ran <= 3, ran
        time.sleep(1.0)
        assert recorder.take() == []
        # the server still answers requests that fit in the limit
        recorder.delay = 0.0
        assert session.execute(gql("{ events(first: 1) { totalCount } }")) == {"events": {"totalCount": 5}}
