"""PyTorch Lightning: ``Trainer(logger=TrackLogger(project="vision"))``.

The run is created lazily, on rank 0 only, when Lightning first touches ``logger.experiment`` (its setup
hook does); other ranks get Lightning's dummy experiment and log nothing. Metrics go out at the step
Lightning passes (so ``Trainer(log_every_n_steps=...)`` decides the cadence), hyperparameters become the
run config, and ``finalize`` ends the run: Lightning's ``"success"`` → ``finished``, ``"failed"`` →
``failed`` (``killed`` when the failure is a KeyboardInterrupt).
"""
from __future__ import annotations

import sys
from argparse import Namespace
from collections.abc import Mapping
from typing import Any

try:  # the unified `lightning` package first; the standalone `pytorch_lightning` as a fallback
    from lightning.fabric.utilities.logger import _add_prefix, _convert_params, _sanitize_callable_params
    from lightning.pytorch.loggers.logger import Logger, rank_zero_experiment
    from lightning.pytorch.utilities.rank_zero import rank_zero_only
except ImportError:  # pragma: no cover - depends on what is installed
    from lightning_fabric.utilities.logger import _add_prefix, _convert_params, _sanitize_callable_params
    from pytorch_lightning.loggers.logger import Logger, rank_zero_experiment
    from pytorch_lightning.utilities.rank_zero import rank_zero_only

import mlrun

from .hydra import to_plain_config

__all__ = ["TrackLogger"]

# Lightning's finalize statuses → MLRun run statuses and exit codes.
_STATUS = {"success": ("finished", 0), "finished": ("finished", 0), "failed": ("failed", 1)}
_KILLED = ("killed", 130)  # 128 + SIGINT, as a shell reports a Ctrl-C


def _finalize_status(status: str) -> tuple[str, int]:
    if status == "failed" and isinstance(sys.exc_info()[1], KeyboardInterrupt):
        # Lightning calls finalize("failed") from inside its `except KeyboardInterrupt` block.
        return _KILLED
    return _STATUS.get(status, ("failed", 1))


class TrackLogger(Logger):
    """A Lightning ``Logger`` that records into an MLRun run.

    Args:
        project, name, group, tags, notes, id, config: passed to :func:`mlrun.init` when the run is created.
        run: an existing run to log into instead; the caller owns it, so ``finalize`` leaves it open.
        prefix: prepended to every metric key (joined with ``-`` like Lightning's own loggers).
        init_kwargs: any other :func:`mlrun.init` keyword (``mode``, ``dir``, ``endpoint``…).
    """

    LOGGER_JOIN_CHAR = "-"

    def __init__(
        self,
        project: str | None = None,
        name: str | None = None,
        *,
        group: str | None = None,
        tags: list[str] | None = None,
        notes: str | None = None,
        id: str | None = None,  # noqa: A002 - the keyword mlrun.init uses
        config: Any = None,
        run: Any = None,
        prefix: str = "",
        **init_kwargs: Any,
    ) -> None:
        super().__init__()
        self._init_kwargs: dict[str, Any] = {
            key: value
            for key, value in {"project": project, "name": name, "group": group, "tags": tags, "notes": notes, "id": id}.items()
            if value is not None
        }
        if config is not None:
            self._init_kwargs["config"] = to_plain_config(config)
        self._init_kwargs.update(init_kwargs)
        self._run: Any = run
        self._owns_run = run is None
        self._finished = False
        self._prefix = prefix

    def __getstate__(self) -> dict[str, Any]:
        # Spawned DDP workers get a copy without the live run (its threads and sockets don't pickle);
        # they are not rank 0 and never create one.
        state = self.__dict__.copy()
        if self._owns_run:
            state["_run"] = None
            if self._run is not None:
                state["_init_kwargs"] = {**self._init_kwargs, "id": self._run.id}
        return state

    @property
    @rank_zero_experiment
    def experiment(self) -> Any:
        """The MLRun run (created on first access; resumed if touched again after ``finalize``)."""
        if self._run is None:
            self._run = mlrun.init(**self._init_kwargs)
        elif self._finished:
            # e.g. trainer.test() after trainer.fit(): finalize ended the run, keep writing to the same one
            kwargs = {**self._init_kwargs, "id": self._run.id, "project": self._run.project, "resume": True}
            self._run = mlrun.init(**kwargs)
            self._finished = False
        return self._run

    @property
    def name(self) -> str | None:
        """The project (Lightning puts checkpoints under ``<root>/<name>/<version>``)."""
        if self._run is not None:
            return str(self._run.project)
        return self._init_kwargs.get("project")

    @property
    def version(self) -> str | None:
        """The run id."""
        if self._run is not None:
            return str(self._run.id)
        return self._init_kwargs.get("id")

    @rank_zero_only
    def log_hyperparams(self, params: dict[str, Any] | Namespace, *args: Any, **kwargs: Any) -> None:
        if not isinstance(params, (Mapping, Namespace)):
            params = to_plain_config(params)  # e.g. an OmegaConf DictConfig from LightningCLI / Hydra
        plain = to_plain_config(_sanitize_callable_params(_convert_params(params)))
        if plain:
            self.experiment.config.update(plain)

    @rank_zero_only
    def log_metrics(self, metrics: Mapping[str, float], step: int | None = None) -> None:
        metrics = _add_prefix(dict(metrics), self._prefix, self.LOGGER_JOIN_CHAR)
        self.experiment.log(dict(metrics), step=step)

    @rank_zero_only
    def save(self) -> None:
        """Nothing to do: records stream to the server as they are logged."""

    @rank_zero_only
    def finalize(self, status: str) -> None:
        if not self._owns_run or self._run is None or self._finished:
            return
        run_status, exit_code = _finalize_status(status)
        self._run.finish(exit_code=exit_code, status=run_status)
        self._finished = True
