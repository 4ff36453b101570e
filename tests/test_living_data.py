"""Living data: parallel batched builds, changed and removed articles, sync, and surviving a kill."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import journal
from kg.build import article_ids, build, remove
from kg import consolidate as consolidation
from kg.consolidate import chunks_by_reports, consolidate, report_counts
from kg.store import GraphStore
from kg.vocab import GRAPH

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

GHAZNI = "The Taliban captured Ghazni, the capital of Ghazni province, on Thursday, officials said.\n"
GHAZNI_AGAIN = "Taliban fighters took control of Ghazni city on Thursday, a provincial council member said.\n"
KUNDUZ = "Taliban fighters seized Kunduz city on Sunday after heavy fighting, residents said.\n"


def write(root: Path, name: str, text: str, published: str = "2021-08-13") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{name}.txt").write_text(text, encoding="utf-8")
    (root / f"{name}.json").write_text(json.dumps({"published": published}), encoding="utf-8")
    return root


def run(inputs, store: GraphStore, **kwargs):
    log = io.StringIO()
    report = build(inputs, store, progress=False, log=log, **kwargs)
    return report, log.getvalue()


def nquads(store: GraphStore) -> list[str]:
    return sorted(line for line in store.export("nquads").decode("utf-8").splitlines() if line.strip())


def incidents(store: GraphStore) -> dict[str, list[str]]:
    rows = store.select("SELECT ?i ?r WHERE { GRAPH graph:incidents { ?i kg:report ?r } }")
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["i"].value.rsplit("/id/incident/", 1)[-1], []).append(row["r"].value)
    return {k: sorted(v) for k, v in found.items()}


def assert_consistent(store: GraphStore) -> None:
    """No incident points at an event no article graph holds; the incidents are what a full
    derivation gives; no journal is left; every article is there once."""
    orphans = store.select("""
        SELECT ?i ?r WHERE { GRAPH graph:incidents { ?i kg:report ?r }
          FILTER NOT EXISTS { GRAPH ?g { ?r a kg:Event } FILTER (STRSTARTS(STR(?g), STR(graph:article\\/))) } }""")
    assert orphans == []
    assert not store.has_graph(journal.JOURNAL_GRAPH)
    incremental = incidents(store)
    consolidate(store)  # everything again, from scratch
    assert incidents(store) == incremental
    rows = store.select("SELECT ?a (COUNT(DISTINCT ?h) AS ?n) WHERE { ?a kg:contentHash ?h } GROUP BY ?a")
    assert {r["n"].lexical for r in rows} <= {"1"}


def assert_same_as_a_clean_build(store: GraphStore, corpus: Path) -> None:
    """The store holds exactly what building `corpus` into an empty store gives."""
    clean = GraphStore(None)
    run([corpus], clean)
    assert nquads(store) == nquads(clean)


def seed_copies(path: Path, copies: int) -> Path:
    """A .jsonl corpus of the seed articles repeated under new ids."""
    seeds = sorted(SEEDS.glob("*.txt"))
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            seed = seeds[n % len(seeds)]
            meta = json.loads(seed.with_suffix(".json").read_text(encoding="utf-8"))
            out.write(json.dumps({"id": f"copy-{n:04d}", "published": meta["published"],
                                  "text": seed.read_text(encoding="utf-8")}) + "\n")
    return path


# --- parallel, batched ------------------------------------------------------------------------
def test_living_parallel_batched_build_equals_the_serial_one(tmp_path):
    corpus = seed_copies(tmp_path / "corpus.jsonl", 12)
    serial, parallel = GraphStore(None), GraphStore(None)
    one, _ = run([corpus], serial, jobs=1, batch_size=256)
    two, _ = run([corpus], parallel, jobs=2, batch_size=5)
    assert one.ok and two.ok
    assert one.built == two.built == [f"copy-{n:04d}" for n in range(12)]
    assert one.events == two.events > 0
    assert nquads(serial) == nquads(parallel)
    assert one.incidents == two.incidents > 0  # copies of one report are one incident told several times


def test_living_incident_chunks_are_cut_by_reports_and_a_large_key_stands_alone():
    keys = [("Attack", "city/a"), ("Attack", "city/b"), ("Attack", "city/c"), ("Attack", "city/d")]
    counts = {keys[0]: 4, keys[1]: 5, keys[2]: 30, keys[3]: 1}
    assert chunks_by_reports(keys, counts, 10) == [keys[:2], [keys[2]], [keys[3]]]
    assert chunks_by_reports(keys, {}, 10) == [keys]  # keys with no reports yet cost nothing


def test_living_small_report_budget_derives_the_same_incidents(tmp_path, monkeypatch):
    store = GraphStore(None)
    report, _ = run([seed_copies(tmp_path / "corpus.jsonl", 10)], store, jobs=1)
    assert report.incidents > 0
    keys = sorted(consolidation.all_keys(store))
    counts = report_counts(store, keys)
    for key in keys:  # an upper bound of each key's reports
        assert counts[key] >= len(consolidation.reports_for_keys(store, {key}))
    assert max(counts.values()) > 3  # so the budget below does split
    whole = incidents(store)
    monkeypatch.setattr(consolidation, "REPORTS_PER_TRANSACTION", 3)  # every key is its own chunk
    consolidate(store)
    assert incidents(store) == whole


def test_living_extraction_error_in_a_worker_is_reported_and_the_rest_go_in(tmp_path, monkeypatch):
    from kg.extraction import pipeline

    real = pipeline.extract

    def extract(article, nlp=None):
        if article.id == "copy-0003":
            raise ValueError("boom")
        return real(article, nlp)

    monkeypatch.setattr(pipeline, "extract", extract)  # before the fork, so the workers inherit it
    corpus = seed_copies(tmp_path / "corpus.jsonl", 6)
    store = GraphStore(None)
    report, log = run([corpus], store, jobs=2, batch_size=2)
    assert [e.line for e in report.failed] == [4] and "ValueError: boom" in log and f"{corpus}:4" in log
    assert sorted(article_ids(store)) == [f"copy-{n:04d}" for n in range(6) if n != 3]


# --- changed and removed articles -------------------------------------------------------------
def test_living_two_reports_of_one_capture_are_one_incident(tmp_path):
    corpus = write(write(tmp_path / "c", "a", GHAZNI), "b", GHAZNI_AGAIN)
    store = GraphStore(None)
    report, _ = run([corpus], store)
    assert report.incidents == 1
    (reports,) = [v for k, v in incidents(store).items() if k.startswith("CaptureOfTerritory/city/ghazni/")]
    assert len(reports) == 2
    assert_consistent(store)


def test_living_changed_article_replaces_its_facts_and_its_incidents(tmp_path):
    corpus = write(write(tmp_path / "c", "a", GHAZNI), "b", GHAZNI_AGAIN)
    store = GraphStore(None)
    run([corpus], store)
    write(corpus, "b", KUNDUZ)  # b now tells another story
    report, _ = run([corpus], store)
    assert report.built == ["b"] and report.unchanged == ["a"] and report.incidents == 0
    found = incidents(store)
    assert [len(v) for k, v in found.items() if "/city/ghazni/" in k] == [1]
    assert any("/city/kunduz/" in k for k in found)
    assert_consistent(store)
    assert_same_as_a_clean_build(store, corpus)


def test_living_removed_article_takes_its_events_out_of_shared_incidents(tmp_path):
    corpus = write(write(tmp_path / "c", "a", GHAZNI), "b", GHAZNI_AGAIN)
    store = GraphStore(None)
    run([corpus], store)
    assert remove(store, "b", "nothing-like-it") == ["b"]
    assert article_ids(store) == ["a"]
    (reports,) = [v for k, v in incidents(store).items() if "/city/ghazni/" in k]
    assert len(reports) == 1 and "/article/a" not in reports[0] or len(reports) == 1
    assert_consistent(store)
    remove(store, "a")
    assert incidents(store) == {}
    assert_consistent(store)


def test_living_sync_removes_articles_the_inputs_no_longer_hold(tmp_path):
    corpus = write(write(write(tmp_path / "c", "a", GHAZNI), "b", GHAZNI_AGAIN), "k", KUNDUZ)
    store = GraphStore(None)
    run([corpus], store)
    (corpus / "k.txt").unlink()
    (corpus / "k.json").unlink()
    plain, _ = run([corpus], store)  # without --sync nothing is removed
    assert plain.removed == [] and "k" in article_ids(store)
    report, _ = run([corpus], store, sync=True)
    assert report.removed == ["k"] and sorted(article_ids(store)) == ["a", "b"]
    assert "1 removed" in report.summary()
    assert not any("/city/kunduz/" in k for k in incidents(store))
    assert_consistent(store)


def test_living_sync_removes_nothing_when_an_input_is_broken(tmp_path):
    corpus = write(write(tmp_path / "c", "a", GHAZNI), "b", GHAZNI_AGAIN)
    store = GraphStore(None)
    run([corpus], store)
    (corpus / "b.json").write_text("{not json", encoding="utf-8")  # b cannot be read now
    report, log = run([corpus], store, sync=True)
    assert not report.ok and report.removed == []
    assert "sync: nothing removed" in log
    assert sorted(article_ids(store)) == ["a", "b"]


# --- crashes ------------------------------------------------------------------------------------
def test_living_crash_inside_a_bulk_write_is_undone_by_the_next_build(tmp_path, monkeypatch):
    corpus = seed_copies(tmp_path / "corpus.jsonl", 6)
    path = tmp_path / "store"
    store = GraphStore(path)
    real_bulk_add = GraphStore.bulk_add
    writes = []

    def half_then_crash(self, data: bytes) -> None:
        writes.append(len(data))
        if len(writes) == 2:  # the second batch: write half of its quads, then die
            lines = data.splitlines(keepends=True)
            real_bulk_add(self, b"".join(lines[: len(lines) // 2]))
            raise KeyboardInterrupt
        real_bulk_add(self, data)

    monkeypatch.setattr(GraphStore, "bulk_add", half_then_crash)
    with pytest.raises(KeyboardInterrupt):
        run([corpus], store, batch_size=2)
    monkeypatch.undo()
    pending, keys = journal.pending(store)
    assert [g.value.rsplit("/", 1)[-1] for g in pending] == ["copy-0002", "copy-0003"] and keys
    assert sorted(article_ids(store)) == ["copy-0000", "copy-0001", "copy-0002", "copy-0003"]  # two half-written

    report, log = run([corpus], store, batch_size=2)
    assert "interrupted" in log and "2 article(s)" in log
    assert report.unchanged == ["copy-0000", "copy-0001"] and len(report.built) == 4
    assert_consistent(store)
    assert_same_as_a_clean_build(store, corpus)


def _count_articles(path: Path) -> int:
    """Articles a read-only view of a store another process is writing already shows (0 when the
    view cannot be read now: the writer may have compacted away a file the view had listed)."""
    try:
        view = GraphStore(path, read_only=True)
        return len(article_ids(view))
    except Exception:  # pyoxigraph reports a file gone missing as OSError or RuntimeError ("Corruption")
        return 0


def test_living_killed_build_process_is_finished_by_a_rerun_without_duplicates(tmp_path):
    corpus = seed_copies(tmp_path / "corpus.jsonl", 60)
    path = tmp_path / "store"
    command = [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(path), "--jobs", "2",
               "--batch-size", "4", "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while _count_articles(path) < 8 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the build ended before it could be killed: make the corpus larger"
    os.killpg(process.pid, signal.SIGKILL)  # the build and its workers, with no chance to tidy up
    process.wait()
    process.stderr.close()
    killed_at = _count_articles(path)
    assert 8 <= killed_at < 60

    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "unchanged" in rerun.stderr
    store = GraphStore(path)
    assert sorted(article_ids(store)) == [f"copy-{n:04d}" for n in range(60)]
    assert_consistent(store)
    assert_same_as_a_clean_build(store, corpus)


# --- the command line ---------------------------------------------------------------------------
def test_living_cli_remove_names_what_it_removed_and_what_was_not_there(tmp_path):
    corpus = write(write(tmp_path / "c", "a", GHAZNI), "b", GHAZNI_AGAIN)
    path = tmp_path / "store"
    run([corpus], GraphStore(path))
    result = subprocess.run([sys.executable, "-m", "kg", "remove", "b", "zzz", "--store", str(path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 3
    assert "removed: b" in result.stderr and "not in the store: zzz" in result.stderr
    assert article_ids(GraphStore(path)) == ["a"]


def test_living_cli_rejects_a_job_count_below_one(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kg", "build", str(tmp_path), "--jobs", "0"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--jobs" in result.stderr and "at least 1" in result.stderr
