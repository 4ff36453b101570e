"""Shared fixtures: the seed graph is built once per test session, in a temporary store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.articles import Article
from kg.build import build
from kg.extraction.pipeline import extract
from kg.store import GraphStore

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
QUERIES = ROOT / "queries"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"


def load_mini(extra: str = "") -> GraphStore:
    """An in-memory store holding the hand-written graph of tests/fixtures/mini.trig (plus `extra` TriG)."""
    store = GraphStore(None)
    store.load(FIXTURE.read_bytes(), media_type="application/trig", graph=None)
    if extra:
        store.load(extra.encode(), media_type="application/trig", graph=None)
    return store


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed-store") / "kg"
    store = GraphStore(path)
    report = build([SEEDS], store, progress=False)
    assert report.ok, report.failed
    del store  # release the store's lock; tests reopen it
    return path


@pytest.fixture(scope="session")
def seed_store(seed_store_path) -> GraphStore:
    return GraphStore(seed_store_path)


@pytest.fixture
def article():
    """Make an Article from a text written in the test (published on Monday 9 Aug 2021 by default)."""

    def make(text: str, published: dt.date | None = dt.date(2021, 8, 9), article_id: str = "test") -> Article:
        return Article(id=article_id, text=text, source=f"{article_id}.txt", published=published)

    return make


@pytest.fixture
def extracted(article):
    """Extract records from a hand-written text."""

    def run(text: str, **kwargs):
        return extract(article(text, **kwargs))

    return run
