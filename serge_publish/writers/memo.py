"""A cache bounded by the bytes it holds, the oldest entries dropped first: what the
writers remember within one build process (an essay's chapter for its anthology, a
deflated stream for the next EPUB that holds the same file)."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BytesBounded(Generic[K, V]):
    """At most ``limit`` bytes, as ``cost(key, value)`` counts them."""

    def __init__(self, limit: int, cost: Callable[[K, V], int]) -> None:
        self.limit, self.cost = limit, cost
        self.size = 0
        self._items: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        return self._items.get(key)

    def put(self, key: K, value: V) -> None:
        """Remember ``value`` (not if it alone is over the limit)."""
        if key in self._items:
            self.size -= self.cost(key, self._items.pop(key))
        cost = self.cost(key, value)
        if cost > self.limit:
            return
        self.size += cost
        while self._items and self.size > self.limit:
            old = next(iter(self._items))
            self.size -= self.cost(old, self._items.pop(old))
        self._items[key] = value

    def clear(self) -> None:
        self._items.clear()
        self.size = 0

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def values(self):
        return self._items.values()
