"""The on-disk spool: gzip'd OTLP requests that could not be sent (or, offline, were never meant to be).

Layout: `<dir>/<project>/<run id>/` holds `run.json` (who the files belong to) and one file per batch,
`<time ns>-<writer token>-<seq>.<signal>.pb.gz`, exactly the bytes that would have been POSTed to
`/v1/<signal>`. Names sort in write order, so a replay (live or `mlrun-sync`) keeps the order of the run.
A file is written to a temporary name and renamed, so a crash never leaves half a batch under a real name.
After a batch is uploaded its name is appended to `uploaded.txt` and the file is deleted: a second sync
finds nothing left to send, and every record keeps its `mlrun.record.id` for the receiver to de-duplicate
what a crash between upload and marking could send twice.

Bound: the batch files of one run directory may take at most `max_bytes` (default 1 GiB). When a batch
would exceed it, that batch and every newer one — the newest data — are dropped, counted and warned about
once, until replays have freed half the space; the run and the training loop go on. What is already
spooled is never overwritten, so the spool keeps an unbroken stretch from the start of the outage.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path

log = logging.getLogger("mlrun")

SUFFIX = ".pb.gz"
MARKER = "uploaded.txt"


def run_dir(root: str, project: str, run_id: str) -> Path:
    return Path(root) / _safe(project) / _safe(run_id)


def _safe(part: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_.=" else "_" for c in part)
    return cleaned.lstrip(".") or "_"


def batch_files(directory: Path) -> list[Path]:
    """The batches still waiting in one run directory, in write order."""
    try:
        return sorted(p for p in directory.iterdir() if p.name.endswith(SUFFIX) and p.is_file())
    except FileNotFoundError:
        return []


def signal_of(path: Path) -> str:
    """`logs`, `metrics` or `traces`: which OTLP path a spooled batch goes to."""
    return path.name[: -len(SUFFIX)].rsplit(".", 1)[-1]


def mark_uploaded(path: Path) -> None:
    with open(path.parent / MARKER, "a", encoding="utf-8") as marker:
        marker.write(path.name + "\n")
        marker.flush()
        os.fsync(marker.fileno())
    path.unlink(missing_ok=True)


class Spool:
    """One writer's view of a run's spool directory (a forked child gets its own, with its own token)."""

    def __init__(self, directory: Path, max_bytes: int, meta: dict[str, str], token: str) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self._meta = meta
        self._token = token
        self._seq = 0
        self._lock = threading.Lock()
        self._pending: list[Path] = []
        self._bytes = -1  # unknown until the first write scans the directory
        self.dropped_records = 0
        self._warned_full = False
        self._full = False

    def _ensure_dir(self) -> None:
        if self._bytes >= 0:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        meta_path = self.directory / "run.json"
        if not meta_path.exists():
            tmp = meta_path.with_suffix(f".{self._token}.tmp")
            tmp.write_text(json.dumps(self._meta, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, meta_path)
        self._bytes = sum(p.stat().st_size for p in batch_files(self.directory))

    def ensure(self) -> None:
        """Create the directory (and run.json) now, for files other than batches (artifacts.jsonl)."""
        with self._lock:
            self._ensure_dir()

    def append(self, payload: bytes, records: int, signal: str = "logs") -> bool:
        """Write one batch; False (and counted) when the spool is full or the disk refuses."""
        with self._lock:
            try:
                self._ensure_dir()
                if self._full or self._bytes + len(payload) > self.max_bytes:
                    # Once full, everything newer is dropped until replays free half the space: the spool
                    # then holds an unbroken stretch of the run rather than a sample with holes.
                    self._full = True
                    self._drop(records, f"the spool {self.directory} is full ({self.max_bytes} bytes)")
                    return False
                self._seq += 1
                name = f"{time.time_ns():020d}-{self._token}-{self._seq:08d}.{signal}{SUFFIX}"
                path = self.directory / name
                tmp = self.directory / (name + ".tmp")
                with open(tmp, "wb") as f:
                    f.write(payload)
                os.replace(tmp, path)
            except OSError as error:
                self._drop(records, f"writing to the spool {self.directory} failed: {error}")
                return False
            self._bytes += len(payload)
            self._pending.append(path)
            return True

    def _drop(self, records: int, why: str) -> None:
        self.dropped_records += records
        if not self._warned_full:
            self._warned_full = True
            log.warning("mlrun: %s; dropping the newest batches (counted; the run goes on)", why)

    def pending(self) -> list[Path]:
        with self._lock:
            return list(self._pending)

    def has_pending(self) -> bool:
        return bool(self._pending)

    def sent(self, path: Path) -> None:
        with self._lock:
            try:
                size = path.stat().st_size
                mark_uploaded(path)
                self._bytes -= size
                if self._full and self._bytes <= self.max_bytes // 2:
                    self._full = False
            except OSError:
                log.warning("mlrun: could not mark %s as uploaded", path, exc_info=True)
            if path in self._pending:
                self._pending.remove(path)
