"""The Run: what `mlrun.init()` returns. Its `log()` is the hot path: it checks the values, stamps the time
and appends one tuple to the transport's deque — no I/O, no protobuf, no lock."""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._containers import Config, Summary, Tags, plain_tree
from ._encode import Encoder
from ._http import last_step
from ._settings import Settings
from ._spool import Spool, run_dir
from ._transport import Transport

if TYPE_CHECKING:
    from ._tracing import Route

log = logging.getLogger("mlrun")

STATUSES = ("finished", "failed", "killed")


class Run:
    """One tracked run. Create it with `mlrun.init()`; use it as a context manager or call `finish()`."""

    _trace_route: Route | None = None  # where this run's spans go (mlrun._tracing), built at its first span

    def __init__(
        self,
        settings: Settings,
        *,
        id: str | None,
        name: str | None,
        config: Any,
        tags: Iterable[str] | None,
        notes: str | None,
        group: str | None,
        system_metrics: bool,
        resume: bool = False,
    ) -> None:
        self.settings = settings
        self.project = settings.project
        self.id = id or uuid.uuid4().hex[:16]
        self.name = name or self.id
        self.group = group
        self.notes = notes
        self.finished = False
        # None: resumed, the next step is read from the server when a log() first omits it.
        self._next_step: int | None = None if resume else 0
        self._resume_lock = threading.Lock()
        self._warned_keys: set[str] = set()
        self._is_child = False
        self._system_metrics = system_metrics
        self._finish_lock = threading.Lock()
        self._start_transport()
        initial = plain_tree(config) if config is not None else {}
        if not isinstance(initial, Mapping):
            raise TypeError(f"config must be a mapping (dict, Namespace, dataclass, OmegaConf), not {type(config).__name__}")
        self.config = Config(self, initial)
        self.summary = Summary(self)
        self.tags = Tags(self, tags or [])
        from ._system import host_facts  # imported here: the OTLP metrics classes are not needed before a run

        start: dict[str, Any] = {"mlrun.run.name": self.name, "mlrun.run.tags": list(self.tags), "mlrun.run.host": host_facts()}
        if group is not None:
            start["mlrun.run.group"] = group
        if notes is not None:
            start["mlrun.run.notes"] = notes
        self._send_event("mlrun.run.start", start, self.config.as_dict())

    # -- transport wiring ------------------------------------------------------------------------------------

    def _start_transport(self) -> None:
        token = uuid.uuid4().hex[:12]
        resource = {"service.name": "mlrun-python", "mlrun.project": self.project, "mlrun.run.id": self.id, "mlrun.run.name": self.name}
        self.resource = resource  # log records, system metrics and spans all carry it
        meta = {"project": self.project, "run_id": self.id, "name": self.name, "endpoint": self.settings.endpoint, "api_url": self.settings.api_url}
        spool = Spool(run_dir(self.settings.dir, self.project, self.id), self.settings.spool_max_bytes, meta, token)
        sampler = None
        if self._system_metrics and not self._is_child:
            from ._system import Sampler

            sampler = Sampler()
        self._transport = Transport(self.settings, Encoder(resource, token), spool, sampler)
        # Bound once, read on every log() call.
        self._queue = self._transport.queue
        self._queue_max = self.settings.queue_max_records
        self._batch_max = self.settings.batch_max_records
        self._wake = self._transport.wake

    def _after_fork_in_child(self) -> None:
        """A forked child (a DataLoader worker) gets a fresh queue and thread: the parent's queued records stay
        the parent's. The child may log to the same run; it never ends the run."""
        self._is_child = True
        self._finish_lock = threading.Lock()
        if not self.finished:
            self._start_transport()

    @property
    def spool_dir(self) -> str:
        return str(self._transport.spool.directory)

    @property
    def dropped_records(self) -> int:
        return self._transport.dropped_records + self._transport.spool.dropped_records

    # -- logging ---------------------------------------------------------------------------------------------

    def log(self, data: Mapping[str, Any], step: int | None = None) -> None:
        """Queue one row of metrics. Never blocks on I/O, never raises for a bad value (it warns once per key)."""
        if self.finished:
            self._warn_key("<finished>", "mlrun: log() after finish() is ignored (run %s)", self.id)
            return
        values: dict[str, Any] = {}
        for key, value in data.items():
            kind = type(value)
            if kind is float or kind is int:
                values[key] = value
                continue
            number = self._number(value)
            if number is None:
                self._bad_value(key, value)
            else:
                values[key] = number
        if step is None:
            step = self._next_step
            if step is None:
                step = self._resumed_step()
        elif type(step) is not int:
            step = int(step)
        self._next_step = step + 1
        queue = self._queue
        if len(queue) < self._queue_max:
            queue.append((time.time_ns(), step, values))
            if len(queue) >= self._batch_max:
                self._wake.set()
        else:
            self._transport.drop_one()

    def _resumed_step(self) -> int:
        """The step after the resumed run's last one: max `lastStep` of its metrics in the query API, read once."""
        with self._resume_lock:
            if self._next_step is not None:  # another thread read it meanwhile
                return self._next_step
            self._next_step = _last_step(self.settings, self.project, self.id) + 1
            return self._next_step

    @staticmethod
    def _number(value: Any) -> int | float | None:
        """int/float/bool as they are; numpy and torch scalars through `.item()` (duck-typed: neither is imported)."""
        if isinstance(value, (int, float)):
            return value
        item = getattr(value, "item", None)
        if item is not None and callable(item):
            try:
                value = item()
            except Exception:  # a tensor with more than one element, a closed resource, ...
                return None
            return value if isinstance(value, (int, float)) else None
        if hasattr(value, "__float__") and not isinstance(value, (str, bytes)):
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
        return None

    def _bad_value(self, key: str, value: Any) -> None:
        self._warn_key(key, "mlrun: %r is a %s, not a number: it is not logged (warned once per key)", key, type(value).__name__)

    def _warn_key(self, key: str, message: str, *args: Any) -> None:
        if key not in self._warned_keys:
            self._warned_keys.add(key)
            log.warning(message, *args)

    def _send_event(self, event: str, attributes: dict[str, Any], body: Any = None) -> None:
        if self.finished:
            return
        self._transport.put((time.time_ns(), event, attributes, body))

    def _config_patch(self, patch: Mapping[str, Any]) -> None:
        self._send_event("mlrun.run.config", {}, dict(patch))

    # -- artifacts -------------------------------------------------------------------------------------------

    def log_artifact(self, path: str | os.PathLike[str], name: str | None = None, type: str | None = None) -> list[dict[str, Any]]:
        """Upload a file (or every file of a folder) to the run's artifacts, streamed, with its sha256.

        Waits for what was logged before to reach the server (the run must be registered). Offline, the
        file is remembered in the spool and uploaded by `mlrun-sync`. Failures are logged, never raised."""
        from ._artifacts import upload

        return upload(self, os.fspath(path), name, type)

    def flush(self, timeout_s: float | None = None) -> bool:
        """Wait until everything logged so far is sent (or spooled); True when it was within the time."""
        return self._transport.flush(self.settings.flush_timeout_s if timeout_s is None else timeout_s)

    # -- the end ---------------------------------------------------------------------------------------------

    def finish(self, exit_code: int = 0, status: str | None = None, *, timeout_s: float | None = None) -> None:
        """End the run (status `finished`, or `failed` for a non-zero exit code unless given) and flush within
        `timeout_s` (default MLRUN_FLUSH_TIMEOUT_S, 10 s); what is not sent by then stays in the spool."""
        with self._finish_lock:
            if self.finished:
                return
            chosen = status or ("finished" if exit_code == 0 else "failed")
            if chosen not in STATUSES:
                raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {chosen!r}")
            if not self._is_child:
                self._send_event("mlrun.run.end", {"mlrun.run.status": chosen, "mlrun.run.exit_code": int(exit_code)})
            self.finished = True
            self._transport.close(self.settings.flush_timeout_s if timeout_s is None else timeout_s)
        from . import _state

        _state.forget(self)

    def __enter__(self) -> Run:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.finish(0)
        elif issubclass(kind, KeyboardInterrupt):
            self.finish(130, "killed")
        elif issubclass(kind, SystemExit):
            code = value.code if isinstance(value, SystemExit) else 0
            self.finish(code if isinstance(code, int) else 1)
        else:
            self.finish(1, "failed")

    def __repr__(self) -> str:
        return f"<mlrun.Run {self.project}/{self.id} name={self.name!r}{' finished' if self.finished else ''}>"


