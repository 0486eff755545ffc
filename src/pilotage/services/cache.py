"""A small in-process cache of service results, for the server.

Entries are keyed by the service function, its arguments and the data version: the server
owns the workspace while it runs and bumps the version whenever it loads data, so a cached
result is never older than the data it was computed from. Least recently used entries go
first once the cache is full. Results are frozen result objects, safe to share.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
DEFAULT_ENTRIES = 256


class ResultCache:
    def __init__(self, max_entries: int = DEFAULT_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError("a cache holds at least one entry")
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, else ``compute()`` stored under it. The lock is not
        held while computing: two identical misses at once both compute, and agree."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                found: T = self._entries[key]
                return found
            self.misses += 1
        value = compute()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def call_key(
    function: Callable[..., object],
    version: int,
    args: tuple[Hashable, ...],
    kwargs: dict[str, Any],
) -> Hashable:
    """The key of one service call: which function, on which data, with which arguments
    (sequences are frozen to tuples so that list filters hash)."""
    frozen = tuple(sorted((k, _freeze(v)) for k, v in kwargs.items()))
    return (function.__module__, function.__qualname__, version, tuple(map(_freeze, args)), frozen)


def _freeze(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    hashable: Hashable = value
    return hashable
