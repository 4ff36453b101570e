"""A store on another server, spoken to over the SPARQL 1.1 Protocol, Update and Graph Store Protocol.

It offers the same methods as kg.store.GraphStore, so build, query and serve work unchanged. Where
the servers differ (paths, how the union of all graphs is asked for, authentication, dialects), a
`Layout` says what to do; `LAYOUTS` holds the known ones and README "External store" says how to
point kg at others. Credentials come from the environment (KG_STORE_USER, KG_STORE_PASSWORD,
KG_STORE_TOKEN), never from the command line, where other users could read them.
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox

from kg.errors import QuerySyntaxError, QueryTimeout, StoreError, UsageError
from kg.store import GRAPH_FORMATS, RESULT_FORMATS, Serialized, TooManyRows, UnsupportedRdf, _from_ox, _rdf_as, _to_ox
from kg.terms import IRI, Literal, Quad, Term
from kg.vocab import PREFIXES

TIMEOUT = 300.0  # seconds for one request unless a deadline is nearer


@dataclass(frozen=True)
class Layout:
    """Where a server keeps its endpoints and how it wants to be spoken to."""

    query: str = "query"  # paths, relative to the store URL
    update: str = "update"
    data: str = "store"  # the Graph Store Protocol endpoint
    graph_parameter: str = "graph"  # how GSP names the graph (Virtuoso: graph-uri)
    union: str = "parameter"  # parameter: send `union-default-graph`; native: the server's default graph is already the union
    auth: str = "none"  # none | basic | digest | bearer
    dataset_post: bool = False  # POST N-Quads to the GSP endpoint adds a whole dataset (Oxigraph)
    update_prologue: str = ""  # dialect written before every update


LAYOUTS = {
    "oxigraph": Layout(dataset_post=True),
    "virtuoso": Layout(query="sparql-auth", update="sparql-auth", data="sparql-graph-crud-auth",
                       graph_parameter="graph-uri", union="native", auth="digest",
                       # without it, an INSERT DATA of more than ~1,400 triples fails ("SQL text exceeded")
                       update_prologue="define sql:big-data-const 1\n"),
    # Fuseki: the store URL is the dataset's (http://host:3030/ds); the dataset must be configured with
    # tdb2:unionDefaultGraph true so queries see every graph.
    "fuseki": Layout(query="query", update="update", data="data", union="native"),
    "generic": Layout(query="sparql", update="sparql", data="rdf-graphs/service", union="native"),
}


def layout_from(name: str, overrides: dict[str, str | None]) -> Layout:
    """A named layout with the options the user set (None: keep the layout's own)."""
    if name not in LAYOUTS:
        raise UsageError(f"unknown store layout {name!r}", hint=f"choose one of {', '.join(sorted(LAYOUTS))}")
    layout = replace(LAYOUTS[name], **{k: v for k, v in overrides.items() if v is not None})
    if layout.union not in ("parameter", "native"):
        raise UsageError(f"unknown union mode {layout.union!r}", hint="use parameter or native")
    if layout.auth not in ("none", "basic", "digest", "bearer"):
        raise UsageError(f"unknown authentication {layout.auth!r}", hint="use none, basic, digest or bearer")
    return layout


def _auth(layout: Layout):
    if layout.auth == "none":
        return None
    if layout.auth == "bearer":
        token = os.environ.get("KG_STORE_TOKEN")
        if not token:
            raise UsageError("the store wants a bearer token", hint="set KG_STORE_TOKEN")
        return _Bearer(token)
    user, password = os.environ.get("KG_STORE_USER"), os.environ.get("KG_STORE_PASSWORD")
    if not user or password is None:
        raise UsageError(f"the store wants {layout.auth} authentication", hint="set KG_STORE_USER and KG_STORE_PASSWORD")
    return httpx.DigestAuth(user, password) if layout.auth == "digest" else httpx.BasicAuth(user, password)


class _Bearer(httpx.Auth):
    def __init__(self, token: str):
        self.token = token

    def auth_flow(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


def _prologue() -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def _with_values(sparql: str, substitutions: dict[str, Term] | None) -> str:
    """Bind variables as pyoxigraph's substitutions do, with a trailing VALUES block (any server reads it)."""
    if not substitutions:
        return sparql
    names = " ".join(f"?{name}" for name in substitutions)
    terms = " ".join(term.n3() for term in substitutions.values())
    return f"{sparql}\nVALUES ({names}) {{ ({terms}) }}"


def _term(binding: dict) -> Term | str:
    """A term of (standard) SPARQL JSON results."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return IRI(value)
    if kind == "bnode":
        return "_:" + value
    datatype = binding.get("datatype")
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None
    return Literal(value, None if binding.get("xml:lang") else datatype, binding.get("xml:lang"))


def _standard(document: dict) -> dict:
    """SPARQL JSON results in the form the W3C specifies, read tolerantly: Virtuoso writes
    `typed-literal`, booleans as 1/0, and keys of its own."""
    if isinstance(document.get("boolean"), str):
        document["boolean"] = document["boolean"] in ("true", "1")
    for row in document.get("results", {}).get("bindings", []):
        for binding in row.values():
            if binding.get("type") == "typed-literal":
                binding["type"] = "literal"
            if binding.get("datatype") == "http://www.w3.org/2001/XMLSchema#boolean" and binding["value"] in ("1", "0"):
                binding["value"] = "true" if binding["value"] == "1" else "false"
    document["head"] = {"vars": document.get("head", {}).get("vars", [])}
    for extra in ("distinct", "ordered"):
        document.get("results", {}).pop(extra, None)
    return document


def _rows(document: dict) -> list[dict[str, Term]]:
    return [{name: _term(value) for name, value in row.items()} for row in document["results"]["bindings"]]


class RemoteStore:
    """The GraphStore interface over HTTP. Thread-safe: one connection pool shared by all requests."""

    def __init__(self, url: str, layout: Layout | None = None):
        self.url = url.rstrip("/") + "/"
        self.path = None  # not a directory: nothing to lock or to open read-only
        self.layout = layout or LAYOUTS["oxigraph"]
        self._client = httpx.Client(auth=_auth(self.layout), timeout=TIMEOUT)

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    def _endpoint(self, which: str) -> str:
        return urljoin(self.url, getattr(self.layout, which))

    def _send(self, method: str, endpoint: str, *, deadline: float | None = None, **kwargs) -> httpx.Response:
        timeout = TIMEOUT if deadline is None else max(0.001, deadline - time.monotonic())
        try:
            response = self._client.request(method, endpoint, timeout=timeout, **kwargs)
        except httpx.TimeoutException as exc:
            if deadline is not None:
                raise QueryTimeout("the store did not answer in time", hint="narrow the query or add LIMIT") from exc
            raise StoreError(f"the store at {self.url} did not answer within {TIMEOUT:.0f} s") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the store at {self.url}: {exc}",
                             hint="check that the server runs and that --store names its URL") from exc
        if response.status_code in (401, 403):
            raise StoreError(f"the store at {self.url} refused the credentials ({response.status_code})",
                             hint="set KG_STORE_USER and KG_STORE_PASSWORD (or KG_STORE_TOKEN) and --store-auth")
        if response.headers.get("x-sql-state") == "S1TAT":  # Virtuoso's "anytime" answer: partial, so refused
            raise QueryTimeout("the store stopped the query at its own time limit and sent a partial answer",
                               hint="narrow the query or raise the server's time limit")
        return response

    # --- queries -----------------------------------------------------------------------------
    def _query(self, sparql: str, accept: str, *, default_graphs=None, named_graphs=None, substitutions=None,
               base_iri=None, deadline=None) -> httpx.Response:
        text = _with_values(sparql, substitutions)
        if base_iri:
            text = f"BASE <{base_iri}>\n{text}"
        form: dict[str, str | list[str]] = {"query": _prologue() + text}
        if default_graphs:
            if None in default_graphs:
                raise UsageError("an external store has no separate default graph to name")
            form["default-graph-uri"] = [g.value for g in default_graphs]
        elif self.layout.union == "parameter":
            form["union-default-graph"] = ""
        if named_graphs:
            form["named-graph-uri"] = [g.value for g in named_graphs]
        # a form POST, never application/sparql-query: Virtuoso never answers that one
        response = self._send("POST", self._endpoint("query"), deadline=deadline, data=form, headers={"Accept": accept})
        if response.status_code >= 400:
            message = response.text.strip()[:2000]
            if response.status_code == 400:
                raise QuerySyntaxError(f"the store rejected the query: {message}")
            raise StoreError(f"the store failed the query ({response.status_code}): {message}")
        return response

    def select(self, sparql: str, *, substitutions: dict[str, Term] | None = None) -> list[dict[str, Term]]:
        response = self._query(sparql, "application/sparql-results+json", substitutions=substitutions)
        document = _standard(response.json())
        if "boolean" in document:
            raise QuerySyntaxError("expected a SELECT query", hint="use `kg query` for ASK, CONSTRUCT and DESCRIBE")
        return _rows(document)

    def solutions(self, sparql: str):
        response = self._query(sparql, "application/sparql-results+json, application/n-triples;q=0.9")
        if "json" not in response.headers.get("content-type", ""):
            return None
        document = _standard(response.json())
        if "boolean" in document:
            return bool(document["boolean"])
        return document["head"]["vars"], _rows(document)

    def execute(self, sparql: str, *, result_format: str = "json", graph_format: str = "turtle",
                default_graphs=None, named_graphs=None, substitutions=None, base_iri=None,
                deadline: float | None = None, max_rows: int | None = None) -> Serialized:
        """As GraphStore.execute: the answer is read whole, counted, then written in the asked format."""
        response = self._query(sparql, "application/sparql-results+json, application/n-triples;q=0.9",
                               default_graphs=default_graphs, named_graphs=named_graphs,
                               substitutions=substitutions, base_iri=base_iri, deadline=deadline)
        if "json" in response.headers.get("content-type", ""):
            document = _standard(response.json())
            if max_rows is not None and len(document.get("results", {}).get("bindings", [])) > max_rows:
                raise TooManyRows(f"the answer has more than {max_rows} rows, this server's limit",
                                  hint="add LIMIT (and OFFSET to page), or narrow the query")
            results = ox.parse_query_results(json.dumps(document).encode("utf-8"), format=ox.QueryResultsFormat.JSON)
            fmt = RESULT_FORMATS[result_format]
            kind = "boolean" if isinstance(results, ox.QueryBoolean) else "solutions"
            return Serialized(kind, results.serialize(format=fmt), fmt.media_type)
        triples = response.content
        if max_rows is not None and triples.count(b"\n") > max_rows:
            raise TooManyRows(f"the answer has more than {max_rows} triples, this server's limit",
                              hint="add LIMIT, or narrow the query")
        return Serialized("graph", *_rdf_as(triples, ox.RdfFormat.N_TRIPLES, graph_format))

    def variables(self, sparql: str) -> list[str]:
        answer = self.solutions(sparql)
        return answer[0] if isinstance(answer, tuple) else []

    # --- updates ---------------------------------------------------------------------------------
    def update(self, sparql_update: str, *, base_iri: str | None = None) -> None:
        text = f"BASE <{base_iri}>\n{sparql_update}" if base_iri else sparql_update
        body = self.layout.update_prologue + _prologue() + text
        response = self._send("POST", self._endpoint("update"), content=body.encode("utf-8"),
                              headers={"Content-Type": "application/sparql-update; charset=utf-8", "Accept": "*/*"})
        if response.status_code >= 400:
            message = response.text.strip()[:2000]
            if response.status_code == 400:
                raise QuerySyntaxError(f"the store rejected the update: {message}")
            raise StoreError(f"the store failed the update ({response.status_code}): {message}")

    def remove_graphs(self, graphs: list[IRI]) -> None:
        if graphs:
            self.update(" ;\n".join(f"DROP SILENT GRAPH {g.n3()}" for g in graphs))

    def remove_graph(self, graph: IRI | None) -> bool:
        if graph is None:
            raise UsageError("an external store has no separate default graph", hint="name a graph")
        existed = self.has_graph(graph)
        if existed:
            self.remove_graphs([graph])
        return existed

    def _put_triples(self, method: str, graph: IRI, ntriples: bytes) -> None:
        response = self._send(method, self._endpoint("data"), params={self.layout.graph_parameter: graph.value},
                              content=ntriples, headers={"Content-Type": "application/n-triples", "Accept": "*/*"})
        if response.status_code >= 300:
            raise StoreError(f"could not write graph {graph} ({response.status_code}): {response.text.strip()[:500]}")

    def replace_graph(self, graph: IRI, quads: Iterable[Quad]) -> None:
        lines = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o, g in quads if g == graph)
        self._put_triples("PUT", graph, lines.encode("utf-8"))

    def bulk_add(self, nquads: bytes) -> None:
        """Add N-Quads: one dataset POST where the server takes it, else one Graph Store POST per graph."""
        if self.layout.dataset_post:
            response = self._send("POST", self._endpoint("data"), content=nquads,
                                  headers={"Content-Type": "application/n-quads", "Accept": "*/*"})
            if response.status_code >= 300:
                raise StoreError(f"could not write the articles' graphs ({response.status_code}): {response.text[:500]}")
            return
        by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
        for quad in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
            by_graph[quad.graph_name.value].append(quad.triple)
        for graph, triples in by_graph.items():
            self._put_triples("POST", IRI(graph), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))

    def write_graph(self, graph: IRI | None, documents: list[tuple[bytes, str]], *, replace: bool) -> None:
        if graph is None:
            raise UsageError("an external store has no separate default graph", hint="name a graph")
        triples = []
        for data, media_type in documents:
            fmt = ox.RdfFormat.from_media_type(media_type)
            if fmt is None or fmt.supports_datasets:
                raise UnsupportedRdf(f"cannot read a graph from {media_type!r}")
            try:
                triples.append(ox.serialize(ox.parse(data, format=fmt, base_iri=graph.value), format=ox.RdfFormat.N_TRIPLES))
            except (SyntaxError, ValueError) as exc:
                raise QuerySyntaxError(f"malformed {media_type} document for graph {graph}: {exc}") from exc
        self._put_triples("PUT" if replace else "POST", graph, b"".join(triples))

    def load(self, data: bytes, *, media_type: str, graph: IRI | None, base_iri: str | None = None) -> None:
        self.write_graph(graph, [(data, media_type)], replace=False)

    def flush(self) -> None:
        pass  # the server decides when its writes reach the disk

    # --- whole graphs and the dataset --------------------------------------------------------------
    def has_graph(self, graph: IRI | None) -> bool:
        if graph is None:
            return True
        return self.solutions(f"ASK {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}") is True

    def named_graphs(self) -> list[IRI]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted((row["g"] for row in rows if isinstance(row.get("g"), IRI)), key=str)

    def is_empty(self) -> bool:
        return not any(g.value.startswith(PREFIXES["graph"]) for g in self.named_graphs())

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"].lexical)

    def quads(self, graph: IRI | None = None) -> list[Quad]:
        graphs = [graph] if graph else [g for g in self.named_graphs() if g.value.startswith(PREFIXES["graph"])]
        found: list[Quad] = []
        for g in graphs:
            found += [(s, p, o, g) for s, p, o in self._triples(g)]
        return found

    def _triples(self, graph: IRI):
        response = self._send("GET", self._endpoint("data"), params={self.layout.graph_parameter: graph.value},
                              headers={"Accept": "application/n-triples"})
        if response.status_code == 404:
            return []
        if response.status_code >= 300:
            raise StoreError(f"could not read graph {graph} ({response.status_code})")
        return [(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object))
                for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]

    def graph_document(self, graph: IRI | None, graph_format: str, *, deadline: float | None = None,
                       max_triples: int | None = None) -> tuple[bytes, str]:
        if graph is None:
            raise UsageError("an external store has no separate default graph", hint="name a graph")
        response = self._send("GET", self._endpoint("data"), params={self.layout.graph_parameter: graph.value},
                              headers={"Accept": "application/n-triples"}, deadline=deadline)
        if response.status_code >= 300:
            raise StoreError(f"could not read graph {graph} ({response.status_code})")
        if max_triples is not None and response.content.count(b"\n") > max_triples:
            raise TooManyRows(f"the graph has more than {max_triples} triples, this server's limit")
        return _rdf_as(response.content, ox.RdfFormat.N_TRIPLES, graph_format)

    def export(self, fmt: str = "nquads", graph: IRI | None = None) -> bytes:
        """kg's graphs (those under graph:), as a dataset or one graph; the server's own graphs are left out."""
        dataset = ox.Dataset()
        for s, p, o, g in self.quads(graph):
            dataset.add(ox.Quad(_ox(s), _ox(p), _ox(o), ox.NamedNode(g.value)))
        rdf_format = GRAPH_FORMATS[fmt]
        if rdf_format.supports_datasets:
            return ox.serialize(dataset, format=rdf_format)
        return ox.serialize([q.triple for q in dataset], format=rdf_format)

    def close(self) -> None:
        self._client.close()


def _ox(term):
    if isinstance(term, str) and term.startswith("_:"):
        return ox.BlankNode(term[2:])
    return _to_ox(term)
