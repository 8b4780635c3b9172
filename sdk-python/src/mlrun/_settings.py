"""Settings of a run, resolved from arguments first, then environment variables, then defaults.

Read at `init()` time only (never at import), so a process can change its environment before starting a run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

Mode = Literal["online", "offline", "disabled"]
MODES: tuple[Mode, ...] = ("online", "offline", "disabled")

DEFAULT_ENDPOINT = "http://localhost:4318"
DEFAULT_API_URL = "http://localhost:3000"
DEFAULT_DIR = ".mlrun-sdk"
DEFAULT_SPOOL_MAX_BYTES = 1 << 30


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        return default


def _env_int(name: str, default: int) -> int:
    return int(_env_float(name, float(default)))


@dataclass(frozen=True)
class Settings:
    """Everything the transport and the lifecycle need; one immutable object per run."""

    project: str
    mode: Mode
    endpoint: str
    api_url: str
    api_key: str | None
    dir: str
    spool_max_bytes: int
    queue_max_records: int
    batch_max_records: int
    batch_interval_s: float
    flush_timeout_s: float
    retry_max_s: float
    request_timeout_s: float
    heartbeat_s: float
    system_metrics_s: float
    capture_messages: bool = False


def env_flag(name: str) -> bool:
    return (os.environ.get(name) or "").strip().lower() in ("1", "true", "yes", "on")


def resolve(
    *,
    project: str | None,
    mode: str | None,
    endpoint: str | None,
    api_url: str | None,
    dir: str | None,
    system_metrics_s: float | None = None,
    capture_messages: bool | None = None,
) -> Settings:
    chosen_mode = (mode or os.environ.get("MLRUN_MODE") or "online").strip().lower()
    if chosen_mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {chosen_mode!r}")
    ep = endpoint or os.environ.get("MLRUN_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or DEFAULT_ENDPOINT
    return Settings(
        project=project or os.environ.get("MLRUN_PROJECT") or "default",
        mode=chosen_mode,  # checked against MODES above
        endpoint=ep.rstrip("/"),
        api_url=(api_url or os.environ.get("MLRUN_API_URL") or DEFAULT_API_URL).rstrip("/"),
        api_key=os.environ.get("MLRUN_API_KEY") or None,
        dir=os.path.abspath(dir or os.environ.get("MLRUN_DIR") or DEFAULT_DIR),
        spool_max_bytes=_env_int("MLRUN_SPOOL_MAX_BYTES", DEFAULT_SPOOL_MAX_BYTES),
        queue_max_records=_env_int("MLRUN_QUEUE_MAX_RECORDS", 100_000),
        batch_max_records=_env_int("MLRUN_BATCH_MAX_RECORDS", 1000),
        batch_interval_s=_env_float("MLRUN_BATCH_INTERVAL_S", 0.2),
        flush_timeout_s=_env_float("MLRUN_FLUSH_TIMEOUT_S", 10.0),
        retry_max_s=_env_float("MLRUN_RETRY_MAX_S", 10.0),
        request_timeout_s=_env_float("MLRUN_REQUEST_TIMEOUT_S", 5.0),
        heartbeat_s=_env_float("MLRUN_HEARTBEAT_S", 60.0),
        system_metrics_s=system_metrics_s if system_metrics_s is not None else _env_float("MLRUN_SYSTEM_METRICS_S", 15.0),
        capture_messages=env_flag("MLRUN_CAPTURE_MESSAGES") if capture_messages is None else capture_messages,
    )
