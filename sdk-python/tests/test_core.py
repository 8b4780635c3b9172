"""Everything logged in-process arrives through the query API with exact values, steps, config, tags,
summary and status."""

from __future__ import annotations

import logging
import math
import subprocess
import sys
import threading

import pytest
import torch

import mlrun
from sdk_support import Api, free_port, wait_for


def finished(api: Api, project: str, run_id: str) -> dict:
    return wait_for(lambda: (r := api.run(project, run_id)) and r["status"] != "running" and r, what=f"run {run_id} to end")


def test_exact_values_steps_config_tags_summary(api: Api, sdk_env: dict, project: str) -> None:
    config = {"lr": 0.001, "epochs": 3, "model": {"layers": [64, 32], "act": "relu", "dropout": 0.5, "bn": True}, "name": "mlp"}
    run = mlrun.init(name="exact", config=config, tags=["baseline", "cpu"], notes="first try", group="sweep-1")
    assert mlrun.run is run
    losses = [1.0, 0.5, 0.25, 0.125, 1e-300]
    for loss in losses:
        run.log({"loss": loss, "acc": 1 - loss})  # steps 0..4
    run.log({"val/loss": 0.3, "big": 2**40, "flag": True}, step=10)
    run.log({"val/loss": 0.2})  # auto-increments from the explicit step: 11
    run.config["batch_size"] = 128
    run.config.update({"model": {"dropout": 0.1}})
    run.tags.append("final")
    run.summary["best_acc"] = 0.875
    run.finish()

    r = finished(api, project, run.id)
    assert r["status"] == "finished" and r["exitCode"] == 0
    assert r["name"] == "exact" and r["group"] == "sweep-1" and r["notes"] == "first try"
    assert r["tags"] == ["baseline", "cpu", "final"]
    assert r["config"] == {"lr": 0.001, "epochs": 3, "name": "mlp", "batch_size": 128, "model": {"layers": [64, 32], "act": "relu", "dropout": 0.1, "bn": True}}
    assert r["summary"]["best_acc"]["last"] == 0.875
    assert api.series(project, run.id, "loss") == list(enumerate(losses))
    assert api.series(project, run.id, "acc") == [(i, 1 - v) for i, v in enumerate(losses)]
    assert api.series(project, run.id, "val/loss") == [(10, 0.3), (11, 0.2)]
    assert api.series(project, run.id, "big") == [(10, 2**40)]
    assert api.series(project, run.id, "flag") == [(10, 1)]
    assert mlrun.run is None


def test_numpy_and_torch_scalars_and_bad_values(api: Api, sdk_env: dict, project: str, caplog: pytest.LogCaptureFixture) -> None:
    import numpy as np

    run = mlrun.init(name="scalars")
    with caplog.at_level(logging.WARNING, logger="mlrun"):
        for _ in range(3):
            run.log({"np32": np.float32(0.5), "np_int": np.int64(7), "torch": torch.tensor(0.25), "text": "nope", "vec": torch.ones(3), "nan": math.nan})
    run.finish()
    finished(api, project, run.id)
    assert api.series(project, run.id, "np32") == [(0, 0.5), (1, 0.5), (2, 0.5)]
    assert api.series(project, run.id, "np_int") == [(0, 7), (1, 7), (2, 7)]
    assert api.series(project, run.id, "torch") == [(0, 0.25), (1, 0.25), (2, 0.25)]
    nan = api.series(project, run.id, "nan")
    assert [s for s, _ in nan] == [0, 1, 2]
    assert api.series(project, run.id, "text") == [] and api.series(project, run.id, "vec") == []
    warnings = [r.getMessage() for r in caplog.records if "not a number" in r.getMessage()]
    assert len(warnings) == 2, warnings  # once per bad key, not once per call


def test_context_manager_failed_and_threads(api: Api, sdk_env: dict, project: str) -> None:
    with pytest.raises(RuntimeError):
        with mlrun.init(name="ctx") as run:
            def worker(k: int) -> None:
                for i in range(200):
                    run.log({f"w{k}": i}, step=i)
            threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            raise RuntimeError("boom")
    r = finished(api, project, run.id)
    assert r["status"] == "failed" and r["exitCode"] == 1
    for k in range(4):
        assert api.series(project, run.id, f"w{k}") == [(i, i) for i in range(200)]


def test_many_records_batched(api: Api, sdk_env: dict, project: str) -> None:
    run = mlrun.init(name="many")
    for i in range(5000):
        run.log({"a": i, "b": i * 0.5})
    run.finish()
    finished(api, project, run.id)
    assert api.metrics(project, run.id)["a"]["count"] == 5000
    assert api.series(project, run.id, "b") == [(i, i * 0.5) for i in range(5000)]


