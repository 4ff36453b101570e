"""kg.validate: the SHACL shapes accept a graph built per MODEL.md and reject targeted breakages.

Each invalid variant is the valid dataset plus one SPARQL update, so a failure names exactly one fault.
"""

from __future__ import annotations

import importlib
import shutil

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

import kg.validate as validate_module
from kg.errors import DataFileError
from kg.store import GraphStore
from kg.terms import IRI
from kg.validate import DEFAULT_ONTOLOGY_DIR, ValidationReport, validate_graph, validate_store

TEXT = "Aybak fell. Asif Azimi surrendered to the Taliban in Samangan."

# One article graph and the gazetteer graph, as the build writes them (ontology/MODEL.md).
VALID_TRIG = f"""
@base <https://kg.example.org/id/> .
@prefix kg: <https://kg.example.org/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <http://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix wd: <http://www.wikidata.org/entity/> .

<https://kg.example.org/graph/gazetteer> {{
  <place/country/afghanistan> a kg:Country ; rdfs:label "Afghanistan" ; owl:sameAs wd:Q889 ;
      kg:placeKind "country" .
  <place/province/samangan> a kg:Province ; rdfs:label "Samangan" ; kg:placeKind "province" ;
      kg:locatedIn <place/country/afghanistan> ; kg:country <place/country/afghanistan> .
  <place/city/aybak> a kg:City ; rdfs:label "Aybak" ; skos:altLabel "Aibak", "AIPIC" ;
      kg:placeKind "city" ;
      kg:locatedIn <place/province/samangan> ; kg:country <place/country/afghanistan> ;
      kg:capitalOf <place/province/samangan> ;
      geo:hasGeometry [ geo:asWKT "POINT(68.01 36.26)"^^geo:wktLiteral ] .
  <actor/taliban> a kg:ArmedGroup ; rdfs:label "Taliban" ; schema:name "Taliban" .
  <actor/afp> a kg:MediaOutlet ; rdfs:label "AFP" ; schema:name "AFP" .
}}

<https://kg.example.org/graph/article/a1> {{
  <evidence/a1/12-62> kg:trigger "surrendered" .
  <article/a1> a kg:Article ;
      schema:identifier "a1" ;
      schema:headline "Aybak falls" ;
      schema:url <https://news.example.org/a1> ;
      schema:datePublished "2021-08-09"^^xsd:date ;
      schema:publisher <actor/afp> ;
      schema:inLanguage "en" ;
      kg:sourceFile "seeds/a1.txt" ;
      kg:contentHash "{'0' * 64}" ;
      nif:isString "{TEXT}" .

  <evidence/a1/12-62> a kg:Evidence ;
      nif:referenceContext <article/a1> ;
      nif:beginIndex "12"^^xsd:nonNegativeInteger ; nif:endIndex "62"^^xsd:nonNegativeInteger ;
      nif:anchorOf "Asif Azimi surrendered to the Taliban in Samangan." ;
      kg:accordingTo <person/asif-azimi> ;
      kg:modality kg:Reported .

  <mention/a1/0-5> a kg:EntityMention ;
      nif:referenceContext <article/a1> ; nif:beginIndex 0 ; nif:endIndex 5 ; nif:anchorOf "Aybak" ;
      kg:refersTo <place/city/aybak> ; kg:linkConfidence 0.9 .

  <event/a1/1> a kg:Surrender ;
      rdfs:label "surrender in Samangan" ;
      kg:evidence <evidence/a1/12-62> ;
      kg:place <place/province/samangan> ;
      kg:date "2021-08-08"^^xsd:date ;
      kg:datePrecision kg:DayPrecision ;
      kg:timeExpression "Last night" ;
      kg:notAfter "2021-08-09"^^xsd:date ;
      kg:killed 7 ; kg:injured 95 ;
      kg:hasParticipation <participation/a1/1/1>, <participation/a1/1/2> .

  <participation/a1/1/1> a kg:Participation ;
      kg:participant <person/asif-azimi> ; kg:roleType kg:AffectedRole .
  <participation/a1/1/2> a kg:Participation ;
      kg:participant <actor/taliban> ; kg:roleType kg:SurrenderedToRole .

  <person/asif-azimi> a kg:Person ; rdfs:label "Asif Azimi" ; schema:name "Asif Azimi" ;
      kg:holdsPosition <position/asif-azimi/warlord> .
  <position/asif-azimi/warlord> a kg:Position ; kg:title "warlord" ;
      kg:positionPlace <place/province/samangan> ; kg:isFormer false .

  <actor/a1/1> a kg:Group ; rdfs:label "several pro-government militia commanders" ;
      kg:groupSize 250 .
}}
"""

