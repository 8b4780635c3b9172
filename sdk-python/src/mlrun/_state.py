"""The active run and the process hooks that end it: atexit, sys.excepthook, SIGTERM/SIGINT, fork.

Nothing here runs at import: the hooks are installed by the first `mlrun.init()` (signal handlers only when
that call is made from the main thread) and each one chains to whatever was installed before it.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import sys
import threading
from types import FrameType, TracebackType
from typing import Any, Callable, Optional, Union

from ._run import Run

log = logging.getLogger("mlrun")

active: Run | None = None
_installed = False
_previous_excepthook: Callable[[type[BaseException], BaseException, Optional[TracebackType]], Any] | None = None
_previous_handlers: dict[int, Union[Callable[[int, Optional[FrameType]], Any], int, signal.Handlers, None]] = {}


def activate(run: Run) -> None:
    global active
    active = run
    _install_hooks()


def forget(run: Run) -> None:
    global active
    if active is run:
        active = None


def _install_hooks() -> None:
    global _installed, _previous_excepthook
    if _installed:
        return
    _installed = True
    atexit.register(_at_exit)
    _previous_excepthook = sys.excepthook
    sys.excepthook = _excepthook
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                previous = signal.getsignal(sig)
                if previous is signal.SIG_IGN:
                    continue  # the process chose to ignore it: so do we
                _previous_handlers[sig] = previous
                signal.signal(sig, _on_signal)
            except (ValueError, OSError):  # not the main interpreter, or an embedded one
                continue
    else:
        log.debug("mlrun: init() outside the main thread: SIGTERM/SIGINT handlers are not installed")


def _at_exit() -> None:
    run = active
    if run is not None and not run.finished:
        run.finish(0)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    run = active
    if run is not None and not run.finished:
        try:
            if issubclass(kind, KeyboardInterrupt):
                run.finish(130, "killed")
            else:
                run.finish(1, "failed")
        except Exception:
            log.exception("mlrun: could not finish the run after an uncaught exception")
    hook = _previous_excepthook or sys.__excepthook__
    hook(kind, value, tb)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    previous = _previous_handlers.get(signum)
    if signum == signal.SIGINT and previous is signal.default_int_handler:
        # Python's own Ctrl+C: a KeyboardInterrupt the script may catch (to save a checkpoint, say); if it
        # is not caught, the excepthook ends the run as killed.
        previous(signum, frame)
        return
    run = active
    if run is not None and not run.finished:
        try:
            run.finish(128 + signum, "killed")
        except Exception:
            log.exception("mlrun: could not finish the run on signal %d", signum)
    if callable(previous):
        previous(signum, frame)
    elif previous in (signal.SIG_DFL, None):
        # Die of the signal as the process would have without us (exit status 128 + signum).
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _after_fork_in_child() -> None:
    run = active
    if run is not None:
        run._after_fork_in_child()
