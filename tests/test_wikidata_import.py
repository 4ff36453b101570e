"""Importing places and actors from Wikidata SPARQL JSON results into a gazetteer directory."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from kg import gazetteer
from kg import wikidata_import
from kg.errors import DataFileError, UsageError
from kg.slug import fold
from kg.store import GraphStore
from kg.wikidata_import import import_wikidata, place_rows, read_results, write_gazetteer

REPO = Path(__file__).resolve().parents[1]
WD = "http://www.wikidata.org/entity/"
WKT = "http://www.opengis.net/ont/geosparql#wktLiteral"

# Made-up items: Q-ids far above any Wikidata has minted, names the project gazetteer does not know.
PROVINCE, CAPITAL, DISTRICT, SAMANGAN_DISTRICT = "Q900000001", "Q900000002", "Q900000003", "Q900000004"
ACTOR = "Q900000010"
SAMANGAN = "Q183015"  # the project gazetteer's (verified) Samangan province


def uri(qid: str) -> dict:
    return {"type": "uri", "value": WD + qid}


def lit(text: str) -> dict:
    return {"type": "literal", "value": text}


def point(lon: float, lat: float) -> dict:
    return {"type": "literal", "datatype": WKT, "value": f"Point({lon} {lat})"}


PLACES = [
    {"item": uri("Q889"), "itemLabel": lit("Afghanistan"), "kind": lit("country"), "capital": uri("Q5838")},
    {"item": uri(PROVINCE), "itemLabel": lit("Koh-e Sabz Province"), "kind": lit("province"),
     "coord": point(67.1, 35.2), "population": {"type": "literal", "value": "120000.0"},
     "altLabels": lit("Kohesabz|Koh-i-Sabz"), "iso": lit("AF-KSZ"), "capital": uri(CAPITAL)},
    {"item": uri(CAPITAL), "itemLabel": lit("Sabzabad"), "kind": lit("city"), "province": uri(PROVINCE),
     "provinceLabel": lit("Koh-e Sabz Province"), "coord": point(67.15, 35.25), "altLabels": lit("Sabz Abad")},
    # the same city again (e.g. a second coordinate): one row, both aliases
    {"item": uri(CAPITAL), "itemLabel": lit("Sabzabad"), "kind": lit("city"), "province": uri(PROVINCE),
     "provinceLabel": lit("Koh-e Sabz Province"), "coord": point(67.16, 35.26), "altLabels": lit("Sabzabad City")},
    {"item": uri(DISTRICT), "itemLabel": lit("Sabzabad District"), "kind": lit("district"), "province": uri(PROVINCE),
     "provinceLabel": lit("Koh-e Sabz Province"), "coord": point(67.12, 35.22)},
    # an existing province under another label, and a new district in it
    {"item": uri(SAMANGAN), "itemLabel": lit("Samangan Wilayat"), "kind": lit("province")},
    {"item": uri(SAMANGAN_DISTRICT), "itemLabel": lit("Dara-e Azmoyesh District"), "kind": lit("district"),
     "province": uri(SAMANGAN), "provinceLabel": lit("Samangan Wilayat")},
]
ACTORS = [
    {"item": uri(ACTOR), "itemLabel": lit("Sabz Front"), "kind": lit("armed_group"),
     "altLabels": lit("SF|Jabha-ye Sabz"), "description": lit("made-up armed group for tests")},
]
NEW_NAMES = ["Koh-e Sabz", "Kohesabz", "Sabzabad", "Sabz Abad", "Dara-e Azmoyesh", "Sabz Front", "Jabha-ye Sabz"]


def results_file(path: Path, bindings: list[dict]) -> Path:
    variables = sorted({name for binding in bindings for name in binding})
    path.write_text(json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}), encoding="utf-8")
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def inputs(tmp_path):
    return results_file(tmp_path / "places.json", PLACES), results_file(tmp_path / "actors.json", ACTORS)


@pytest.fixture
def imported(tmp_path, inputs):
    out = tmp_path / "gazetteer"
    summary = import_wikidata(*inputs, out)
    return out, summary


def test_the_sample_names_are_new_to_the_project_gazetteer():
    project = gazetteer.default()
    for name in NEW_NAMES:
        assert fold(name) not in project.place_names and fold(name) not in project.actor_names


# --- what is written -------------------------------------------------------------------------
def test_import_adds_the_new_places_and_actors_and_keeps_the_known_ones(imported):
    out, summary = imported
    # new: province, capital, two districts; known: Afghanistan (by Q-id), Samangan (by Q-id)
    assert (summary.places_added, summary.places_kept) == (4, 2)
    assert (summary.actors_added, summary.actors_kept) == (1, 0)
    project_places = read_rows(gazetteer.DATA_DIR / "places.csv")
    places = read_rows(out / "places.csv")
    assert places[: len(project_places)] == project_places
    new = {row["name"]: row for row in places[len(project_places):]}
    assert set(new) == {"Koh-e Sabz", "Sabzabad", "Dara-e Azmoyesh"} and len(places) == len(project_places) + 4


def test_import_writes_rows_in_the_places_csv_layout(imported):
    out, _ = imported
    with (out / "places.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == wikidata_import.PLACE_COLUMNS
    rows = {(r["kind"], r["name"]): r for r in read_rows(out / "places.csv")}
    province = rows[("province", "Koh-e Sabz")]
    assert province["province"] == "" and province["role"] == "province" and province["iso_3166_2"] == "AF-KSZ"
    assert province["lat"] == "35.20000" and province["lon"] == "67.10000" and province["population"] == "120000"
    assert province["aliases"].split("|") == ["Koh-e Sabz Province", "Kohesabz", "Koh-i-Sabz"]
    assert province["source"] == "Wikidata SPARQL import places.json"
    assert province["qid_evidence"] == "Wikidata import (one source: review before trusting)"
    city = rows[("city", "Sabzabad")]
    assert city["province"] == "Koh-e Sabz" and city["role"] == "provincial_capital"
    assert city["aliases"].split("|") == ["Sabz Abad", "Sabzabad City"]  # two solutions, one row
    district = rows[("district", "Sabzabad")]
    assert district["role"] == "district" and district["aliases"] == "Sabzabad District"


def test_a_city_is_a_capital_only_when_a_province_names_it(tmp_path):
    not_named = [dict(b) for b in PLACES if b["kind"]["value"] != "country"]
    not_named[0] = {k: v for k, v in not_named[0].items() if k != "capital"}
    rows = place_rows(read_results(results_file(tmp_path / "p.json", not_named)), source="p.json")
    assert next(r for r in rows if r["name"] == "Sabzabad")["role"] == "town"


def test_second_import_adds_nothing(tmp_path, inputs):
    out = tmp_path / "gazetteer"
    import_wikidata(*inputs, out)
    before = {name: (out / name).read_bytes() for name in ("places.csv", "actors.csv")}
    again = import_wikidata(*inputs, out)
    assert (again.places_added, again.places_kept, again.actors_added, again.actors_kept) == (0, 6, 0, 1)
    assert {name: (out / name).read_bytes() for name in before} == before
    gazetteer.load(out)  # no duplicate place


def test_existing_rows_win_and_children_follow_the_existing_province_name(imported):
    out, _ = imported
    samangan = [r for r in read_rows(out / "places.csv") if r["kind"] == "province" and r["wikidata"] == SAMANGAN]
    assert len(samangan) == 1 and samangan[0]["name"] == "Samangan"
    assert samangan[0]["source"].startswith("WOF region")  # the project's row, untouched
    district = next(r for r in read_rows(out / "places.csv") if r["name"] == "Dara-e Azmoyesh")
    assert district["province"] == "Samangan"  # not the imported label "Samangan Wilayat"


# --- the two-sources rule --------------------------------------------------------------------
def test_imported_ids_stay_out_of_links_without_trust(imported):
    out, summary = imported
    gaz = gazetteer.load(out)
    assert gaz.places["province/koh-e-sabz"].wikidata is None
    assert gaz.places["city/sabzabad"].wikidata is None
    assert gaz.actors["actor/sabz-front"].wikidata is None
    row = next(r for r in read_rows(out / "places.csv") if r["name"] == "Koh-e Sabz")
    assert row["wikidata"] == "" and row["unverified_qid"] == PROVINCE
    actor = next(r for r in read_rows(out / "actors.csv") if r["name"] == "Sabz Front")
    assert actor["wikidata"] == ""
    assert actor["source_of_qid"].startswith("NOT VERIFIED") and ACTOR in actor["source_of_qid"]
    assert "kept out of links" in str(summary)


def test_trust_puts_the_ids_in_the_wikidata_column(tmp_path, inputs):
    out = tmp_path / "trusted"
    summary = import_wikidata(*inputs, out, trust=True)
    gaz = gazetteer.load(out)
    assert gaz.places["province/koh-e-sabz"].wikidata == PROVINCE
    assert gaz.places["city/sabzabad"].wikidata == CAPITAL
    assert gaz.places["district/koh-e-sabz/sabzabad"].wikidata == DISTRICT
    assert gaz.actors["actor/sabz-front"].wikidata == ACTOR
    assert gaz.places["province/samangan"].wikidata == SAMANGAN  # the project's own, verified id
    assert "--trust" in str(summary)


# --- the loader reads the result -------------------------------------------------------------
def test_load_finds_imported_places_by_name_and_alias_with_their_containment(imported):
    out, _ = imported
    gaz = gazetteer.load(out)
    for surface, key in [("Koh-e Sabz", "province/koh-e-sabz"), ("Kohesabz", "province/koh-e-sabz"),
                         ("Koh-e Sabz Province", "province/koh-e-sabz"), ("Sabz Abad", "city/sabzabad"),
                         ("Sabzabad District", "district/koh-e-sabz/sabzabad"),
                         ("Dara-e Azmoyesh", "district/samangan/dara-e-azmoyesh")]:
        assert key in gaz.place_names[fold(surface)], surface
    assert gaz.place_names[fold("Sabzabad")] == {"city/sabzabad", "district/koh-e-sabz/sabzabad"}
    assert gaz.actor_names[fold("Jabha-ye Sabz")] == {"actor/sabz-front"}
    city = gaz.places["city/sabzabad"]
    assert city.is_capital and gaz.capital_of("province/koh-e-sabz") == city
    assert city.province == "province/koh-e-sabz" and city.country == "country/afghanistan"
    assert gaz.places["province/koh-e-sabz"].country == "country/afghanistan"
    assert gaz.contains("province/samangan", "district/samangan/dara-e-azmoyesh")
    assert gaz.province_of("district/koh-e-sabz/sabzabad").key == "province/koh-e-sabz"


def test_a_new_directory_starts_as_a_copy_of_the_project_gazetteer(imported):
    out, _ = imported
    for name in ("aliases.csv", "demonyms.csv", "README.md", "SOURCES.md"):
        assert (out / name).read_bytes() == (gazetteer.DATA_DIR / name).read_bytes()
    gaz = gazetteer.load(out)
    assert "city/aybak" in gaz.place_names[fold("AIPIC")]  # aliases.csv came along
    assert gaz.demonyms["afghans"] == "country/afghanistan"


def test_places_only_leaves_actors_as_they_were(tmp_path, inputs):
    out = tmp_path / "gazetteer"
    summary = import_wikidata(inputs[0], None, out)
    assert (out / "actors.csv").read_bytes() == (gazetteer.DATA_DIR / "actors.csv").read_bytes()
    assert summary.actors_added == 0 and summary.places_added == 4


def test_items_without_an_english_label_are_skipped_and_reported(tmp_path):
    bindings = PLACES + [{"item": uri("Q900000099"), "kind": lit("district"), "province": uri(PROVINCE)}]
    summary = import_wikidata(results_file(tmp_path / "places.json", bindings), None, tmp_path / "out")
    assert summary.unlabelled == ["Q900000099"] and "Q900000099" in str(summary)
    assert "Q900000099" not in (tmp_path / "out" / "places.csv").read_text(encoding="utf-8")


def test_a_second_country_is_imported_with_a_warning(tmp_path):
    other = [{"item": uri("Q900000050"), "itemLabel": lit("Testistan"), "kind": lit("country")}]
    summary = import_wikidata(results_file(tmp_path / "places.json", other), None, tmp_path / "out")
    assert summary.places_added == 1
    assert any("Testistan" in w and "first (Afghanistan)" in w for w in summary.warnings)


# --- writing ---------------------------------------------------------------------------------
def test_write_without_merge_holds_only_the_new_rows(tmp_path, inputs):
    rows = place_rows(read_results(inputs[0]), source="places.json")
    merged = write_gazetteer(rows, tmp_path)
    assert merged["places.csv"].added == len(rows) == 6
    write_gazetteer(rows[:2], tmp_path, merge=False)
    assert [r["name"] for r in read_rows(tmp_path / "places.csv")] == [r["name"] for r in rows[:2]]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, inputs, monkeypatch):
    out = tmp_path / "gazetteer"
    import_wikidata(inputs[0], None, out)
    before = (out / "places.csv").read_bytes()
    extra = [{"item": uri("Q900000077"), "itemLabel": lit("Another Province"), "kind": lit("province")}]

    def refuse(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        import_wikidata(results_file(tmp_path / "more.json", extra), None, out)
    assert (out / "places.csv").read_bytes() == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


# --- the saved query, run on a tiny Wikidata-shaped graph ------------------------------------
MINI_WIKIDATA = f"""
@prefix wd: <{WD}> . @prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
wd:Q889 rdfs:label "Afghanistan"@en, "Afghanistan"@de ; wdt:P150 wd:{PROVINCE} ; wdt:P36 wd:Q5838 .
wd:{PROVINCE} rdfs:label "Koh-e Sabz Province"@en, "Provinz Koh-e Sabz"@de ; skos:altLabel "Kohesabz"@en ;
    wdt:P36 wd:{CAPITAL} ; wdt:P300 "AF-KSZ" ; wdt:P1082 "120000"^^xsd:decimal ;
    wdt:P625 "Point(67.1 35.2)"^^geo:wktLiteral .
