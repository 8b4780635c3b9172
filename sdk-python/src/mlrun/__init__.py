"""MLRun's Python SDK: `run = mlrun.init(project=...)`, `run.log({...})`, `run.finish()`; tracing with
`@mlrun.trace` and `mlrun.trace_llm` / `trace_tool` / `trace_agent`.

Importing this package has no side effects: no thread, no file, no hook until `init()` or a first span. The
tracing names load on first access (they import opentelemetry-api).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from ._run import Run
    from ._span import Span
    from ._trace import Trace, current_span, trace, trace_agent, trace_llm, trace_tool

__all__ = [
    "Run",
    "Span",
    "Trace",
    "__version__",
    "current_span",
    "finish",
    "flush",
    "init",
    "log",
    "trace",
    "trace_agent",
    "trace_llm",
    "trace_tool",
]

_TRACING = ("trace", "trace_llm", "trace_tool", "trace_agent", "current_span", "Trace")


def init(
    project: str | None = None,
    name: str | None = None,
    config: Any = None,
    tags: Iterable[str] | None = None,
    notes: str | None = None,
    group: str | None = None,
    id: str | None = None,
    resume: bool = False,
    mode: str | None = None,
    dir: str | None = None,
    endpoint: str | None = None,
    api_url: str | None = None,
    system_metrics: bool = False,
    system_metrics_interval: float | None = None,
    capture_messages: bool | None = None,
) -> Run:
    """Start a run (and end the active one, if any). See README.md for the environment variables.

    `resume=True` continues the run `id` (a start after an end resumes it on the server); a `log()` without a
    step then continues after the run's last step, read once from the query API (0, with a warning, when
    the API cannot be reached). `system_metrics_interval` (seconds, default MLRUN_SYSTEM_METRICS_S or 15)
    is how often `system_metrics=True` samples. `capture_messages=True` records LLM message content on the
    run's spans (`gen_ai.input.messages` / `gen_ai.output.messages`); default: off, unless the environment
    sets MLRUN_CAPTURE_MESSAGES=1."""
    from . import _settings, _state
    from ._run import DisabledRun, Run

    if resume and not id:
        raise ValueError("resume=True needs the id of the run to resume")
    settings = _settings.resolve(project=project, mode=mode, endpoint=endpoint, api_url=api_url, dir=dir, system_metrics_s=system_metrics_interval, capture_messages=capture_messages)
    if _state.active is not None:
        _state.active.finish()
    cls = DisabledRun if settings.mode == "disabled" else Run
    run = cls(settings, id=id, name=name, config=config, tags=tags, notes=notes, group=group, system_metrics=system_metrics, resume=resume)
    if settings.mode == "disabled":
        _state.active = run  # no hooks, no thread: nothing to clean up
    else:
        _state.activate(run)
    return run


def log(data: Mapping[str, Any], step: int | None = None) -> None:
    """`run.log` of the active run; a warning (once) and nothing else when there is none."""
    from . import _state

    run = _state.active
    if run is None:
        import logging

        logging.getLogger("mlrun").warning("mlrun.log() without an active run: call mlrun.init() first")
        return
    run.log(data, step)


def finish(exit_code: int = 0, status: str | None = None) -> None:
    """Finish the active run, if any."""
    from . import _state

    if _state.active is not None:
        _state.active.finish(exit_code, status)


def flush(timeout_s: float | None = None) -> bool:
    """Wait until what was logged and traced so far was sent or spooled: the active run's records and spans,
    and the spans of the process's trace pipeline (spans outside a run). True when all of it was, in time."""
    from . import _state, _tracing

    run = _state.active
    ok = run.flush(timeout_s) if run is not None and not run.finished else True
    return _tracing.flush(timeout_s) and ok


def __getattr__(name: str) -> Any:
    # `mlrun.run` is the active run (or None), read at access time.
    if name == "run":
        from . import _state

        return _state.active
    if name == "Run":
        from ._run import Run

        return Run
    if name in _TRACING:
        from . import _trace

        value = getattr(_trace, name)
        globals()[name] = value  # resolved once: later lookups skip __getattr__
        return value
    if name == "Span":
        from ._span import Span

        return Span
    raise AttributeError(f"module 'mlrun' has no attribute {name!r}")
