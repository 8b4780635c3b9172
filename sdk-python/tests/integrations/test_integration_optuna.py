"""TrackOptunaCallback on a real Optuna study with a MedianPruner (enqueued params, so fully deterministic)."""
from __future__ import annotations

import math
from typing import Any

import pytest

optuna = pytest.importorskip("optuna")

from mlrun.integrations import TrackOptunaCallback  # noqa: E402

STEPS = 4


def objective(trial: Any) -> float:
    x = trial.suggest_float("x", -10.0, 10.0)
    layers = trial.suggest_int("layers", 1, 3)
    if x < 0:
        raise ValueError("negative x")
    for step in range(STEPS):
        trial.report((x - 1.0) ** 2 + (STEPS - step), step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return (x - 1.0) ** 2 + layers


def test_one_run_per_trial_grouped_under_the_study(tracked: Any) -> None:
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(study_name=f"study-{tracked.project}", direction="minimize", pruner=optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=0))
    for params in ({"x": 1.0, "layers": 1}, {"x": 2.0, "layers": 2}, {"x": 8.0, "layers": 1}, {"x": -3.0, "layers": 3}):
        study.enqueue_trial(params)
    study.optimize(objective, n_trials=4, callbacks=[TrackOptunaCallback(tags=["hpo"])], catch=(ValueError,))
    states = [t.state.name for t in study.trials]
    assert states == ["COMPLETE", "COMPLETE", "PRUNED", "FAIL"]

    runs = {r["name"]: r for r in tracked.wait_runs(4)}
    assert sorted(runs) == ["trial-0", "trial-1", "trial-2", "trial-3"]
    assert {r["group"] for r in runs.values()} == {study.study_name}
    assert {name: (r["status"], r["exitCode"], r["tags"]) for name, r in runs.items()} == {
        "trial-0": ("finished", 0, ["optuna", "hpo"]),
        "trial-1": ("finished", 0, ["optuna", "hpo"]),
        "trial-2": ("finished", 0, ["optuna", "hpo", "pruned"]),
        "trial-3": ("failed", 1, ["optuna", "hpo"]),
    }
    for trial in study.trials:
        run = runs[f"trial-{trial.number}"]
        assert {k: run["config"][k] for k in ("x", "layers")} == trial.params
        assert run["config"]["optuna"]["trial"] == trial.number
        assert run["config"]["optuna"]["state"] == trial.state.name
        assert run["config"]["optuna"]["directions"] == ["minimize"]

    def summary_of(name: str) -> dict[str, Any]:
        return tracked.run(runs[name]["id"])["summary"]

    assert tracked.wait(lambda: summary_of("trial-0").get("value"), "value of trial-0")["last"] == 1.0
    assert tracked.wait(lambda: summary_of("trial-1").get("value"), "value of trial-1")["last"] == 3.0
    # pruned and failed trials have no objective value
    # Optuna stores a pruned trial's last intermediate value as its value; a failed trial has none
    assert tracked.wait(lambda: summary_of("trial-2").get("value"), "value of trial-2")["last"] == 49.0 + STEPS
    assert "value" not in summary_of("trial-3")

    def points(name: str, count: int) -> list[tuple[int, float]]:
        return tracked.wait(lambda: (p := tracked.points(runs[name]["id"], "intermediate_value")) and len(p) == count and p, name)

    assert points("trial-0", STEPS) == [(s, float(STEPS - s)) for s in range(STEPS)]
    assert points("trial-1", STEPS) == [(s, 1.0 + STEPS - s) for s in range(STEPS)]
    assert points("trial-2", 1) == [(0, 49.0 + STEPS)]  # pruned at its first report: worse than the median
    assert tracked.points(runs["trial-3"]["id"], "intermediate_value") == []


def test_multi_objective_values_and_custom_names(tracked: Any) -> None:
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(study_name=f"multi-{tracked.project}", directions=["minimize", "maximize"])
    study.enqueue_trial({"a": 0.5})

    def two(trial: Any) -> tuple[float, float]:
        a = trial.suggest_float("a", 0.0, 1.0)
        return a * 2, math.nan if a > 2 else a + 1

    study.optimize(two, n_trials=1, callbacks=[TrackOptunaCallback(metric_name=["loss", "acc"])])
    (run,) = tracked.wait_runs(1)
    summary = tracked.wait(lambda: (s := tracked.run(run["id"])["summary"]) and "acc" in s and s, "summary")
    assert (summary["loss"]["last"], summary["acc"]["last"]) == (1.0, 1.5)
    assert run["config"]["optuna"]["directions"] == ["minimize", "maximize"]
