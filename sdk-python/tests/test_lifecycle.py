"""How a run ends when its process does: normal exit (atexit), an uncaught exception, SIGTERM, SIGINT; and
what a forked child may and may not do."""

from __future__ import annotations

import signal
from pathlib import Path

from sdk_support import Api, python, script, wait_for

LOOP = """
import sys, time, mlrun
run = mlrun.init(name=sys.argv[0])
print(run.id, flush=True)
for step in range(100000):
    run.log({"x": step})
    if step == 50:
        print("ready", flush=True)
    time.sleep(0.005)
"""


def ended(api: Api, project: str, run_id: str) -> dict:
    return wait_for(lambda: (r := api.run(project, run_id)) and r["status"] != "running" and r, what=f"run {run_id} to end")


def test_normal_exit_finishes_via_atexit(api: Api, sdk_env: dict, project: str, tmp_path: Path) -> None:
    path = script(tmp_path, """
        import mlrun
        run = mlrun.init(name="atexit", config={"a": {"b": [1, 2]}})
        print(run.id, flush=True)
        for i in range(10):
            run.log({"y": i * 2})
    """)
    proc = python(path, sdk_env)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    run_id = out.split()[0]
    r = ended(api, project, run_id)
    assert r["status"] == "finished" and r["exitCode"] == 0 and r["config"] == {"a": {"b": [1, 2]}}
    assert api.series(project, run_id, "y") == [(i, i * 2) for i in range(10)]


def test_uncaught_exception_marks_failed_and_keeps_traceback(api: Api, sdk_env: dict, project: str, tmp_path: Path) -> None:
    path = script(tmp_path, """
        import mlrun
        run = mlrun.init(name="boom")
        print(run.id, flush=True)
        for i in range(5):
            run.log({"y": i})
        raise ValueError("diverged")
    """)
    proc = python(path, sdk_env)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "ValueError: diverged" in err  # the previous excepthook still prints the traceback
    run_id = out.split()[0]
    r = ended(api, project, run_id)
    assert r["status"] == "failed" and r["exitCode"] == 1
    assert api.series(project, run_id, "y") == [(i, i) for i in range(5)]


def _signalled(api: Api, sdk_env: dict, project: str, tmp_path: Path, sig: int) -> tuple[dict, int, str]:
    proc = python(script(tmp_path, LOOP), sdk_env)
    assert proc.stdout is not None
    run_id = proc.stdout.readline().strip()
    assert proc.stdout.readline().strip() == "ready"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return ended(api, project, run_id), proc.returncode, err


def test_sigterm_marks_killed_and_flushes(api: Api, sdk_env: dict, project: str, tmp_path: Path) -> None:
    r, code, err = _signalled(api, sdk_env, project, tmp_path, signal.SIGTERM)
    assert code == -signal.SIGTERM, err  # the default action still happens after the run is finished
    assert r["status"] == "killed" and r["exitCode"] == 128 + signal.SIGTERM
    points = api.series(project, r["id"], "x")
    # Everything logged before the signal arrived, without gaps.
    assert len(points) > 50 and points == [(i, i) for i in range(len(points))]


def test_sigint_marks_killed(api: Api, sdk_env: dict, project: str, tmp_path: Path) -> None:
    r, code, err = _signalled(api, sdk_env, project, tmp_path, signal.SIGINT)
    assert code != 0 and "KeyboardInterrupt" in err
    assert r["status"] == "killed" and r["exitCode"] == 130
    points = api.series(project, r["id"], "x")
    assert len(points) > 50 and points == [(i, i) for i in range(len(points))]


def test_fork_child_gets_a_fresh_queue(api: Api, sdk_env: dict, project: str, tmp_path: Path) -> None:
    path = script(tmp_path, """
        import json, os, sys, time, urllib.request
        import mlrun
        run = mlrun.init(name="fork")
        print(run.id, flush=True)
        for i in range(100):
            run.log({"p": i}, step=i)          # still queued at fork time (the batch interval is long)
        pid = os.fork()
        if pid == 0:
            for i in range(10):
                run.log({"c": i}, step=i)
            sys.exit(0)                        # atexit runs in the child: it must not end the run
        _, status = os.waitpid(pid, 0)
        assert status == 0, status
        def series(key):
            body = json.dumps({"runs": [run.id], "keys": [key]}).encode()
            req = urllib.request.Request(os.environ["MLRUN_API_URL"] + f"/api/v1/projects/{run.project}/series", data=body, headers={"content-type": "application/json"})
            return sum(p["count"] for s in json.loads(urllib.request.urlopen(req).read())["series"] for p in s["points"])
        deadline = time.monotonic() + 30
        while series("c") < 10 and time.monotonic() < deadline:
            time.sleep(0.2)
        req = urllib.request.Request(os.environ["MLRUN_API_URL"] + f"/api/v1/projects/{run.project}/runs/{run.id}")
        print(json.loads(urllib.request.urlopen(req).read())["status"], flush=True)
        for i in range(100, 110):
            run.log({"p": i}, step=i)
        run.finish()
    """)
    env = dict(sdk_env, MLRUN_BATCH_INTERVAL_S="3")
    proc = python(path, env)
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err
    run_id, status_after_child = out.split()[:2]
    assert status_after_child == "running"
    r = ended(api, project, run_id)
    assert r["status"] == "finished"
    assert api.series(project, run_id, "p") == [(i, i) for i in range(110)]  # the parent's, once each
    assert api.series(project, run_id, "c") == [(i, i) for i in range(10)]