# A second article that types the same shared nodes again, as articles do.
SECOND_ARTICLE_TRIG = """
@base <https://kg.example.org/id/> .
@prefix kg: <https://kg.example.org/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .

<https://kg.example.org/graph/article/a2> {
  <article/a2> a kg:Article ; schema:identifier "a2" ; nif:isString "Asif Azimi spoke." .
  <evidence/a2/0-17> a kg:Evidence ; nif:referenceContext <article/a2> ;
      nif:beginIndex 0 ; nif:endIndex 17 ; nif:anchorOf "Asif Azimi spoke." .
  <event/a2/1> a kg:Statement ; kg:evidence <evidence/a2/0-17> ;
      kg:datePrecision kg:UnknownPrecision ; kg:hasParticipation <participation/a2/1/1> .
  <participation/a2/1/1> a kg:Participation ;
      kg:participant <person/asif-azimi> ; kg:roleType kg:SpeakerRole .
  <person/asif-azimi> a kg:Person ; rdfs:label "Asif Azimi" ; schema:name "Asif Azimi" ;
      kg:holdsPosition <position/asif-azimi/warlord> .
  <position/asif-azimi/warlord> a kg:Position ; kg:title "warlord" .
}
"""


def make_store(*trigs: str, update: str | None = None) -> GraphStore:
    store = GraphStore(None)
    for trig in trigs:
        store.load(trig.encode("utf-8"), media_type="application/trig", graph=None)
    if update:
        store.update(update)
    return store


def check(update: str) -> ValidationReport:
    return validate_store(make_store(VALID_TRIG, update=update))


def assert_fails_with(report: ValidationReport, message: str, focus: str | None = None) -> None:
    """Some result of the report carries `message` (and is about `focus`, when given)."""
    assert not report.conforms
    assert report.violations >= 1
    results = report.text.split("Constraint Violation in ")[1:]
    matching = [r for r in results if f"Message: {message}" in r
                and (focus is None or f"Focus Node: <{focus}>" in r)]
    assert matching, report.text


# --- valid data --------------------------------------------------------------------------

def test_validate_store_accepts_the_model_example():
    report = validate_store(make_store(VALID_TRIG))
    assert report == ValidationReport(conforms=True, text=report.text, violations=0)
    assert "Conforms: True" in report.text


def test_validate_store_accepts_shared_nodes_typed_by_two_articles():
    report = validate_store(make_store(VALID_TRIG, SECOND_ARTICLE_TRIG))
    assert report.conforms, report.text


