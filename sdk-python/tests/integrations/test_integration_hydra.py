"""to_plain_config on a stand-in for OmegaConf (omegaconf cannot be installed on this machine), plus the
promise that `import mlrun.integrations` imports no framework."""
from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from mlrun.integrations import to_plain_config
from mlrun.integrations.hydra import is_omegaconf


class FakeDictConfig:
    """The duck-typed surface: a class living in an `omegaconf…` module, converted by
    `omegaconf.OmegaConf.to_container(cfg, resolve=..., throw_on_missing=...)`."""

    __module__ = "omegaconf.dictconfig"

    def __init__(self, content: dict[str, Any]) -> None:
        self.content = content


@pytest.fixture
def fake_omegaconf(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def to_container(cfg: FakeDictConfig, *, resolve: bool = False, throw_on_missing: bool = False) -> Any:
        calls.append({"resolve": resolve, "throw_on_missing": throw_on_missing})
        if not resolve:
            return cfg.content
        # a tiny "${a.b}" interpolation resolver, enough to see resolve=True honoured
        def resolve_value(value: Any) -> Any:
            if isinstance(value, str) and value.startswith("${") and value.endswith("}"):
                node: Any = cfg.content
                for part in value[2:-1].split("."):
                    node = node[part]
                return node
            if isinstance(value, dict):
                return {k: resolve_value(v) for k, v in value.items()}
            return value

        return resolve_value(cfg.content)

    module = types.ModuleType("omegaconf")
    module.OmegaConf = types.SimpleNamespace(to_container=to_container)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "omegaconf", module)
    return calls


def test_omegaconf_objects_are_resolved_to_plain_dicts(fake_omegaconf: list[dict[str, Any]]) -> None:
    cfg = FakeDictConfig({"model": {"dim": 64}, "head": {"dim": "${model.dim}"}, "lr": 1e-3})
    assert is_omegaconf(cfg)
    assert to_plain_config(cfg) == {"model": {"dim": 64}, "head": {"dim": 64}, "lr": 1e-3}
    assert fake_omegaconf == [{"resolve": True, "throw_on_missing": False}]


def test_nested_omegaconf_inside_a_dict_is_converted_too(fake_omegaconf: list[dict[str, Any]]) -> None:
    assert to_plain_config({"trainer": FakeDictConfig({"epochs": 3})}) == {"trainer": {"epochs": 3}}


def test_other_config_shapes() -> None:
    @dataclasses.dataclass
    class Opt:
        lr: float = 0.1
        betas: tuple[float, float] = (0.9, 0.99)

    class Weird:
        def __str__(self) -> str:
            return "weird"

    namespace = argparse.Namespace(batch=32, opt=Opt(), tags=("a", "b"), obj=Weird(), nan=float("nan"), none=None)
    assert to_plain_config(namespace) == {
        "batch": 32,
        "opt": {"lr": 0.1, "betas": [0.9, 0.99]},
        "tags": ["a", "b"],
        "obj": "weird",
        "nan": "nan",
        "none": None,
    }
    assert to_plain_config({1: True}) == {"1": True}
    assert to_plain_config(None) is None
    assert not is_omegaconf({"a": 1})


def test_numpy_like_scalars_become_numbers() -> None:
    torch = pytest.importorskip("torch")
    assert to_plain_config({"t": torch.tensor(2.5), "v": torch.tensor([1.0, 2.0])}) == {"t": 2.5, "v": str(torch.tensor([1.0, 2.0]))}


def test_importing_the_integrations_imports_no_framework() -> None:
    code = (
        "import sys, mlrun, mlrun.integrations as i; "
        "assert callable(i.to_plain_config); "
        "print(sorted(m for m in ('lightning', 'pytorch_lightning', 'transformers', 'optuna', 'torch', 'omegaconf') if m in sys.modules))"
    )
    import mlrun

    env = {**os.environ, "PYTHONPATH": str(Path(mlrun.__file__).resolve().parents[1])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"


def test_init_accepts_an_omegaconf_config(fake_omegaconf: list[dict[str, Any]], tracked: Any) -> None:
    """The core's own duck typing (mlrun.init(config=cfg)), end to end against the server."""
    import mlrun

    cfg = FakeDictConfig({"model": {"dim": 64}, "head": {"dim": "${model.dim}"}, "optimizer": {"lr": 0.01}})
    run = mlrun.init(name="hydra", config=cfg)
    run.finish()
    (landed,) = tracked.wait_runs(1)
    assert landed["config"] == {"model": {"dim": 64}, "head": {"dim": 64}, "optimizer": {"lr": 0.01}}
    assert fake_omegaconf and all(call["resolve"] for call in fake_omegaconf)
