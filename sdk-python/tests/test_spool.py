"""The server away: outage and replay, SIGKILL and `mlrun-sync`, a full spool, offline mode; artifacts."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


import mlrun
from sdk_support import Api, Server, free_port, log_records, python, script, wait_for


def spooled(root: Path) -> list[Path]:
    return sorted(root.rglob("*.pb.gz"))


def spooled_records(root: Path) -> list[tuple[str, dict]]:
    """(event name, attributes) of every record in the spool, in file order."""
    return spooled_records_of(spooled(root))


def spooled_records_of(paths: list[Path]) -> list[tuple[str, dict]]:
    return [record for path in paths for record in log_records(path.read_bytes())]


def sync(root: Path, server: Server, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(mlrun.__file__).parents[1])
    return subprocess.run([sys.executable, "-m", "mlrun", "sync", str(root), "--endpoint", server.otlp_url, "--api-url", server.api_url, *extra], capture_output=True, text=True, env=env, timeout=120)


def ended(api: Api, project: str, run_id: str) -> dict:
    return wait_for(lambda: (r := api.run(project, run_id)) and r["status"] != "running" and r, what=f"run {run_id} to end")


def test_offline_then_sync_is_idempotent(api: Api, mlrun_server: Server, sdk_env: dict, project: str, tmp_path: Path) -> None:
    spool = Path(sdk_env["MLRUN_DIR"])
    artifact = tmp_path / "weights.bin"
    artifact.write_bytes(os.urandom(3000))
    run = mlrun.init(name="offline", mode="offline", config={"lr": 0.1, "opt": {"name": "adam"}}, tags=["off"])
    for i in range(300):
        run.log({"loss": 1 / (i + 1)})
    run.summary["best"] = 0.9
    run.log_artifact(artifact, type="model")
    run.finish()
    assert api.run(project, run.id) is None  # offline sends nothing
    assert spooled(spool)

    first = sync(spool, mlrun_server)
    assert first.returncode == 0, first.stderr
    assert "batches" in first.stderr and "records" in first.stderr  # the progress bar
    r = ended(api, project, run.id)
    assert r["status"] == "finished" and r["tags"] == ["off"] and r["config"] == {"lr": 0.1, "opt": {"name": "adam"}}
    assert r["summary"]["best"]["last"] == 0.9
    assert api.series(project, run.id, "loss") == [(i, 1 / (i + 1)) for i in range(300)]
    [art] = api.artifacts(project, run.id)
    assert art["path"] == "weights.bin" and art["type"] == "model" and art["sha256"] == hashlib.sha256(artifact.read_bytes()).hexdigest()
    assert spooled(spool) == []

    again = sync(spool, mlrun_server)
    assert again.returncode == 0, again.stderr
    assert "0 batch(es)" in again.stderr
    assert api.metrics(project, run.id)["loss"]["count"] == 300
    assert len(api.artifacts(project, run.id)) == 1


def test_sigkill_then_sync_uploads_what_was_spooled(api: Api, mlrun_server: Server, sdk_env: dict, project: str, tmp_path: Path) -> None:
    spool = Path(sdk_env["MLRUN_DIR"])
    env = dict(sdk_env, MLRUN_ENDPOINT=f"http://127.0.0.1:{free_port()}", MLRUN_BATCH_INTERVAL_S="0.05")  # nothing listens there
    path = script(tmp_path, """
        import time, mlrun
        run = mlrun.init(name="killed")
        print(run.id, flush=True)
        step = 0
        while True:
            run.log({"x": step, "y": step * 0.5})
            step += 1
            time.sleep(0.001)
    """)
    proc = python(path, env)
    assert proc.stdout is not None
    run_id = proc.stdout.readline().strip()
    wait_for(lambda: len(spooled(spool)) >= 5, what="5 spooled batches")
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    records = spooled_records(spool)
    ids = [attrs["mlrun.record.id"] for _, attrs in records]
    assert len(ids) == len(set(ids))  # every record carries a unique id
    steps = [attrs["mlrun.step"] for event, attrs in records if event == "mlrun.metrics"]
    assert steps == list(range(len(steps)))
    assert records[0][0] == "mlrun.run.start"

    # Some records reached the server before the kill, and their batches were never marked as uploaded (the
    # crash fell between upload and marking): the first half of the spooled batches is POSTed as the live
    # replay would have, so sync sends those records a second time.
    batches = spooled(spool)
    early = batches[: len(batches) // 2]
    for path in early:
        request = urllib.request.Request(f"{mlrun_server.otlp_url}/v1/logs", data=path.read_bytes(), method="POST", headers={"Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
    early_steps = [a["mlrun.step"] for e, a in spooled_records_of(early) if e == "mlrun.metrics"]
    assert early_steps and wait_for(lambda: len(api.series(project, run_id, "x")) == len(early_steps), what="the early batches stored")

    result = sync(spool, mlrun_server)
    assert result.returncode == 0, result.stderr
    assert f"{len(batches)} batch(es)" in result.stderr  # every batch was sent, the early ones included
    assert api.series(project, run_id, "x") == [(s, s) for s in steps]  # exactly once, through the API
    assert api.series(project, run_id, "y") == [(s, s * 0.5) for s in steps]
    assert api.run(project, run_id)["status"] == "running"  # no end was sent: the server's crash timeout decides
    assert sync(spool, mlrun_server).returncode == 0
    assert api.metrics(project, run_id)["x"]["count"] == len(steps)
    assert api.run(project, run_id)["summary"]["x"] == {"last": steps[-1], "min": 0, "max": steps[-1], "count": len(steps)}


def test_spool_full_drops_newest_and_keeps_running(api: Api, mlrun_server: Server, sdk_env: dict, project: str, tmp_path: Path) -> None:
    spool = Path(sdk_env["MLRUN_DIR"])
    limit = 40_000
    env = dict(sdk_env, MLRUN_ENDPOINT=f"http://127.0.0.1:{free_port()}", MLRUN_SPOOL_MAX_BYTES=str(limit), MLRUN_FLUSH_TIMEOUT_S="1")
    path = script(tmp_path, """
        import random, time, mlrun
        run = mlrun.init(name="full")
        print(run.id, flush=True)
        for step in range(20000):
            run.log({"a": random.random(), "b": random.random(), "s": step})
            if step % 1000 == 0:
                time.sleep(0.05)
        print("alive", flush=True)
        run.finish()
        print(run.dropped_records, flush=True)
    """)
    proc = python(path, env)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    run_id, alive, dropped = out.split()
    assert alive == "alive" and int(dropped) > 0
    assert err.count("is full") == 1  # warned once
    assert sum(p.stat().st_size for p in spooled(spool)) <= limit
    kept = [attrs["s"] for event, attrs in spooled_records(spool) if event == "mlrun.metrics"]
    assert kept == list(range(len(kept))) and 0 < len(kept) < 20000  # the oldest are kept, the newest dropped

    assert sync(spool, mlrun_server).returncode == 0
    assert api.series(project, run_id, "s") == [(s, s) for s in kept]


def test_outage_every_record_arrives(api: Api, mlrun_server: Server, sdk_env: dict, project: str, tmp_path: Path) -> None:
    env = dict(sdk_env, MLRUN_FLUSH_TIMEOUT_S="90", MLRUN_RETRY_MAX_S="0.5")
    path = script(tmp_path, """
        import time, mlrun
        run = mlrun.init(name="outage")
        print(run.id, flush=True)
        for step in range(1500):
            run.log({"x": step})
            if step == 100:
                print("ready", flush=True)
            time.sleep(0.01)
        run.finish()
        print("done", run.dropped_records, flush=True)
    """)
    proc = python(path, env)
    assert proc.stdout is not None
    run_id = proc.stdout.readline().strip()
    assert proc.stdout.readline().strip() == "ready"
    mlrun_server.stop()
    time.sleep(3)
    mlrun_server.start()
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert out.split() == ["done", "0"]
    assert "cannot reach" in err
    r = ended(api, project, run_id)
    assert r["status"] == "finished"
    # Exactly once: nothing lost, and nothing a retry or a spool replay resent is stored twice (the receiver
    # drops repeated mlrun.record.ids) — not in the series, not in the metric's count, not in the run summary.
    assert api.series(project, run_id, "x") == [(i, i) for i in range(1500)]
    summary = api.metrics(project, run_id)["x"]
    assert summary["count"] == 1500 and summary["lastStep"] == 1499
    assert r["summary"]["x"] == {"last": 1499, "min": 0, "max": 1499, "count": 1500}


def test_artifacts_file_and_folder_with_sha256(api: Api, mlrun_server: Server, sdk_env: dict, project: str, tmp_path: Path) -> None:
    model = tmp_path / "model.pt"
    model.write_bytes(os.urandom(2_500_000))
    folder = tmp_path / "ckpt"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("alpha")
    (folder / "sub" / "b.txt").write_text("beta")
    with mlrun.init(name="artifacts") as run:
        run.log({"loss": 1.0})
        [record] = run.log_artifact(model, type="model")
        assert record["sha256"] == hashlib.sha256(model.read_bytes()).hexdigest()
        records = run.log_artifact(folder, name="checkpoints", type="checkpoint")
        assert [r["path"] for r in records] == ["checkpoints/a.txt", "checkpoints/sub/b.txt"]
    listed = {a["path"]: a for a in api.artifacts(project, run.id)}
    assert set(listed) == {"model.pt", "checkpoints/a.txt", "checkpoints/sub/b.txt"}
    assert listed["model.pt"]["sizeBytes"] == 2_500_000 and listed["model.pt"]["type"] == "model"
    assert listed["checkpoints/sub/b.txt"]["sha256"] == hashlib.sha256(b"beta").hexdigest()
    url = f"{mlrun_server.api_url}/api/v1/projects/{project}/runs/{run.id}/artifacts/model.pt"
    with urllib.request.urlopen(url) as response:
        assert response.read() == model.read_bytes()
