"""What the service and its data are, in RDF: the SPARQL service description (sd:) at GET /sparql
and a VoID description of the dataset at /void (also /.well-known/void, as VoID §7 suggests).

The statistics (triples, graphs, entities per class, links to Wikidata) are counted with SPARQL and
kept until the store changes through this server.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from kg.errors import KGError
from kg.server.http import RDF_OFFERS, NotAcceptable, error_response, negotiate
from kg.server.runner import StoreRunner
from kg.store import GraphStore, turtle_as
from kg.vocab import BASE, PREFIXES

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
WIKIDATA = "http://www.wikidata.org/entity/"
_PROLOGUE = (f"@prefix sd: <{SD}> .\n@prefix void: <{VOID}> .\n@prefix fmt: <{FORMATS}> .\n"
             "@prefix dcterms: <http://purl.org/dc/terms/> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n")


def iri_of(url) -> str:
    """A URL of this server as an IRI to write between < and >: the host comes from the client's
    request, so anything that could end the IRI early is percent-escaped."""
    return quote(str(url), safe=":/?#[]@!$&'()*+,;=%-._~")


@dataclass(frozen=True)
class Statistics:
    triples: int
    graphs: int
    classes: tuple[tuple[str, int], ...]  # (class IRI, entities)
    wikidata_links: int


def statistics(store: GraphStore, deadline: float | None = None) -> Statistics:  # deadline: see StoreRunner.read
    """Count the named graphs (one per article, plus the ontology): the data a default query sees."""
    totals = store.select("SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?g) AS ?graphs) "
                          "WHERE { GRAPH ?g { ?s ?p ?o } }")[0]
    classes = store.select("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class")
    links = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s owl:sameAs ?wd "
                         f"FILTER(STRSTARTS(STR(?wd), \"{WIKIDATA}\")) }}")[0]
    return Statistics(
        triples=int(totals["triples"].lexical), graphs=int(totals["graphs"].lexical),
        classes=tuple((str(row["class"]), int(row["n"].lexical)) for row in classes),
        wikidata_links=int(links["n"].lexical))


def service_description(endpoint: str, void_url: str, *, updates: bool, federation: bool) -> str:
    """Turtle for GET /sparql: what the endpoint speaks, with the dataset described at `void_url`."""
    languages = "sd:SPARQL11Query, sd:SPARQL11Update" if updates else "sd:SPARQL11Query"
    features = "sd:UnionDefaultGraph, sd:BasicFederatedQuery" if federation else "sd:UnionDefaultGraph"
    return _PROLOGUE + f"""<{endpoint}#service> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage {languages} ;
    sd:feature {features} ;
    sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV,
        fmt:SPARQL_Results_TSV, fmt:Turtle, fmt:N-Triples, fmt:RDF_XML, fmt:JSON-LD ;
    sd:defaultDataset <{void_url}#dataset> .

<{void_url}#dataset> a sd:Dataset, void:Dataset ;
    sd:defaultGraph [ a sd:Graph ; dcterms:description "the union of all named graphs" ] .
"""


def void_description(void_url: str, endpoint: str, stats: Statistics) -> str:
    """Turtle for /void: the dataset, its vocabularies, its size, its classes and its Wikidata links."""
    partitions = ",\n        ".join(f"[ void:class <{c}> ; void:entities {n} ]" for c, n in stats.classes)
    partitions = f" ;\n    void:classPartition {partitions}" if partitions else ""
    vocabularies = ", ".join(f"<{PREFIXES[p]}>" for p in ("kg", "sem", "prov", "nif", "oa", "schema", "geo", "time", "skos"))
    return _PROLOGUE + f"""<{void_url}#dataset> a void:Dataset ;
    dcterms:title "kg: a knowledge graph of news events" ;
    dcterms:description "Events, actors, places and sources extracted from news articles; one named graph per article." ;
    void:sparqlEndpoint <{endpoint}> ;
    void:uriSpace "{BASE}" ;
    void:vocabulary {vocabularies} ;
    void:triples {stats.triples} ;
    void:documents {stats.graphs}{partitions} ;
    void:subset <{void_url}#wikidata-links> .

<{void_url}#wikidata-links> a void:Linkset ;
    void:linkPredicate owl:sameAs ;
    void:target <{void_url}#dataset>, <{void_url}#wikidata> ;
    void:triples {stats.wikidata_links} .

<{void_url}#wikidata> a void:Dataset ;
    dcterms:title "Wikidata" ;
    void:sparqlEndpoint <https://query.wikidata.org/sparql> ;
    void:uriSpace "{WIKIDATA}" .
"""


def void_endpoint(store: GraphStore, runner: StoreRunner):
    """GET /void: the VoID description, negotiated among the RDF syntaxes."""
    cache: dict[int, Statistics] = {}

    async def endpoint(request: Request) -> Response:
        offer = negotiate(request.headers.get("accept"), list(RDF_OFFERS))
        if offer is None:
            return error_response(NotAcceptable("no acceptable RDF syntax for the VoID description",
                                                hint=f"accept one of {', '.join(RDF_OFFERS)}"))
        changes = runner.changes
        if changes not in cache:
            try:
                stats = await runner.read(statistics, store)
            except KGError as exc:
                return error_response(exc)
            cache.clear()
            cache[changes] = stats
        void_url = iri_of(request.url_for("void"))
        body, media_type = turtle_as(void_description(void_url, iri_of(request.url_for("sparql")), cache[changes]),
                                     RDF_OFFERS[offer])
        return Response(body, media_type=media_type, headers={"Vary": "Accept"})

    return endpoint
