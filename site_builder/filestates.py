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
from collections.abc import Collection, ItemsView, Iterator, Mapping, ValuesView
from typing import Any

# What the cache remembers of an output file: SHA-256 of its content, size, mtime (ns), inode.
FileState = tuple[bytes, int, int, int]
# An identity as os.stat gives it (size, mtime in ns, inode): the state less its digest.
OutputStat = tuple[int, int, int]

_ROW = struct.Struct("<32sqqQ")  # one FileState
_STAT = struct.Struct("<qqQ")  # one OutputStat
STAT_SIZE = _STAT.size  # bytes per identity packed by pack_identities


class States(Mapping[str, FileState]):
    """Site path -> :data:`FileState`, read-only, whose states are unpacked in one pass (:meth:`each`).

    ``items()`` and ``values()`` go through :meth:`each`, not through a lookup per path.
    """

    __slots__ = ()

    def paths_held(self) -> Collection[str]:
        """The paths, as held (a tuple or a dict's keys): what ``in``, ``iter`` and ``len`` ask."""
        raise NotImplementedError

    def each(self) -> Iterator[tuple[str, FileState]]:
        """(path, state) of every file, in order."""
        raise NotImplementedError

    def __contains__(self, path: object) -> bool:
        return path in self.paths_held()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths_held())

    def __len__(self) -> int:
        return len(self.paths_held())

    def items(self) -> ItemsView[str, FileState]:
        return _Items(self)

    def values(self) -> ValuesView[FileState]:
        return _Values(self)


class _Items(ItemsView[str, FileState]):
    _mapping: States

    def __iter__(self) -> Iterator[tuple[str, FileState]]:
        return self._mapping.each()


class _Values(ValuesView[FileState]):
    _mapping: States

    def __iter__(self) -> Iterator[FileState]:
        return (state for _, state in self._mapping.each())


class PackedStates(States):
    """The states of a few files (one record's outputs), packed; immutable."""

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

    def paths_held(self) -> tuple[str, ...]:
        return self.paths

    def each(self) -> Iterator[tuple[str, FileState]]:
        return zip(self.paths, _ROW.iter_unpack(self.packed), strict=True)

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedStates, (self.paths, self.packed))

    def __repr__(self) -> str:
        return f"PackedStates({dict(self.items())!r})"


class Published(States):
    """The states of every file a build published, each looked up in the record or group that made it.

    A view, not a copy: at 100k records a dict of every state, unpacked, held ~200 MB.
    Where two owners name one path, the later one's state counts (as a merged dict's would).
    """

    def __init__(self, owners: list[Mapping[str, FileState]]) -> None:
        self._owners = owners
        self._owner: dict[str, Mapping[str, FileState]] = {}
        for states in owners:
            self._owner.update(dict.fromkeys(states, states))

    def __getitem__(self, path: str) -> FileState:
        return self._owner[path][path]

    def get(self, path: str, default: Any = None) -> Any:  # Mapping's get goes through a KeyError when absent
        owner = self._owner.get(path)
        return default if owner is None else owner[path]

    def paths_held(self) -> Collection[str]:
        return self._owner.keys()

    def each(self) -> Iterator[tuple[str, FileState]]:
        """Owner by owner (a record's states are unpacked together)."""
        owner = self._owner
        for states in self._owners:
            for path, state in states.items():
                if owner[path] is states:
                    yield path, state


def pack_identities(states: Mapping[str, FileState]) -> tuple[tuple[str, ...], bytes]:
    """The paths of ``states``, and their identities as one ``bytes`` in the same order, in one pass.

    The build state's form: quick to marshal and to load.
    """
    paths: list[str] = []
    packed = bytearray()
    for path, (_, size, mtime, inode) in states.items():
        paths.append(path)
        packed += _STAT.pack(size, mtime, inode)
    return tuple(paths), bytes(packed)


def unpack_stats(packed: bytes) -> Iterator[OutputStat]:
    """The identities packed by :func:`pack_identities`, in order."""
    return _STAT.iter_unpack(packed)