wd:{CAPITAL} rdfs:label "Sabzabad"@en ; skos:altLabel "Sabz Abad"@en, "Sabzabad City"@en ;
    wdt:P625 "Point(67.15 35.25)"^^geo:wktLiteral .
wd:{DISTRICT} rdfs:label "Sabzabad District"@en ; wdt:P31 wd:Q496825 ; wdt:P131 wd:{PROVINCE} .
wd:Q900000005 rdfs:label "Sabz Kalay"@en ; wdt:P31 wd:Q532 ; wdt:P131 wd:{PROVINCE} .
"""


def test_the_saved_places_query_gives_what_the_importer_reads(tmp_path):
    store = GraphStore(None)
    store.load(MINI_WIKIDATA.encode(), media_type="text/turtle", graph=None)
    query = (REPO / "queries" / "wikidata_places.rq").read_text(encoding="utf-8")
    answer = store.execute(query, result_format="json")
    results = tmp_path / "places.json"
    results.write_bytes(answer.body)
    summary = import_wikidata(results, None, tmp_path / "out")
    assert (summary.places_added, summary.places_kept) == (3, 1)  # Afghanistan is already there
    gaz = gazetteer.load(tmp_path / "out")
    assert gaz.capital_of("province/koh-e-sabz").key == "city/sabzabad"
    assert gaz.places["district/koh-e-sabz/sabzabad"].province == "province/koh-e-sabz"
    assert "province/koh-e-sabz" in gaz.place_names[fold("Kohesabz")]
    assert fold("Sabz Kalay") not in gaz.place_names  # a village, not a district
    assert gaz.places["province/koh-e-sabz"].lat == pytest.approx(35.2)


# --- broken input ----------------------------------------------------------------------------
def sparql_json(bindings) -> str:
    return json.dumps({"head": {"vars": []}, "results": {"bindings": bindings}})


BROKEN = {
    "not JSON": ("places", "<html>Query timeout</html>", "not JSON"),
    "simplified JSON download": ("places", json.dumps([{"item": WD + "Q889"}]), "JSON array"),
    "no bindings": ("places", json.dumps({"head": {"vars": []}, "boolean": True}), "results.bindings"),
    "no ?item": ("places", sparql_json([{"itemLabel": lit("Kabul"), "kind": lit("city")}]), "no ?item"),
    "item not a Wikidata IRI": ("places", sparql_json([{"item": {"type": "uri", "value": "http://example.org/Q1"},
                                                        "kind": lit("city")}]), "not a Wikidata entity IRI"),
    "item a label": ("places", sparql_json([{"item": lit("Kabul"), "kind": lit("city")}]), "not a Wikidata entity IRI"),
    "province a statement": ("places", sparql_json([{"item": uri("Q5838"), "kind": lit("city"),
                                                     "province": uri("Q188933-ABC")}]), "?province"),
    "coordinates not WKT": ("places", sparql_json([{"item": uri("Q5838"), "kind": lit("city"),
                                                    "coord": lit("34.5, 69.2")}]), "Point(lon lat)"),
    "coordinates off Earth": ("places", sparql_json([{"item": uri("Q5838"), "kind": lit("city"),
                                                      "coord": lit("Point(69.2 134.5)")}]), "Point(lon lat)"),
    "unknown kind": ("places", sparql_json([{"item": uri("Q5838"), "itemLabel": lit("Kabul"), "kind": lit("village")}]),
                     "unknown kind 'village'"),
    "no kind": ("places", sparql_json([{"item": uri("Q5838"), "itemLabel": lit("Kabul")}]), "unknown kind"),
    "places given as actors": ("actors", sparql_json(PLACES), "unknown kind 'country'"),
}


@pytest.mark.parametrize("option, content, problem", BROKEN.values(), ids=BROKEN.keys())
def test_broken_input_names_the_file_and_writes_nothing(tmp_path, option, content, problem):
    path = tmp_path / f"broken-{option}.json"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(DataFileError) as caught:
        import_wikidata(path if option == "places" else None, path if option == "actors" else None, out)
    assert path.name in str(caught.value) and problem in str(caught.value)
    assert caught.value.hint  # says how to fix it
    assert not out.exists()


def test_a_missing_file_is_a_data_file_error(tmp_path):
    with pytest.raises(DataFileError, match="missing.json"):
        read_results(tmp_path / "missing.json")


def test_nothing_to_import_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        import_wikidata(None, None, tmp_path / "out")


def test_wikidata_import_kg_gazetteer_points_the_pipeline_at_another_directory(tmp_path, monkeypatch):
    import shutil

    from kg import gazetteer

    copy = tmp_path / "gaz"
    shutil.copytree(gazetteer.DATA_DIR, copy)
    with (copy / "aliases.csv").open("a", encoding="utf-8") as handle:
        handle.write("city,Qalat,Kalaat,test alias\n")
    monkeypatch.setenv("KG_GAZETTEER", str(copy))
    assert gazetteer.data_dir() == copy
    assert "city/qalat" in gazetteer.load(gazetteer.data_dir()).place_names["kalaat"]
    monkeypatch.delenv("KG_GAZETTEER")
    assert gazetteer.data_dir() == gazetteer.DATA_DIR


def test_wikidata_import_command_then_a_build_links_the_new_place(tmp_path, inputs):
    import os
    import subprocess
    import sys

    from kg.cli import main

    out = tmp_path / "imported"
    assert main(["import-wikidata", "--places", str(inputs[0]), "--actors", str(inputs[1]), "--out", str(out), "--trust"]) == 0
    article = tmp_path / "a.txt"
    article.write_text("The Taliban captured Sabzabad on Monday.", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(article)], capture_output=True, text=True,
                         env={**os.environ, "KG_GAZETTEER": str(out)}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "sabzabad" in run.stdout.lower() and '"city/sabzabad"' in run.stdout
