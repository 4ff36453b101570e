"""Overhead of the query endpoints: each saved query through /sparql and /graphql vs. in-process.

    python bench/endpoint_overhead.py [--store DIR] [--repeat N] [--seconds 40] [--server process|thread]

Saved queries: every queries/*.rq that runs against our store, i.e. not those using SERVICE (they
call Wikidata) nor wikidata_*.rq (written for query.wikidata.org; they run here but answer nothing
meaningful). For each, three ways to the same answer are timed, after a warm-up, interleaved per
repetition (A, B, C in an order that rotates each repetition) so drift on a noisy machine hits all:
- in-process: `store.execute(query, result_format="json")`, which runs the query and serialises it;
- /sparql: POST application/sparql-query with Accept: application/sparql-results+json on one
  kept-alive http.client connection, timed until the whole body is read (the answer is checked
  against the in-process one once);
- /graphql: the equivalent GraphQL request, where the schema has one (officials_surrendered ->
  `surrenders`; events_by_province -> all `events` with their type and provinces, counted by the
  client; capitals_captured has none: the schema cannot say a city is a capital). Its
  answer is turned back into the saved query's rows once and compared (a difference is reported).
A last row, "floor", times a query that costs nothing: the fixed cost of one request.

How to read it: ms are medians and p90s per request; the ratio columns are median(HTTP) /
median(in-process SPARQL of the same saved query) -- for GraphQL too, so below 1x means the GraphQL
path is cheaper than the saved query (it resolves through its own queries, not the .rq); (+ms) is
what /sparql adds at the median. Then the median of the per-query ratios (floor left out). Targets (reported, never asserted): /sparql <= 1.5x and /graphql
<= 2x at the median. Exit status is non-zero only on errors (a failed request, a wrong /sparql answer).

Server: by default `python -m kg.cli serve` in a separate process, on a copy of the store, as it is
deployed (access log included, to a file), with the same store code and queries. A uvicorn
thread in this process (`--server thread`) shares the GIL with the client: its request building
and response parsing, the event loop and the query worker all take turns on one interpreter, a
contention a deployed server does not have. On the seeds and 2 cores the two modes came out within
noise of each other (~0.7-0.9 ms per request either way), so the process is the default for
realism rather than because the thread skews much. The baseline opens the store read-only (so
`--store` may point at a store in use); the server process gets its own copy of it.
"""

from __future__ import annotations

import argparse
import collections
import gc
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.store import GraphStore  # noqa: E402

SPARQL_TARGET = 1.5
GRAPHQL_TARGET = 2.0
MIN_REPEAT = 5

OFFICIALS_GRAPHQL = """query OfficialsSurrendered {
  surrenders {
    date
    provinces { name wikidata }
    participants { role actor { __typename name label positions { title isFormer } } }
    evidence { text article { id } }
  }
}"""


# --- the queries and their GraphQL equivalents ----------------------------------------------
@dataclass
class Case:
    name: str
    sparql: str
    graphql: str | None = None
    graphql_note: str = ""
    rows: int = 0
    floor: bool = False  # the fixed-cost probe: shown, but left out of the overall ratios
    check: object = None  # (sparql rows, graphql data) -> None or a description of the difference
    times: dict[str, list[float]] = field(default_factory=lambda: {"inproc": [], "sparql": [], "graphql": []})


