"""Check a built graph against `ontology/shapes.ttl`.

The store is validated as one graph, the union of its named graphs, because an event in an article
graph points to places typed only in the gazetteer graph. `kg.ttl` is mixed in as pySHACL's
`ont_graph` so targets and `sh:class` follow `rdfs:subClassOf` (a `kg:Surrender` is a `kg:Event`);
no RDFS inference is run, since it would turn `rdfs:range kg:Evidence` into the very type the shapes
are meant to check.

>>> from rdflib import Graph
>>> report = validate_graph(Graph())
>>> report.conforms, report.violations
(True, 0)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SH

from kg.errors import DataFileError, StoreError
from kg.ontology import DEFAULT_ONTOLOGY_DIR, load_turtle, ontology_dir  # noqa: F401 (re-exported)
from kg.store import GraphStore

ONTOLOGY_DIR = ontology_dir()  # read at import, so a reload picks up a changed $KG_ONTOLOGY_DIR
ONTOLOGY_FILE = "kg.ttl"
SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    text: str  # pySHACL's readable report
    violations: int  # results of severity sh:Violation


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> Graph:
    return load_turtle(Path(path))


def _load(path: Path) -> Graph:
    # Keyed on mtime so an edited file is re-read; pySHACL does not modify either graph.
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return load_turtle(path)  # raises the DataFileError
    return _load_cached(str(path), mtime)


def validate_graph(graph: Graph, *, ontology_dir: Path | None = None) -> ValidationReport:
    """Validate one rdflib graph against shapes.ttl, with kg.ttl as the ontology."""
    directory = Path(ontology_dir) if ontology_dir is not None else ONTOLOGY_DIR
    shapes = _load(directory / SHAPES_FILE)
    ontology = _load(directory / ONTOLOGY_FILE)
    try:
        conforms, results, text = pyshacl.validate(
            graph,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            allow_warnings=True,
            advanced=False,
        )
    except Exception as exc:  # pySHACL reports broken shapes (bad SPARQL, bad lists) this way
        raise DataFileError(
            f"{SHAPES_FILE}: pySHACL could not use the shapes: {exc}",
            hint=f"check the shapes in {directory / SHAPES_FILE}",
        ) from exc
    violations = sum(1 for result in results.subjects(RDF.type, SH.ValidationResult)
                     if results.value(result, SH.resultSeverity) == SH.Violation)
    return ValidationReport(conforms=bool(conforms), text=text, violations=violations)


def union_graph(store: GraphStore) -> Graph:
    """All triples of all the store's graphs (default and named) merged into one rdflib graph."""
    dataset = Dataset()
    try:
        with warnings.catch_warnings():
            # rdflib's own N-Quads parser uses its deprecated default_context; nothing to fix here.
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=store.export("nquads"), format="nquads")
    except Exception as exc:
        raise StoreError(f"could not read the store's export for validation: {exc}") from exc
    union = Graph()
    for s, p, o, _graph in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def validate_store(store: GraphStore, *, ontology_dir: Path | None = None) -> ValidationReport:
    """Validate the union of every graph in `store`."""
    return validate_graph(union_graph(store), ontology_dir=ontology_dir)
