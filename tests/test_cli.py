"""The `kg` command line, run in-process through kg.cli.main."""

from __future__ import annotations

import csv
import gc
import io
import json
from pathlib import Path

import pytest
import rdflib

import kg.build  # imported at collection time: build's default `log` is the sys.stderr of import time
from kg.cli import main
from kg.store import GraphStore

REPO = Path(__file__).resolve().parents[1]
OFFICIALS = "queries/officials_surrendered.rq"
OFFICIALS_COLUMNS = ["personName", "role", "provinceName", "provinceWikidata", "date", "datePrecision", "article", "evidence"]

CAPTURE = "The Taliban captured Ghazni, the capital of Ghazni province, on Thursday, officials said.\n"
SURRENDER = ("The deputy governor of Samangan province surrendered to the Taliban on Sunday, "
             "a local official said.\n")


def write_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "ghazni.txt").write_text(CAPTURE, encoding="utf-8")
    (root / "ghazni.json").write_text(json.dumps({"published": "2021-08-13"}), encoding="utf-8")
    (root / "samangan.txt").write_text(SURRENDER, encoding="utf-8")
    (root / "samangan.json").write_text(json.dumps({"published": "2021-08-09", "outlet": "Example Wire"}),
                                        encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A store built once for the read-only commands; closed again so the CLI can open it."""
    root = tmp_path_factory.mktemp("cli")
    corpus = write_corpus(root / "corpus")
    store = GraphStore(root / "store")
    report = kg.build.build([corpus], store, progress=False, log=io.StringIO())
    assert report.ok and report.built == ["ghazni", "samangan"]
    del store
    gc.collect()
    return root / "store"


@pytest.fixture
def at_repo(monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("KG_STORE", raising=False)


# --- build -----------------------------------------------------------------------------------
def test_cli_build_returns_0_and_prints_summary(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus")
    store = tmp_path / "store"
    assert main(["build", str(corpus), "--store", str(store), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "2 article(s) built, 0 unchanged, 0 failed" in err
    assert store.is_dir()

    assert main(["build", str(corpus), "--store", str(store), "--quiet"]) == 0
    assert "0 article(s) built, 2 unchanged, 0 failed" in capsys.readouterr().err


def test_cli_build_with_a_bad_file_returns_3_and_names_it(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus")
    bad = corpus / "garbled.txt"
    bad.write_bytes(b"The Taliban entered Kunduz \xff\xfe on Sunday.\n")
    store = tmp_path / "store"
    assert main(["build", str(corpus), "--store", str(store), "--quiet"]) == 3
    err = capsys.readouterr().err
    assert "2 article(s) built, 0 unchanged, 1 failed" in err
    assert f"failed: {bad}" in err and "UTF-8" in err
    assert sorted(kg.build.article_ids(GraphStore(store, read_only=True))) == ["ghazni", "samangan"]


def test_cli_build_missing_input_returns_3(tmp_path, capsys):
    missing = tmp_path / "nowhere.txt"
    assert main(["build", str(missing), "--store", str(tmp_path / "store"), "--quiet"]) == 3
    assert str(missing) in capsys.readouterr().err


# --- query -----------------------------------------------------------------------------------
def test_cli_query_csv_header_is_the_contract(built, at_repo, capsys):
    assert main(["query", OFFICIALS, "--store", str(built), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == OFFICIALS_COLUMNS
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    assert len(body) == 1
    (row,) = body
    assert row["provinceName"] == "Samangan"
    assert row["role"] == "deputy governor"
    assert row["date"] == "2021-08-08"
    assert row["article"] == "https://kg.example.org/id/article/samangan"
    assert row["evidence"] == SURRENDER.strip()
    assert row["provinceWikidata"].startswith("http://www.wikidata.org/entity/Q")


def test_cli_query_json_parses(built, at_repo, capsys):
    assert main(["query", OFFICIALS, "--store", str(built), "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["head"]["vars"] == OFFICIALS_COLUMNS
    (binding,) = answer["results"]["bindings"]
    assert binding["provinceName"]["value"] == "Samangan"
    assert binding["date"] == {"type": "literal", "value": "2021-08-08",
                               "datatype": "http://www.w3.org/2001/XMLSchema#date"}


def test_cli_query_table(built, at_repo, capsys):
    assert main(["query", OFFICIALS, "--store", str(built), "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == OFFICIALS_COLUMNS
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert "Samangan" in lines[2] and "deputy governor" in lines[2]
    assert lines[-1] == "(1 row)"


# (a query that calls Wikidata through SERVICE needs the network: tests/test_federation.py covers it)
@pytest.mark.parametrize("query", sorted(p.name for p in (REPO / "queries").glob("*.rq") if "SERVICE" not in p.read_text()))
def test_cli_query_every_saved_query_runs(built, at_repo, capsys, query):
    assert main(["query", f"queries/{query}", "--store", str(built), "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["results"]["bindings"], f"{query} found nothing in the test corpus"


def test_cli_query_from_stdin(built, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("ASK { ?event a kg:CaptureOfTerritory }"))
    assert main(["query", "-", "--store", str(built), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is True


def test_cli_query_malformed_from_stdin_returns_5(built, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT ?event WHERE { ?event a kg:Surrender "))
    assert main(["query", "-", "--store", str(built)]) == 5
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("kg query: malformed SPARQL query: ")
    assert "error at 1:" in captured.err  # the parser's own message, with the position


def test_cli_query_missing_file_returns_2(built, at_repo, capsys):
    assert main(["query", "queries/no_such_query.rq", "--store", str(built)]) == 2
    err = capsys.readouterr().err
    assert "no such query file: queries/no_such_query.rq" in err
    assert "hint:" in err


def test_cli_query_missing_store_returns_2_with_hint(tmp_path, at_repo, capsys):
    missing = tmp_path / "no-store"
    assert main(["query", OFFICIALS, "--store", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"no store at {missing}" in err
    assert "hint: build one first: kg build" in err
    assert not missing.exists()


@pytest.mark.parametrize("command", [["export"], ["validate"]])
def test_cli_missing_store_is_a_usage_error_for_every_reader(tmp_path, capsys, command):
    missing = tmp_path / "no-store"
    assert main([*command, "--store", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"no store at {missing}" in err and "kg build" in err


# --- export ----------------------------------------------------------------------------------
def test_cli_export_nquads_parses(built, capsysbinary):
    assert main(["export", "--format", "nquads", "--store", str(built)]) == 0
    data = capsysbinary.readouterr().out
    lines = [line for line in data.decode("utf-8").splitlines() if line.strip()]
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="nquads")
    assert len(dataset) == len(set(lines)) == len(lines)
    graphs = {str(g.identifier) for g in dataset.graphs()}
    assert {"https://kg.example.org/graph/article/ghazni", "https://kg.example.org/graph/article/samangan",
            "https://kg.example.org/graph/gazetteer", "https://kg.example.org/graph/ontology"} <= graphs


def test_cli_export_trig_parses(built, tmp_path, capsys):
    out = tmp_path / "graph.trig"
    assert main(["export", "--format", "trig", "--store", str(built), "--output", str(out)]) == 0
    assert capsys.readouterr().out == ""
    trig = rdflib.Dataset()
    trig.parse(out, format="trig")
    nquads = rdflib.Dataset()
    assert main(["export", "--store", str(built)]) == 0
    nquads.parse(data=capsys.readouterr().out, format="nquads")
    assert len(trig) == len(nquads) > 0
    assert set(trig.quads()) == set(nquads.quads())


# --- validate, extract -----------------------------------------------------------------------
def test_cli_validate_returns_0_on_a_built_store(built, capsys):
    assert main(["validate", "--store", str(built)]) == 0
    assert "conforms" in capsys.readouterr().out


def test_cli_extract_prints_json_with_events(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "corpus")
    assert main(["extract", str(corpus / "ghazni.txt")]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["article_id"] == "ghazni"
    assert isinstance(result["events"], list) and result["events"]
    (capture,) = [e for e in result["events"] if e["type"] == "CaptureOfTerritory"]
    assert [m["trigger"]["text"] for m in capture["mentions"]] == ["captured"]
    assert capture["places"] == ["city/ghazni"]
    assert capture["time"]["date"] == "2021-08-12"


def test_cli_extract_bad_file_returns_3(tmp_path, capsys):
    bad = tmp_path / "story.md"
    bad.write_text(CAPTURE, encoding="utf-8")
    assert main(["extract", str(bad)]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"error: {bad}" in captured.err


def test_cli_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["query"])
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err
