"""From records to RDF: the only module that mints IRIs and knows predicates (see ontology/MODEL.md).

IRIs are deterministic (from gazetteer keys, normalised names, article ids and offsets), so building
twice gives the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.articles import Article
from kg.extraction.records import ActorRef, EventRecord, Extraction, Position, TextSpan
from kg.gazetteer import PLACE_CLASS, Gazetteer
from kg.ontology import kg_label, kg_superclasses
from kg.slug import fold, slug
from kg.terms import IRI, Literal, Quad, boolean, date, decimal, integer, non_negative
from kg.vocab import GAZETTEER_GRAPH, GEO, ID, KG, NIF, OWL, RDF, RDFS, SCHEMA, SKOS, WD, article_graph

WKT = GEO.iri + "wktLiteral"


def entity_iri(key: str) -> IRI:
    """Gazetteer and person keys ('city/aybak', 'person/asif-azimi') -> IRIs."""
    return place_iri(key) if key.split("/", 1)[0] in PLACE_CLASS else ID[key]


def place_iri(key: str) -> IRI:
    return ID["place/" + key]


def article_iri(article_id: str) -> IRI:
    return ID["article/" + article_id]


def _types(node: IRI, local: str) -> Iterator[tuple[IRI, IRI, IRI]]:
    # Each node carries its class and every kg superclass, so queries need no inference.
    for name in (local, *kg_superclasses(local)):
        yield node, RDF.type, KG[name]


class ArticleGraph:
    """Quads for one article, all in the article's named graph."""

    def __init__(self, article: Article, extraction: Extraction, gazetteer: Gazetteer, fingerprint: str = ""):
        self.article = article
        self.extraction = extraction
        self.gazetteer = gazetteer
        self.fingerprint = fingerprint
        self.graph = article_graph(article.id)
        self.node = article_iri(article.id)
        self._actor_nodes: dict[int, IRI] = {}

    def quads(self) -> list[Quad]:
        triples = list(self._article()) + list(self._actors()) + list(self._mentions()) + list(self._events())
        seen, quads = set(), []
        for s, p, o in triples:
            if (s, p, o) not in seen:
                seen.add((s, p, o))
                quads.append((s, p, o, self.graph))
        return quads

    # --- the article -----------------------------------------------------------------------------
    def _article(self):
        a, node = self.article, self.node
        yield from _types(node, "Article")
        yield node, SCHEMA.identifier, Literal(a.id)
        yield node, RDFS.label, Literal(a.title or a.id)
        yield node, NIF.isString, Literal(a.text)
        yield node, KG.sourceFile, Literal(a.location)
        yield node, KG.contentHash, Literal(self.fingerprint or a.content_hash)
        yield node, SCHEMA.inLanguage, Literal(a.language)
        if a.title:
            yield node, SCHEMA.headline, Literal(a.title)
        if a.url:
            yield node, SCHEMA.url, IRI(a.url)  # validated as an absolute URL when the article was read
        if a.published:
            yield node, SCHEMA.datePublished, date(a.published.isoformat())
        if a.outlet:
            outlet = self._outlet(a.outlet)
            yield node, SCHEMA.publisher, outlet

    def _outlet(self, name: str) -> IRI:
        keys = [k for k in self.gazetteer.actor_names.get(fold(name), ()) if self.gazetteer.actors[k].kind == "media"]
        return entity_iri(keys[0]) if len(keys) == 1 else ID["actor/" + slug(name)]

    def _outlet_triples(self):
        a = self.article
        if a.outlet:
            node = self._outlet(a.outlet)
            if node.value.rsplit("/id/", 1)[-1] not in self.gazetteer.actors:
                yield from _types(node, "MediaOutlet")
                yield node, RDFS.label, Literal(a.outlet)
                yield node, SCHEMA.name, Literal(a.outlet)

    # --- actors ----------------------------------------------------------------------------------
    def actor_node(self, actor: ActorRef) -> IRI:
        if actor.local_id not in self._actor_nodes:
            self._actor_nodes[actor.local_id] = (
                entity_iri(actor.key) if actor.key else ID[f"actor/{self.article.id}/{actor.local_id}"]
            )
        return self._actor_nodes[actor.local_id]

    def _actors(self):
        yield from self._outlet_triples()
        for actor in self.extraction.actors:
            node = self.actor_node(actor)
            if actor.key not in self.gazetteer.actors:  # gazetteer actors are described in the gazetteer graph
                yield from _types(node, actor.cls)
                yield node, RDFS.label, Literal(actor.label)
                if actor.name:
                    yield node, SCHEMA.name, Literal(actor.name)
                if actor.size:
                    yield node, KG.groupSize, non_negative(actor.size)
            for position in actor.positions:  # what this article says a person holds, known or not
                yield from self._position(node, actor, position)

    def _position(self, holder: IRI, actor: ActorRef, position: Position):
        holder_key = holder.value.rsplit("/id/", 1)[-1]
        qualifiers = [position.place_key, position.organisation_key]
        parts = [slug(position.title)] + [slug(q) for q in qualifiers if q] + (["former"] if position.former else [])
        node = ID[f"position/{holder_key}/{'--'.join(parts)}"]
        yield holder, KG.holdsPosition, node
        yield from _types(node, "Position")
        yield node, KG.title, Literal(position.title)
        yield node, RDFS.label, Literal(("former " if position.former else "") + position.title)
        yield node, KG.isFormer, boolean(position.former)
        if position.place_key:
            yield node, KG.positionPlace, place_iri(position.place_key)
        if position.organisation_key:
            yield node, KG.positionOrganisation, entity_iri(position.organisation_key)

    # --- mentions and links ----------------------------------------------------------------------
    def _span(self, node: IRI, span: TextSpan):
        yield node, NIF.referenceContext, self.node
        yield node, NIF.beginIndex, non_negative(span.begin)
        yield node, NIF.endIndex, non_negative(span.end)
        yield node, NIF.anchorOf, Literal(span.text)

    def _mention(self, span: TextSpan, target: IRI, confidence: float, rejected: tuple[str, ...] = ()):
        node = ID[f"mention/{self.article.id}/{span.begin}-{span.end}"]
        yield from _types(node, "EntityMention")
        yield from self._span(node, span)
        yield node, KG.refersTo, target
        yield node, KG.linkConfidence, decimal(confidence)
        for key in rejected:  # the other places of that name, ruled out
            yield node, KG.rejectedCandidate, place_iri(key)

    def _mentions(self):
        for mention in self.extraction.place_mentions:
            yield from self._mention(mention.span, place_iri(mention.place_key), mention.confidence, mention.rejected)
        for mention in self.extraction.actor_mentions:
            yield from self._mention(mention.span, self.actor_node(self.extraction.actor(mention.actor)), mention.confidence)

    # --- events ----------------------------------------------------------------------------------
    def _events(self):
        for number, event in enumerate(self.extraction.events, start=1):
            yield from self._event(number, event)
        for number, claim in enumerate(self.extraction.denied, start=1):
            yield from self._denied(number, claim)

    def _denied(self, number: int, claim: EventRecord):
        """A negated or denied event: a claim of its own class, never typed as an event."""
        node = ID[f"denied/{self.article.id}/{number}"]
        yield from _types(node, "DeniedClaim")
        yield node, KG.claimedType, KG[claim.type]
        places = [self.gazetteer.places[k] for k in claim.places if k in self.gazetteer.places]
        where = f" in {', '.join(p.name for p in places)}" if places else ""
        yield node, RDFS.label, Literal(f"denied: {kg_label(claim.type)}{where}")
        for place in places:
            yield node, KG.place, place_iri(place.key)
        yield from self._evidence(f"denied/{self.article.id}/{number}", node, claim)
        yield from self._participations(f"{self.article.id}/denied-{number}", node, claim)

    def _participations(self, key: str, node: IRI, event: EventRecord):
        for index, participant in enumerate(event.participants, start=1):
            participation = ID[f"participation/{key}/{index}"]
            yield node, KG.hasParticipation, participation
            yield from _types(participation, "Participation")
            yield participation, KG.participant, self.actor_node(self.extraction.actor(participant.actor))
            yield participation, KG.roleType, KG[participant.role]

    def _evidence(self, key: str, node: IRI, event: EventRecord):
        for index, mention in enumerate(event.mentions, start=1):
            evidence = ID[f"evidence/{key}/{index}"]
            yield node, KG.evidence, evidence
            yield from _types(evidence, "Evidence")
            yield from self._span(evidence, mention.sentence)
            yield evidence, KG.trigger, Literal(mention.trigger.text)
            yield evidence, KG.modality, KG[mention.modality]
            if mention.according_to is not None:
                yield evidence, KG.accordingTo, self.actor_node(self.extraction.actor(mention.according_to))

    def _event(self, number: int, event: EventRecord):
        aid = self.article.id
        node = ID[f"event/{aid}/{number}"]
        yield from _types(node, event.type)
        places = [self.gazetteer.places[k] for k in event.places if k in self.gazetteer.places]
        where = f" in {', '.join(p.name for p in places)}" if places else ""
        yield node, RDFS.label, Literal(kg_label(event.type) + where)
        for place in places:
            yield node, KG.place, place_iri(place.key)
        if event.time and event.time.date:
            yield node, KG.date, date(event.time.date)
            yield node, KG.datePrecision, KG[event.time.precision]
        elif event.on_or_before and self.article.published:
            yield node, KG.datePrecision, KG.OnOrBeforePrecision  # the bound is kg:notAfter
        else:
            yield node, KG.datePrecision, KG.UnknownPrecision
        if event.time:
            yield node, KG.timeExpression, Literal(event.time.expression)
        if self.article.published:
            yield node, KG.notAfter, date(self.article.published.isoformat())
        for name, value in event.counts:
            yield node, KG[name], integer(value)

        yield from self._evidence(f"{aid}/{number}", node, event)

        yield from self._participations(f"{aid}/{number}", node, event)


