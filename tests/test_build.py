"""Building the graph: articles -> extraction -> RDF -> store, in journalled batches."""

from __future__ import annotations

import contextlib
import gc
import io
import json
from pathlib import Path

import pytest

import kg.build
from kg.build import BuildReport, article_ids, build, remove
from kg.errors import ArticleError
from kg.extraction import pipeline
from kg.store import GraphStore
from kg.terms import IRI
from kg.vocab import GAZETTEER_GRAPH, ID, KG, ONTOLOGY_GRAPH, article_graph

CAPTURE = "The Taliban captured Ghazni, the capital of Ghazni province, on Thursday, officials said.\n"
SURRENDER = ("The deputy governor of Samangan province surrendered to the Taliban on Sunday, "
             "a local official said.\n")
WITHDRAWAL = "Government forces withdrew from Lashkar Gah on Friday, a spokesman said.\n"
CAPTURE_KUNDUZ = "Taliban fighters seized Kunduz city on Sunday after heavy fighting, residents said.\n"

IDS = ["ghazni", "lashkar", "samangan"]


def write_corpus(root: Path) -> Path:
    """ghazni (published, with outlet), lashkar (no sidecar: no published date), samangan (published)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "ghazni.txt").write_text(CAPTURE, encoding="utf-8")
    (root / "ghazni.json").write_text(json.dumps({"published": "2021-08-13", "outlet": "Example Wire",
                                                  "title": "Ghazni taken"}), encoding="utf-8")
    (root / "lashkar.txt").write_text(WITHDRAWAL, encoding="utf-8")
    (root / "samangan.txt").write_text(SURRENDER, encoding="utf-8")
    (root / "samangan.json").write_text(json.dumps({"published": "2021-08-09T06:00:00Z"}), encoding="utf-8")
    return root


def run(inputs, store: GraphStore, **kwargs) -> tuple[BuildReport, str]:
    log = io.StringIO()
    report = build(inputs, store, progress=False, log=log, **kwargs)
    return report, log.getvalue()


def nquads(store: GraphStore, graph: IRI | None = None) -> list[str]:
    return sorted(line for line in store.export("nquads", graph).decode("utf-8").splitlines() if line.strip())


def events(store: GraphStore, article_id: str) -> dict[str, dict]:
    """Event IRI -> {types, places, date, expression, notAfter} for the events in one article graph."""
    rows = store.select(
        """SELECT ?g ?e ?type ?place ?date ?expr ?notAfter WHERE { GRAPH ?g {
             ?e a ?type ; kg:evidence ?evidence .
             OPTIONAL { ?e kg:place ?place } OPTIONAL { ?e kg:date ?date }
             OPTIONAL { ?e kg:timeExpression ?expr } OPTIONAL { ?e kg:notAfter ?notAfter } } }""",
        substitutions={"g": article_graph(article_id)},
    )
    found: dict[str, dict] = {}
    for row in rows:
        event = found.setdefault(row["e"].value, {"types": set(), "places": set(), "date": None, "expression": None,
                                                  "notAfter": None})
        event["types"].add(row["type"].value.rsplit("#", 1)[-1])
        if "place" in row:
            event["places"].add(row["place"].value.rsplit("/id/place/", 1)[-1])
        for key, name in (("date", "date"), ("expression", "expr"), ("notAfter", "notAfter")):
            if name in row:
                event[key] = row[name].lexical
    return found


def article_nodes(store: GraphStore) -> list[str]:
    rows = store.select("SELECT ?a ?g WHERE { GRAPH ?g { ?a a kg:Article } }")
    return sorted(row["a"].value for row in rows)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """One clean build of the corpus, to compare other builds with."""
    root = tmp_path_factory.mktemp("clean")
    corpus = write_corpus(root / "corpus")
    store = GraphStore(root / "store")
    report, _ = run([corpus], store)
    assert report.ok, report.failed
    return corpus, store, report


# --- a first build ---------------------------------------------------------------------------
def test_build_reports_counts(clean):
    _, store, report = clean
    assert report.built == IDS
    assert report.unchanged == [] and report.failed == [] and report.ok
    total = store.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a kg:Event } "
                         "FILTER(STRSTARTS(STR(?g), 'https://kg.example.org/graph/article/')) }")[0]["n"]
    assert report.events == int(total.lexical) >= 3
    assert report.summary() == (f"3 article(s) built, 0 unchanged, 0 failed; {report.events} event(s) extracted; "
                                f"{report.incidents} told by several reports")
    assert sorted(article_ids(store)) == IDS


def test_build_writes_the_expected_events(clean):
    _, store, _ = clean
    (capture,) = [e for e in events(store, "ghazni").values() if "CaptureOfTerritory" in e["types"]]
    assert "Event" in capture["types"]  # superclasses are materialised
    assert capture["places"] == {"city/ghazni"}
    assert capture["date"] == "2021-08-12"  # Thursday before the publication date
    assert capture["expression"] == "Thursday"
    assert capture["notAfter"] == "2021-08-13"
    (surrender,) = [e for e in events(store, "samangan").values() if "Surrender" in e["types"]]
    assert surrender["places"] == {"province/samangan"}
    assert surrender["date"] == "2021-08-08"


def test_build_writes_article_metadata(clean):
    corpus, store, _ = clean
    rows = store.select(
        """SELECT ?id ?published ?file ?title ?publisher WHERE { GRAPH ?g { ?a schema:identifier ?id ;
             kg:sourceFile ?file ; nif:isString ?text .
             OPTIONAL { ?a schema:datePublished ?published } OPTIONAL { ?a schema:headline ?title }
             OPTIONAL { ?a schema:publisher ?publisher } } } ORDER BY ?id""")
    assert [r["id"].lexical for r in rows] == IDS
    ghazni, lashkar, samangan = rows
    assert ghazni["published"].lexical == "2021-08-13" and ghazni["title"].lexical == "Ghazni taken"
    assert "publisher" in ghazni
    assert ghazni["file"].lexical == str(corpus / "ghazni.txt")
    assert "published" not in lashkar
    assert samangan["published"].lexical == "2021-08-09"


def test_build_article_without_published_date(clean):
    _, store, _ = clean
    found = events(store, "lashkar")
    assert found, "the undated article still yields its events"
    for event in found.values():
        assert event["date"] is None
        assert event["notAfter"] is None
    (withdrawal,) = [e for e in found.values() if "Withdrawal" in e["types"]]
    assert withdrawal["expression"] == "Friday"
    precision = store.select("SELECT ?p WHERE { ?e a kg:Withdrawal ; kg:datePrecision ?p }")
    assert [r["p"] for r in precision] == [KG.UnknownPrecision]


def test_build_loads_gazetteer_and_ontology_graphs(clean):
    _, store, _ = clean
    graphs = store.named_graphs()
    assert GAZETTEER_GRAPH in graphs and ONTOLOGY_GRAPH in graphs
    rows = store.select("SELECT ?g WHERE { GRAPH ?g { <https://kg.example.org/id/place/province/samangan> a kg:Province ; rdfs:label 'Samangan' } }")
    assert rows == [{"g": GAZETTEER_GRAPH}]
    labels = store.select("SELECT ?g ?label WHERE { GRAPH ?g { kg:Surrender rdfs:label ?label } }",
                          substitutions={"g": ONTOLOGY_GRAPH})
    assert labels
    assert len(nquads(store, GAZETTEER_GRAPH)) > 100


# --- building again --------------------------------------------------------------------------
def test_build_twice_is_identical_and_unchanged(tmp_path, clean):
    corpus = write_corpus(tmp_path / "corpus")
    store = GraphStore(tmp_path / "store")
    first, _ = run([corpus], store)
    before = nquads(store)
    second, _ = run([corpus], store)
    assert first.built == IDS
    assert second.built == [] and second.unchanged == IDS and second.ok and second.events == 0
    assert nquads(store) == before
    # forcing re-extracts everything and still gives the same quads
    forced, _ = run([corpus], store, force=True)
    assert forced.built == IDS and forced.unchanged == []
    assert nquads(store) == before


def test_build_on_disk_survives_reopening(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    store = GraphStore(tmp_path / "store")
    run([corpus], store)
    before = nquads(store)
    del store
    gc.collect()
    reopened = GraphStore(tmp_path / "store")
    assert nquads(reopened) == before
    report, _ = run([corpus], reopened)
    assert report.unchanged == IDS and report.built == []


def test_build_changed_text_replaces_its_facts(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    store = GraphStore(tmp_path / "store")
    run([corpus], store)
    samangan_before = nquads(store, article_graph("samangan"))
    old = events(store, "ghazni")
    assert any("city/ghazni" in e["places"] for e in old.values())
    assert store.select("SELECT ?e WHERE { ?e kg:trigger 'captured' }")

    (corpus / "ghazni.txt").write_text(CAPTURE_KUNDUZ, encoding="utf-8")
    report, _ = run([corpus], store)
    assert report.built == ["ghazni"] and report.unchanged == ["lashkar", "samangan"]

    new = events(store, "ghazni")
    assert not any("city/ghazni" in e["places"] for e in new.values())
    assert any("CaptureOfTerritory" in e["types"] and e["places"] == {"city/kunduz"} for e in new.values())
    assert not store.select("SELECT ?t WHERE { ?a nif:isString ?t FILTER(CONTAINS(?t, 'Ghazni province')) }")
    assert not store.select("SELECT ?e WHERE { ?e kg:trigger 'captured' }")
    assert nquads(store, article_graph("samangan")) == samangan_before
    assert article_nodes(store) == sorted(ID["article/" + i].value for i in IDS)


def test_build_changed_metadata_rebuilds_the_article(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    store = GraphStore(tmp_path / "store")
    run([corpus], store)
    (corpus / "samangan.json").write_text(json.dumps({"published": "2021-08-16"}), encoding="utf-8")
    report, _ = run([corpus], store)
    assert report.built == ["samangan"]
    (surrender,) = [e for e in events(store, "samangan").values() if "Surrender" in e["types"]]
    assert surrender["date"] == "2021-08-15"  # the Sunday before the new publication date
    assert surrender["notAfter"] == "2021-08-16"


def test_build_remove_drops_the_article_graph(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    store = GraphStore(tmp_path / "store")
    run([corpus], store)
    assert store.select("SELECT ?e WHERE { ?e a kg:Surrender }")
    assert remove(store, "samangan") == ["samangan"]
    assert store.select("SELECT ?e WHERE { ?e a kg:Surrender }") == []
    assert store.select("SELECT ?e WHERE { ?e kg:evidence ?ev . ?ev nif:referenceContext <https://kg.example.org/id/article/samangan> }") == []
    assert article_graph("samangan") not in store.named_graphs()
    assert sorted(article_ids(store)) == ["ghazni", "lashkar"]
    assert events(store, "ghazni")  # the others are untouched
    assert remove(store, "samangan") == []
    # building again puts it back
    report, _ = run([corpus], store)
    assert report.built == ["samangan"] and report.unchanged == ["ghazni", "lashkar"]


# --- failures --------------------------------------------------------------------------------
def test_build_reports_bad_articles_and_builds_the_others(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    bad_sidecar = corpus / "broken.json"
    (corpus / "broken.txt").write_text(CAPTURE_KUNDUZ, encoding="utf-8")
    bad_sidecar.write_text('{"published": "yesterday"', encoding="utf-8")
    batch = corpus / "batch.jsonl"
    batch.write_text(json.dumps({"id": "batch-1", "text": CAPTURE_KUNDUZ, "published": "2021-08-09"}) + "\n"
                     + json.dumps({"id": "batch-2"}) + "\n", encoding="utf-8")
    store = GraphStore(tmp_path / "store")
    report, log = run([corpus], store)

    assert not report.ok
    assert sorted(report.built) == sorted(IDS + ["batch-1"])
    assert len(report.failed) == 2
    assert all(isinstance(e, ArticleError) for e in report.failed)
    messages = sorted(str(e) for e in report.failed)
    assert any(m.startswith(f"{batch}:2: ") and "no text" in m for m in messages)
    assert any(m.startswith(f"{bad_sidecar}:1: ") for m in messages)
    assert str(batch) in log and str(bad_sidecar) in log
    assert sorted(article_ids(store)) == sorted(IDS + ["batch-1"])
    assert "failed" in report.summary() and "2 failed" in report.summary()


def failing_on_call(monkeypatch, number: int, exception: BaseException):
    real = pipeline.extract
    calls = []

    def extract(article, nlp=None):
        calls.append(article.id)
        if len(calls) == number:
            raise exception
        return real(article, nlp)

    monkeypatch.setattr(pipeline, "extract", extract)
    return calls


def assert_each_article_once(store: GraphStore) -> None:
    assert article_nodes(store) == sorted(ID["article/" + i].value for i in IDS)
    graphs = [g.value for g in store.named_graphs()]
    assert len(graphs) == len(set(graphs))
    assert sorted(article_ids(store)) == IDS
    rows = store.select("SELECT ?a (COUNT(DISTINCT ?h) AS ?n) WHERE { ?a kg:contentHash ?h } GROUP BY ?a")
    assert {r["n"].lexical for r in rows} == {"1"}


def test_build_extraction_failure_is_reported_and_rerun_completes(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus")
    store = GraphStore(tmp_path / "store")
    calls = failing_on_call(monkeypatch, 2, RuntimeError("pipeline exploded"))
    report, log = run([corpus], store)
    assert calls == IDS
    assert report.built == ["ghazni", "samangan"]
    assert len(report.failed) == 1
    (error,) = report.failed
    assert isinstance(error, ArticleError) and error.source == str(corpus / "lashkar.txt")
    assert "extraction failed: RuntimeError: pipeline exploded" in str(error)
    assert "lashkar.txt" in log
    assert article_graph("ghazni") in store.named_graphs()
    assert article_graph("lashkar") not in store.named_graphs()

    monkeypatch.undo()
    again, _ = run([corpus], store)
    assert again.built == ["lashkar"] and again.unchanged == ["ghazni", "samangan"] and again.ok
    assert_each_article_once(store)
    assert nquads(store) == same_corpus_clean(tmp_path / "reference", corpus)


def same_corpus_clean(root: Path, corpus: Path) -> list[str]:
    store = GraphStore(root)
    report, _ = run([corpus], store)
    assert report.built == IDS
    return nquads(store)


def test_build_interrupted_build_resumes_without_duplicates(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus")
    path = tmp_path / "store"
    store = GraphStore(path)
    failing_on_call(monkeypatch, 2, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        run([corpus], store, batch_size=1)  # batches are the unit of work: the first is kept
    monkeypatch.undo()
    assert sorted(article_ids(store)) == ["ghazni"]
    del store
    gc.collect()

    store = GraphStore(path)  # as a new process would
    assert sorted(article_ids(store)) == ["ghazni"]
    report, _ = run([corpus], store)
    assert report.built == ["lashkar", "samangan"] and report.unchanged == ["ghazni"] and report.ok
    assert_each_article_once(store)
    assert nquads(store) == same_corpus_clean(tmp_path / "reference", corpus)


def test_build_in_memory_store(tmp_path):
    corpus = write_corpus(tmp_path / "corpus")
    store = GraphStore(None)
    report, _ = run([corpus / "ghazni.txt"], store)
    assert report.built == ["ghazni"]
    assert sorted(article_ids(store)) == ["ghazni"]
    assert kg.build.stored_fingerprint(store, "ghazni") is not None
    assert kg.build.stored_fingerprint(store, "lashkar") is None


def test_build_default_log_is_the_current_stderr(tmp_path):
    bad = tmp_path / "story.md"
    bad.write_text(CAPTURE, encoding="utf-8")
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        report = build([bad], GraphStore(None), progress=False)
    assert len(report.failed) == 1
    assert f"skipped: {bad}" in buffer.getvalue()


def test_build_article_with_an_invalid_url_is_reported_and_the_others_go_in(tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "bad-url", "text": CAPTURE_KUNDUZ, "url": "https://news.example.org/kunduz falls"}),
        json.dumps({"id": "after", "text": WITHDRAWAL}),
    ]) + "\n", encoding="utf-8")
    store = GraphStore(None)
    report, _ = run([batch], store)
    assert report.built == ["after"]
    assert len(report.failed) == 1 and str(batch) in str(report.failed[0])
    assert report.failed[0].exit_code == 3


def test_build_known_person_positions_are_written_to_the_article_graph(tmp_path):
    article = tmp_path / "noor.txt"
    article.write_text("Atta Muhammad Noor, the former governor of Balkh province, said the Taliban captured Mazar.",
                       encoding="utf-8")
    store = GraphStore(None)
    build([article], store, progress=False)
    rows = store.select("""SELECT ?title ?former WHERE { GRAPH ?g {
        id:person\\/atta-muhammad-noor kg:holdsPosition ?p . ?p kg:title ?title ; kg:isFormer ?former } }""")
    assert [(r["title"].lexical, r["former"].lexical) for r in rows] == [("governor", "true")]


def test_build_denied_event_is_a_denied_claim_never_an_event(tmp_path):
    article = tmp_path / "farah.txt"
    article.write_text("Officials denied that the garrison in Zaranj had surrendered to the Taliban.", encoding="utf-8")
    store = GraphStore(None)
    build([article], store, progress=False)
    claims = store.select("""SELECT ?type ?sentence WHERE {
        ?c a kg:DeniedClaim ; kg:claimedType ?type ; kg:evidence/nif:anchorOf ?sentence }""")
    assert [(r["type"].value.rsplit("#", 1)[1], r["sentence"].lexical[:18]) for r in claims] == [("Surrender", "Officials denied t")]
    assert store.select("SELECT ?e WHERE { ?e a kg:Surrender }") == []
