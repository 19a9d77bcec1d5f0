"""The `spinecheck` command: hand `check` to a warm server when one runs, else start the full command line.

Only the standard library is imported before that choice, so a warm `check` starts fast.
"""

from __future__ import annotations

import sys


def main() -> None:
    from spinecheck.interfaces.cli.warm import run_remote

    code = run_remote(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from spinecheck.interfaces.cli.app import main as run_locally

    run_locally()


if __name__ == "__main__":
    main()
