"""Query latency at scale (the latency and servers phases of bench/scale.py).

- latency: the saved queries and a GraphQL event-by-id request (over HTTP, through kg's server) on
  the stores bench/scale.py built for each corpus size; medians of repeated runs.
- servers: the same saved queries on the embedded store and on an Oxigraph server loaded with the
  same quads, side by side, in one run.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kg.remote_store import RemoteStore  # noqa: E402
from kg.server.app import create_app  # noqa: E402
from kg.server.settings import ServerSettings  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from external_servers import oxigraph_binary  # noqa: E402  (tests/external_servers.py)

LOCAL_QUERIES = ["capitals_captured", "events_by_province", "officials_surrendered"]
SKIP_AFTER_MS = 20_000  # a saved query slower than this at one size is not run at the next
EVENT_QUERY = "query($id: ID!) { event(id: $id) { id types date place { name wikidata } evidence { text } } }"


def _median_ms(fn, repeat: int) -> float:
    if repeat > 1:
        fn()  # warm caches once, as a running server would be
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _saved(name: str) -> str:
    return (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def _event_ids(store, count: int) -> list[str]:
    rows = store.select("SELECT ?e WHERE { GRAPH ?g { ?e a kg:Event } } LIMIT 5000")
    ids = [row["e"].value for row in rows]
    return random.Random(1).sample(ids, min(count, len(ids)))


def phase_latency(work: Path, sizes: list[int]) -> dict:
    from servers import running_server

    figures: dict[str, dict] = {}
    previous: dict[str, float | None] = {}
    for size in sizes:
        store = GraphStore(work / f"store-{size}", read_only=True)
        row: dict[str, float | None] = {}
        for name in LOCAL_QUERIES:
            if previous.get(name) is None and previous or (previous.get(name) or 0) > SKIP_AFTER_MS:
                row[name] = None  # ten times the corpus would take minutes: reported as not run
                continue
            row[name] = _median_ms(lambda: store.select(_saved(name)), 1 if size >= 100_000 else 3)
        ids = _event_ids(store, 20)
        with running_server(create_app(store, ServerSettings())) as base, httpx.Client(base_url=base) as client:
            def lookup():
                for event_id in ids:
                    response = client.post("/graphql", json={"query": EVENT_QUERY, "variables": {"id": event_id}})
                    assert response.status_code == 200 and response.json()["data"]["event"], response.text
            row["graphql_event_by_id"] = _median_ms(lookup, 5) / len(ids)
        figures[str(size)] = row
        previous = row
        print(f"latency at {size:>7} articles: " + ", ".join(
            f"{k} {'not run' if v is None else f'{v:.1f} ms'}" for k, v in row.items()), flush=True)
        del store
    small, large = str(min(sizes)), str(max(sizes))
    figures["point_lookup_ratio"] = figures[large]["graphql_event_by_id"] / figures[small]["graphql_event_by_id"]
    print(f"GraphQL event by id, {large} vs {small} articles: {figures['point_lookup_ratio']:.2f}x (target <= 2x)")
    return figures


def phase_servers(work: Path, sizes: list[int]) -> dict:
    """Saved queries embedded vs on an Oxigraph server holding the same quads (the middle size)."""
    size = sorted(sizes)[len(sizes) // 2]
    embedded = GraphStore(work / f"store-{size}", read_only=True)
    dump = work / f"store-{size}.nq"
    dump.write_bytes(embedded.export("nquads"))  # always: a dump of an earlier build would compare other data
    figures: dict[str, dict] = {"articles": size}
    server_dir = work / "oxigraph-server"
    shutil.rmtree(server_dir, ignore_errors=True)
    server_dir.mkdir(parents=True)  # `oxigraph load` creates its data folder but not the parents
    loaded = subprocess.run([oxigraph_binary(), "load", "--location", str(server_dir / "data"), "--file", str(dump)],
                            capture_output=True, text=True)
    if loaded.returncode != 0:
        raise SystemExit(f"oxigraph load of {dump} failed ({loaded.returncode}):\n{loaded.stderr[-2000:]}")
    with _server_on(server_dir) as url:
        remote = RemoteStore(url)
        for name in LOCAL_QUERIES:
            query = _saved(name)
            here = _median_ms(lambda: embedded.select(query), 5)
            there = _median_ms(lambda: remote.select(query), 5)
            same = len(embedded.select(query)) == len(remote.select(query))
            figures[name] = {"embedded_ms": here, "oxigraph_server_ms": there, "same_row_count": same}
            print(f"{name:24} embedded {here:8.1f} ms   Oxigraph server {there:8.1f} ms   ({there / here:.2f}x)"
                  f"{'' if same else '   ROW COUNTS DIFFER'}", flush=True)
    return figures


@contextlib.contextmanager
def _server_on(server_dir: Path):
    """An Oxigraph server over an already loaded directory (the test fixture makes a fresh one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([oxigraph_binary(), "serve-read-only", "--location", str(server_dir / "data"),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/query", params={"query": "ASK {}"}).status_code == 200:
                    break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait()
