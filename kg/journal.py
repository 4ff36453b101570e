"""The build journal: what a build is in the middle of writing, kept in the store itself.

Articles are written through the bulk loader, which is fast but not a transaction. So before a batch
is written, the journal records (in one transaction) the article graphs about to be replaced and the
incident keys they touch; once the batch is in, its graphs are struck off. The keys stay until the
incidents are derived again at the end of the build. After a crash or kill, the next build finds the
journal non-empty, drops the half-written graphs (their articles are then rebuilt like new ones) and
derives the recorded keys' incidents again: the store never keeps half an article or an incident
pointing at an event that is gone.
"""

from __future__ import annotations

from kg.store import GraphStore
from kg.terms import IRI, Literal
from kg.vocab import GRAPH, KG

JOURNAL_GRAPH = GRAPH.build
_SUBJECT = GRAPH.build  # the journal describes the build; one node is enough

Key = tuple[str, str]


def _key_literal(key: Key) -> Literal:
    return Literal(" ".join(key))  # an event type's local name and a place key never hold a space


def record(store: GraphStore, graphs: list[IRI], keys: set[Key]) -> None:
    """Note, in one transaction, graphs about to be rewritten and incident keys to derive again."""
    triples = [f"{_SUBJECT.n3()} {KG.pendingGraph.n3()} {g.n3()} ." for g in graphs]
    triples += [f"{_SUBJECT.n3()} {KG.pendingIncidents.n3()} {_key_literal(k).n3()} ." for k in sorted(keys)]
    if triples:
        store.update(f"INSERT DATA {{ GRAPH {JOURNAL_GRAPH.n3()} {{\n" + "\n".join(triples) + "\n} }")


def written(store: GraphStore, graphs: list[IRI]) -> None:
    """Strike graphs off once they are fully written."""
    if graphs:
        triples = "\n".join(f"{_SUBJECT.n3()} {KG.pendingGraph.n3()} {g.n3()} ." for g in graphs)
        store.update(f"DELETE DATA {{ GRAPH {JOURNAL_GRAPH.n3()} {{\n{triples}\n}} }}")


def pending(store: GraphStore) -> tuple[list[IRI], set[Key]]:
    """The graphs an interrupted build may have half-written, and the keys it had not derived yet."""
    rows = store.select(f"SELECT ?p ?o WHERE {{ GRAPH {JOURNAL_GRAPH.n3()} {{ {_SUBJECT.n3()} ?p ?o }} }}")
    graphs = sorted((row["o"] for row in rows if row["p"] == KG.pendingGraph), key=str)
    keys = {tuple(row["o"].lexical.split(" ", 1)) for row in rows if row["p"] == KG.pendingIncidents}
    return graphs, keys


def clear(store: GraphStore) -> None:
    store.remove_graph(JOURNAL_GRAPH)
