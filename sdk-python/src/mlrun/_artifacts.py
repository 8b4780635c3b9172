"""Artifact uploads: PUT {api_url}/api/v1/projects/{p}/runs/{id}/artifacts/{name}, streamed from the file,
with `x-mlrun-sha256` so the server refuses a body that changed on the way. Offline, the file's path is
remembered in the spool (`artifacts.jsonl`) and `mlrun-sync` uploads it later."""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._http import auth_headers, run_url

if TYPE_CHECKING:
    from ._run import Run

log = logging.getLogger("mlrun")

CHUNK = 1 << 20
PENDING = "artifacts.jsonl"


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def files_of(path: str, name: str) -> list[tuple[str, str]]:
    """(local file, artifact path) pairs: the file itself, or every file under a folder."""
    if os.path.isdir(path):
        out = []
        for root, _dirs, files in os.walk(path):
            for file in sorted(files):
                full = os.path.join(root, file)
                out.append((full, f"{name}/{Path(os.path.relpath(full, path)).as_posix()}"))
        return sorted(out, key=lambda pair: pair[1])
    return [(path, name)]


def put_file(api_url: str, project: str, run_id: str, local: str, artifact: str, kind: str | None, api_key: str | None, *, wait_s: float = 10.0) -> dict[str, Any]:
    """Upload one file; retries while the run is not registered yet (404) or the server is unreachable."""
    digest = sha256_of(local)
    size = os.path.getsize(local)
    quoted = "/".join(urllib.parse.quote(part, safe="") for part in artifact.split("/"))
    url = run_url(api_url, project, run_id, f"artifacts/{quoted}")
    headers = {"Content-Type": "application/octet-stream", "Content-Length": str(size), "x-mlrun-sha256": digest, **auth_headers(api_key)}
    if kind:
        headers["x-mlrun-artifact-type"] = kind
    end = time.monotonic() + wait_s
    delay = 0.1
    while True:
        try:
            with open(local, "rb") as body:
                request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
                with urllib.request.urlopen(request, timeout=300) as response:
                    record: dict[str, Any] = json.loads(response.read())
                    return record
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode("utf-8", "replace")
            if error.code not in (404, 429, 502, 503, 504) or time.monotonic() >= end:
                raise RuntimeError(f"artifact {artifact!r}: HTTP {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            if time.monotonic() >= end:
                raise RuntimeError(f"artifact {artifact!r}: {error}") from None
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def upload(run: Run, path: str, name: str | None, kind: str | None) -> list[dict[str, Any]]:
    if not os.path.exists(path):
        log.warning("mlrun: log_artifact(%r): no such file or folder", path)
        return []
    artifact_name = (name or os.path.basename(os.path.normpath(path))).strip("/")
    pairs = files_of(path, artifact_name)
    settings = run.settings
    if settings.mode == "offline":
        remember(Path(run.spool_dir), run, pairs, kind)
        return []
    # The server records artifacts of registered runs only: let the start event get there first.
    run.flush()
    out = []
    for local, artifact in pairs:
        try:
            out.append(put_file(settings.api_url, run.project, run.id, local, artifact, kind, settings.api_key))
        except (RuntimeError, OSError) as error:
            log.warning("mlrun: could not upload %s (%s); remembered for `mlrun-sync %s`", local, error, run.spool_dir)
            remember(Path(run.spool_dir), run, [(local, artifact)], kind)
    return out


def remember(directory: Path, run: Run, pairs: list[tuple[str, str]], kind: str | None) -> None:
    run._transport.spool.ensure()
    with open(directory / PENDING, "a", encoding="utf-8") as f:
        for local, artifact in pairs:
            f.write(json.dumps({"file": os.path.abspath(local), "name": artifact, "type": kind, "sha256": sha256_of(local)}) + "\n")
