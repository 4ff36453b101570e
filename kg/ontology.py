"""Reading the project ontology (ontology/kg.ttl): the event-class hierarchy the code relies on."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import rdflib
from rdflib.namespace import RDFS

from kg.errors import DataFileError
from kg.vocab import KG

ONTOLOGY_DIR = Path(os.environ.get("KG_ONTOLOGY_DIR", Path(__file__).resolve().parent.parent / "ontology"))
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"


@cache
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    try:
        g.parse(ONTOLOGY_FILE, format="turtle")
    except FileNotFoundError as exc:
        raise DataFileError(f"ontology not found at {ONTOLOGY_FILE}", hint="run from a checkout, or set KG_ONTOLOGY_DIR") from exc
    except Exception as exc:  # rdflib raises several parser exception types
        raise DataFileError(f"{ONTOLOGY_FILE}: {exc}", hint="fix the Turtle syntax") from exc
    return g


@cache
def kg_superclasses(local_name: str) -> tuple[str, ...]:
    """Local names of the kg: superclasses of kg:`local_name`, nearest first, itself excluded.

    >>> kg_superclasses("Defection")
    ('Surrender', 'Event')
    """
    g = graph()
    result: list[str] = []
    frontier = [rdflib.URIRef(KG.iri + local_name)]
    while frontier:
        current = frontier.pop(0)
        for parent in sorted(g.objects(current, RDFS.subClassOf)):
            if isinstance(parent, rdflib.URIRef) and str(parent).startswith(KG.iri):
                name = str(parent)[len(KG.iri):]
                if name not in result:
                    result.append(name)
                    frontier.append(parent)
    return tuple(result)


@cache
def kg_label(local_name: str) -> str:
    """The English rdfs:label of kg:`local_name` ("CaptureOfTerritory" -> "capture of territory")."""
    for label in graph().objects(rdflib.URIRef(KG.iri + local_name), RDFS.label):
        if getattr(label, "language", None) in (None, "en"):
            return str(label)
    return local_name
