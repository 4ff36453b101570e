"""Build throughput on the seed articles, reported as ratios against baselines measured in the same run.

    python bench/build_throughput.py [--copies 40]

Figures (machines here are noisy, so compare ratios, not seconds):
- extraction: articles/s through the whole pipeline vs. spaCy's bare tokenizer on the same texts;
- store writes: per-article transactions (kg's path) vs. pyoxigraph's raw bulk_load of the same quads.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg import gazetteer  # noqa: E402
from kg.articles import read_articles  # noqa: E402
from kg.extraction import pipeline  # noqa: E402
from kg.rdf import article_quads  # noqa: E402
from kg.store import GraphStore, _to_ox  # noqa: E402
from kg.vocab import article_graph  # noqa: E402


def timed(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=40, help="how many times to repeat the five seeds")
    args = parser.parse_args()

    seeds = [a for a in read_articles([ROOT / "seeds"]) if not isinstance(a, Exception)]
    articles = [dataclasses.replace(a, id=f"{a.id}-{i}") for i in range(args.copies) for a in seeds]
    nlp = pipeline.default()
    bare = spacy.blank("en")
    gaz = gazetteer.default()

    words = sum(len(a.text.split()) for a in articles)
    t_pipeline = timed(lambda: [pipeline.extract(a, nlp) for a in articles], repeat=5)
    t_tokenizer = timed(lambda: [bare.make_doc(a.text) for a in articles], repeat=5)
    print(f"articles: {len(articles)} ({words:,} words), one core")
    print(f"extraction: {len(articles) / t_pipeline:,.0f} articles/s, {words / t_pipeline:,.0f} words/s; "
          f"{t_tokenizer / t_pipeline:.0%} of spaCy's bare tokenizer throughput "
          f"({len(articles) / t_tokenizer:,.0f} articles/s) - target >= 25%")

    batches = [(a, article_quads(a, pipeline.extract(a, nlp), gaz)) for a in articles]
    total = sum(len(q) for _, q in batches)

    def kg_writes():
        with tempfile.TemporaryDirectory() as tmp:
            store = GraphStore(Path(tmp) / "kg")
            for article, quads in batches:
                store.replace_graph(article_graph(article.id), quads)

    ox_quads = [ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), _to_ox(g)) for _, quads in batches for s, p, o, g in quads]

    def raw_bulk():
        with tempfile.TemporaryDirectory() as tmp:
            ox.Store(tmp).bulk_extend(ox_quads)

    t_kg, t_bulk = timed(kg_writes), timed(raw_bulk)
    print(f"store writes: {total / t_kg:,.0f} quads/s through per-article transactions; "
          f"{t_bulk / t_kg:.2f} of pyoxigraph's raw bulk write speed")


if __name__ == "__main__":
    main()
