"""Serve the API and the web pages with uvicorn on loopback: `python -m spinecheck.interfaces.http.server`."""

from __future__ import annotations

import argparse
import os

import uvicorn

from spinecheck.interfaces.http.app import create_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread_per_worker() -> None:
    """Let each worker process do its matrix products on one thread (unless the environment already says
    how many). The workers share the cores; a BLAS library's own threads in every worker would outnumber
    them and spin against one another under load. Read by numpy when a worker starts, so this is set
    before the workers are spawned."""
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def main(argv: list[str] | None = None) -> None:
    """Serve on `--host`/`--port`. Requests are not logged one by one (at the `warning` level uvicorn would
    format each access line only to drop it); warnings and errors are."""
    parser = argparse.ArgumentParser(description="Serve spinecheck's web pages and REST API.")
    parser.add_argument("--host", default=os.environ.get("SPINECHECK_HOST", DEFAULT_HOST))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SPINECHECK_PORT", DEFAULT_PORT)))
    parser.add_argument("--workers", type=int, default=1, help="Worker processes (one per core is plenty).")
    args = parser.parse_args(argv)
    print(f"spinecheck is running at http://{args.host}:{args.port}/  (API: http://{args.host}:{args.port}/v1/)",
          flush=True)
    if args.workers > 1:
        one_blas_thread_per_worker()
        uvicorn.run("spinecheck.interfaces.http.app:create_app", factory=True, host=args.host, port=args.port,
                    workers=args.workers, log_level="warning", access_log=False)
    else:
        uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
