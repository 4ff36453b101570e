"""The built seed graph: SHACL conformance, provenance, and an ontology that declares what we emit."""

from __future__ import annotations

from kg.validate import validate_store
from kg.vocab import KG


def test_seed_graph_conforms_to_the_shapes(seed_store):
    report = validate_store(seed_store)
    assert report.conforms, report.text


def test_seed_graph_every_event_lives_in_its_article_graph_with_evidence_from_that_article(seed_store):
    rows = seed_store.select("""
        SELECT ?event ?g ?article WHERE {
          GRAPH ?g { ?event a kg:Event ; kg:evidence/nif:referenceContext ?article . }
        }""")
    assert len(rows) > 40
    for row in rows:
        article_id = row["article"].value.rsplit("/", 1)[1]
        assert row["g"].value.endswith("/graph/article/" + article_id)


def test_seed_graph_evidence_is_the_exact_text_at_its_offsets(seed_store):
    rows = seed_store.select("""
        SELECT ?text ?begin ?end ?anchor WHERE {
          ?evidence a kg:Evidence ; nif:referenceContext/nif:isString ?text ;
                    nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?anchor .
        }""")
    assert rows
    for row in rows:
        begin, end = int(row["begin"].lexical), int(row["end"].lexical)
        assert row["text"].lexical[begin:end] == row["anchor"].lexical


def test_seed_graph_attributed_evidence_names_the_speaker(seed_store):
    rows = seed_store.select("""
        SELECT ?name WHERE {
          ?event a kg:Surrender ; kg:evidence ?e . ?e kg:accordingTo ?speaker . ?speaker schema:name ?name .
        }""")
    assert {"Mohammad Noor Rahmani", "Sefatullah Samangani"} <= {r["name"].lexical for r in rows}


def test_seed_graph_every_kg_term_used_is_declared_in_the_ontology(seed_store):
    used = seed_store.select("""
        SELECT DISTINCT ?term WHERE {
          GRAPH ?g { { ?s ?term ?o } UNION { ?s a ?term } }
          FILTER (?g != graph:ontology && STRSTARTS(STR(?term), STR(kg:)))
        }""")
    declared = {r["term"].value for r in seed_store.select("""
        SELECT DISTINCT ?term WHERE { GRAPH graph:ontology { ?term rdfs:label ?l ; rdfs:comment ?c } }""")}
    missing = sorted(r["term"].value for r in used if r["term"].value not in declared)
    assert not missing, f"emitted but not declared in ontology/kg.ttl: {missing}"
    assert KG.Surrender.value in {r["term"].value for r in used}


def test_seed_graph_places_form_a_hierarchy_with_coordinates(seed_store):
    rows = seed_store.select("""
        SELECT ?province ?country ?wkt WHERE {
          id:place\\/city\\/aybak kg:locatedIn ?province ; geo:hasGeometry/geo:asWKT ?wkt .
          ?province kg:locatedIn ?country .
        }""")
    assert len(rows) == 1
    assert rows[0]["province"].value.endswith("/place/province/samangan")
    assert rows[0]["country"].value.endswith("/place/country/afghanistan")
    assert rows[0]["wkt"].lexical.startswith("POINT(68.")
