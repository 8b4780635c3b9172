"""The `mlrun` console script of the Python package: `mlrun sync`, and a pointer for server commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MLRUN = Path(sys.executable).with_name("mlrun")


def test_console_script_is_installed() -> None:
    assert MLRUN.exists(), f"{MLRUN} missing: the package's [project.scripts] entry is not installed"


def test_server_commands_point_to_the_node_cli() -> None:
    result = subprocess.run([str(MLRUN), "serve"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "npx mlrun serve" in result.stderr


def test_usage_without_a_command() -> None:
    result = subprocess.run([str(MLRUN)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: mlrun sync DIR")


def test_sync_of_an_empty_folder_uploads_nothing(tmp_path: Path) -> None:
    result = subprocess.run([str(MLRUN), "sync", str(tmp_path), "--quiet"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
