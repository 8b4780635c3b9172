"""Fixture of the integration tests: a project of their own on the session's real server (the core's
`sdk_env` points every mlrun.init() of the test at it), read back through the query API."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from sdk_support import Api, wait_for

T = TypeVar("T")

# How long the server may take to make what a finished run flushed visible (ingest is asynchronous).
VISIBLE_WITHIN_S = 30.0


class Tracked:
    """The query API, scoped to the test's project."""

    def __init__(self, api: Api, project: str) -> None:
        self.api = api
        self.project = project

    def runs(self) -> list[dict[str, Any]]:
        """Every run of the project, oldest first ([] while the project does not exist yet)."""
        return sorted(self.api.runs(self.project), key=lambda r: (r["createdAt"], r["startedAt"] or ""))

    def run(self, run_id: str) -> dict[str, Any]:
        run = self.api.run(self.project, run_id)
        assert run is not None, run_id
        return run

    def points(self, run_id: str, key: str) -> list[tuple[int, float]]:
        """Raw (step, value) points of one metric in step order (points sharing a step come back folded
        with a count; the core's helper unfolds them)."""
        return [(int(step), value) for step, value in self.api.series(self.project, run_id, key)]

    def wait(self, settled: Callable[[], T | None], what: str) -> T:
        return wait_for(settled, VISIBLE_WITHIN_S, what)

    def wait_runs(self, count: int) -> list[dict[str, Any]]:
        """The project's runs once exactly `count` exist and none is still running."""

        def settled() -> list[dict[str, Any]] | None:
            runs = self.runs()
            return runs if len(runs) == count and all(r["status"] != "running" for r in runs) else None

        return self.wait(settled, f"{count} ended runs in {self.project}")


@pytest.fixture
def tracked(sdk_env: dict[str, str], api: Api, project: str, monkeypatch: pytest.MonkeyPatch) -> Tracked:
    monkeypatch.delenv("MLRUN_MODE", raising=False)
    return Tracked(api, project)
