"""`mlrun-sync DIR` / `python -m mlrun sync DIR`: upload a spool (an offline run, or what a crashed or
cut-off run left behind), idempotently.

DIR may be the spool root (`.mlrun-sdk`), a project folder or one run folder: every folder below it that
holds batches is uploaded, oldest batch first. Each uploaded batch is named in that folder's `uploaded.txt`
and deleted, so running sync again sends nothing twice; records keep their `mlrun.record.id`, so the
receiver drops what a crash between upload and marking could resend. Exit status: 0 when everything was
uploaded, 1 when something is left (server unreachable, refused artifact), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ._artifacts import PENDING, put_file
from ._encode import count_records
from ._http import post
from ._settings import DEFAULT_API_URL, DEFAULT_ENDPOINT
from ._spool import SUFFIX, batch_files, mark_uploaded, signal_of

log = logging.getLogger("mlrun")

ATTEMPTS = 6
ARTIFACTS_DONE = "artifacts-uploaded.txt"


class Progress:
    """A one-line progress bar on stderr (redrawn in place on a terminal, a line per 10% otherwise)."""

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total, self.done, self.records = total, 0, 0
        self._stream, self._enabled = stream, enabled
        self._tty = stream.isatty()
        self._last_decile = -1

    def step(self, records: int) -> None:
        self.done += 1
        self.records += records
        if not self._enabled:
            return
        fraction = self.done / self.total if self.total else 1.0
        bar = "#" * int(fraction * 30)
        line = f"[{bar:<30}] {self.done}/{self.total} batches, {self.records} records"
        if self._tty:
            self._stream.write("\r" + line + ("\n" if self.done == self.total else ""))
        elif int(fraction * 10) != self._last_decile:
            self._last_decile = int(fraction * 10)
            self._stream.write(line + "\n")
        self._stream.flush()


def run_dirs(root: Path) -> list[Path]:
    found = set()
    for path in root.rglob("*"):
        if path.is_file() and (path.name.endswith(SUFFIX) or path.name == PENDING):
            found.add(path.parent)
    return sorted(found)


def _meta(directory: Path) -> dict[str, str]:
    try:
        data = json.loads((directory / "run.json").read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()}
    except (OSError, ValueError):
        return {}


def _send(url: str, payload: bytes, api_key: str | None) -> str:
    delay = 0.5
    for attempt in range(ATTEMPTS):
        result = post(url, payload, api_key=api_key, timeout_s=30.0)
        if result.outcome != "retry":
            if result.outcome == "drop":
                log.warning("mlrun-sync: the server refused a batch (%s); it is skipped", result.detail)
            return result.outcome
        if attempt + 1 < ATTEMPTS:
            time.sleep(result.retry_after_s if result.retry_after_s is not None else delay)
            delay = min(delay * 2, 8.0)
    log.error("mlrun-sync: %s is unreachable (%s)", url, result.detail)
    return "retry"


def sync_dir(directory: Path, endpoint: str | None, api_url: str | None, api_key: str | None, progress: Progress) -> bool:
    meta = _meta(directory)
    ep = (endpoint or os.environ.get("MLRUN_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or meta.get("endpoint") or DEFAULT_ENDPOINT).rstrip("/")
    for path in batch_files(directory):
        payload = path.read_bytes()
        try:
            records = count_records(gzip.decompress(payload), signal_of(path))
        except (OSError, ValueError, EOFError):
            log.warning("mlrun-sync: %s is not a readable batch; skipped", path)
            progress.step(0)
            continue
        outcome = _send(f"{ep}/v1/{signal_of(path)}", payload, api_key)
        if outcome == "retry":
            return False
        mark_uploaded(path)
        progress.step(records)
    return sync_artifacts(directory, meta, api_url, api_key)


def sync_artifacts(directory: Path, meta: dict[str, str], api_url: str | None, api_key: str | None) -> bool:
    pending = directory / PENDING
    if not pending.exists():
        return True
    api = (api_url or os.environ.get("MLRUN_API_URL") or meta.get("api_url") or DEFAULT_API_URL).rstrip("/")
    done_path = directory / ARTIFACTS_DONE
    done = set(done_path.read_text(encoding="utf-8").splitlines()) if done_path.exists() else set()
    ok = True
    for line in pending.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line in done:
            continue
        entry = json.loads(line)
        try:
            put_file(api, meta["project"], meta["run_id"], entry["file"], entry["name"], entry.get("type"), api_key)
        except (RuntimeError, OSError, KeyError) as error:
            log.error("mlrun-sync: artifact %s not uploaded: %s", entry.get("name"), error)
            ok = False
            continue
        with open(done_path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mlrun-sync", description="Upload an MLRun spool (offline runs, or what an unreachable server left behind).")
    parser.add_argument("dir", help="the spool root (MLRUN_DIR, default ./.mlrun-sdk), a project folder or a run folder")
    parser.add_argument("--endpoint", help="OTLP/HTTP base URL (default: MLRUN_ENDPOINT, then the run's own, then http://localhost:4318)")
    parser.add_argument("--api-url", help="query API base URL, for artifacts (default: MLRUN_API_URL, then the run's own)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    root = Path(args.dir)
    if not root.is_dir():
        print(f"mlrun-sync: {root} is not a folder", file=sys.stderr)  # noqa: T201 - a CLI's usage error
        return 2
    dirs = run_dirs(root)
    total = sum(len(batch_files(d)) for d in dirs)
    progress = Progress(total, sys.stderr, not args.quiet)
    api_key = os.environ.get("MLRUN_API_KEY") or None
    ok = all([sync_dir(d, args.endpoint, args.api_url, api_key, progress) for d in dirs])
    log.info("mlrun-sync: %d batch(es), %d record(s) uploaded from %d run folder(s)%s", progress.done, progress.records, len(dirs), "" if ok else "; some are left (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
