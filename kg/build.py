"""Building the graph: articles -> extraction -> RDF -> store, streamed in batches.

Articles are read lazily and go through in batches of `batch_size`: the batch's unchanged articles
(same content, metadata and pipeline as last time) are skipped, the others are extracted by a pool of
worker processes (kg.workers) while the previous batch is written, and each batch is written through
the store's bulk loader. Memory is bounded by the batch, not by the corpus.

A bad article is reported (file and line) and skipped; the others go in. The bulk loader is not a
transaction, so every batch is journalled first (kg.journal): a crash or kill mid-build leaves no
half-written article behind once the next build starts, and re-running finishes the job without
duplicating anything. Incidents (cross-article events, kg.consolidate) are derived again at the end,
only for the (type, place) keys the changed articles touch.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from kg import __version__, gazetteer as gazetteer_module, journal, syntax
from kg.articles import Article, discover, read_articles
from kg.consolidate import Key, consolidate, incidents_with_several_reports, keys_of_graphs
from kg.errors import ArticleError, KGError
from kg.extraction import lexicon as lexicon_module
from kg.extraction import pipeline
from kg.ontology import ONTOLOGY_FILE
from kg.rdf import article_iri, gazetteer_quads
from kg.store import GraphStore
from kg.terms import IRI
from kg.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, article_graph
from kg.workers import Extracted, ExtractionPool

BATCH_SIZE = 256  # articles per bulk write: large enough to amortise a write, small enough to bound memory


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[KGError] = field(default_factory=list)
    events: int = 0
    incidents: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        removed = f", {len(self.removed)} removed" if self.removed else ""
        return (f"{len(self.built)} article(s) built, {len(self.unchanged)} unchanged{removed}, {len(self.failed)} failed; "
                f"{self.events} event(s) extracted; {self.incidents} told by several reports")


def _data_files() -> list[Path]:
    return sorted(
        [*gazetteer_module.data_dir().glob("*.csv"), *lexicon_module.LEXICON_DIR.glob("*.toml"), pipeline.CONFIG, ONTOLOGY_FILE,
         syntax.MODEL / "meta.json"]  # (a retrained parser changes what is extracted)
    )


def pipeline_fingerprint() -> str:
    """Changes whenever the code version or any data file that shapes extraction changes."""
    digest = hashlib.sha256(__version__.encode())
    for path in _data_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def article_fingerprint(article: Article, pipeline_hash: str) -> str:
    metadata = {k: str(v) for k, v in article.__dict__.items() if k != "text"}
    digest = hashlib.sha256(article.text.encode("utf-8"))
    digest.update(json.dumps(metadata, sort_keys=True).encode())
    digest.update(pipeline_hash.encode())
    return digest.hexdigest()


def stored_fingerprints(store: GraphStore, article_ids: list[str]) -> dict[str, str]:
    """The content hash stored for each of `article_ids` that is in the store (one query per batch)."""
    if not article_ids:
        return {}
    values = " ".join(f"({article_graph(i).n3()} {article_iri(i).n3()})" for i in article_ids)
    rows = store.select(f"SELECT ?g ?h WHERE {{ VALUES (?g ?a) {{ {values} }} GRAPH ?g {{ ?a kg:contentHash ?h }} }}")
    prefix = article_graph("").value
    return {row["g"].value[len(prefix):]: row["h"].lexical for row in rows}


def stored_fingerprint(store: GraphStore, article_id: str) -> str | None:
    return stored_fingerprints(store, [article_id]).get(article_id)


def load_reference_graphs(store: GraphStore, gazetteer=None) -> None:
    """(Re)write the gazetteer and ontology graphs; each is one transaction."""
    gazetteer = gazetteer or gazetteer_module.default()
    store.replace_graph(GAZETTEER_GRAPH, gazetteer_quads(gazetteer))
    store.write_graph(ONTOLOGY_GRAPH, [(ONTOLOGY_FILE.read_bytes(), "text/turtle")], replace=True)


def build(inputs: Iterable[Path | str], store: GraphStore, *, jobs: int = 1, batch_size: int = BATCH_SIZE,
          progress: bool | None = None, force: bool = False, sync: bool = False, log=None) -> BuildReport:
    """Build or update the graph from `inputs` (files and directories of articles).

    `jobs` worker processes extract; `sync` also removes the stored articles the inputs no longer
    hold (only when every input was read without error, so a broken file never deletes data).
    """
    log = log or sys.stderr  # looked up per call, so redirected stderr is honoured
    report = BuildReport()
    load_reference_graphs(store)
    touched = _recover(store, log)
    pipeline_hash = pipeline_fingerprint()
    inputs = list(inputs)
    show = progress if progress is not None else log.isatty()
    seen: set[str] | None = set() if sync else None
    with tqdm(total=len(discover(inputs)), unit="file", desc="building", disable=not show, file=log) as bar, \
            ExtractionPool(jobs) as pool:
        waiting = None  # the batch being extracted while the previous one is written
        for batch in _batches(_read(inputs, report, bar, log), batch_size):
            if seen is not None:
                seen.update(article.id for article in batch)
            tasks, stored = _changed(store, batch, pipeline_hash, force, report)
            submitted = (pool.submit(tasks), stored) if tasks else None
            if waiting is not None:
                touched |= _write(store, waiting[0](), waiting[1], report, log)
            waiting = submitted
        if waiting is not None:
            touched |= _write(store, waiting[0](), waiting[1], report, log)
    if seen is not None:
        touched |= _sync(store, seen, report, log)
    consolidate(store, touched)
    journal.clear(store)
    report.incidents = incidents_with_several_reports(store)
    store.flush()
    return report


def _read(inputs: list[Path | str], report: BuildReport, bar: tqdm, log) -> Iterator[Article]:
    """The readable articles; unreadable ones are reported as they come. Advances the bar per file."""
    current_file = None
    for item in read_articles(inputs):
        if item.source != current_file:
            if current_file is not None:
                bar.update(1)
            current_file = item.source
        if isinstance(item, ArticleError):
            report.failed.append(item)
            tqdm.write(f"skipped: {item}", file=log)
            continue
        yield item
    if current_file is not None:
        bar.update(1)


def _batches(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _changed(store: GraphStore, batch: list[Article], pipeline_hash: str, force: bool,
             report: BuildReport) -> tuple[list[tuple[Article, str]], set[str]]:
    """The batch's articles to extract, with their fingerprints, and the ids among them already
    stored (their old versions get replaced); the others are counted unchanged."""
    fingerprints = {article.id: article_fingerprint(article, pipeline_hash) for article in batch}
    stored = stored_fingerprints(store, list(fingerprints))
    tasks = []
    for article in batch:
        if not force and stored.get(article.id) == fingerprints[article.id]:
            report.unchanged.append(article.id)
        else:
            tasks.append((article, fingerprints[article.id]))
    return tasks, set(stored)


def _write(store: GraphStore, results: list[Extracted | ArticleError], stored: set[str], report: BuildReport,
           log) -> set[Key]:
    """Replace the batch's article graphs (journalled bulk write); returns the incident keys touched.
    `stored`: the ids whose old versions are in the store."""
    done = [r for r in results if isinstance(r, Extracted)]
    for error in results:
        if isinstance(error, ArticleError):
            report.failed.append(error)
            tqdm.write(f"skipped: {error}", file=log)
    if not done:
        return set()
    graphs = [article_graph(r.article.id) for r in done]
    # the old versions' incidents must be derived again too
    keys = keys_of_graphs(store, [article_graph(r.article.id) for r in done if r.article.id in stored])
    for result in done:
        keys |= result.incident_keys
    replace_graphs(store, graphs, keys, b"".join(r.nquads for r in done))
    for result in done:
        report.built.append(result.article.id)
        report.events += result.events
    return keys


def replace_graphs(store: GraphStore, graphs: list[IRI], keys: set[Key], nquads: bytes = b"") -> None:
    """Replace article `graphs` with the quads of `nquads` (none: just remove them) through the bulk
    loader, journalled: the journal lists the graphs until they are whole, and keeps `keys` (the
    incidents to derive again) until the caller has derived them."""
    journal.record(store, graphs, keys)
    store.remove_graphs(graphs)
    if nquads:
        store.bulk_add(nquads)
    journal.written(store, graphs)


def _recover(store: GraphStore, log) -> set[Key]:
    """Finish what an interrupted build left: drop its half-written graphs; return its pending keys."""
    graphs, keys = journal.pending(store)
    if graphs:
        print(f"an earlier build was interrupted: {len(graphs)} article(s) it was writing will be written again "
              "(if they are still among the inputs)", file=log)
        store.remove_graphs(graphs)
        journal.written(store, graphs)
    return keys


def _sync(store: GraphStore, seen: set[str], report: BuildReport, log) -> set[Key]:
    if report.failed:
        print(f"sync: nothing removed, since {len(report.failed)} article(s) could not be built; "
              "fix them and re-run to remove the articles the inputs no longer hold", file=log)
        return set()
    gone = [article_id for article_id in article_ids(store) if article_id not in seen]
    touched = _remove_articles(store, gone)
    report.removed.extend(gone)
    return touched


def _remove_articles(store: GraphStore, ids: list[str]) -> set[Key]:
    graphs = [article_graph(article_id) for article_id in ids if store.has_graph(article_graph(article_id))]
    keys = set()
    for start in range(0, len(graphs), BATCH_SIZE):
        chunk = graphs[start:start + BATCH_SIZE]
        chunk_keys = keys_of_graphs(store, chunk)
        replace_graphs(store, chunk, chunk_keys)
        keys |= chunk_keys
    return keys


def remove(store: GraphStore, *article_ids_to_remove: str) -> list[str]:
    """Remove articles and every fact only they support (their incidents are derived again);
    returns the ids that were in the store."""
    present = [i for i in article_ids_to_remove if store.has_graph(article_graph(i))]
    consolidate(store, _recover(store, sys.stderr) | _remove_articles(store, present))
    journal.clear(store)
    store.flush()
    return present


def article_ids(store: GraphStore) -> list[str]:
    prefix = article_graph("").value
    return [g.value[len(prefix):] for g in store.named_graphs() if g.value.startswith(prefix)]
