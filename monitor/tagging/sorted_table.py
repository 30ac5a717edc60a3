"""A matcher's big tables as stored: sorted keys in one string, values in one tuple.

The topic matcher's tables map 350,000 surface forms to what they start. Read back as
dicts from marshal, every key is a new string that must be hashed and inserted: 0.1-0.2 s
of a one-file `monitor ingest`, which then looks up a few hundred words. Stored as one
newline-joined string of the sorted keys and one tuple of the values in the same order,
a load is a split (no hashing) and one marshal of the values (their shared sets stay
shared, as in the dicts). A lookup is then a binary search (bisect, in C) over the
keys, which is enough for a few documents; a process that tags many builds the dicts
(`as_dict`), with the very same value objects. A table not owned by a matcher builds its
own after `promote_after` keys looked up (`SortedTable(packed, promote_after=...)`).

Keys are word forms (\\w+ runs), so they never hold the newline that separates them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Mapping
from typing import Any

_MARK = "monitor-sorted-table-1"
# Keys looked up before a table builds its dict: about 20 ms of binary searches, what
# the dict of the 108,000-word background costs to build (and some 60 articles' words).
PROMOTE_AFTER = 20_000


def pack(table: Mapping[str, Any]) -> tuple[str, str, tuple[Any, ...]]:
    """The plain values stored for `table` (marshal-able when its values are)."""
    keys = sorted(table)
    return (_MARK, "\n".join(keys), tuple(table[k] for k in keys))


def is_packed(value: Any) -> bool:
    """`value` has the shape pack() gives (a file of another format would not)."""
    return (
        isinstance(value, tuple)
        and len(value) == 3
        and value[0] == _MARK
        and isinstance(value[1], str)
        and isinstance(value[2], tuple)
    )


class SortedTable:
    """The read-only part of a dict that Matcher.find uses, over packed keys and values."""

    def __init__(
        self, packed: tuple[str, str, tuple[Any, ...]], promote_after: int | None = None
    ) -> None:
        _, joined, values = packed
        self._keys: list[str] = joined.split("\n") if joined else []
        self._values = values
        if len(self._keys) != len(values):
            raise ValueError("sorted table: keys and values differ in number")
        # Keys looked up before the dict is built (None: never; the owner decides).
        self._left = promote_after
        self._dict: dict[str, Any] | None = None

    def _count(self, looked_up: int) -> dict[str, Any] | None:
        if self._left is not None:
            self._left -= looked_up
            if self._left <= 0:
                self._dict, self._left = self.as_dict(), None
        return self._dict

    def _index(self, key: str) -> int:
        i = bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else -1

    def __contains__(self, key: object) -> bool:
        if (table := self._dict or self._count(1)) is not None:
            return key in table
        return isinstance(key, str) and self._index(key) >= 0

    def __getitem__(self, key: str) -> Any:
        if (table := self._dict or self._count(1)) is not None:
            return table[key]
        i = self._index(key)
        if i < 0:
            raise KeyError(key)
        return self._values[i]

    def get(self, key: str, default: Any = None) -> Any:
        if (table := self._dict or self._count(1)) is not None:
            return table.get(key, default)
        i = self._index(key)
        return default if i < 0 else self._values[i]

    def __len__(self) -> int:
        return len(self._keys)

    def __bool__(self) -> bool:
        return bool(self._keys)

    def keys(self) -> _Keys:
        return _Keys(self)

    def promote(self) -> None:
        """Build the dict now (a daemon's warm-up), not on a lookup of some article."""
        if self._dict is None:
            self._dict, self._left = self.as_dict(), None

    def as_dict(self) -> dict[str, Any]:
        """The same table as a dict (the same value objects): faster lookups."""
        return dict(zip(self._keys, self._values, strict=True))


class _Keys:
    """`table.keys() & words`, as a dict's keys view gives it."""

    def __init__(self, table: SortedTable) -> None:
        self._table = table

    def __and__(self, words: Collection[str]) -> set[str]:
        table = self._table
        if (promoted := table._dict or table._count(len(words))) is not None:
            return promoted.keys() & words
        index = table._index
        return {w for w in words if index(w) >= 0}
