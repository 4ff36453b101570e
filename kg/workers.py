"""Extraction in worker processes: an article in, its graph as N-Quads out.

Extraction is pure and CPU-bound, so it scales with processes; the store stays in the parent, which
writes while the workers extract the next batch. Workers are forked after the pipeline and the
gazetteer are loaded, so they share them instead of loading them again. With one job everything runs
in the calling process (no pickling, no fork).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass

from kg import gazetteer as gazetteer_module
from kg.articles import Article
from kg.consolidate import Key, reports_in_quads
from kg.errors import ArticleError
from kg.extraction import pipeline
from kg.rdf import article_quads, to_nquads


@dataclass(frozen=True)
class Extracted:
    article: Article
    nquads: bytes
    events: int
    incident_keys: frozenset[Key]


def extract_article(article: Article, fingerprint: str) -> Extracted | ArticleError:
    """One article's graph, or the error that stopped it (a bug on one article must not stop the others)."""
    try:
        extraction = pipeline.extract(article, pipeline.default())
        quads = article_quads(article, extraction, gazetteer_module.default(), fingerprint)
    except Exception as exc:
        return ArticleError(article.source, f"extraction failed: {type(exc).__name__}: {exc}", line=article.line,
                            hint="please report this with the article attached")
    keys = frozenset((r.type, r.place) for r in reports_in_quads(quads))
    return Extracted(article, to_nquads(quads), len(extraction.events), keys)


def _extract_all(tasks: list[tuple[Article, str]]) -> list[Extracted | ArticleError]:
    return [extract_article(article, fingerprint) for article, fingerprint in tasks]


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class ExtractionPool:
    """`submit(tasks)` starts extracting a batch and returns a function that waits for its results,
    in the order given."""

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self._pool = None
        if self.jobs > 1:
            pipeline.default(), gazetteer_module.default()  # loaded once, then shared by the forked workers
            context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
            self._pool = context.Pool(self.jobs)

    def submit(self, tasks: list[tuple[Article, str]]) -> Callable[[], list[Extracted | ArticleError]]:
        if self._pool is None:
            return lambda: _extract_all(tasks)
        # small chunks keep both workers busy to the end of the batch
        chunk = max(1, len(tasks) // (self.jobs * 4))
        pending = self._pool.starmap_async(extract_article, tasks, chunksize=chunk)
        return pending.get

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
