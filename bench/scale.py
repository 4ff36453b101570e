"""Scale benchmarks on generated corpora (bench/generate_corpus.py), ratios measured in one run.

    python bench/scale.py [--work DIR] [--sizes 1000,10000,100000] [--phases throughput,write,memory,latency,servers]

Phases (each prints a table and adds its figures to DIR/results.json):
- throughput: a build of --throughput-articles articles with 1 and 2 worker processes, alternated
  twice, from scratch each time; articles/s of the whole build (startup and incidents included).
- write: kg's write path (journal, graph removal, bulk load per batch) against pyoxigraph's raw
  bulk_load of the same N-Quads in one call.
- memory: `kg build` of each size into its own store, sampling the proportional set size (PSS, so
  pages the forked workers share are counted once) of the build's whole process tree.
- latency: each saved query and a GraphQL event-by-id request on the stores the memory phase built.
- servers: the saved queries on the embedded store and on an Oxigraph server holding the same data.

The corpora for every size are the prefixes of one generated corpus (article i does not depend on N),
so the sizes differ only in how many articles they hold.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate_corpus  # noqa: E402

PER_FILE = 1000
SEED = 7
LOCAL_QUERIES = ["capitals_captured", "events_by_province", "officials_surrendered"]  # the others call Wikidata


def corpus(work: Path, articles: int) -> list[Path]:
    """The shards holding the first `articles` generated articles (written once, then reused)."""
    folder = work / "corpus"
    shards = sorted(folder.glob("articles-*.jsonl"))
    if len(shards) * PER_FILE < articles:
        shutil.rmtree(folder, ignore_errors=True)
        start = time.perf_counter()
        generate_corpus.write_corpus(folder, articles, SEED, per_file=PER_FILE)
        print(f"generated {articles} articles in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        shards = sorted(folder.glob("articles-*.jsonl"))
    return shards[: -(-articles // PER_FILE)]


def _pss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass  # the process ended between listing and reading
    return total


def _tree(pid: int) -> list[int]:
    pids, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        pids += [int(c) for c in children]
        frontier += [int(c) for c in children]
    return pids


def kg_build(shards: list[Path], store: Path, jobs: int) -> dict:
    """`kg build` in a subprocess; wall time and the peak PSS of its process tree."""
    shutil.rmtree(store, ignore_errors=True)
    command = [sys.executable, "-m", "kg", "build", *map(str, shards), "--store", str(store), "--jobs", str(jobs), "--quiet"]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    peak_tree = peak_main = 0
    while process.poll() is None:
        peak_tree = max(peak_tree, _pss_kb(_tree(process.pid)))
        peak_main = max(peak_main, _pss_kb([process.pid]))
        time.sleep(0.25)
    seconds = time.perf_counter() - start
    log = process.stderr.read()
    if process.returncode != 0:
        raise SystemExit(f"kg build failed ({process.returncode}):\n{log}")
    return {"seconds": seconds, "peak_pss_mb": peak_tree / 1024, "peak_main_pss_mb": peak_main / 1024,
            "summary": log.strip().splitlines()[-1], "store_mb": _size_mb(store)}


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def phase_throughput(work: Path, articles: int) -> dict:
    shards = corpus(work, articles)
    runs: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(2):
        for jobs in (1, 2):
            result = kg_build(shards, work / "throughput-store", jobs)
            runs[jobs].append(articles / result["seconds"])
    one, two = statistics.median(runs[1]), statistics.median(runs[2])
    print(f"throughput ({articles} articles): 1 worker {one:.0f} articles/s, 2 workers {two:.0f} articles/s: "
          f"{two / one:.2f}x (target >= 1.7x)")
    extraction = _extraction_only(shards, articles)
    print(f"extraction alone (no store), same articles: 1 worker {extraction['1']:.0f} articles/s, 2 workers "
          f"{extraction['2']:.0f} articles/s: {extraction['2'] / extraction['1']:.2f}x")
    return {"articles": articles, "one_worker": runs[1], "two_workers": runs[2], "ratio": two / one,
            "extraction_only": extraction}


def _extraction_only(shards: list[Path], articles: int) -> dict:
    """Articles/s of the worker pool alone, in build-sized batches: how far extraction scales when
    the store is out of the way (the parent's writes and incident derivation are serial)."""
    from kg.articles import read_articles
    from kg.build import BATCH_SIZE
    from kg.workers import ExtractionPool

    items = [a for a in read_articles(shards) if not isinstance(a, Exception)][:articles]
    rates = {}
    for jobs in (1, 2):
        with ExtractionPool(jobs) as pool:
            start = time.perf_counter()
            for first in range(0, len(items), BATCH_SIZE):
                pool.submit([(a, "0" * 64) for a in items[first:first + BATCH_SIZE]])()
            rates[str(jobs)] = len(items) / (time.perf_counter() - start)
    return rates


def phase_write(work: Path, articles: int) -> dict:
    """kg's write path per batch vs one raw bulk_load, on the same N-Quads."""
    import pyoxigraph as ox

    from kg import journal
    from kg.articles import read_articles
    from kg.build import BATCH_SIZE, replace_graphs
    from kg.store import GraphStore
    from kg.vocab import article_graph
    from kg.workers import Extracted, ExtractionPool

    items = [a for a in read_articles(corpus(work, articles)) if not isinstance(a, Exception)][:articles]
    with ExtractionPool(2) as pool:
        results = [r for r in pool.submit([(a, "0" * 64) for a in items])() if isinstance(r, Extracted)]
    batches = [results[i:i + BATCH_SIZE] for i in range(0, len(results), BATCH_SIZE)]
    everything = b"".join(r.nquads for r in results)
    quads = everything.count(b"\n")
    kg_times, raw_times = [], []
    for _ in range(3):
        with tempfile.TemporaryDirectory(dir=work) as folder:
            store = GraphStore(Path(folder) / "kg")
            start = time.perf_counter()
            for batch in batches:
                replace_graphs(store, [article_graph(r.article.id) for r in batch],
                               set().union(*(r.incident_keys for r in batch)), b"".join(r.nquads for r in batch))
            journal.clear(store)
            store.flush()
            kg_times.append(time.perf_counter() - start)
            del store
        with tempfile.TemporaryDirectory(dir=work) as folder:
            raw = ox.Store(str(Path(folder) / "raw"))
            start = time.perf_counter()
            raw.bulk_load(everything, format=ox.RdfFormat.N_QUADS)
            raw.flush()
            raw_times.append(time.perf_counter() - start)
            del raw
    kg_rate, raw_rate = quads / statistics.median(kg_times), quads / statistics.median(raw_times)
    print(f"store writes ({quads} quads of {len(results)} articles): kg {kg_rate:,.0f} quads/s, raw bulk_load "
          f"{raw_rate:,.0f} quads/s: {kg_rate / raw_rate:.2f} (target >= 0.5)")
    return {"quads": quads, "kg_seconds": kg_times, "raw_seconds": raw_times, "ratio": kg_rate / raw_rate}


def phase_memory(work: Path, sizes: list[int], jobs: int) -> dict:
    figures = {}
    for size in sizes:
        result = kg_build(corpus(work, max(sizes)) [: -(-size // PER_FILE)], work / f"store-{size}", jobs)
        result["articles_per_second"] = size / result["seconds"]
        figures[str(size)] = result
        print(f"build {size:>7} articles, {jobs} workers: {result['seconds']:.0f} s ({result['articles_per_second']:.0f}/s), "
              f"peak PSS {result['peak_pss_mb']:.0f} MB (main process {result['peak_main_pss_mb']:.0f} MB), "
              f"store {result['store_mb']:.0f} MB; {result['summary']}", flush=True)
    if len(sizes) >= 2:
        small, large = str(min(sizes)), str(max(sizes))
        ratio = figures[large]["peak_pss_mb"] / figures[small]["peak_pss_mb"]
        print(f"peak memory {large} vs {small} articles: {ratio:.2f}x")
        figures["ratio"] = ratio
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-scale")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--phases", default="throughput,write,memory,latency,servers")
    parser.add_argument("--throughput-articles", type=int, default=4000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results_file = args.work / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    for phase in args.phases.split(","):
        if phase == "throughput":
            results["throughput"] = phase_throughput(args.work, args.throughput_articles)
        elif phase == "write":
            results["write"] = phase_write(args.work, args.throughput_articles)
        elif phase == "memory":
            results["memory"] = phase_memory(args.work, sizes, args.jobs)
        elif phase == "latency":
            from scale_queries import phase_latency
            results["latency"] = phase_latency(args.work, sizes)
        elif phase == "servers":
            from scale_queries import phase_servers
            results["servers"] = phase_servers(args.work, sizes)
        else:
            parser.error(f"unknown phase {phase!r}")
        results_file.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