def test_validate_store_accepts_the_ontology_graph_alongside_the_data():
    # The build keeps kg.ttl in graph:ontology, so the union being validated contains it.
    # Goes through N-Quads because GraphStore.load cannot yet put Turtle into a named graph.
    graph = ox.NamedNode("https://kg.example.org/graph/ontology")
    quads = [ox.Quad(q.subject, q.predicate, q.object, graph)
             for q in ox.parse((DEFAULT_ONTOLOGY_DIR / "kg.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)]
    store = make_store(VALID_TRIG)
    store.load(ox.serialize(quads, format=ox.RdfFormat.N_QUADS), media_type="application/n-quads", graph=None)
    assert IRI("https://kg.example.org/graph/ontology") in store.named_graphs()
    report = validate_store(store)
    assert report.conforms, report.text


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's TriG parser, not ours
def test_validate_graph_accepts_a_merged_rdflib_graph():
    dataset = Dataset()
    dataset.parse(data=VALID_TRIG, format="trig")
    union = Graph()
    for s, p, o, _g in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    report = validate_graph(union)
    assert report.conforms, report.text
    assert report.violations == 0


def test_validate_union_graph_merges_all_named_graphs():
    store = make_store(VALID_TRIG)
    union = validate_module.union_graph(store)
    assert len(union) == len(store)


# --- the five faults the shapes exist for --------------------------------------------------

def test_validate_event_without_evidence_fails():
    # The event is typed only kg:Surrender: the shape must reach it through rdfs:subClassOf.
    report = check("DELETE WHERE { GRAPH ?g { ?e kg:evidence ?ev } }")
    assert_fails_with(report, "an event needs at least one kg:evidence span",
                      "https://kg.example.org/id/event/a1/1")


def test_validate_participation_with_two_roles_fails():
    report = check("INSERT DATA { GRAPH <https://kg.example.org/graph/article/a1> { "
                   "<https://kg.example.org/id/participation/a1/1/1> kg:roleType kg:AgentRole } }")
    assert_fails_with(report, "a participation needs exactly one kg:roleType",
                      "https://kg.example.org/id/participation/a1/1/1")


@pytest.mark.parametrize("subject", [
    "https://kg.example.org/id/place/city/aybak",
    "https://kg.example.org/id/actor/taliban",
])
@pytest.mark.parametrize("target", [
    "http://dbpedia.org/resource/Aybak",
    "http://www.wikidata.org/wiki/Q889",
    "https://www.wikidata.org/entity/Q889",
    "http://www.wikidata.org/entity/P131",
])
def test_validate_same_as_to_non_wikidata_item_fails(subject, target):
    report = check(f"INSERT DATA {{ GRAPH graph:gazetteer {{ <{subject}> owl:sameAs <{target}> }} }}")
    kind = "a place" if "/place/" in subject else "an actor"
    assert_fails_with(report, f"owl:sameAs on {kind} must be a Wikidata item IRI", subject)


def test_validate_same_as_literal_fails():
    report = check('INSERT DATA { GRAPH graph:gazetteer { '
                   '<https://kg.example.org/id/place/city/aybak> owl:sameAs "Q889" } }')
    assert_fails_with(report, "owl:sameAs on a place must be a Wikidata item IRI")


def test_validate_anchor_not_matching_offsets_fails():
    report = check("DELETE { GRAPH ?g { ?m nif:beginIndex ?b } } INSERT { GRAPH ?g { ?m nif:beginIndex 13 } } "
                   "WHERE { GRAPH ?g { ?m nif:beginIndex ?b FILTER(?m = <https://kg.example.org/id/evidence/a1/12-62>) } }")
    assert_fails_with(report, "nif:anchorOf Asif Azimi surrendered to the Taliban in Samangan. is not the "
                              "article text between nif:beginIndex and nif:endIndex "
                              "(sif Azimi surrendered to the Taliban in Samangan.)",
                      "https://kg.example.org/id/evidence/a1/12-62")
    assert report.violations == 1


def test_validate_anchor_past_the_end_of_the_text_fails():
    report = check("DELETE { GRAPH ?g { ?m nif:endIndex ?e } } INSERT { GRAPH ?g { ?m nif:endIndex 99 } } "
                   "WHERE { GRAPH ?g { ?m nif:endIndex ?e FILTER(?m = <https://kg.example.org/id/evidence/a1/12-62>) } }")
    assert_fails_with(report, "nif:anchorOf Asif Azimi surrendered")


def test_validate_anchor_counts_code_points_like_python():
    text = "Kunduz — Qunduz 🙂 fell."
    begin = text.index("fell")
    trig = f"""
    @prefix kg: <https://kg.example.org/ontology#> .
    @prefix schema: <http://schema.org/> .
    @prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
    <https://kg.example.org/graph/article/u> {{
      <https://kg.example.org/id/article/u> a kg:Article ; schema:identifier "u" ; nif:isString "{text}" .
      <https://kg.example.org/id/mention/u/1> a kg:Mention ;
          nif:referenceContext <https://kg.example.org/id/article/u> ;
          nif:beginIndex {begin} ; nif:endIndex {begin + 4} ; nif:anchorOf "fell" .
    }}
    """
    report = validate_store(make_store(trig))
    assert report.conforms, report.text


@pytest.mark.parametrize("precision", ["kg:WeekPrecision", "kg:AgentRole", '"day"'])
def test_validate_bad_date_precision_fails(precision):
    report = check("DELETE { GRAPH ?g { ?e kg:datePrecision ?p } } "
                   f"INSERT {{ GRAPH ?g {{ ?e kg:datePrecision {precision} }} }} "
                   "WHERE { GRAPH ?g { ?e kg:datePrecision ?p } }")
    assert_fails_with(report, "kg:datePrecision must be kg:DayPrecision, kg:MonthPrecision, "
                              "kg:YearPrecision, kg:OnOrBeforePrecision or kg:UnknownPrecision",
                      "https://kg.example.org/id/event/a1/1")


def test_validate_missing_date_precision_fails():
    report = check("DELETE WHERE { GRAPH ?g { ?e kg:datePrecision ?p } }")
    assert_fails_with(report, "an event needs exactly one kg:datePrecision")


# --- further breakages, one per row --------------------------------------------------------

ID = "https://kg.example.org/id/"
A1 = "<https://kg.example.org/graph/article/a1>"


@pytest.mark.parametrize(("update", "message"), [
    # evidence must be typed: a range in the ontology must not make it so
    (f"DELETE DATA {{ GRAPH {A1} {{ <{ID}evidence/a1/12-62> a kg:Evidence }} }}",
     "kg:evidence must point to a kg:Evidence"),
    (f"INSERT DATA {{ GRAPH {A1} {{ <{ID}event/a1/1> kg:date \"2021-08-07\"^^xsd:date }} }}",
     "an event has at most one kg:date"),
    (f"DELETE WHERE {{ GRAPH ?g {{ ?e kg:date ?d }} }} ; "
     f"INSERT DATA {{ GRAPH {A1} {{ <{ID}event/a1/1> kg:date \"8 August\" }} }}",
     "kg:date must be an xsd:date"),
    (f"DELETE WHERE {{ GRAPH ?g {{ ?e kg:date ?d }} }} ; "
     f"INSERT DATA {{ GRAPH {A1} {{ <{ID}event/a1/1> kg:date \"2021-08-10\"^^xsd:date }} }}",
     "kg:date is after kg:notAfter (the publication date)"),
    (f"DELETE WHERE {{ GRAPH ?g {{ ?e kg:killed ?k }} }} ; "
     f"INSERT DATA {{ GRAPH {A1} {{ <{ID}event/a1/1> kg:killed -3 }} }}",
     "kg:killed must be a single non-negative integer"),
    (f"INSERT DATA {{ GRAPH {A1} {{ <{ID}event/a1/1> kg:place <{ID}place/city/nowhere> }} }}",
     "kg:place must point to a kg:Place (a gazetteer place)"),
    (f"DELETE DATA {{ GRAPH {A1} {{ <{ID}participation/a1/1/2> a kg:Participation }} }}",
     "kg:hasParticipation must point to a kg:Participation"),
    (f"INSERT DATA {{ GRAPH {A1} {{ <{ID}participation/a1/1/1> kg:participant <{ID}actor/taliban> }} }}",
     "a participation needs exactly one kg:participant"),
    (f"INSERT DATA {{ GRAPH {A1} {{ <{ID}event/a1/1> kg:hasParticipation <{ID}participation/a1/1/9> . "
     f"<{ID}participation/a1/1/9> a kg:Participation ; kg:participant <{ID}place/city/aybak> ; "
     f"kg:roleType kg:AgentRole }} }}",
     "kg:participant must point to a kg:Actor"),
    (f"DELETE WHERE {{ GRAPH ?g {{ <{ID}participation/a1/1/1> kg:roleType ?r }} }} ; "
     f"INSERT DATA {{ GRAPH {A1} {{ <{ID}participation/a1/1/1> kg:roleType kg:VictimRole }} }}",
     "kg:roleType must be kg:AgentRole, kg:AffectedRole, kg:SurrenderedToRole or kg:SpeakerRole"),
    (f"DELETE WHERE {{ GRAPH ?g {{ <{ID}evidence/a1/12-62> nif:referenceContext ?a }} }}",
     "a mention needs exactly one nif:referenceContext"),
    (f"INSERT DATA {{ GRAPH {A1} {{ <{ID}mention/a1/0-5> kg:modality kg:Rumoured }} }}",
     "kg:modality must be kg:Asserted, kg:Reported or kg:Claimed"),
    (f"INSERT DATA {{ GRAPH {A1} {{ <{ID}evidence/a1/12-62> kg:modality kg:Asserted }} }}",
     "a mention has at most one kg:modality"),
    (f"DELETE WHERE {{ GRAPH ?g {{ <{ID}mention/a1/0-5> nif:beginIndex ?b }} }} ; "
     f"INSERT DATA {{ GRAPH {A1} {{ <{ID}mention/a1/0-5> nif:beginIndex -1 }} }}",
     "a mention needs exactly one nif:beginIndex, a non-negative integer"),
    (f"DELETE WHERE {{ GRAPH ?g {{ <{ID}mention/a1/0-5> nif:anchorOf ?x }} }}",
     "a mention needs exactly one nif:anchorOf string"),
    (f"INSERT DATA {{ GRAPH {A1} {{ <{ID}mention/a1/0-5> kg:linkConfidence 1.5 }} }}",
     "kg:linkConfidence must be a single number between 0 and 1"),
    (f"DELETE WHERE {{ GRAPH ?g {{ <{ID}article/a1> schema:identifier ?i }} }}",
     "an article needs exactly one schema:identifier string"),
    (f"DELETE WHERE {{ GRAPH ?g {{ <{ID}article/a1> nif:isString ?t }} }}",
     "an article needs exactly one nif:isString (its full text)"),
    (f"DELETE WHERE {{ GRAPH ?g {{ <{ID}article/a1> schema:datePublished ?d }} }} ; "
     f"INSERT DATA {{ GRAPH {A1} {{ <{ID}article/a1> schema:datePublished \"2021-08-09T10:00:00\"^^xsd:dateTime }} }}",
     "schema:datePublished must be a single xsd:date"),
    (f"INSERT DATA {{ GRAPH {A1} {{ <{ID}article/a1> kg:contentHash \"ABC\" }} }}",
     "kg:contentHash must be one SHA-256 in lower-case hex"),
    (f"DELETE WHERE {{ GRAPH ?g {{ <{ID}person/asif-azimi> rdfs:label ?l }} }}",
     "an actor needs an rdfs:label"),
    (f"INSERT DATA {{ GRAPH {A1} {{ <{ID}position/asif-azimi/warlord> kg:title \"commander\" }} }}",
     "a position needs exactly one kg:title string"),
    (f"DELETE WHERE {{ GRAPH ?g {{ <{ID}place/province/samangan> rdfs:label ?l }} }}",
     "a place needs an rdfs:label"),
    # Kunduz the city is not Kunduz the province
    (f"INSERT DATA {{ GRAPH graph:gazetteer {{ <{ID}place/city/aybak> a kg:Province }} }}",
     "a place must be exactly one of kg:Country, kg:Province, kg:City, kg:District, kg:Facility"),
    (f"INSERT DATA {{ GRAPH graph:gazetteer {{ <{ID}place/city/aybak> kg:country <{ID}place/province/samangan> }} }}",
     "kg:country must point to a kg:Country"),
])
def test_validate_rejects_broken_variant(update, message):
    assert_fails_with(check(update), message)


def test_validate_counts_each_violation():
    report = check("DELETE WHERE { GRAPH ?g { ?e kg:evidence ?ev } } ; "
                   "INSERT DATA { GRAPH graph:gazetteer { "
                   "<https://kg.example.org/id/actor/taliban> owl:sameAs <http://example.org/taliban> } }")
    assert report.violations == 2


# --- ontology files ------------------------------------------------------------------------

def test_validate_broken_turtle_raises_data_file_error_naming_the_file(tmp_path):
    shutil.copy(DEFAULT_ONTOLOGY_DIR / "kg.ttl", tmp_path / "kg.ttl")
    (tmp_path / "shapes.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path .\n")
    with pytest.raises(DataFileError) as caught:
        validate_graph(Graph(), ontology_dir=tmp_path)
    assert "shapes.ttl" in caught.value.message
    assert "not valid Turtle" in caught.value.message
    assert caught.value.exit_code == 4


def test_validate_missing_ontology_file_raises_data_file_error(tmp_path):
    shutil.copy(DEFAULT_ONTOLOGY_DIR / "shapes.ttl", tmp_path / "shapes.ttl")
    with pytest.raises(DataFileError) as caught:
        validate_graph(Graph(), ontology_dir=tmp_path)
    assert "kg.ttl" in caught.value.message


def test_validate_ontology_dir_is_overridable_by_env_var(monkeypatch, tmp_path):
    monkeypatch.setenv("KG_ONTOLOGY_DIR", str(tmp_path))
    try:
        module = importlib.reload(validate_module)
        assert module.ONTOLOGY_DIR == tmp_path
        with pytest.raises(DataFileError, match="shapes.ttl"):
            module.validate_graph(Graph())
    finally:
        monkeypatch.delenv("KG_ONTOLOGY_DIR")
        importlib.reload(validate_module)
    assert validate_module.ONTOLOGY_DIR == DEFAULT_ONTOLOGY_DIR