def saved_queries(store: GraphStore) -> tuple[list[Case], list[str]]:
    cases, skipped = [], []
    for path in sorted((ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        body = "\n".join(line.split("#", 1)[0] for line in text.splitlines())  # SERVICE in a comment is fine
        if "SERVICE" in body.upper():
            skipped.append(f"{path.name} (SERVICE: calls Wikidata)")
        elif path.name.startswith("wikidata_"):
            skipped.append(f"{path.name} (written for query.wikidata.org)")
        else:
            cases.append(Case(path.stem, text))
    return cases, skipped



def _rows(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def _value(row: dict, name: str) -> str | None:
    return row[name]["value"] if name in row else None


def officials_from_graphql(data: dict) -> list[tuple]:
    """The rows of officials_surrendered.rq, from the `surrenders` answer."""
    rows = []
    for event in data["surrenders"]:
        provinces = [(p["name"], p["wikidata"]) for p in event["provinces"]] or [(None, None)]
        for part in event["participants"]:
            actor = part["actor"]
            if part["role"] != "AFFECTED" or not actor or actor["__typename"] not in ("Person", "Group"):
                continue
            # the position's rdfs:label, which the .rq reads, is "former " + title for a former office
            titles = sorted({("former " if p["isFormer"] else "") + p["title"] for p in actor["positions"] if p["title"]})
            for name, wikidata in provinces:
                for ev in event["evidence"]:
                    rows.append((actor["name"], "; ".join(titles) or None, name, wikidata, event["date"],
                                 ev["article"]["id"] if ev["article"] else None, ev["text"]))
    return rows


def check_officials(sparql_rows: list[dict], data: dict) -> str | None:
    cols = ["personName", "role", "provinceName", "provinceWikidata", "date", "article", "evidence"]
    want = collections.Counter(tuple(_value(r, c) for c in cols) for r in sparql_rows)
    # GROUP_CONCAT order is unspecified: compare roles as sets of titles
    norm = lambda t: t[:1] + (frozenset((t[1] or "").split("; ")),) + t[2:]  # noqa: E731
    want = collections.Counter(norm(t) for t in want.elements())
    got = collections.Counter(norm(t) for t in officials_from_graphql(data))
    if want == got:
        return None
    return f"{sum(want.values())} SPARQL rows vs {sum(got.values())} from GraphQL, {sum((want & got).values())} alike"


EVENTS_BY_PROVINCE_GRAPHQL = """query EventsByProvince {
  events(first: 500) { totalCount nodes { type provinces { name } } }
}"""


def check_events_by_province(sparql_rows: list[dict], data: dict) -> str | None:
    """The client's side of the GraphQL equivalent: count events per (province, type)."""
    want = {(_value(r, "provinceName"), _value(r, "eventType"), int(_value(r, "count"))) for r in sparql_rows}
    counts = collections.Counter((p["name"], (e["type"] or "?").lower().replace("_", " "))
                                 for e in data["events"]["nodes"] for p in e["provinces"])
    got = {(province, kind, n) for (province, kind), n in counts.items()}
    if want == got:
        return None
    return f"{len(want)} SPARQL rows vs {len(got)} from GraphQL, {len(want & got)} alike"


def add_graphql(cases: list[Case], store: GraphStore) -> None:
    for case in cases:
        if case.name == "officials_surrendered":
            case.graphql, case.check = OFFICIALS_GRAPHQL, check_officials
        elif case.name == "events_by_province":
            case.graphql, case.check = EVENTS_BY_PROVINCE_GRAPHQL, check_events_by_province
        elif case.name == "capitals_captured":
            case.graphql_note = "no capital-of in the schema"
        else:
            case.graphql_note = "no equivalent written"


# --- servers ----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerThread:
    """uvicorn serving `create_app(store)` in a thread of this process, on host and port.

    Not tests/servers.py's running_server: uvicorn serving a socket handed over with `sockets=`
    answers every request ~44 ms late here (Nagle and delayed ACKs, it seems), even /healthz.
    """

    def __init__(self, store: GraphStore):
        import threading

        import uvicorn

        from kg.server.app import create_app

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=self.port,
                                                    log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start in its thread")
            time.sleep(0.01)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


class ServerProcess:
    """`python -m kg.cli serve` on a free port; its output goes to a log file."""

    def __init__(self, store_dir: Path, log: Path):
        self.port = free_port()
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--store", str(store_dir), "--port", str(self.port)],
            cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{log.read_text()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"the server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- timing -----------------------------------------------------------------------------------
class Client:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def post(self, path: str, body: bytes, content_type: str, accept: str) -> bytes:
        self.conn.request("POST", path, body=body, headers={"Content-Type": content_type, "Accept": accept})
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"POST {path}: HTTP {response.status}: {data[:500]!r}")
        return data

    def sparql(self, query: str) -> bytes:
        return self.post("/sparql", query.encode(), "application/sparql-query", "application/sparql-results+json")

    def graphql(self, query: str) -> dict:
        answer = json.loads(self.post("/graphql", json.dumps({"query": query}).encode(), "application/json",
                                      "application/json"))
        if answer.get("errors"):
            raise RuntimeError(f"GraphQL errors: {answer['errors']}")
        return answer["data"]


def ways(case: Case, store: GraphStore, client: Client) -> dict:
    out = {"inproc": lambda: store.execute(case.sparql, result_format="json"),
           "sparql": lambda: client.sparql(case.sparql)}
    if case.graphql:
        out["graphql"] = lambda: client.graphql(case.graphql)
    return out


def one_round(case: Case, fns: dict, rotation: int, record: bool) -> float:
    names = list(fns)
    names = names[rotation % len(names):] + names[: rotation % len(names)]
    total = 0.0
    for name in names:
        start = time.perf_counter()
        fns[name]()
        elapsed = time.perf_counter() - start
        total += elapsed
        if record:
            case.times[name].append(elapsed * 1000)
    return total


def verify(case: Case, store: GraphStore, client: Client) -> list[str]:
    expected = _rows(store.execute(case.sparql, result_format="json").body)
    case.rows = len(expected)
    key = lambda rows: sorted(json.dumps(r, sort_keys=True) for r in rows)  # noqa: E731
    if key(_rows(client.sparql(case.sparql))) != key(expected):
        raise RuntimeError(f"{case.name}: /sparql answered differently from the in-process query")
    if case.graphql and case.check:
        difference = case.check(expected, client.graphql(case.graphql))
        if difference:
            return [f"{case.name}: the GraphQL answer differs from the saved query's: {difference}"]
    return []


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[8] if len(values) > 1 else values[0]


def environment(store: GraphStore, mode: str) -> str:
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("pyoxigraph", "starlette", "uvicorn", "strawberry-graphql"))
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"python {platform.python_version()} ({platform.python_implementation()}), {versions}; "
            f"{os.cpu_count()} cores ({affinity} usable), {platform.system()} {platform.machine()}; "
            f"store {len(store):,} quads; server: {mode}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: a temporary one built from seeds/)")
    parser.add_argument("--repeat", type=int, help="repetitions per query (default: fit --seconds, at least 5)")
    parser.add_argument("--seconds", type=float, default=40.0, help="time budget of the timed part when --repeat is not given")
    parser.add_argument("--server", choices=["process", "thread"], default="process",
                        help="`kg serve` in a separate process (default), or uvicorn in a thread of this process")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        tmp = Path(tmp)
        source = args.store
        if source is None:
            from kg.build import build

            source = tmp / "kg"
            print(f"building {ROOT / 'seeds'} into a temporary store...", file=sys.stderr)
            builder = GraphStore(source)
            report = build([ROOT / "seeds"], builder, progress=False)
            if not report.ok:
                raise RuntimeError(f"building the seeds failed: {report.summary()}")
            builder.flush()
            del builder
            gc.collect()
        elif not source.is_dir():
            raise RuntimeError(f"no store at {source}")
        served = source
        if args.server == "process":  # kg serve opens its store read-write: give it its own copy
            served = tmp / "served"
            shutil.copytree(source, served)
        store = GraphStore(source, read_only=True)

        cases, skipped = saved_queries(store)
        if not cases:
            raise RuntimeError("no saved query to run")
        add_graphql(cases, store)
        # what one request costs when the query costs nothing
        cases.append(Case("floor: SELECT (1 AS ?x){}", "SELECT (1 AS ?x) WHERE {}", floor=True))

        server = server_thread = client = None
        try:
            if args.server == "process":
                server = ServerProcess(served, tmp / "server.log")
                port = server.port
            else:
                server_thread = ServerThread(store)
                port = server_thread.port
            client = Client(port)
            notes = [n for case in cases for n in verify(case, store, client)]

            # warm-up: two rounds (one for a query whose round takes over a second); sizes --repeat
            fns = {case.name: ways(case, store, client) for case in cases}
            round_time = {}
            for case in cases:
                round_time[case.name] = one_round(case, fns[case.name], 0, record=False)
                if round_time[case.name] < 1.0:
                    round_time[case.name] = one_round(case, fns[case.name], 1, record=False)
            if args.repeat:
                repeat = {case.name: args.repeat for case in cases}
            else:
                share = args.seconds / (len(cases) - 1 + 0.2)  # the floor gets a fifth of a share
                repeat = {c.name: max(MIN_REPEAT, min(2000, int(share * (0.2 if c.floor else 1) / round_time[c.name])))
                          for c in cases}

            start = time.perf_counter()
            for rep in range(max(repeat.values())):
                for case in cases:
                    if rep < repeat[case.name]:
                        one_round(case, fns[case.name], rep, record=True)
            elapsed = time.perf_counter() - start
        finally:
            if client is not None:
                client.conn.close()
            if server is not None:
                server.close()
            if server_thread is not None:
                server_thread.close()

        print(environment(store, "`kg serve` in a separate process" if args.server == "process"
                          else "uvicorn in a thread of this process"))
        print(f"queries: {', '.join(c.name for c in cases)}; skipped: {'; '.join(skipped) or 'none'}")
        print(f"timed part: {elapsed:.1f} s, interleaved in-process / /sparql / /graphql per repetition, after warm-up\n")
        head = (f"{'query':<26}{'rows':>5}{'reps':>6} | {'in-process ms':>17} | {'/sparql ms':>17} | {'/graphql ms':>17} |"
                f" {'/sparql x (+ms)':>18} {'/graphql x':>10}")
        print(head)
        print(f"{'':<37} | {'median':>8} {'p90':>8} | {'median':>8} {'p90':>8} | {'median':>8} {'p90':>8} |"
              f" {'target <=1.5x':>18} {'<=2x':>10}")
        print("-" * len(head))
        sparql_ratios, graphql_ratios = [], []
        for case in cases:
            t = case.times
            base = statistics.median(t["inproc"])
            s_ratio = statistics.median(t["sparql"]) / base
            s_extra = statistics.median(t["sparql"]) - base
            if not case.floor:
                sparql_ratios.append(s_ratio)
            cells = [f"{case.name:<26}{case.rows:>5}{repeat[case.name]:>6}"]
            for name in ("inproc", "sparql"):
                cells.append(f"{statistics.median(t[name]):>8.2f} {p90(t[name]):>8.2f}")
            if t["graphql"]:
                g_ratio = statistics.median(t["graphql"]) / base
                graphql_ratios.append(g_ratio)
                cells.append(f"{statistics.median(t['graphql']):>8.2f} {p90(t['graphql']):>8.2f}")
                graphql = f"{g_ratio:>9.2f}x"
            else:
                cells.append(f"{'n/a':>17}")
                graphql = f"{'n/a':>10}"
            ratios = f"{s_ratio:>8.2f}x {f'(+{s_extra:.2f})' if s_extra >= 0 else f'({s_extra:.2f})':>8} {graphql}"
            print(" | ".join(cells) + " | " + ratios)
        print("-" * len(head))
        for case in cases:
            if case.floor:
                print(f"  {case.name}: a query that costs nothing, i.e. the fixed cost of one request; "
                      f"not in the overall ratios")
            elif case.graphql_note:
                print(f"  {case.name}: no GraphQL figure ({case.graphql_note})")
        for note in notes:
            print(f"  note: {note}")
        s_overall = statistics.median(sparql_ratios)
        line = f"overall median ratio: /sparql {s_overall:.2f}x over {len(sparql_ratios)} queries (target <= {SPARQL_TARGET}x: " \
               f"{'met' if s_overall <= SPARQL_TARGET else 'MISSED'})"
        if graphql_ratios:
            g_overall = statistics.median(graphql_ratios)
            line += f"; /graphql {g_overall:.2f}x over {len(graphql_ratios)} queries (target <= {GRAPHQL_TARGET}x: " \
                    f"{'met' if g_overall <= GRAPHQL_TARGET else 'MISSED'})"
        print(line)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # noqa: BLE001 - a benchmark error: say what, exit 1
        print(f"endpoint_overhead: error: {exc}", file=sys.stderr)
        sys.exit(1)
