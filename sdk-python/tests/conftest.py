"""Session fixtures: a real `mlrun serve` for the whole test session and per-test projects and SDK
environments. The Node side must be built first (`npx tsc -b`)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sdk_support import SRC, Api, Server

if TYPE_CHECKING:
    from trace_support import Relay


@pytest.fixture(scope="session")
def mlrun_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("mlrun-serve")
    server = Server(root / "data")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def api(mlrun_server: Server) -> Api:
    return Api(mlrun_server.api_url)


@pytest.fixture
def project(request: pytest.FixtureRequest) -> str:
    """A project of this test's own."""
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:40]
    return f"{name}-{uuid.uuid4().hex[:6]}"


@pytest.fixture
def sdk_env(mlrun_server: Server, project: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment pointing the SDK at the session server (set in this process and returned for subprocesses)."""
    env = {
        "MLRUN_ENDPOINT": mlrun_server.otlp_url,
        "MLRUN_API_URL": mlrun_server.api_url,
        "MLRUN_PROJECT": project,
        "MLRUN_DIR": str(tmp_path / "spool"),
        "MLRUN_RETRY_MAX_S": "1",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    full = dict(os.environ)
    full["PYTHONPATH"] = str(SRC) + os.pathsep + full.get("PYTHONPATH", "")
    return full


@pytest.fixture
def relay(mlrun_server: Server, sdk_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Relay]:
    """A recording relay in front of the session server; the SDK's OTLP endpoint points at it."""
    # Imported here: only the tracing tests need it, and it imports the tracing modules.
    from trace_support import relay_to

    with relay_to(mlrun_server) as r:
        monkeypatch.setenv("MLRUN_ENDPOINT", r.url)
        sdk_env["MLRUN_ENDPOINT"] = r.url
        yield r


@pytest.fixture(autouse=True)
def _no_active_run() -> Iterator[None]:
    """A test that forgets finish() must not leak its run into the next one, nor its trace pipeline (which
    reads the environment once)."""
    yield
    import sys

    import mlrun

    if mlrun.run is not None:
        mlrun.finish()
    tracing = sys.modules.get("mlrun._tracing")
    if tracing is not None:
        tracing.shutdown()
