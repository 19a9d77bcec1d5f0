"""Chunks processed on a Dask cluster: a local one started for the run, or an existing scheduler.

`--dask local[:N]` starts N worker processes on this machine (one thread each, memory bounded)
and stops them afterwards; `--dask tcp://HOST:PORT` connects to a running scheduler whose
workers have the same spinecheck installed. This process reads the file and writes the
results; the workers only compute, so they need no access to the files. Chunks are submitted
in order with a bounded number in flight and their results written in that same order, so a
run on a cluster gives the same file, row for row, as a run in one process.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from spinecheck.adapters.batch.pipeline import Chunk, ChunkResult, Pending
from spinecheck.adapters.batch.readers import BatchFileError

LOCAL = re.compile(r"^local(?::(\d+))?$")
MEMORY_PER_LOCAL_WORKER = "2GiB"
CONNECT_TIMEOUT = "10s"


class DaskSetupError(BatchFileError):
    """The cluster could not be started or reached."""


@dataclass(frozen=True)
class DaskTarget:
    """Where to run: `workers` local processes, or the scheduler at `address`."""

    workers: int | None = None
    address: str | None = None

    @property
    def label(self) -> str:
        return f"local cluster, {self.workers} workers" if self.address is None else f"scheduler {self.address}"


def parse_target(text: str) -> DaskTarget:
    """`local`, `local:N` or `tcp://HOST:PORT` (also tls://); anything else is refused with the forms allowed."""
    match = LOCAL.match(text.strip())
    if match:
        workers = int(match.group(1)) if match.group(1) else max(1, len(os.sched_getaffinity(0)))
        if workers < 1:
            raise DaskSetupError("--dask local:N needs at least one worker")
        return DaskTarget(workers=workers)
    if re.match(r"^(tcp|tls)://[^\s/:]+:\d+$", text.strip()):
        return DaskTarget(address=text.strip())
    raise DaskSetupError(f"--dask takes local, local:N or tcp://HOST:PORT, not '{text}'")


class DaskExecutor:
    """Submits chunks to the cluster; `window` keeps a few per worker in flight."""

    def __init__(self, client: Any, workers: int) -> None:
        self.client = client
        self.workers = workers
        self.window = 2 * workers + 1

    def submit(self, process: Callable[[Chunk], ChunkResult], chunk: Chunk) -> Pending:
        future: Pending = self.client.submit(process, chunk, pure=False)
        return future


@contextmanager
def dask_executor(target: DaskTarget, warm_up: Callable[[], object] | None = None) -> Iterator[DaskExecutor]:
    """A client for the target, with every worker warmed up first (model loaded, text reader built)."""
    import distributed

    start_cluster: Any = distributed.LocalCluster
    connect: Any = distributed.Client
    cluster: Any = None
    client: Any = None
    try:
        if target.address is None:
            cluster = start_cluster(
                n_workers=target.workers, threads_per_worker=1, processes=True,
                memory_limit=MEMORY_PER_LOCAL_WORKER, dashboard_address=None, silence_logs=logging.ERROR,
                host="127.0.0.1",
            )
            client = connect(cluster)
        else:
            try:
                client = connect(target.address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as error:
                raise DaskSetupError(f"cannot reach the Dask scheduler at {target.address}: {error}") from None
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except TimeoutError:
                raise DaskSetupError(f"the Dask scheduler at {target.address} has no workers") from None
        workers = len(client.scheduler_info().get("workers", {})) or 1
        if warm_up is not None:
            client.run(warm_up)
        yield DaskExecutor(client, workers)
    finally:
        if client is not None:
            with suppress(Exception):
                client.close()
        if cluster is not None:
            with suppress(Exception):
                cluster.close()
