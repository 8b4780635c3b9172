"""One POST of a gzip'd OTLP request, classified for the retry policy (stdlib urllib only)."""

from __future__ import annotations

import email.utils
import http.client
import logging
import time
import urllib.error
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


def post(url: str, body: bytes, *, api_key: str | None, timeout_s: float, gzipped: bool = True) -> Result:
    headers = {"Content-Type": "application/x-protobuf", "User-Agent": "mlrun-python"}
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
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
