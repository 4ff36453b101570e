"""Running store work off the event loop, within the server's limits.

pyoxigraph result iterators must be consumed on the thread that created them, so a query and the
serialisation of its answer run together in one worker thread. Reads get a deadline: at the deadline
the client gets an error at once, and the worker stops at its next write of output (pyoxigraph cannot
interrupt an evaluation that has not produced output yet, so such a worker keeps its slot until it
ends). Writes run to completion, since a transaction cannot be cancelled halfway; each counts as a
change, which tells caches (the VoID statistics) to recompute.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from kg.errors import QueryTimeout
from kg.server.settings import ServerSettings

T = TypeVar("T")


class StoreRunner:
    def __init__(self, settings: ServerSettings):
        self.timeout = settings.query_timeout
        self.pool = ThreadPoolExecutor(settings.max_concurrent_queries, thread_name_prefix="kg-store")
        self.changes = 0  # writes done through this server

    async def read(self, work: Callable[..., T], *args, **kwargs) -> T:
        """`work(*args, deadline=..., **kwargs)` in a worker; QueryTimeout when it overruns."""
        deadline = time.monotonic() + self.timeout
        future = asyncio.get_running_loop().run_in_executor(self.pool, partial(work, *args, deadline=deadline, **kwargs))
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            raise QueryTimeout(f"the query took longer than this server's limit of {self.timeout:g} s",
                               hint="narrow the query or add LIMIT; nothing was sent before this error") from None

    async def write(self, work: Callable[..., T], *args, **kwargs) -> T:
        """`work(*args, **kwargs)` in a worker, waited for to the end."""
        try:
            return await asyncio.get_running_loop().run_in_executor(self.pool, partial(work, *args, **kwargs))
        finally:
            self.changes += 1
