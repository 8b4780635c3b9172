"""`python -m mlrun sync DIR`."""

from __future__ import annotations

import sys


def main() -> int:
    args = sys.argv[1:]
    if not args or args[0] != "sync":
        sys.stderr.write("usage: python -m mlrun sync DIR [--endpoint URL] [--api-url URL] [--quiet]\n")
        return 2
    from .sync import main as sync_main

    return sync_main(args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
