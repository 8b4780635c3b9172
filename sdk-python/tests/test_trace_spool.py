"""Spans through the SDK's spool: offline runs and `mlrun sync`, a server outage and the live replay, the
trace pipeline of spans outside a run (offline, and flushed at exit) — each span accepted exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sdk_support import Server, python, script, wait_for
from trace_support import Relay, WireSpan, wire_spans

import mlrun


def traced_work(turns: int) -> None:
    for i in range(turns):
        with mlrun.trace_agent(f"agent-{i}"), mlrun.trace_tool("search", {"turn": i}) as tool:
            tool.set_result(f"result {i}")


def spooled_spans(folder: Path) -> list[WireSpan]:
    return [s for f in sorted(folder.rglob("*.traces.pb.gz")) for s in wire_spans(f.read_bytes())]


def sync(root: Path, endpoint: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(Path(mlrun.__file__).parents[1]))
    return subprocess.run([sys.executable, "-m", "mlrun", "sync", str(root), "--endpoint", endpoint], capture_output=True, text=True, env=env, timeout=120, check=False)


def exactly_once(spans: list[WireSpan]) -> set[str]:
    counts = Counter(s.span_id for s in spans)
    assert set(counts.values()) == {1}, [k for k, n in counts.items() if n > 1]
    return set(counts)


def test_offline_run_spools_spans_and_sync_sends_them_once(relay: Relay, sdk_env: dict[str, str], project: str) -> None:
    spool = Path(sdk_env["MLRUN_DIR"])
    run = mlrun.init(name="offline-agent", mode="offline")
    traced_work(5)
    run.finish()
    assert relay.exchanges == []  # offline sends nothing
    files = sorted(spool.rglob("*.traces.pb.gz"))
    assert files and {f.parent for f in files} == {Path(run.spool_dir)}
    spooled = spooled_spans(spool)
    assert len(spooled) == 10 and {s.resource.get("mlrun.run.id") for s in spooled} == {run.id}

    first = sync(spool, relay.url)
    assert first.returncode == 0, first.stderr
    assert exactly_once(relay.accepted_spans()) == {s.span_id for s in spooled}
    assert spooled_spans(spool) == []
    again = sync(spool, relay.url)
    assert again.returncode == 0 and "0 batch(es)" in again.stderr, again.stderr
    assert len(relay.accepted_spans()) == 10


def test_outage_spans_are_spooled_then_replayed_exactly_once(relay: Relay, mlrun_server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLRUN_FLUSH_TIMEOUT_S", "60")
    monkeypatch.setenv("MLRUN_RETRY_MAX_S", "0.5")
    run = mlrun.init(name="outage")
    with mlrun.trace("before the outage"):
        pass
    assert run.flush(30) and len(relay.accepted_spans()) == 1
    mlrun_server.stop()
    try:
        traced_work(20)
        folder = Path(run.spool_dir)
        spooled = wait_for(lambda: spooled_spans(folder), what="spans in the run's spool")
        assert spooled and relay.traces(503)
    finally:
        mlrun_server.start()
    traced_work(3)
    run.finish()
    accepted = relay.accepted_spans()
    assert len(exactly_once(accepted)) == 1 + 2 * 23
    assert {s.resource["mlrun.run.id"] for s in accepted} == {run.id}
    assert spooled_spans(Path(run.spool_dir)) == []
    agents = [s for s in accepted if s.name.startswith("invoke_agent")]
    tools = {s.parent_id for s in accepted if s.name == "execute_tool search"}
    assert len(agents) == 23 and tools == {a.span_id for a in agents}


def test_spans_without_a_run_offline_then_sync(relay: Relay, sdk_env: dict[str, str], project: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLRUN_MODE", "offline")
    spool = Path(sdk_env["MLRUN_DIR"])
    traced_work(2)
    assert mlrun.flush(30)
    spooled = spooled_spans(spool / project / "_traces")
    assert len(spooled) == 4 and all(s.resource == {"service.name": "mlrun-python", "mlrun.project": project} for s in spooled)
    assert relay.exchanges == []
    result = sync(spool, relay.url)
    assert result.returncode == 0, result.stderr
    assert exactly_once(relay.accepted_spans()) == {s.span_id for s in spooled}


def test_spans_without_a_run_are_sent_at_exit(relay: Relay, sdk_env: dict[str, str], project: str, tmp_path: Path) -> None:
    path = script(tmp_path, """
        import mlrun

        @mlrun.trace(kind="agent")
        def agent():
            with mlrun.trace_llm("gpt-4o", "openai") as llm:
                llm.set_response(input_tokens=5, output_tokens=6)

        agent()
        print("done", flush=True)
    """)
    proc = python(path, dict(sdk_env, MLRUN_BATCH_INTERVAL_S="60"))  # nothing is sent before the exit
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and out.strip() == "done", err
    spans = relay.accepted_spans()
    assert sorted(s.name for s in spans) == ["agent", "chat gpt-4o"]
    assert all(s.resource == {"service.name": "mlrun-python", "mlrun.project": project} for s in spans)