def article_quads(article: Article, extraction: Extraction, gazetteer: Gazetteer, fingerprint: str = "") -> list[Quad]:
    return ArticleGraph(article, extraction, gazetteer, fingerprint).quads()


def gazetteer_quads(gazetteer: Gazetteer) -> list[Quad]:
    """Reference data: every place and known actor, in the gazetteer graph."""
    g = GAZETTEER_GRAPH
    quads: list[Quad] = []
    add = lambda s, p, o: quads.append((s, p, o, g))  # noqa: E731
    for place in gazetteer.places.values():
        node = place_iri(place.key)
        for s, p, o in _types(node, place.cls):
            add(s, p, o)
        add(node, RDFS.label, Literal(place.name))
        for alias in place.aliases:
            add(node, SKOS.altLabel, Literal(alias))
        if place.wikidata:
            add(node, OWL.sameAs, WD[place.wikidata])
        parent = place.province or place.country
        if parent:
            add(node, KG.locatedIn, place_iri(parent))
        if place.country:
            add(node, KG.country, place_iri(place.country))
        if place.is_capital and place.province:
            add(node, KG.capitalOf, place_iri(place.province))
        if place.lat is not None and place.lon is not None:
            geometry = ID[f"place/{place.key}/geometry"]
            add(node, GEO.hasGeometry, geometry)
            add(geometry, GEO.asWKT, Literal(f"POINT({place.lon} {place.lat})", WKT))
    for actor in gazetteer.actors.values():
        node = entity_iri(actor.key)
        for s, p, o in _types(node, actor.cls):
            add(s, p, o)
        add(node, RDFS.label, Literal(actor.name))
        add(node, SCHEMA.name, Literal(actor.name))
        for alias in actor.aliases:
            add(node, SKOS.altLabel, Literal(alias))
        if actor.wikidata:
            add(node, OWL.sameAs, WD[actor.wikidata])
        if actor.description:
            add(node, RDFS.comment, Literal(actor.description, language="en"))
    return quads


def to_nquads(quads: Iterable[Quad]) -> bytes:
    """Quads as an N-Quads document: what worker processes hand back and the bulk loader reads."""
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} .\n" for s, p, o, g in quads).encode("utf-8")
