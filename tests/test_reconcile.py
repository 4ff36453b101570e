"""Online reconciliation, on recorded Wikidata answers: candidates, the threshold, the cache, politeness."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from kg.reconcile import ACCEPT_THRESHOLD, ReconcileError, WikidataSearch, score

RECORDED = Path(__file__).parent / "fixtures" / "wikidata"


class Recorded:
    """Answers a request with a recorded file chosen by its `search` parameter; counts requests."""

    def __init__(self):
        self.requests = []

    def __call__(self, request, timeout):
        self.requests.append((request, timeout))
        name = request.full_url.split("search=", 1)[1].split("&", 1)[0].lower()
        return (RECORDED / f"search_{name}.json").read_bytes()


class Clock:
    def __init__(self):
        self.now, self.slept = 100.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def client(tmp_path, fetch, clock=None):
    clock = clock or Clock()
    return WikidataSearch(cache_dir=tmp_path / "cache", fetch=fetch, clock=clock, sleep=clock.sleep, min_interval=1.0, timeout=5.0)


def test_reconcile_accepts_only_a_clear_winner_of_the_right_kind_and_country(tmp_path):
    search = client(tmp_path, Recorded())
    qalat = search.propose("Qalat", kind="city", country="Afghanistan")
    assert qalat.accepted is not None and qalat.accepted.qid == "Q1022969"
    assert qalat.accepted.score >= ACCEPT_THRESHOLD
    assert len(qalat.candidates) == 3 and all(c.score < ACCEPT_THRESHOLD for c in qalat.candidates[1:])
    # the kind decides between the city and the province of one name; without it nothing is safe
    assert search.propose("Kunduz", kind="province", country="Afghanistan").accepted.qid == "Q186305"
    assert search.propose("Kunduz", kind="city", country="Afghanistan").accepted.qid == "Q190965"
    assert search.propose("Kunduz").accepted is None


def test_reconcile_caches_answers_on_disk_and_spaces_requests(tmp_path):
    recorded, clock = Recorded(), Clock()
    search = client(tmp_path, recorded, clock)
    search.propose("Qalat", kind="city")
    search.propose("Qalat", kind="city")  # from the cache
    search.propose("Kunduz", kind="city")
    assert len(recorded.requests) == 2
    request, timeout = recorded.requests[0]
    assert request.get_header("User-agent").startswith("kg/") and "contact" in request.get_header("User-agent")
    assert timeout == 5.0
    assert clock.slept == [1.0]  # the second request waited out the interval
    again = client(tmp_path, Recorded())  # a new client reads the same cache
    assert again.propose("Kunduz", kind="city", country="Afghanistan").accepted.qid == "Q190965"
    assert json.loads(next((tmp_path / "cache").glob("*.json")).read_text())["search"]


def test_reconcile_reports_network_and_api_failures_clearly(tmp_path):
    def offline(request, timeout):
        raise socket.timeout("timed out")

    with pytest.raises(ReconcileError, match="cannot reach Wikidata"):
        client(tmp_path, offline).propose("Qalat")

    def refused(request, timeout):
        return b'{"error": {"code": "badvalue", "info": "Unrecognized value for parameter"}}'

    with pytest.raises(ReconcileError, match="refused"):
        client(tmp_path, refused).propose("Sayedabad")


def test_reconcile_scores_exact_names_kind_and_country():
    hit = {"label": "Qalat", "description": "city in Zabul Province, Afghanistan"}
    assert score("Qalat", hit, "city", "Afghanistan") == 1.0
    assert score("Qalat", hit, "province", "Afghanistan") < ACCEPT_THRESHOLD  # "city in Zabul Province" is a city
    assert score("Qal", hit, "city", "Afghanistan") < ACCEPT_THRESHOLD


def test_reconcile_the_build_never_touches_the_network(tmp_path, monkeypatch):
    from kg.build import build
    from kg.store import GraphStore
    from tests.conftest import SEEDS

    def no_network(*args, **kwargs):
        raise AssertionError("the offline build opened a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert build([SEEDS], GraphStore(tmp_path / "kg"), progress=False).ok


def test_reconcile_command_prints_candidates_and_the_decision(tmp_path, monkeypatch, capsys):
    from kg.cli import main

    recorded = Recorded()

    class Response:
        def __init__(self, body):
            self.body = body

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return self.body

    monkeypatch.setattr("urllib.request.urlopen", lambda request, timeout: Response(recorded(request, timeout)))
    assert main(["reconcile", "Qalat", "--kind", "city", "--cache", str(tmp_path), "--interval", "0"]) == 0
    (proposal,) = json.loads(capsys.readouterr().out)
    assert proposal["name"] == "Qalat" and proposal["accepted"] == "Q1022969"
    assert len(proposal["candidates"]) == 3 and len(recorded.requests) == 1
