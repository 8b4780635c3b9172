"""Hooks that connect training frameworks to MLRun runs.

Each integration lives in its own module and imports its framework only when it is used, so
``import mlrun.integrations`` never imports Lightning, Transformers or Optuna:

- :class:`TrackLogger` — a PyTorch Lightning ``Logger`` (``mlrun.integrations.lightning``);
- :class:`TrackCallback` — a HuggingFace ``transformers.TrainerCallback`` (``mlrun.integrations.huggingface``);
- :class:`TrackOptunaCallback` — an Optuna ``study.optimize(callbacks=[...])`` callback
  (``mlrun.integrations.optuna``);
- :func:`to_plain_config` — OmegaConf/Hydra configs (and Namespaces, dataclasses) to plain dicts
  (``mlrun.integrations.hydra``).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers only: the real imports happen on first attribute access
    from .huggingface import TrackCallback
    from .hydra import to_plain_config
    from .lightning import TrackLogger
    from .optuna import TrackOptunaCallback

__all__ = ["TrackCallback", "TrackLogger", "TrackOptunaCallback", "to_plain_config"]

_MODULE_OF = {
    "TrackLogger": ".lightning",
    "TrackCallback": ".huggingface",
    "TrackOptunaCallback": ".optuna",
    "to_plain_config": ".hydra",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
