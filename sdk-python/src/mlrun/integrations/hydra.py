"""Hydra / OmegaConf configs as plain run configs.

An OmegaConf ``DictConfig`` is not a ``dict``: it carries interpolations (``${model.dim}``) and missing
values (``???``). :func:`to_plain_config` turns it — and the other config objects training scripts pass
around (``argparse.Namespace``, dataclasses, mappings) — into plain dicts, lists and scalars that the run
config can encode. OmegaConf is recognised by duck typing (the object's class lives in a module named
``omegaconf…``) and imported only then, so MLRun never depends on it.
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
import math
from collections.abc import Mapping
from typing import Any

logger = logging.getLogger(__name__)

_SCALARS = (str, bool, int, float, type(None))


def is_omegaconf(obj: object) -> bool:
    """True for OmegaConf containers (DictConfig, ListConfig) without importing omegaconf."""
    return type(obj).__module__.startswith("omegaconf")


def _omegaconf_to_container(obj: object) -> Any:
    # Imported here: only a script that already built an OmegaConf object gets this far.
    from omegaconf import OmegaConf

    try:
        # resolve=True: trackers must record the values the run used, not "${...}" templates
        # (lightning-hydra-template#615). Missing ("???") values are kept as the string rather than
        # failing the training script at init.
        return OmegaConf.to_container(obj, resolve=True, throw_on_missing=False)
    except Exception as error:  # an interpolation that cannot resolve must not stop training
        logger.warning("mlrun: could not resolve the OmegaConf config (%s); recording it unresolved", error)
        return OmegaConf.to_container(obj, resolve=False, throw_on_missing=False)


def _scalar(value: object) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # NaN/inf have no JSON form; keep them readable
    if isinstance(value, _SCALARS):
        return value
    item = getattr(value, "item", None)  # numpy / torch scalars
    if callable(item) and getattr(value, "ndim", None) == 0:
        try:
            return _scalar(item())
        except (TypeError, ValueError, RuntimeError):
            pass
    return str(value)


def to_plain_config(obj: Any) -> Any:
    """A plain (JSON-like) copy of a config object.

    - OmegaConf ``DictConfig``/``ListConfig`` → ``OmegaConf.to_container(obj, resolve=True)``;
    - ``argparse.Namespace`` → its ``vars``; dataclass instances → ``dataclasses.asdict``;
    - mappings → dicts with string keys; lists, tuples and sets → lists;
    - numpy/torch scalars → Python numbers; ``None``, bools, ints, finite floats and strings as they are;
      anything else → ``str(value)``.

    ``None`` stays ``None`` so callers can tell "no config" from an empty one.
    """
    if is_omegaconf(obj):
        obj = _omegaconf_to_container(obj)
    elif isinstance(obj, argparse.Namespace):
        obj = vars(obj)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        obj = dataclasses.asdict(obj)
    if isinstance(obj, Mapping):
        return {str(key): to_plain_config(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_plain_config(value) for value in obj]
    return _scalar(obj)
