"""What the build remembers of the files it published, held compactly: one record's states packed together.

A :data:`FileState` is a file's SHA-256, size, mtime (ns) and inode.  The cache
holds one per published file, seven per record with every output: at 100k
records, as tuples of Python objects, that was ~2.5 kB a record in the main
process.  :class:`PackedStates` holds one record's states as its folder, a
table of names every record shares, and one ``bytes`` of fixed-size rows
(~0.5 kB a record), and unpacks a state only when it is asked for.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Collection, ItemsView, Iterable, Iterator, Mapping, ValuesView
from itertools import islice
from typing import Any, cast

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

    def each(self) -> Iterator[tuple[str, FileState]]:
        """(path, state) of every file, in order."""
        raise NotImplementedError

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


Names = dict[str, int]  # file name -> its place in its folder (a dict: one hash, not a scan, to find a name)
Folder = tuple[str, Names]  # a folder's path (``records/x/``) and the files in it


def split_path(path: str) -> tuple[str, str]:
    """``records/x/index.html`` -> (``records/x/``, ``index.html``)."""
    cut = path.rfind("/") + 1
    return path[:cut], path[cut:]


class PackedStates(States):
    """The states of a few files (one record's outputs), packed; immutable.

    Paths are held as folders and names: a record's outputs are in its folder,
    ``records/<id>/``, under the same seven names as every other record's, so
    one table of names can serve every record (:meth:`share_names`); an alias's
    redirect page or an attached file is in a folder of its own.  Seven path
    strings a record held ~0.7 kB of it at 100k records.
    """

    __slots__ = ("folders", "packed")

    def __init__(self, folders: tuple[Folder, ...] = (), packed: bytes = b"") -> None:
        count = sum(len(names) for _, names in folders)
        if len(packed) != count * _ROW.size:
            raise ValueError(f"{count} paths but {len(packed)} bytes of states")
        self.folders = folders
        self.packed = packed

    @classmethod
    def of(cls, states: Mapping[str, FileState]) -> PackedStates:
        """``states`` packed (in their order)."""
        folders: list[Folder] = []
        for path in states:
            folder, name = split_path(path)
            if not folders or folders[-1][0] != folder:
                folders.append((folder, {}))
            names = folders[-1][1]
            names[name] = len(names)
        return cls(tuple(folders), b"".join(_ROW.pack(*state) for state in states.values()))

    def share_names(self, known: dict[object, object]) -> PackedStates:
        """These states with each table of names the one object ``known`` holds for it (and keeps for the next)."""
        folders = tuple(
            (folder, cast(Names, known.setdefault(("names", *names), names))) for folder, names in self.folders
        )
        return PackedStates(folders, self.packed)

    def row(self, folder: str, name: str) -> FileState | None:
        """The state of ``folder + name``, or None when it is not held here."""
        index = 0
        for held, names in self.folders:
            if held == folder:
                at = names.get(name)
                if at is not None:
                    return _ROW.unpack_from(self.packed, (index + at) * _ROW.size)
            index += len(names)
        return None

    def __getitem__(self, path: str) -> FileState:
        state = self.row(*split_path(path)) if isinstance(path, str) else None
        if state is None:
            raise KeyError(path)
        return state

    def get(self, path: str, default: Any = None) -> Any:
        state = self.row(*split_path(path)) if isinstance(path, str) else None
        return default if state is None else state

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.row(*split_path(path)) is not None

    def __len__(self) -> int:
        return len(self.packed) // _ROW.size

    def __iter__(self) -> Iterator[str]:
        if len(self.folders) == 1:  # a record without aliases or attachments: the common case, made quick
            folder, names = self.folders[0]
            return map(folder.__add__, names)
        return (folder + name for folder, names in self.folders for name in names)

    def each(self) -> Iterator[tuple[str, FileState]]:
        return zip(iter(self), _ROW.iter_unpack(self.packed), strict=True)

    def __reduce__(self) -> tuple[Any, ...]:
        return (PackedStates, (self.folders, self.packed))

    def __repr__(self) -> str:
        return f"PackedStates({dict(self.items())!r})"


Owner = Mapping[str, FileState]


class Published(States):
    """The states of every file a build published, each looked up in the record or group that made it.

    A view, not a copy: at 100k records a dict of every state, unpacked, held
    ~200 MB, and a dict of every path to its owner ~40 MB more.  Owners are
    found by folder: one entry per record folder (more than one owner in a
    folder only where two claim it).  Where two owners name one path, the
    later one's state counts (as a merged dict's would).
    """

    def __init__(self, owners: list[Owner]) -> None:
        self._owners = owners
        self._owner: dict[str, Owner | tuple[Owner, ...]] = {}
        self._length = -1
        owner = self._owner
        for states in owners:
            folders = (f for f, _ in states.folders) if isinstance(states, PackedStates) else _folders_of(states)
            for folder in folders:
                held = owner.setdefault(folder, states)
                if held is states or (isinstance(held, tuple) and held[-1] is states):
                    continue
                owner[folder] = (*held, states) if isinstance(held, tuple) else (held, states)

    def _state(self, path: str) -> tuple[Owner | None, FileState | None]:
        """The owner whose state of ``path`` counts, and that state; (None, None) if no owner names it."""
        cut = path.rfind("/") + 1
        held = self._owner.get(path[:cut])
        if held is None:
            return None, None
        for states in reversed(held) if isinstance(held, tuple) else (held,):
            state = states.row(path[:cut], path[cut:]) if type(states) is PackedStates else states.get(path)
            if state is not None:
                return states, state
        return None, None

    def get(self, path: str, default: Any = None) -> Any:  # Mapping's get goes through a KeyError when absent
        if not isinstance(path, str):
            return default
        cut = path.rfind("/") + 1
        held = self._owner.get(path[:cut])
        if type(held) is PackedStates and len(held.folders) == 1:  # a record's folder: the common case, made quick
            at = held.folders[0][1].get(path[cut:])
            return default if at is None else _ROW.unpack_from(held.packed, at * _ROW.size)
        state = self._state(path)[1] if held is not None else None
        return default if state is None else state

    def __getitem__(self, path: str) -> FileState:
        state: FileState | None = self.get(path)
        if state is None:
            raise KeyError(path)
        return state

    def __contains__(self, path: object) -> bool:
        """Whether a file is published at ``path``, its state left packed (the prune asks this of every file)."""
        if not isinstance(path, str):
            return False
        cut = path.rfind("/") + 1
        held = self._owner.get(path[:cut])
        if held is None:
            return False
        if type(held) is PackedStates and len(held.folders) == 1:
            return path[cut:] in held.folders[0][1]
        return self._state(path)[1] is not None

    def __iter__(self) -> Iterator[str]:
        """Owner by owner, as :meth:`each`, no state unpacked."""
        owner = self._owner
        for states in self._owners:
            if type(states) is PackedStates:
                for folder, names in states.folders:
                    if owner[folder] is states:
                        yield from map(folder.__add__, names)
                    else:
                        yield from (folder + name for name in names if self._counts(states, folder + name))
            else:
                yield from (path for path in states if self._counts(states, path))

    def folders(self) -> Iterable[str]:
        """The folders (site-relative, ending in ``/``; ``""`` at the top) that hold a published file."""
        return self._owner.keys()

    def __len__(self) -> int:
        if self._length < 0:
            self._length = sum(1 for _ in self.each())
        return self._length

    def each(self) -> Iterator[tuple[str, FileState]]:
        """Owner by owner (a record's states are unpacked together)."""
        owner = self._owner
        for states in self._owners:
            if type(states) is PackedStates:
                rows = _ROW.iter_unpack(states.packed)
                for folder, names in states.folders:
                    alone = owner[folder] is states
                    for name, state in zip(names, islice(rows, len(names)), strict=True):
                        path = folder + name
                        if alone or self._counts(states, path):
                            yield path, state
            else:
                yield from ((path, state) for path, state in states.items() if self._counts(states, path))

    def folder_names(self) -> dict[str, Collection[str]]:
        """Folder -> the names of the files published in it (a record's own table of names: nothing copied)."""
        found: dict[str, Collection[str]] = {}
        for states in self._owners:
            pairs = states.folders if type(states) is PackedStates else folder_names(states).items()
            for folder, names in pairs:
                held = found.get(folder)
                found[folder] = names if held is None else {*held, *names}
        return found

    def _counts(self, states: Owner, path: str) -> bool:
        """Whether the state of ``path`` that ``states`` holds is the one that counts (no later owner names it)."""
        held = self._owner[split_path(path)[0]]
        return held is states or (isinstance(held, tuple) and self._state(path)[0] is states)


def folder_names(paths: Iterable[str]) -> dict[str, Collection[str]]:
    """Folder (site-relative, ending in ``/``; ``""`` at the top) -> the names of ``paths`` in it."""
    if isinstance(paths, Published):
        return paths.folder_names()
    found: dict[str, set[str]] = {}
    for path in paths:
        folder, name = split_path(path)
        found.setdefault(folder, set()).add(name)
    return dict(found)


def _folders_of(states: Mapping[str, FileState]) -> Iterator[str]:
    return (split_path(path)[0] for path in states)


def pack_identities(states: Mapping[str, FileState]) -> tuple[bytes, bytes]:
    """The paths of ``states`` and their identities, each as one ``bytes`` in the same order, in one pass.

    The build state's form: quick to marshal and to load, and no string per
    file (at 100k records, 706k path strings held ~75 MB while the state was
    written).  Each path is UTF-8 (file names that are not: as the file
    system spells them) and ends with a NUL.
    """
    paths = bytearray()
    packed = bytearray()
    for path, (_, size, mtime, inode) in states.items():
        paths += os.fsencode(path)
        paths += b"\0"
        packed += _STAT.pack(size, mtime, inode)
    return bytes(paths), bytes(packed)


def unpack_paths(paths: bytes) -> list[bytes]:
    """The paths packed by :func:`pack_identities`, in order (as bytes: what ``os.stat`` takes)."""
    return paths.split(b"\0")[:-1]


def unpack_stats(packed: bytes) -> Iterator[OutputStat]:
    """The identities packed by :func:`pack_identities`, in order."""
    return _STAT.iter_unpack(packed)
