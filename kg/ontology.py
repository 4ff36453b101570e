"""Reading the project ontology (ontology/kg.ttl): the event-class hierarchy the code relies on."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import rdflib
from rdflib.namespace import RDFS

from kg.errors import DataFileError
from kg.vocab import KG

DEFAULT_ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"


def ontology_dir() -> Path:
    """Where kg.ttl and shapes.ttl are: $KG_ONTOLOGY_DIR when set (and not empty), else ./ontology."""
    return Path(os.environ.get("KG_ONTOLOGY_DIR") or DEFAULT_ONTOLOGY_DIR)


ONTOLOGY_DIR = ontology_dir()
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"


def load_turtle(path: Path) -> rdflib.Graph:
    """Parse one Turtle file; a missing or broken file is a DataFileError naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(
            f"{path}: cannot read: {exc.strerror or exc}",
            hint="set KG_ONTOLOGY_DIR to the directory holding kg.ttl and shapes.ttl",
        ) from exc
    graph = rdflib.Graph()
    try:
        graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise DataFileError(f"{path.name}: not valid Turtle: {exc}", hint=f"fix the syntax of {path}") from exc
    return graph


@cache
def graph() -> rdflib.Graph:
    return load_turtle(ONTOLOGY_FILE)


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
