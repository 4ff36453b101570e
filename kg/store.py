"""The graph store: the only module that touches pyoxigraph.

Each article lives in its own named graph; replacing an article is one transaction, so a crash
mid-build leaves every article either fully old or fully new. Queries see the union of all graphs as
the default graph unless the caller names graphs.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QuerySyntaxError, QueryTimeout, StoreError, UsageError
from kg.terms import IRI, Literal, Quad, Term
from kg.vocab import PREFIXES

DEFAULT_STORE = Path("data/kg")

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class Serialized:
    """A query answer, serialised on the thread that ran it (pyoxigraph iterators are thread-bound)."""

    kind: str  # "solutions" | "boolean" | "graph"
    body: bytes
    media_type: str


def _to_ox(term: Term) -> ox.NamedNode | ox.Literal:
    if isinstance(term, IRI):
        return ox.NamedNode(term.value)
    if term.language:
        return ox.Literal(term.lexical, language=term.language)
    if term.datatype:
        return ox.Literal(term.lexical, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.lexical)


def _from_ox(term) -> Term | str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.Literal):
        language = term.language
        return Literal(term.value, None if language else term.datatype.value, language)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


class TooManyRows(UsageError):
    code = "too_many_rows"


class UnsupportedRdf(UsageError):
    http_status = 415
    code = "unsupported_media_type"


class _BoundedSink:
    """Where pyoxigraph serialises an answer: stops it at the deadline or past `max_lines` lines.

    The serialisers call write() every few kilobytes, so a long answer is cut off while it is being
    produced; the caller then answers with an error, never with the part written so far.
    """

    def __init__(self, deadline: float | None, max_rows: int | None, what: str, *, header_lines: int = 0):
        self.deadline, self.max_rows, self.what = deadline, max_rows, what
        self.max_lines = None if max_rows is None else max_rows + header_lines
        self.parts: list[bytes] = []
        self.lines = 0

    def write(self, chunk) -> int:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryTimeout("the query ran out of time", hint="narrow the query or add LIMIT")
        self.lines += bytes(chunk).count(b"\n")
        if self.max_lines is not None and self.lines > self.max_lines:
            raise TooManyRows(f"the answer has more than {self.max_rows} {self.what}, this server's limit",
                              hint="add LIMIT (and OFFSET to page), or narrow the query")
        self.parts.append(bytes(chunk))
        return len(chunk)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        return b"".join(self.parts)


def turtle_as(turtle: str, graph_format: str) -> tuple[bytes, str]:
    """A Turtle document in another RDF syntax, with its media type."""
    return _rdf_as(turtle.encode("utf-8"), ox.RdfFormat.TURTLE, graph_format)


def _rdf_as(data: bytes, source: ox.RdfFormat, graph_format: str) -> tuple[bytes, str]:
    """An RDF document in the syntax `graph_format` names (kg's prefixes written into new Turtle)."""
    fmt = GRAPH_FORMATS[graph_format]
    if fmt != source:
        prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        data = ox.serialize(ox.parse(data, format=source), format=fmt, prefixes=prefixes)
    return data, fmt.media_type


def _graph_node(graph: IRI | None):
    return ox.DefaultGraph() if graph is None else ox.NamedNode(graph.value)


class GraphStore:
    """A pyoxigraph store on disk (or in memory when `path` is None).

    >>> store = GraphStore(None)
    >>> from kg.terms import IRI, Literal
    >>> g = IRI("http://example.org/g")
    >>> store.replace_graph(g, [(IRI("http://example.org/s"), IRI("http://example.org/p"), Literal("o"), g)])
    >>> [row["o"].lexical for row in store.select("SELECT ?o WHERE { ?s ?p ?o }")]
    ['o']
    """

    def __init__(self, path: Path | str | None = DEFAULT_STORE, *, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(
                f"cannot open the store at {self.path}: {exc}",
                hint="another kg process may hold it open; stop it or pass --store to use another directory",
            ) from exc

    # --- writing -------------------------------------------------------------------------
    def replace_graph(self, graph: IRI, quads: Iterable[Quad]) -> None:
        """Replace the whole content of `graph` with `quads`, in one transaction."""
        lines = [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o, g in quads if g == graph]
        self._update(f"DROP SILENT GRAPH {graph.n3()} ;\nINSERT DATA {{ GRAPH {graph.n3()} {{\n" + "\n".join(lines) + "\n} }", graph)

    def remove_graph(self, graph: IRI | None) -> bool:
        """Remove a named graph (False when there was none), or empty the default graph (None)."""
        node = _graph_node(graph)
        try:
            if graph is not None and not self._store.contains_named_graph(node):
                return False
            self._store.remove_graph(node)
        except OSError as exc:
            raise StoreError(f"could not remove graph {graph or 'default'}: {exc}") from exc
        return True

    def remove_graphs(self, graphs: list[IRI]) -> None:
        """Remove named graphs (those missing are ignored), all in one transaction."""
        if graphs:
            self._update(" ;\n".join(f"DROP SILENT GRAPH {g.n3()}" for g in graphs), graphs[0])

    def bulk_add(self, nquads: bytes) -> None:
        """Add N-Quads through pyoxigraph's bulk loader: the fastest path, but not a transaction (a
        crash can leave part of it written), so callers journal what they are writing (kg.journal)."""
        try:
            self._store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"could not write the articles' graphs: {exc}") from exc

    def _update(self, update: str, graph: IRI) -> None:
        try:
            self._store.update(update)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"could not write graph {graph}: {exc}") from exc

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    # --- reading -------------------------------------------------------------------------
    def named_graphs(self) -> list[IRI]:
        return sorted((IRI(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)), key=str)

    def is_empty(self) -> bool:
        return next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None

    def __len__(self) -> int:
        return len(self._store)

    def quads(self, graph: IRI | None = None) -> list[Quad]:
        """All quads (of one graph), as a list: pyoxigraph iterators must not leave their thread."""
        pattern_graph = ox.NamedNode(graph.value) if graph else None
        return [
            (_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object),
             None if isinstance(q.graph_name, ox.DefaultGraph) else _from_ox(q.graph_name))
            for q in self._store.quads_for_pattern(None, None, None, pattern_graph)
        ]

    def _run(self, sparql: str, *, default_graphs=None, named_graphs=None, substitutions=None, base_iri=None):
        kwargs = {"prefixes": PREFIXES, "base_iri": base_iri}
        if default_graphs:
            kwargs["default_graph"] = [_graph_node(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g.value) for g in named_graphs]
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): _to_ox(v) for k, v in substitutions.items()}
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"malformed SPARQL query: {exc}") from exc
        except (RuntimeError, ValueError) as exc:  # e.g. a substitution of a variable the query cannot take
            raise QuerySyntaxError(f"cannot run the query: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def select(self, sparql: str, *, substitutions: dict[str, Term] | None = None) -> list[dict[str, Term]]:
        """Run a SELECT over the union graph; rows map variable names to terms (unbound ones absent)."""
        result = self._run(sparql, substitutions=substitutions)
        if not isinstance(result, ox.QuerySolutions):
            raise QuerySyntaxError("expected a SELECT query", hint="use `kg query` for ASK, CONSTRUCT and DESCRIBE")
        names = [v.value for v in result.variables]
        return [{n: _from_ox(s[n]) for n in names if s[n] is not None} for s in result]

    def variables(self, sparql: str) -> list[str]:
        result = self._run(sparql)
        return [v.value for v in result.variables] if isinstance(result, ox.QuerySolutions) else []

    def solutions(self, sparql: str) -> tuple[list[str], list[dict[str, Term]]] | bool | None:
        """One evaluation: (variables, rows) for SELECT, a bool for ASK, None for graph queries."""
        result = self._run(sparql)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if not isinstance(result, ox.QuerySolutions):
            return None
        names = [v.value for v in result.variables]
        rows = [{n: _from_ox(s[n]) for n in names if s[n] is not None} for s in result]
        return names, rows

    def execute(
        self,
        sparql: str,
        *,
        result_format: str = "json",
        graph_format: str = "turtle",
        default_graphs: list[IRI | None] | None = None,
        named_graphs: list[IRI] | None = None,
        substitutions: dict[str, Term] | None = None,
        base_iri: str | None = None,
        deadline: float | None = None,
        max_rows: int | None = None,
    ) -> Serialized:
        """Run any query form and serialise its answer in one go, on the calling thread; stop with
        QueryTimeout at `deadline` (time.monotonic()) and with TooManyRows past `max_rows` solutions
        or triples.

        Within limits, the answer is first written as TSV or N-Triples, one line per row, so rows are
        counted exactly while they stream; it is converted to the requested format only when it is
        within the limits.
        """
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeout("the query waited too long for a free worker", hint="retry when the server is less busy")
        result = self._run(sparql, default_graphs=default_graphs, named_graphs=named_graphs,
                           substitutions=substitutions, base_iri=base_iri)
        if isinstance(result, ox.QueryBoolean):
            fmt = RESULT_FORMATS[result_format]
            return Serialized("boolean", result.serialize(format=fmt), fmt.media_type)
        if deadline is None and max_rows is None:
            if isinstance(result, ox.QuerySolutions):
                fmt = RESULT_FORMATS[result_format]
                return Serialized("solutions", result.serialize(format=fmt), fmt.media_type)
            fmt = GRAPH_FORMATS[graph_format]
            return Serialized("graph", result.serialize(format=fmt), fmt.media_type)
        try:
            if isinstance(result, ox.QuerySolutions):
                sink = _BoundedSink(deadline, max_rows, "rows", header_lines=1)
                result.serialize(sink, format=ox.QueryResultsFormat.TSV)
                fmt = RESULT_FORMATS[result_format]
                body = sink.value()
                if fmt != ox.QueryResultsFormat.TSV:
                    body = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV).serialize(format=fmt)
                return Serialized("solutions", body, fmt.media_type)
            sink = _BoundedSink(deadline, max_rows, "triples")
            result.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
            return Serialized("graph", *_rdf_as(sink.value(), ox.RdfFormat.N_TRIPLES, graph_format))
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc
        finally:
            # An error's traceback keeps this frame alive; the iterator must not be freed on another thread.
            del result

    def update(self, sparql_update: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL Update in one transaction: all of it is applied, or none."""
        try:
            self._store.update(sparql_update, base_iri=base_iri, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"malformed SPARQL update: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"update failed: {exc}") from exc

    def load(self, data: bytes, *, media_type: str, graph: IRI | None, base_iri: str | None = None) -> None:
        """Add RDF (Turtle, N-Triples, RDF/XML, JSON-LD, TriG, N-Quads) in one transaction.

        Triples go to `graph` (the default graph when None); quads of a dataset format keep their graph.
        """
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise StoreError(f"unsupported RDF media type {media_type!r}")
        try:
            parsed = list(ox.parse(data, format=fmt, base_iri=base_iri))
        except SyntaxError as exc:
            raise QuerySyntaxError(f"malformed RDF: {exc}") from exc
        target = _graph_node(graph)
        quads = [
            q if isinstance(q, ox.Quad) and not isinstance(q.graph_name, ox.DefaultGraph)
            else ox.Quad(q.subject, q.predicate, q.object, target)
            for q in parsed
        ]
        try:
            self._store.extend(quads)
        except OSError as exc:
            raise StoreError(f"could not load RDF: {exc}") from exc

    # --- whole graphs (the Graph Store Protocol) --------------------------------------------
    def has_graph(self, graph: IRI | None) -> bool:
        """Whether the named graph exists; the default graph always does."""
        return graph is None or self._store.contains_named_graph(ox.NamedNode(graph.value))

    def graph_document(self, graph: IRI | None, graph_format: str, *, deadline: float | None = None,
                       max_triples: int | None = None) -> tuple[bytes, str]:
        """The triples of one graph (None: the store's own default graph) as a document."""
        sink = _BoundedSink(deadline, max_triples, "triples")
        try:
            self._store.dump(sink, format=ox.RdfFormat.N_TRIPLES, from_graph=_graph_node(graph))
        except OSError as exc:
            raise StoreError(f"could not read graph {graph or 'default'}: {exc}") from exc
        return _rdf_as(sink.value(), ox.RdfFormat.N_TRIPLES, graph_format)

    def write_graph(self, graph: IRI | None, documents: list[tuple[bytes, str]], *, replace: bool) -> None:
        """Add the triples of RDF `documents` ((data, media type)) to a graph (None: the default
        graph), or replace it with them (e.g. the ontology), in one transaction. Relative IRIs resolve
        against the graph's IRI."""
        lines: list[str] = []
        for data, media_type in documents:
            fmt = ox.RdfFormat.from_media_type(media_type)
            if fmt is None or fmt.supports_datasets:
                raise UnsupportedRdf(f"cannot read a graph from {media_type!r}",
                                     hint="send text/turtle, application/n-triples, application/rdf+xml or "
                                          "application/ld+json")
            try:
                triples = ox.serialize(ox.parse(data, format=fmt, base_iri=graph.value if graph else None),
                                       format=ox.RdfFormat.N_TRIPLES)
            except (SyntaxError, ValueError) as exc:
                raise QuerySyntaxError(f"malformed {media_type} document for graph {graph or 'default'}: {exc}") from exc
            lines.append(triples.decode("utf-8"))
        target = f"GRAPH {graph.n3()}" if graph else "DEFAULT"
        drop = f"DROP SILENT {target} ;\n" if replace else ""
        # A named graph exists only while it has triples; CREATE keeps an emptied one (PUT of nothing).
        create = f"CREATE SILENT GRAPH {graph.n3()} ;\n" if graph else ""
        triples = "".join(lines)
        body = f"GRAPH {graph.n3()} {{\n{triples}\n}}" if graph else triples
        self._update(f"{drop}{create}INSERT DATA {{\n{body}\n}}", graph)

    def export(self, fmt: str = "nquads", graph: IRI | None = None) -> bytes:
        rdf_format = GRAPH_FORMATS[fmt]
        kwargs = {"format": rdf_format}
        if graph is not None or not rdf_format.supports_datasets:
            kwargs["from_graph"] = _graph_node(graph)
        return self._store.dump(**kwargs)
