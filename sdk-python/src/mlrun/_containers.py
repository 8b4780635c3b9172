"""run.config, run.summary and run.tags: plain containers whose changes are sent as run events."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from ._encode import plain

if TYPE_CHECKING:
    from ._run import Run

log = logging.getLogger("mlrun")


def deep_merge(into: dict[str, Any], patch: Mapping[str, Any]) -> None:
    for key, value in patch.items():
        current = into.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            deep_merge(current, value)
        else:
            into[key] = value


def plain_tree(value: Any) -> Any:
    """Config values as plain nested dicts/lists (so later changes by the caller don't alter what was sent)."""
    value = plain(value)
    if isinstance(value, Mapping):
        return {str(k): plain_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_tree(v) for v in value]
    return value


class Config(MutableMapping[str, Any]):
    """The run's config. `run.config["lr"] = 1e-3` and `run.config.update({...})` send a `mlrun.run.config`
    patch (deep-merged by the server). Mutating a nested value in place is not seen: assign it again."""

    def __init__(self, run: Run, initial: Mapping[str, Any]) -> None:
        self._run = run
        self._data: dict[str, Any] = dict(initial)

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self._data[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setitem__(self, key: str, value: Any) -> None:
        self.update({key: value})

    def __delitem__(self, key: str) -> None:
        # The server merges patches; a deletion is sent as an explicit null.
        del self._data[key]
        self._run._config_patch({key: None})

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        patch = plain_tree(other) if other != () else {}
        if not isinstance(patch, Mapping):
            patch = dict(patch)
        patch = {**patch, **plain_tree(kwargs)}
        if not patch:
            return
        deep_merge(self._data, patch)
        self._run._config_patch(patch)

    def as_dict(self) -> dict[str, Any]:
        return plain_tree(self._data)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"Config({self._data!r})"


class Summary(MutableMapping[str, float]):
    """Explicit summary values: `run.summary["best_acc"] = 0.93` sends a `mlrun.summary` event."""

    def __init__(self, run: Run) -> None:
        self._run = run
        self._data: dict[str, float] = {}

    def __getitem__(self, key: str) -> float:
        return self._data[key]

    def __setitem__(self, key: str, value: float) -> None:
        self.update({key: value})

    def __delitem__(self, key: str) -> None:
        del self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        values: dict[str, float] = {}
        for key, value in {**dict(other), **kwargs}.items():
            number = self._run._number(value)
            if number is None:
                self._run._bad_value(str(key), value)
                continue
            values[str(key)] = number
        if values:
            self._data.update(values)
            self._run._send_event("mlrun.summary", values)

    def __repr__(self) -> str:
        return f"Summary({self._data!r})"


class Tags(list[str]):
    """The run's tags; every change sends the whole list (`mlrun.run.tags` on a `mlrun.run.config` event)."""

    def __init__(self, run: Run, initial: Iterable[str]) -> None:
        super().__init__(str(t) for t in initial)
        self._run = run

    def _changed(self) -> None:
        self._run._send_event("mlrun.run.config", {"mlrun.run.tags": list(self)}, {})

    def append(self, tag: str) -> None:
        if tag not in self:
            super().append(str(tag))
            self._changed()

    def extend(self, tags: Iterable[str]) -> None:
        new = [str(t) for t in tags if str(t) not in self]
        if new:
            super().extend(new)
            self._changed()

    def remove(self, tag: str) -> None:
        super().remove(tag)
        self._changed()

    def set(self, tags: Iterable[str]) -> None:
        self.clear()
        super().extend(dict.fromkeys(str(t) for t in tags))
        self._changed()
