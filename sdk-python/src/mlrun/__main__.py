"""`mlrun sync DIR` / `python -m mlrun sync DIR`: the Python package's command line.

The server (`mlrun serve`, `mlrun query`) is the Node command of the MLRun checkout (`npm start`,
`npx mlrun serve`); this one only uploads spooled and offline runs.
"""

from __future__ import annotations

import sys


def main() -> int:
    args = sys.argv[1:]
    if args and args[0] in ("serve", "query"):
        sys.stderr.write(f"mlrun {args[0]} is the MLRun server: run it from the MLRun checkout (`npm start` or `npx mlrun {args[0]}`).\n")
        return 2
    if not args or args[0] != "sync":
        sys.stderr.write("usage: mlrun sync DIR [--endpoint URL] [--api-url URL] [--quiet]   (also: python -m mlrun sync DIR)\n")
        return 2
    from .sync import main as sync_main

    return sync_main(args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