class DisabledRun(Run):
    """mode="disabled": the same API, doing nothing — no thread, no file, no socket."""

    def __init__(self, settings: Settings, *, id: str | None, name: str | None, config: Any, tags: Iterable[str] | None, **_: Any) -> None:
        self.settings = settings
        self.project = settings.project
        self.id = id or "disabled"
        self.name = name or self.id
        self.finished = False
        self._is_child = False
        self._warned_keys = set()
        self.config = Config(self, plain_tree(config) if isinstance(config, Mapping) else {})
        self.summary = Summary(self)
        self.tags = Tags(self, tags or [])

    def log(self, data: Mapping[str, Any], step: int | None = None) -> None:
        return None

    def _send_event(self, event: str, attributes: dict[str, Any], body: Any = None) -> None:
        return None

    def _after_fork_in_child(self) -> None:
        return None

    @property
    def spool_dir(self) -> str:
        return ""

    @property
    def dropped_records(self) -> int:
        return 0

    def log_artifact(self, path: str | os.PathLike[str], name: str | None = None, type: str | None = None) -> list[dict[str, Any]]:
        return []

    def flush(self, timeout_s: float | None = None) -> bool:
        return True

    def finish(self, exit_code: int = 0, status: str | None = None, *, timeout_s: float | None = None) -> None:
        if not self.finished:
            self.finished = True
            from . import _state

            _state.forget(self)


def _last_step(settings: Settings, project: str, run_id: str) -> int:
    """-1 when the run has no stepped metric yet, or (with a warning) when the query API cannot tell."""
    if settings.mode == "offline":
        log.warning("mlrun: offline, the resumed run %s cannot read its last step: steps start at 0", run_id)
        return -1
    step = last_step(settings.api_url, settings.api_key, project, run_id, settings.request_timeout_s)
    if isinstance(step, str):
        log.warning("mlrun: cannot read the last step of resumed run %s from %s (%s): steps start at 0", run_id, settings.api_url, step)
        return -1
    return step
