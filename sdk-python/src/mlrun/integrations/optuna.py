"""Optuna: ``study.optimize(objective, callbacks=[TrackOptunaCallback(project="hpo")])``.

Optuna calls the callback after each trial with the finished ``FrozenTrial``; the callback then records
that trial as one MLRun run:

- name ``trial-<number>``, group = the study name, tags = ``optuna`` (+ ``pruned`` for pruned trials);
- config = the trial's params, plus ``optuna`` = {study, trial, state, directions, datetime_start,
  datetime_complete, duration_s};
- metrics = the trial's intermediate values (``trial.report(value, step)``) under ``intermediate_value``
  at their steps;
- summary = the objective value as ``value`` (``value_0``, ``value_1``… for several objectives; rename
  with ``metric_name``), when the trial has one: Optuna stores a pruned trial's last intermediate value
  as its value, a failed trial has none;
- status: COMPLETE → ``finished``; PRUNED → ``finished`` with the tag ``pruned`` (pruning is the
  optimiser's normal decision, not an interruption: ``killed`` stays reserved for runs stopped by a
  signal); FAIL → ``failed`` (exit code 1).

The records go out when the trial ends, so the run's start and end times are the callback's; the trial's
own times are in ``config.optuna``. A trial whose exception Optuna re-raises (not in ``catch=``) never
reaches callbacks and so has no run.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import optuna
from optuna.trial import FrozenTrial, TrialState

import mlrun

__all__ = ["TrackOptunaCallback"]

PRUNED_TAG = "pruned"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _trial_config(study: optuna.Study, trial: FrozenTrial) -> dict[str, Any]:
    duration = trial.duration
    meta = {
        "study": study.study_name,
        "trial": trial.number,
        "state": trial.state.name,
        "directions": [direction.name.lower() for direction in study.directions],
        "datetime_start": _iso(trial.datetime_start),
        "datetime_complete": _iso(trial.datetime_complete),
        "duration_s": duration.total_seconds() if duration is not None else None,
    }
    return {**trial.params, "optuna": meta}


class TrackOptunaCallback:
    """One MLRun run per Optuna trial, grouped under the study name.

    Args:
        project: the MLRun project (default: ``MLRUN_PROJECT``, as for :func:`mlrun.init`).
        metric_name: summary key(s) of the objective value(s): a string (``value_<i>`` for several
            objectives) or one name per objective.
        intermediate_name: metric key of the intermediate values.
        tags: extra tags for every run.
        init_kwargs: any other :func:`mlrun.init` keyword (``mode``, ``dir``, ``endpoint``…).
    """

    def __init__(
        self,
        project: str | None = None,
        *,
        metric_name: str | Sequence[str] = "value",
        intermediate_name: str = "intermediate_value",
        tags: Sequence[str] = (),
        **init_kwargs: Any,
    ) -> None:
        self._project = project
        self._metric_name = metric_name
        self._intermediate_name = intermediate_name
        self._tags = list(tags)
        self._init_kwargs = init_kwargs

    def _value_names(self, count: int) -> list[str]:
        if isinstance(self._metric_name, str):
            return [self._metric_name] if count == 1 else [f"{self._metric_name}_{i}" for i in range(count)]
        names = list(self._metric_name)
        if len(names) != count:
            raise ValueError(f"metric_name has {len(names)} names for {count} objective values")
        return names

    def __call__(self, study: optuna.Study, trial: FrozenTrial) -> None:
        pruned = trial.state == TrialState.PRUNED
        tags = ["optuna", *self._tags, *([PRUNED_TAG] if pruned else [])]
        kwargs: dict[str, Any] = {
            "name": f"trial-{trial.number}",
            "group": study.study_name,
            "tags": tags,
            "config": _trial_config(study, trial),
            **self._init_kwargs,
        }
        if self._project is not None:
            kwargs["project"] = self._project
        run = mlrun.init(**kwargs)
        try:
            for step, value in sorted(trial.intermediate_values.items()):
                run.log({self._intermediate_name: value}, step=step)
            if trial.values is not None:
                for name, value in zip(self._value_names(len(trial.values)), trial.values):
                    if math.isfinite(value):
                        run.summary[name] = value
        finally:
            failed = trial.state == TrialState.FAIL
            run.finish(exit_code=1 if failed else 0, status="failed" if failed else "finished")
