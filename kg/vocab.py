"""Namespaces and every ontology term the code emits.

`ontology/kg.ttl` declares each `KG` term listed here with a label and a comment;
`tests/test_ontology.py` checks that nothing is emitted undeclared.
"""

from __future__ import annotations

from kg.terms import IRI

BASE = "https://kg.example.org/"  # documentation domain on purpose: IRIs are identifiers, not URLs to fetch


class Namespace:
    def __init__(self, prefix: str, iri: str):
        self.prefix = prefix
        self.iri = iri

    def __getattr__(self, name: str) -> IRI:
        if name.startswith("__"):
            raise AttributeError(name)
        term = IRI(self.iri + name)
        setattr(self, name, term)  # the RDF layer names terms millions of times: build each once
        return term

    def __getitem__(self, name: str) -> IRI:
        return IRI(self.iri + name)


KG = Namespace("kg", BASE + "ontology#")
ID = Namespace("id", BASE + "id/")
GRAPH = Namespace("graph", BASE + "graph/")
RDF = Namespace("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("rdfs", "http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("owl", "http://www.w3.org/2002/07/owl#")
XSD = Namespace("xsd", "http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("skos", "http://www.w3.org/2004/02/skos/core#")
SCHEMA = Namespace("schema", "http://schema.org/")
PROV = Namespace("prov", "http://www.w3.org/ns/prov#")
SEM = Namespace("sem", "http://semanticweb.cs.vu.nl/2009/11/sem/")
GAF = Namespace("gaf", "http://groundedannotationframework.org/gaf#")
NIF = Namespace("nif", "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
OA = Namespace("oa", "http://www.w3.org/ns/oa#")
GEO = Namespace("geo", "http://www.opengis.net/ont/geosparql#")
TIME = Namespace("time", "http://www.w3.org/2006/time#")
WD = Namespace("wd", "http://www.wikidata.org/entity/")
WDT = Namespace("wdt", "http://www.wikidata.org/prop/direct/")
SH = Namespace("sh", "http://www.w3.org/ns/shacl#")

NAMESPACES = [KG, ID, GRAPH, RDF, RDFS, OWL, XSD, SKOS, SCHEMA, PROV, SEM, GAF, NIF, OA, GEO, TIME, WD, WDT]
PREFIXES: dict[str, str] = {ns.prefix: ns.iri for ns in NAMESPACES}

GAZETTEER_GRAPH = GRAPH.gazetteer
ONTOLOGY_GRAPH = GRAPH.ontology


def article_graph(article_id: str) -> IRI:
    return GRAPH["article/" + article_id]


# --- the closed lists the extractor may produce -------------------------------------------
# Event types (local names of kg classes). The lexicon names them; the ontology declares them.
EVENT_TYPES = (
    "CaptureOfTerritory",
    "Surrender",
    "Defection",
    "Attack",
    "ArmedClash",
    "Airstrike",
    "Killing",
    "Assassination",
    "Injury",
    "Displacement",
    "Withdrawal",
    "Arrest",
    "Siege",
    "Statement",
)
ACTOR_CLASSES = ("Person", "Group", "Organisation", "ArmedGroup", "GovernmentBody", "MediaOutlet")
PLACE_CLASSES = ("Country", "Province", "City", "District", "Facility")
ROLE_TYPES = ("AgentRole", "AffectedRole", "SurrenderedToRole", "SpeakerRole")
MODALITIES = ("Asserted", "Reported", "Claimed")
DATE_PRECISIONS = ("DayPrecision", "MonthPrecision", "YearPrecision", "OnOrBeforePrecision", "UnknownPrecision")

# Every kg: term the RDF layer may write; the ontology test checks each is declared.
KG_CLASSES = (
    ("Actor", "Place", "Event", "Article", "Mention", "Evidence", "EntityMention", "Participation",
     "Position", "RoleType", "Modality", "DatePrecision", "DeniedClaim", "Incident")
    + EVENT_TYPES + ACTOR_CLASSES + PLACE_CLASSES
)
KG_INDIVIDUALS = ROLE_TYPES + MODALITIES + DATE_PRECISIONS
KG_PROPERTIES = (
    # events
    "place", "date", "datePrecision", "timeExpression", "notAfter", "hasParticipation",
    "evidence", "killed", "injured", "displaced", "quantity", "trigger", "claimedType", "incidentType", "report",
    # participations
    "participant", "roleType", "groupSize",
    # actors and positions
    "holdsPosition", "title", "positionPlace", "positionOrganisation", "isFormer",
    # provenance
    "accordingTo", "modality", "refersTo", "linkConfidence", "rejectedCandidate", "sourceFile", "contentHash",
    # the build journal (kg.journal)
    "pendingGraph", "pendingIncidents",
    # places
    "locatedIn", "country", "capitalOf", "placeKind",
)
