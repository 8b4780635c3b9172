"""HuggingFace Transformers: ``Trainer(..., callbacks=[TrackCallback(project="nlp")])``.

- ``on_train_begin``: creates the run (name = ``args.run_name``) with the Trainer's ``args.to_dict()`` as
  config and the model's config under ``config["model"]`` (plus ``model.num_parameters``). During
  ``trainer.hyperparameter_search`` every trial is a run of its own, named ``hp_name(trial)`` when given,
  else ``<run_name>-trial-<k>``, grouped under ``args.run_name`` (else ``output_dir``), with the trial's
  parameters in ``config["trial_params"]``;
- ``on_log``: HF's log dicts as metrics at ``state.global_step``, keys rewritten like W&B's callback:
  ``eval_x`` → ``eval/x``, ``test_x`` → ``test/x``, anything else → ``train/x``; the end-of-training
  totals (``train_runtime``, ``train_loss``, ``total_flos``, …) go to the summary under their own names;
- ``on_evaluate``: eval metrics that ``on_log`` did not already record at this step (custom loops);
- ``on_train_end``: finishes the run, unless the caller passed in a run of their own. Anything logged
  after that (``trainer.evaluate()`` after ``trainer.train()``) reopens the same run (``resume=True``),
  which then ends at exit or with ``callback.run.finish()``.
Only the main process (``state.is_world_process_zero``) logs.
"""
from __future__ import annotations

import numbers
from typing import Any

from transformers import TrainerCallback

import mlrun

from .hydra import to_plain_config

__all__ = ["TrackCallback"]

# Whole-training totals HF logs once at the end: summary values, not curves (as WandbCallback does).
SUMMARY_KEYS = frozenset({"train_runtime", "train_samples_per_second", "train_steps_per_second", "train_loss", "total_flos"})


def rewrite_key(key: str) -> str:
    """HF's flat log keys → MLRun's ``train/`` and ``eval/`` namespaces (W&B's ``rewrite_logs``)."""
    for prefix in ("eval", "test"):
        if key.startswith(prefix + "_"):
            return f"{prefix}/{key[len(prefix) + 1:]}"
    return "train/" + key


def _number(value: Any) -> float | int | None:
    """A loggable number, or None for values that are not metrics (strings, lists, multi-element tensors)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real):
        return value  # type: ignore[return-value]
    item = getattr(value, "item", None)  # one-element tensors, numpy scalars
    if callable(item):
        try:
            value = item()
        except (TypeError, ValueError, RuntimeError):
            return None
        return value if isinstance(value, numbers.Real) else None
    return None


def _trainer_config(args: Any, model: Any) -> dict[str, Any]:
    config: dict[str, Any] = to_plain_config(args.to_dict())
    model_config = getattr(model, "config", None)
    if model_config is not None:
        model_part = to_plain_config(model_config if isinstance(model_config, dict) else model_config.to_dict())
        if hasattr(model, "num_parameters"):
            model_part["num_parameters"] = int(model.num_parameters())
        config["model"] = model_part
    return config


class TrackCallback(TrainerCallback):  # type: ignore[misc]
    """A ``TrainerCallback`` that records a HuggingFace ``Trainer`` into an MLRun run.

    Args:
        project, name, group, tags, notes: for :func:`mlrun.init` (``name`` defaults to ``args.run_name``).
        run: an existing run to log into; the caller owns it (``on_train_end`` leaves it open).
        init_kwargs: any other :func:`mlrun.init` keyword.
    """

    def __init__(
        self,
        project: str | None = None,
        name: str | None = None,
        *,
        group: str | None = None,
        tags: list[str] | None = None,
        notes: str | None = None,
        run: Any = None,
        **init_kwargs: Any,
    ) -> None:
        self._init_kwargs: dict[str, Any] = {
            key: value for key, value in {"project": project, "group": group, "tags": tags, "notes": notes}.items() if value is not None
        }
        self._init_kwargs.update(init_kwargs)
        self._name = name
        self._run: Any = run
        self._owns_run = run is None
        self._finished = False
        self._trials = 0
        self._logged: tuple[int, frozenset[str]] = (-1, frozenset())  # (step, keys logged at that step)

    @property
    def run(self) -> Any:
        """The run being written to (None before training starts)."""
        return self._run

    def _start(self, args: Any, state: Any, model: Any) -> None:
        config = _trainer_config(args, model)
        if not self._owns_run:
            self._run.config.update(config)
            return
        kwargs = {**self._init_kwargs, "config": config}
        if state.is_hyper_param_search:
            # one run per trial, grouped under the search; hp_name= names trials, else they are numbered
            self._trials += 1
            search = args.run_name or args.output_dir
            kwargs["name"] = state.trial_name or f"{self._name or search}-trial-{self._trials - 1}"
            kwargs.setdefault("group", search)
            if state.trial_params:
                config["trial_params"] = to_plain_config(state.trial_params)
        elif self._name or args.run_name:
            kwargs["name"] = self._name or args.run_name
        self._run = mlrun.init(**kwargs)
        self._finished = False

    def _ensure_run(self, args: Any, state: Any, model: Any) -> Any:
        if self._run is None:
            self._start(args, state, model)
        elif self._finished:
            # logging after on_train_end (trainer.evaluate() after trainer.train()): reopen the same run
            kwargs = {**self._init_kwargs, "id": self._run.id, "project": self._run.project, "resume": True}
            self._run = mlrun.init(**kwargs)
            self._finished = False
        return self._run

    def on_train_begin(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        # A run of our own per train() call (so one per hyperparameter-search trial); a caller's run
        # just gets the config.
        if self._owns_run and self._run is not None and not self._finished:
            # the previous train() raised before on_train_end (and the script caught it)
            self._run.finish(exit_code=1, status="failed")
            self._finished = True
        if not self._owns_run or self._run is None or self._finished:
            self._start(args, state, model)

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, model: Any = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not logs:
            return
        run = self._ensure_run(args, state, model)
        metrics: dict[str, Any] = {}
        for key, value in logs.items():
            number = _number(value)
            if number is None:
                continue
            if key in SUMMARY_KEYS:
                run.summary[key] = number
            else:
                metrics[rewrite_key(key)] = number
        if metrics:
            run.log(metrics, step=state.global_step)
        step, logged = self._logged
        self._logged = (state.global_step, frozenset(metrics) | (logged if step == state.global_step else frozenset()))

    def on_evaluate(self, args: Any, state: Any, control: Any, metrics: dict[str, Any] | None = None, model: Any = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not metrics:
            return
        # Trainer.evaluate() already passed these (plus "epoch") through on_log; record only what a custom
        # evaluation loop did not.
        step, logged = self._logged
        already = logged if step == state.global_step else frozenset()
        missing: dict[str, Any] = {}
        for key, value in metrics.items():
            number = _number(value)
            if number is not None and rewrite_key(key) not in already:
                missing[rewrite_key(key)] = number
        if missing:
            self._ensure_run(args, state, model).log(missing, step=state.global_step)
            self._logged = (state.global_step, already | frozenset(missing))

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not self._owns_run or self._run is None or self._finished:
            return
        self._run.finish(exit_code=0, status="finished")
        self._finished = True
