"""Building the graph: articles -> extraction -> RDF -> store, one transaction per article.

A bad article is reported (file and line) and skipped; the others go in. An article whose content,
metadata and pipeline are unchanged since the last build is skipped, so re-running an interrupted
build finishes the job without redoing or duplicating anything.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from kg import __version__, gazetteer as gazetteer_module
from kg.articles import Article, discover, read_articles
from kg.consolidate import consolidate
from kg.errors import ArticleError, KGError, StoreError
from kg.extraction import lexicon as lexicon_module
from kg.extraction import pipeline
from kg.ontology import ONTOLOGY_FILE
from kg.rdf import article_iri, article_quads, gazetteer_quads
from kg.store import GraphStore

from kg.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, article_graph


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[KGError] = field(default_factory=list)
    events: int = 0
    incidents: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (f"{len(self.built)} article(s) built, {len(self.unchanged)} unchanged, {len(self.failed)} failed; "
                f"{self.events} event(s) extracted; {self.incidents} told by several reports")


def _data_files() -> list[Path]:
    return sorted(
        [*gazetteer_module.data_dir().glob("*.csv"), *lexicon_module.LEXICON_DIR.glob("*.toml"), pipeline.CONFIG, ONTOLOGY_FILE]
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


def stored_fingerprint(store: GraphStore, article_id: str) -> str | None:
    rows = store.select("SELECT ?g ?a ?h WHERE { GRAPH ?g { ?a kg:contentHash ?h } }",
                        substitutions={"g": article_graph(article_id), "a": article_iri(article_id)})
    return rows[0]["h"].lexical if rows else None


def load_reference_graphs(store: GraphStore, gazetteer=None) -> None:
    """(Re)write the gazetteer and ontology graphs; each is one transaction."""
    gazetteer = gazetteer or gazetteer_module.default()
    store.replace_graph(GAZETTEER_GRAPH, gazetteer_quads(gazetteer))
    store.write_graph(ONTOLOGY_GRAPH, [(ONTOLOGY_FILE.read_bytes(), "text/turtle")], replace=True)


def build(inputs: Iterable[Path | str], store: GraphStore, *, progress: bool | None = None, force: bool = False,
          log=None) -> BuildReport:
    log = log or sys.stderr  # looked up per call, so redirected stderr is honoured
    report = BuildReport()
    gazetteer = gazetteer_module.default()
    nlp = pipeline.default()
    load_reference_graphs(store, gazetteer)
    pipeline_hash = pipeline_fingerprint()

    inputs = list(inputs)
    files = discover(inputs)
    show = progress if progress is not None else log.isatty()
    bar = tqdm(total=len(files), unit="file", desc="building", disable=not show, file=log)
    current_file = None
    for item in read_articles(inputs):
        source_file = item.source
        if source_file != current_file:
            if current_file is not None:
                bar.update(1)
            current_file = source_file
        if isinstance(item, ArticleError):
            report.failed.append(item)
            tqdm.write(f"skipped: {item}", file=log)
            continue
        fingerprint = article_fingerprint(item, pipeline_hash)
        if not force and stored_fingerprint(store, item.id) == fingerprint:
            report.unchanged.append(item.id)
            continue
        try:
            extraction = pipeline.extract(item, nlp)
            quads = article_quads(item, extraction, gazetteer, fingerprint)
        except Exception as exc:  # a bug on one article must not stop the others: report and go on
            error = ArticleError(item.source, f"extraction failed: {type(exc).__name__}: {exc}", line=item.line,
                                 hint="please report this with the article attached")
            report.failed.append(error)
            tqdm.write(f"skipped: {error}", file=log)
            continue
        try:
            store.replace_graph(article_graph(item.id), quads)
        except StoreError as exc:  # the transaction wrote nothing; the other articles still go in
            error = ArticleError(item.source, f"could not be stored: {exc.message}", line=item.line)
            report.failed.append(error)
            tqdm.write(f"skipped: {error}", file=log)
            continue
        report.built.append(item.id)
        report.events += len(extraction.events)
    if current_file is not None:
        bar.update(1)
    bar.close()
    report.incidents = consolidate(store)
    store.flush()
    return report


def remove(store: GraphStore, article_id: str) -> bool:
    """Remove an article and every fact only it supports (incidents are derived again)."""
    removed = store.remove_graph(article_graph(article_id))
    if removed:
        consolidate(store)
    return removed


def article_ids(store: GraphStore) -> list[str]:
    prefix = article_graph("").value
    return [g.value[len(prefix):] for g in store.named_graphs() if g.value.startswith(prefix)]


