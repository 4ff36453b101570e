"""Start a private, real SPARQL server (Oxigraph or Virtuoso) on a free loopback port, for tests.

    with oxigraph_server(tmp_path) as base_url:           # /query, /update, /store
        httpx.post(base_url + "/update", content=b"INSERT DATA {...}",
                   headers={"content-type": "application/sparql-update"})

    with virtuoso_server(tmp_path) as (base_url, user, password):
        auth = httpx.DigestAuth(user, password)            # /sparql (read), /sparql-auth (update),
        ...                                                # /sparql-graph-crud-auth (Graph Store Protocol)

Each server runs as its own process group with its data under `tmp_path`, and is killed when the block ends.
When the server program is missing the test is skipped, unless KG_REQUIRE_EXTERNAL_STORES=1, when it fails,
naming the install command (`bash tests/external/install.sh`). tests/external/NOTES.md says what each
server does differently from the SPARQL 1.1 protocols.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import httpx
import pytest

REQUIRE_ENV = "KG_REQUIRE_EXTERNAL_STORES"
INSTALL = "bash tests/external/install.sh"
HOST = "127.0.0.1"


class ServerStartError(RuntimeError):
    """The server process did not come up (its log is in the message)."""


class _PortInUse(ServerStartError):
    pass


def _required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in {"1", "true", "yes"}


def _missing(program: str, alternative: str) -> NoReturn:
    message = f"{program} not found; install it with `{INSTALL}` (or `{alternative}`)"
    if _required():
        pytest.fail(f"{message} ({REQUIRE_ENV}=1 requires the external SPARQL servers)", pytrace=False)
    pytest.skip(message)


def _which(name: str) -> str | None:
    """`name` on PATH, else next to this Python (a venv's bin/, when the venv is not activated)."""
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def oxigraph_binary() -> str | None:
    return _which("oxigraph")


def virtuoso_binaries() -> tuple[str, str] | None:
    """(virtuoso-t, isql-vt), or None when either is missing."""
    server, isql = _which("virtuoso-t"), _which("isql-vt")
    return (server, isql) if server and isql else None


def _free_port() -> int:
    # The port is free now; another process could take it before the server binds it, so the callers
    # retry with new ports when the server says the address is in use.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


class _Process:
    """A server started in its own session (process group), output to `log`; stop() kills the whole group."""

    def __init__(self, argv: list[str], log: Path, cwd: Path):
        self.argv, self.log = argv, log
        self._log_file = open(log, "wb")  # noqa: SIM115 (closed by stop())
        try:
            self.popen = subprocess.Popen(
                argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except BaseException:
            self._log_file.close()
            raise

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, grace: float = 15.0) -> None:
        try:
            if self.alive():
                self._signal(signal.SIGTERM)
                try:
                    self.popen.wait(grace)
                except subprocess.TimeoutExpired:
                    pass
            self._signal(signal.SIGKILL)  # also any child left in the group
            self.popen.wait(grace)
        finally:
            self._log_file.close()

    def _signal(self, sig: int) -> None:
        try:
            os.killpg(self.popen.pid, sig)
        except ProcessLookupError:
            pass

    def failure(self, what: str) -> str:
        parts = [f"{what}\ncommand: {' '.join(self.argv)}"]
        if not self.alive():
            parts.append(f"exit code: {self.popen.returncode}")
        parts.append(f"--- {self.log} (last lines) ---\n{_tail(self.log)}")
        return "\n".join(parts)


def _came_up(proc, url: str, timeout: float, *, ok, port_in_use, last_attempt: bool) -> bool:
    """Wait until the server answers at `url`. False (the process stopped) when another process took
    its port and another attempt is left; any other failure stops the process and raises."""
    try:
        _wait_http(proc, url, timeout, ok=ok, port_in_use=port_in_use)
    except _PortInUse:
        proc.stop()
        if last_attempt:
            raise
        return False
    except BaseException:
        proc.stop()
        raise
    return True


def _wait_http(proc: _Process, url: str, timeout: float, ok=lambda r: r.status_code == 200,
               port_in_use=lambda: False) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while True:
            if not proc.alive():
                message = proc.failure("the server exited before it answered")
                raise (_PortInUse if port_in_use() else ServerStartError)(message)
            try:
                response = client.get(url)
                if ok(response):
                    return
                last = f"HTTP {response.status_code}: {response.text[:200]}"
            except httpx.TransportError as error:
                last = repr(error)
            if port_in_use():
                raise _PortInUse(proc.failure("the port was taken"))
            if time.monotonic() > deadline:
                raise ServerStartError(proc.failure(f"no answer from {url} within {timeout:g} s (last: {last})"))
            time.sleep(0.05)


def _log_says(path: Path, *needles: str) -> bool:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return False
    return any(needle in text for needle in needles)


# --------------------------------------------------------------------------------------------- Oxigraph


@contextmanager
def oxigraph_server(tmp_path: Path, *, union_default_graph: bool = False, timeout: float = 30.0,
                    attempts: int = 3) -> Iterator[str]:
    """Run `oxigraph serve` (PyPI package `oxigraph`) on a free loopback port; yields "http://127.0.0.1:PORT".

    Endpoints: /query, /update, /store (Graph Store Protocol; `?graph=IRI` or `?default`), and /sparql
    (query or update). union_default_graph=True passes --union-default-graph (queries AND updates then see
    the union of all graphs as the default graph, and FROM is ignored); per request, a
    `union-default-graph` query parameter on /query does the same (its mere presence: `=false` also
    turns it on).
    """
    binary = oxigraph_binary()
    if binary is None:
        _missing("oxigraph (the Oxigraph server)", "pip install oxigraph==<pyoxigraph's version>")
    workdir = Path(tempfile.mkdtemp(prefix="oxigraph-", dir=tmp_path))
    for attempt in range(attempts):
        port = _free_port()
        log = workdir / f"server-{attempt}.log"
        argv = [binary, "serve", "--location", str(workdir / "data"), "--bind", f"{HOST}:{port}"]
        if union_default_graph:
            argv.append("--union-default-graph")
        proc = _Process(argv, log, workdir)
        # The log line first: until it is there, whatever answers on the port is not this server.
        if not _came_up(proc, f"http://{HOST}:{port}/", timeout,
                        ok=lambda r, log=log: r.status_code == 200 and _log_says(log, "Listening for requests"),
                        port_in_use=lambda log=log: _log_says(log, "Address already in use"),
                        last_attempt=attempt + 1 == attempts):
            continue
        try:
            yield f"http://{HOST}:{port}"
        finally:
            proc.stop()
        return


# --------------------------------------------------------------------------------------------- Virtuoso

# Debian's /usr/share/virtuoso-opensource-7/virtuoso.ini reduced to what a private instance needs, with
# every file in the instance's directory and both ports on loopback. The [SPARQL] limits are the stock
# ones unless the caller overrides them: ResultSetMaxRows cuts every SELECT/CONSTRUCT (and GSP GET)
# silently at that many rows; MaxQueryExecutionTime turns a long query into a partial 200 answer with
# the header X-SQL-State: S1TAT.
_VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = {host}:{isql_port}
LiteMode             = 0
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
O_DIRECT             = 0
CaseMode             = 2
MaxStaticCursorRows  = 5000
CheckpointAuditTrail = 0
AllowOSCalls         = 0
SchedulerInterval    = 10
DirsAllowed          = ., {dir}
ThreadCleanupInterval = 0
ThreadThreshold      = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize    = 100000
SingleCPU            = 0
PrefixResultNames    = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps        = 64
MaxMemPoolSize       = 200000000
MaxQueryMem          = 512M
VectorSize           = 1000
MaxVectorSize        = 1000000
AdjustVectorSize     = 0
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 10
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
MaxSortedTopRows     = {max_sorted}

[HTTPServer]
ServerPort           = {host}:{http_port}
ServerRoot           = {dir}/vsp
MaxClientConnections = 10
DavRoot              = DAV
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
TempASPXDir          = 0
ServerThreads        = 10
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
HTTPThreadSize       = 280000
HttpPrintWarningsInOutput = 0
Charset              = UTF-8
EnabledGzipContent   = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[URIQA]
DynamicLocal = 0
DefaultHost  = {host}:{http_port}

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = {max_seconds}
DeferInferenceRulesInit    = 0
"""


def _isql(isql: str, port: int, sql: str, timeout: float, dba_password: str = "dba") -> str:
    """Run SQL through isql-vt; raise with its output on an error (isql-vt exits 0 even then)."""
    done = subprocess.run([isql, f"{HOST}:{port}", "dba", dba_password, f"EXEC={sql}"], capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output:
        raise ServerStartError(f"isql-vt failed on {sql!r} (exit {done.returncode}):\n{output}")
    return output


@contextmanager
def virtuoso_server(tmp_path: Path, *, user: str = "kgtest", password: str = "secret", timeout: float = 120.0,
                    max_rows: int = 10000, max_seconds: int = 60,
                    attempts: int = 3) -> Iterator[tuple[str, str, str]]:
    """Run a private `virtuoso-t` (Debian: virtuoso-opensource-7-bin) on free loopback ports.

    Yields (base_url, user, password): base_url + "/sparql" answers queries anonymously, "/sparql-auth"
    takes queries and updates with HTTP digest auth as `user`, "/sparql-graph-crud-auth?graph-uri=IRI"
    is the Graph Store Protocol with digest auth. `user` gets the SPARQL_UPDATE role (nothing more is
    needed). The DBA account is dba/dba, on a loopback ISQL port. max_rows and max_seconds set
    [SPARQL] ResultSetMaxRows and MaxQueryExecutionTime (stock values by default).
    """
    binaries = virtuoso_binaries()
    if binaries is None:
        _missing("virtuoso-t/isql-vt (Virtuoso)", "apt-get install virtuoso-opensource-7-bin")
    server, isql = binaries
    workdir = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=tmp_path))
    (workdir / "vsp").mkdir()
    for attempt in range(attempts):
        http_port, isql_port = _free_port(), _free_port()
        while isql_port == http_port:
            isql_port = _free_port()
        for stale in workdir.glob("virtuoso*.*"):  # a failed attempt's half-made database and its log
            stale.unlink()
        ini = workdir / "virtuoso.ini"
        ini.write_text(_VIRTUOSO_INI.format(dir=workdir, host=HOST, isql_port=isql_port, http_port=http_port,
                                            max_rows=max_rows, max_seconds=max_seconds,
                                            max_sorted=max(10000, max_rows)))
        log = workdir / f"server-{attempt}.log"
        proc = _Process([server, "+foreground", "+configfile", str(ini)], log, workdir)
        base = f"http://{HOST}:{http_port}"

        def port_in_use(log: Path = log) -> bool:
            return _log_says(log, "Failed HTTP listen", "Failed to start listening", "Address already in use")

        # The HTTP listener opens before the SQL one; "Server online at" means both are up.
        if not _came_up(proc, f"{base}/sparql?query=ASK%7B%7D&format=json", timeout,
                        ok=lambda r, log=log: r.status_code == 200 and _log_says(log, "Server online at"),
                        port_in_use=port_in_use, last_attempt=attempt + 1 == attempts):
            continue
        try:
            # SPARQL_UPDATE is all the user needs for /sparql-auth and /sparql-graph-crud-auth.
            _isql(isql, isql_port,
                  f"DB.DBA.USER_CREATE('{user}', '{password}'); GRANT SPARQL_UPDATE TO \"{user}\";", timeout=60)
        except (ServerStartError, subprocess.TimeoutExpired) as error:
            proc.stop()
            raise ServerStartError(proc.failure(f"could not create the SPARQL user: {error}")) from None
        except BaseException:
            proc.stop()
            raise
        try:
            yield base, user, password
        finally:
            proc.stop()
        return
