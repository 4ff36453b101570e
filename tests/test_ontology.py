"""ontology/kg.ttl declares every kg: term the code emits, with labels, comments and mappings."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg import vocab
from kg.validate import DEFAULT_ONTOLOGY_DIR, load_turtle

ONTOLOGY_PATH = DEFAULT_ONTOLOGY_DIR / "kg.ttl"
SHAPES_PATH = DEFAULT_ONTOLOGY_DIR / "shapes.ttl"

KG = Namespace(vocab.KG.iri)
SEM = Namespace(vocab.SEM.iri)
GAF = Namespace(vocab.GAF.iri)
PROV = Namespace(vocab.PROV.iri)
NIF = Namespace(vocab.NIF.iri)
SCHEMA = Namespace(vocab.SCHEMA.iri)
WD = Namespace(vocab.WD.iri)
WDT = Namespace(vocab.WDT.iri)
DCTERMS = Namespace("http://purl.org/dc/terms/")
ONTOLOGY_IRI = URIRef("https://kg.example.org/ontology")

INDIVIDUAL_CLASSES = (
    [(name, "RoleType") for name in vocab.ROLE_TYPES]
    + [(name, "Modality") for name in vocab.MODALITIES]
    + [(name, "DatePrecision") for name in vocab.DATE_PRECISIONS]
)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_turtle(ONTOLOGY_PATH)


def english(graph: Graph, term: URIRef, predicate: URIRef) -> list[str]:
    return [str(o) for o in graph.objects(term, predicate)
            if isinstance(o, Literal) and o.language == "en" and str(o).strip()]


def kg_terms_in(graph: Graph) -> set[URIRef]:
    return {term for triple in graph for term in triple
            if isinstance(term, URIRef) and str(term).startswith(vocab.KG.iri)}


def test_ontology_parses_with_rdflib_and_pyoxigraph(ontology):
    assert len(ontology) > 100
    # The build loads kg.ttl into graph:ontology with pyoxigraph, whose parser is stricter.
    quads = list(ox.parse(ONTOLOGY_PATH.read_bytes(), format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(ontology)


def test_ontology_header_has_label_comment_version_and_metadata(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert english(ontology, ONTOLOGY_IRI, RDFS.label)
    assert english(ontology, ONTOLOGY_IRI, RDFS.comment)
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) is not None
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.modified):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate


@pytest.mark.parametrize("name", vocab.KG_CLASSES)
def test_ontology_declares_class(ontology, name):
    term = KG[name]
    assert (term, RDF.type, OWL.Class) in ontology
    assert english(ontology, term, RDFS.label), f"kg:{name} has no English label"
    assert english(ontology, term, RDFS.comment), f"kg:{name} has no English comment"


@pytest.mark.parametrize("name", vocab.KG_PROPERTIES)
def test_ontology_declares_property(ontology, name):
    term = KG[name]
    kinds = {k for k in (OWL.ObjectProperty, OWL.DatatypeProperty) if (term, RDF.type, k) in ontology}
    assert len(kinds) == 1, f"kg:{name} must be exactly one of owl:ObjectProperty, owl:DatatypeProperty"
    assert english(ontology, term, RDFS.label), f"kg:{name} has no English label"
    assert english(ontology, term, RDFS.comment), f"kg:{name} has no English comment"


@pytest.mark.parametrize("name", vocab.KG_PROPERTIES)
def test_ontology_property_range_matches_its_kind(ontology, name):
    term = KG[name]
    is_datatype = (term, RDF.type, OWL.DatatypeProperty) in ontology
    for rng in ontology.objects(term, RDFS.range):
        assert str(rng).startswith(vocab.XSD.iri) == is_datatype, f"kg:{name} has range {rng}"


@pytest.mark.parametrize(("name", "cls"), INDIVIDUAL_CLASSES)
def test_ontology_declares_individual(ontology, name, cls):
    term = KG[name]
    assert (term, RDF.type, OWL.NamedIndividual) in ontology
    assert (term, RDF.type, KG[cls]) in ontology
    assert english(ontology, term, RDFS.label)
    assert english(ontology, term, RDFS.comment)


def test_ontology_every_mentioned_kg_term_is_declared(ontology):
    undeclared = []
    for term in sorted(kg_terms_in(ontology)):
        declared = any((term, RDF.type, kind) in ontology for kind in (
            OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual))
        if not (declared and english(ontology, term, RDFS.label) and english(ontology, term, RDFS.comment)):
            undeclared.append(str(term))
    assert undeclared == []


def test_ontology_declares_every_kg_term_used_by_the_shapes(ontology):
    shapes = load_turtle(SHAPES_PATH)
    declared = {s for s in ontology.subjects(RDF.type, None)}
    assert sorted(str(t) for t in kg_terms_in(shapes) - declared) == []


@pytest.mark.parametrize("name", vocab.EVENT_TYPES)
def test_ontology_event_type_is_a_subclass_of_event(ontology, name):
    supers = set(ontology.transitive_objects(KG[name], RDFS.subClassOf))
    assert KG.Event in supers
    assert SEM.Event in supers


@pytest.mark.parametrize(("sub", "sup"), [
    ("Defection", "Surrender"),
    ("ArmedClash", "Attack"),
    ("Airstrike", "Attack"),
    ("Assassination", "Killing"),
    ("Evidence", "Mention"),
    ("EntityMention", "Mention"),
    ("ArmedGroup", "Organisation"),
    ("GovernmentBody", "Organisation"),
    ("MediaOutlet", "Organisation"),
])
def test_ontology_taxonomy_follows_the_model(ontology, sub, sup):
    assert (KG[sub], RDFS.subClassOf, KG[sup]) in ontology


@pytest.mark.parametrize("name", vocab.ACTOR_CLASSES)
def test_ontology_actor_class_is_an_actor(ontology, name):
    assert KG.Actor in set(ontology.transitive_objects(KG[name], RDFS.subClassOf))


@pytest.mark.parametrize("name", vocab.PLACE_CLASSES)
def test_ontology_place_class_is_a_place(ontology, name):
    assert (KG[name], RDFS.subClassOf, KG.Place) in ontology


@pytest.mark.parametrize(("subject", "predicate", "obj"), [
    (KG.Event, RDFS.subClassOf, SEM.Event),
    (KG.Actor, RDFS.subClassOf, SEM.Actor),
    (KG.Actor, RDFS.subClassOf, PROV.Agent),
    (KG.Person, RDFS.subClassOf, SCHEMA.Person),
    (KG.Organisation, RDFS.subClassOf, SCHEMA.Organization),
    (KG.GovernmentBody, RDFS.subClassOf, SCHEMA.GovernmentOrganization),
    (KG.MediaOutlet, RDFS.subClassOf, SCHEMA.NewsMediaOrganization),
    (KG.Place, RDFS.subClassOf, SEM.Place),
    (KG.Place, RDFS.subClassOf, SCHEMA.Place),
    (KG.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
    (KG.Article, RDFS.subClassOf, PROV.Entity),
    (KG.Article, RDFS.subClassOf, NIF.Context),
    (KG.Mention, RDFS.subClassOf, NIF.String),
    (KG.Participation, RDFS.subClassOf, SEM.Role),
    (KG.Position, RDFS.subClassOf, SCHEMA.Role),
    (KG.RoleType, RDFS.subClassOf, SEM.RoleType),
    (KG.evidence, RDFS.subPropertyOf, GAF.denotedBy),
    (KG.refersTo, RDFS.subPropertyOf, GAF.denotes),
    (KG.place, RDFS.subPropertyOf, SEM.hasPlace),
    (KG.date, RDFS.subPropertyOf, SEM.hasTimeStamp),
    (KG.notAfter, RDFS.subPropertyOf, SEM.hasLatestEndTimeStamp),
    (KG.participant, RDFS.subPropertyOf, RDF.value),
    (KG.roleType, RDFS.subPropertyOf, SEM.roleType),
    (KG.accordingTo, RDFS.subPropertyOf, PROV.wasAttributedTo),
    (KG.locatedIn, RDFS.subPropertyOf, WDT.P131),
    (KG.locatedIn, SKOS.closeMatch, WD.P131),
    (KG.country, RDFS.subPropertyOf, WDT.P17),
    (KG.country, SKOS.closeMatch, WD.P17),
    (KG.capitalOf, RDFS.subPropertyOf, WDT.P1376),
    (KG.capitalOf, SKOS.closeMatch, WD.P1376),
    (KG.killed, SKOS.closeMatch, WD.P1120),
    (KG.injured, SKOS.closeMatch, WD.P1339),
    (KG.holdsPosition, SKOS.closeMatch, WD.P39),
    (KG.Person, SKOS.closeMatch, WD.Q5),
    (KG.Country, SKOS.closeMatch, WD.Q6256),
    (KG.City, SKOS.closeMatch, WD.Q515),
    (KG.District, SKOS.closeMatch, WD.Q496825),
])
def test_ontology_maps_to_reused_vocabularies(ontology, subject, predicate, obj):
    assert (subject, predicate, obj) in ontology


def test_ontology_does_not_map_province_to_region_of_ethiopia(ontology):
    # Q1057504 was once proposed for "province of Afghanistan"; stored Wikidata lists give it as
    # "region of Ethiopia".
    assert (KG.Province, SKOS.closeMatch, WD.Q1057504) not in ontology


def test_ontology_wikidata_mappings_are_items_or_properties(ontology):
    for _s, _p, o in ontology.triples((None, SKOS.closeMatch, None)):
        if str(o).startswith(vocab.WD.iri):
            assert re.fullmatch(r"[QP][0-9]+", str(o)[len(vocab.WD.iri):]), o


@pytest.mark.parametrize(("name", "cameo", "acled"), [
    ("CaptureOfTerritory", {"192"}, {"Non-state actor overtakes territory", "Government regains territory"}),
    ("Surrender", {"0874"}, {"Non-violent transfer of territory"}),
    ("ArmedClash", {"193"}, {"Armed clash"}),
    ("Airstrike", {"195"}, {"Air/drone strike"}),
    ("Assassination", {"186"}, set()),
    ("Arrest", {"173"}, {"Arrests"}),
    ("Siege", {"191"}, set()),
    ("Statement", {"010"}, set()),
])
def test_ontology_event_class_carries_cameo_and_acled_codes(ontology, name, cameo, acled):
    assert {str(o) for o in ontology.objects(KG[name], KG.cameoCode)} == cameo
    assert {str(o) for o in ontology.objects(KG[name], KG.acledSubEventType)} == acled


def test_ontology_event_codes_annotate_only_event_classes(ontology):
    for predicate in (KG.cameoCode, KG.acledSubEventType):
        assert (predicate, RDF.type, OWL.AnnotationProperty) in ontology
        for subject, code in ontology.subject_objects(predicate):
            assert KG.Event in set(ontology.transitive_objects(subject, RDFS.subClassOf)), subject
            if predicate == KG.cameoCode:
                assert re.fullmatch(r"[0-9]{3,4}", str(code)), code
