"""HTTP with the stdlib: one POST of a gzip'd OTLP request, classified for the retry policy; the query API's
run URLs and auth header (artifacts, the resumed run's last step)."""

from __future__ import annotations

import email.utils
import http.client
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger("mlrun")

Outcome = Literal["ok", "retry", "drop"]


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    retry_after_s: float | None = None
    detail: str = ""


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def auth_headers(api_key: str | None) -> dict[str, str]:
    """`Authorization: Bearer <key>` when a key is set (MLRUN_API_KEY), else nothing."""
    return {"Authorization": f"Bearer {api_key}"} if api_key else {}


def run_url(api_url: str, project: str, run_id: str, tail: str) -> str:
    """`{api_url}/api/v1/projects/{project}/runs/{run_id}/{tail}`, project and run id percent-encoded."""
    quote = urllib.parse.quote
    return f"{api_url}/api/v1/projects/{quote(project, safe='')}/runs/{quote(run_id, safe='')}/{tail}"


def last_step(api_url: str, api_key: str | None, project: str, run_id: str, timeout_s: float) -> int | str:
    """The run's highest `lastStep` over its metrics (-1: none, or the run is unknown), or why it cannot be read."""
    request = urllib.request.Request(run_url(api_url, project, run_id, "metrics"), headers=auth_headers(api_key))
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            metrics = json.loads(response.read())["metrics"]
        return max((int(m["lastStep"]) for m in metrics), default=-1)
    except urllib.error.HTTPError as error:
        return -1 if error.code == 404 else f"HTTP {error.code}"  # 404: nothing stored for the run yet
    except (urllib.error.URLError, OSError, ValueError, KeyError, TypeError) as error:
        return str(error)


def post(url: str, body: bytes, *, api_key: str | None, timeout_s: float, gzipped: bool = True) -> Result:
    headers = {"Content-Type": "application/x-protobuf", "User-Agent": "mlrun-python", **auth_headers(api_key)}
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=max(0.1, timeout_s)) as response:
            response.read()
            return Result("ok")
    except urllib.error.HTTPError as error:
        detail = f"HTTP {error.code}: {error.read()[:500].decode('utf-8', 'replace')}"
        retry_after = _retry_after(error.headers.get("Retry-After") if error.headers else None)
        # 4xx other than throttling/auth means this batch can never be accepted: resending it would block the rest.
        if error.code in (400, 404, 413, 415, 422):
            return Result("drop", detail=detail)
        return Result("retry", retry_after, detail)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        return Result("retry", None, f"{type(error).__name__}: {error}")