def test_disabled_mode_does_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MLRUN_ENDPOINT", "http://127.0.0.1:9")  # nothing listens: any send would show up as a warning
    monkeypatch.setenv("MLRUN_DIR", str(tmp_path / "spool"))
    before = threading.active_count()
    run = mlrun.init(project="x", mode="disabled", config={"a": 1})
    assert threading.active_count() == before
    run.log({"loss": 1.0})
    run.config["b"] = 2
    run.summary["s"] = 1.0
    assert run.log_artifact(__file__) == []
    run.finish()
    assert not (tmp_path / "spool").exists()
    assert run.config["b"] == 2


def test_import_has_no_side_effects(tmp_path) -> None:
    code = "import threading, sys, signal, atexit; before = threading.active_count(); hook = sys.excepthook; term = signal.getsignal(signal.SIGTERM); import mlrun; assert threading.active_count() == before; assert sys.excepthook is hook; assert signal.getsignal(signal.SIGTERM) is term; assert mlrun.run is None; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert out.stdout.strip() == "ok"
    assert list(tmp_path.iterdir()) == []


def test_system_metrics_are_otlp_gauges(api: Api, sdk_env: dict, project: str) -> None:
    import time

    run = mlrun.init(name="sys", system_metrics=True, system_metrics_interval=0.2)
    run.log({"loss": 1.0})
    time.sleep(1.0)
    run.finish()
    finished(api, project, run.id)
    metrics = wait_for(lambda: (m := api.metrics(project, run.id)) and "system.cpu.utilization" in m and m, what="system metrics")
    assert not [k for k in metrics if k.startswith("system/")]  # no longer mlrun.metrics records
    cpu = metrics["system.cpu.utilization"]
    assert cpu["labels"] == "" and cpu["lastStep"] == -1 and cpu["count"] >= 2  # gauges: charted against time
    assert 0 <= cpu["last"] <= 1
    assert metrics["system.memory.usage"]["count"] >= 2 and 0 < metrics["system.memory.utilization"]["last"] < 1
    assert 0 < metrics["process.memory.usage"]["last"] and "process.cpu.utilization" in metrics
    assert metrics["loss"]["count"] == 1 and metrics["loss"]["lastStep"] == 0


def test_resume_continues_steps(api: Api, sdk_env: dict, project: str) -> None:
    run = mlrun.init(name="resumable")
    for i in range(5):
        run.log({"loss": i})  # steps 0..4
    run.log({"acc": 1.0}, step=7)  # the run's last step is the max over its metrics
    run.finish()
    finished(api, project, run.id)
    wait_for(lambda: api.metrics(project, run.id).get("acc"), what="the first session's metrics")

    again = mlrun.init(id=run.id, resume=True)
    again.log({"loss": 10})
    again.log({"loss": 11})
    again.log({"loss": 20}, step=20)  # an explicit step still wins
    again.log({"loss": 21})
    again.finish()
    # The run read as finished already before the resume: wait for the second session's points instead.
    points = wait_for(lambda: (p := api.series(project, run.id, "loss")) and len(p) >= 9 and p, what="the resumed points")
    assert points == [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (8, 10), (9, 11), (20, 20), (21, 21)]


def test_resume_without_the_api_starts_at_zero_and_warns_once(api: Api, sdk_env: dict, project: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    first = mlrun.init(name="resumable")
    for i in range(5):
        first.log({"loss": i})
    first.finish()
    finished(api, project, first.id)
    monkeypatch.setenv("MLRUN_API_URL", f"http://127.0.0.1:{free_port()}")  # the query API is away; OTLP is not
    with caplog.at_level(logging.WARNING, logger="mlrun"):
        run = mlrun.init(id=first.id, resume=True)
        run.log({"loss2": 1.0})
        run.log({"loss2": 2.0})
        run.finish()
    points = wait_for(lambda: (p := api.series(project, run.id, "loss2")) and len(p) >= 2 and p, what="the resumed points")
    assert points == [(0, 1.0), (1, 2.0)]
    warnings = [r.getMessage() for r in caplog.records if "last step" in r.getMessage()]
    assert len(warnings) == 1, warnings


def test_heartbeats_move_last_seen_of_a_quiet_run(api: Api, sdk_env: dict, project: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import datetime

    def last_seen() -> float:
        r = api.run(project, run.id)
        return datetime.fromisoformat(r["lastSeenAt"].replace("Z", "+00:00")).timestamp() if r and r.get("lastSeenAt") else 0.0

    monkeypatch.setenv("MLRUN_HEARTBEAT_S", "0.5")
    run = mlrun.init(name="quiet")
    first = wait_for(last_seen, what="the run registered")
    # Nothing but heartbeats goes out; the server moves lastSeenAt in steps of at least 5 s
    # (LAST_SEEN_RESOLUTION_MS), so it must pass first + 5 s while the run stays quiet.
    wait_for(lambda: last_seen() >= first + 5.0, timeout_s=30, what="lastSeenAt to move")
    assert api.run(project, run.id)["status"] == "running"
    run.finish()
