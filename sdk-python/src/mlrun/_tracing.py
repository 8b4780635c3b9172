"""Where an ended span goes: its run's transport, or the process's trace pipeline.

A span is routed when it starts:

- with an active run (`mlrun.init`), to that run: the span carries the run's resource (`mlrun.project`,
  `mlrun.run.id`, `mlrun.run.name`, `service.name=mlrun-python`) and goes through the run's transport (its
  batching, retries, spool, offline mode), to `/v1/traces`; a disabled run records nothing;
- without one, to the process's trace pipeline, created at the first such span from the environment
  (MLRUN_PROJECT or `default`, MLRUN_ENDPOINT, MLRUN_MODE, MLRUN_DIR, …): resource `mlrun.project` and
  `service.name` only — no run id, so the receiver keeps the spans as project-level telemetry. Its spool
  folder is `<MLRUN_DIR>/<project>/_traces`, which `mlrun sync` uploads like a run's.

A span that ends after its run finished (the run's sender has stopped) goes through the trace pipeline and
keeps its run's resource. The pipeline sends no heartbeat, flushes at exit (within MLRUN_FLUSH_TIMEOUT_S) and
is recreated in a forked child.
"""

from __future__ import annotations

import atexit
import os
import threading
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import _settings
from ._encode import Encoder
from ._spool import Spool, run_dir
from ._trace_encode import resource_field
from ._transport import Transport

if TYPE_CHECKING:
    from ._run import Run
    from ._span import Span

NO_RUN_DIR = "_traces"


@dataclass(frozen=True)
class Route:
    run: Run | None  # the run active when the span started
    resource: bytes  # ResourceSpans.resource, serialized
    capture_messages: bool
    enabled: bool


class Pipeline:
    """The transport of spans that belong to no run (settings read once, from the environment)."""

    def __init__(self) -> None:
        settings = _settings.resolve(project=None, mode=None, endpoint=None, api_url=None, dir=None)
        self.settings = settings
        resource = {"service.name": "mlrun-python", "mlrun.project": settings.project}
        enabled = settings.mode != "disabled"
        self.route = Route(None, resource_field(resource), settings.capture_messages, enabled)
        self.transport: Transport | None = None
        if enabled:
            token = uuid.uuid4().hex[:12]
            meta = {"project": settings.project, "run_id": "", "name": "", "endpoint": settings.endpoint, "api_url": settings.api_url}
            spool = Spool(run_dir(settings.dir, settings.project, NO_RUN_DIR), settings.spool_max_bytes, meta, token)
            self.transport = Transport(settings, Encoder(resource, token), spool, heartbeat=False)


_pipeline: Pipeline | None = None
_lock = threading.Lock()
_hooks = False


def pipeline() -> Pipeline:
    global _pipeline, _hooks
    current = _pipeline
    if current is not None:
        return current
    with _lock:
        if _pipeline is None:
            _pipeline = Pipeline()
            if not _hooks:
                _hooks = True
                atexit.register(shutdown)
                if hasattr(os, "register_at_fork"):
                    os.register_at_fork(after_in_child=_forget_in_child)
        return _pipeline


def _forget_in_child() -> None:
    # The parent's sender thread does not exist here; the child's spans start a pipeline of their own.
    global _pipeline, _lock
    _pipeline = None
    _lock = threading.Lock()


def route_of(run: Run) -> Route:
    """The route of a run's spans, built once per run."""
    route: Route | None = getattr(run, "_trace_route", None)
    if route is None:
        if run.settings.mode == "disabled":
            route = Route(run, b"", False, False)
        else:
            route = Route(run, resource_field(run.resource), run.settings.capture_messages, True)
        run._trace_route = route
    return route


def current_route() -> Route:
    from . import _state

    run = _state.active
    if run is not None and not run.finished:
        return route_of(run)
    return pipeline().route


def export(route: Route, span: Span) -> None:
    """Queue an ended span (the span's `on_end`)."""
    if not route.enabled:
        return
    item = (route.resource, span)
    run = route.run
    if run is not None and not run.finished and not run._transport.closed:
        run._transport.put_span(item)
        return
    transport = pipeline().transport
    if transport is not None:
        transport.put_span(item)


def flush(timeout_s: float | None = None) -> bool:
    """Wait until the trace pipeline's spans were sent or spooled (True when there is no pipeline)."""
    current = _pipeline
    if current is None or current.transport is None:
        return True
    return current.transport.flush(current.settings.flush_timeout_s if timeout_s is None else timeout_s)


def shutdown(timeout_s: float | None = None) -> None:
    """Flush and stop the trace pipeline; a later span without a run starts a new one (read from the
    environment again)."""
    global _pipeline
    with _lock:
        current, _pipeline = _pipeline, None
    if current is not None and current.transport is not None:
        current.transport.close(current.settings.flush_timeout_s if timeout_s is None else timeout_s)
