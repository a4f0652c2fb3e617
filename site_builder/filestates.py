"""What the build remembers of the files it published, held compactly: one record's states packed together.

A :data:`FileState` is a file's SHA-256, size, mtime (ns) and inode.  The cache
holds one per published file, seven per record with every output: at 100k
records, as tuples of Python objects, that was ~2.5 kB a record in the main
process.  :class:`PackedStates` holds one record's states as a tuple of paths
and one ``bytes`` of fixed-size rows (~1 kB a record), and unpacks a state
only when it is asked for.
"""

from __future__ import annotations

import struct
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from typing import Any

# What the cache remembers of an output file: SHA-256 of its content, size, mtime (ns), inode.
FileState = tuple[bytes, int, int, int]
# An identity as os.stat gives it (size, mtime in ns, inode): the state less its digest.
OutputStat = tuple[int, int, int]

_ROW = struct.Struct("<32sqqQ")  # one FileState
_STAT = struct.Struct("<qqQ")  # one OutputStat
STAT_SIZE = _STAT.size  # bytes per identity packed by pack_stats


class PackedStates(Mapping[str, FileState]):
    """Site path -> :data:`FileState` for a few files (one record's outputs), packed; immutable."""

    __slots__ = ("packed", "paths")

    def __init__(self, paths: tuple[str, ...] = (), packed: bytes = b"") -> None:
        if len(packed) != len(paths) * _ROW.size:
            raise ValueError(f"{len(paths)} paths but {len(packed)} bytes of states")
        self.paths = paths
        self.packed = packed

    @classmethod
    def of(cls, states: Mapping[str, FileState]) -> PackedStates:
        """``states`` packed (in their order)."""
        return cls(tuple(states), b"".join(_ROW.pack(*state) for state in states.values()))

    def __getitem__(self, path: str) -> FileState:
        try:
            index = self.paths.index(path)
        except ValueError:
            raise KeyError(path) from None
        return _ROW.unpack_from(self.packed, index * _ROW.size)

    def __contains__(self, path: object) -> bool:
        return path in self.paths

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def items(self) -> ItemsView[str, FileState]:
        return _Items(self)

    def values(self) -> ValuesView[FileState]:
        return _Values(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedStates, (self.paths, self.packed))

    def __repr__(self) -> str:
        return f"PackedStates({dict(self.items())!r})"


class _Items(ItemsView[str, FileState]):
    """The states unpacked in one pass, not looked up path by path."""

    _mapping: PackedStates

    def __iter__(self) -> Iterator[tuple[str, FileState]]:
        return zip(self._mapping.paths, _ROW.iter_unpack(self._mapping.packed), strict=True)


class _Values(ValuesView[FileState]):
    _mapping: PackedStates

    def __iter__(self) -> Iterator[FileState]:
        return _ROW.iter_unpack(self._mapping.packed)


def pack_stats(stats: Iterator[OutputStat]) -> bytes:
    """Identities as one ``bytes`` (the build state's form: quick to marshal and to load)."""
    return b"".join(_STAT.pack(*stat) for stat in stats)


def unpack_stats(packed: bytes) -> Iterator[OutputStat]:
    """The identities of :func:`pack_stats`, in order."""
    return _STAT.iter_unpack(packed)
