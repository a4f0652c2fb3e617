"""The build cache: what the last build read and wrote, so that a rebuild redoes only what an edit affects.

Everything is keyed by content digests: each record file (with its
attachments), the templates each group of outputs used (and those the
records used, together: :mod:`.templatesources`), and one *render key* for
all the rest that rendering depends on: the code (``__version__`` and a
digest of the package source), the configuration and the library versions.
A change of the render key invalidates every rendered output (simplest-correct);
a template edit, the outputs that used the template.  What the last build
published is still known either way (:class:`EarlierOutputs`): a page rendered
again to the same bytes is the file already there, not a new one.

The cache is one file in ``cache_dir`` (per output folder) holding a run of pickles, written
atomically, prefixed by a magic line and a digest of its payload: a cache that is missing, truncated,
corrupt, from another version or for another environment is ignored (the
build is cold), never trusted.  An output file is reused only when the file
in the previous site still has the size, mtime and inode recorded here.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import io
import json
import os
import pickle
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import __version__
from .config import RegistryConfig
from .filestates import FileState, Published

if TYPE_CHECKING:  # not imported at run time: a no-op rebuild never needs the record model or Jinja
    from .library import RecordSummary
    from .templatesources import Used

CACHE_FILE = "build-cache.pickle"
FORMAT = 6
MAGIC = b"site-builder build cache %d\n" % FORMAT
PICKLE_BATCH = 1000  # records pickled with one memo
_DEPENDENCIES = ("jinja2", "markdown-it-py", "pydantic", "pyyaml", "markupsafe")
# Settings that change how a build runs, never what it publishes.
_RUN_SETTINGS = frozenset({"workers", "use_cache"})

# A build-wide value a record's pages looked up (e.g. a publication date): (name, argument, answer).
Lookup = tuple[str, str, Any]


def share_lookups(lookups: tuple[Lookup, ...], known: dict[Any, Any]) -> tuple[Lookup, ...]:
    """``lookups`` with each name and answer (a date) the one object ``known`` holds for it.

    Like :func:`~.library.share_values`: a record's lookups arrive from a worker
    with their own copies of a handful of names and dates.  A build-wide lookup
    (no argument, as the build date's) is the same for every record: shared whole.
    """
    return tuple(
        known.setdefault(lookup, lookup)
        if not lookup[1]
        else (share(lookup[0], known), lookup[1], share(lookup[2], known))
        for lookup in lookups
    )


def share(value: Any, known: dict[Any, Any]) -> Any:
    return known.setdefault(value, value)


@dataclass(slots=True)
class RecordEntry:
    """One record file as last built: its source digest, summary and output files."""

    source: bytes
    summary: RecordSummary
    outputs: Mapping[str, FileState]  # a PackedStates (see filestates)
    lookups: tuple[Lookup, ...] = ()

    def __reduce__(self) -> tuple[type[RecordEntry], tuple[Any, ...]]:
        # Pickled as a constructor call: the state methods dataclass makes for slots are Python loops
        # over fields(), ~10 us a record each way (a tenth of a second at 10k, loading the cache).
        return RecordEntry, (self.source, self.summary, self.outputs, self.lookups)


@dataclass
class GroupEntry:
    """Outputs that depend on the whole library or on nothing per record: their inputs' digest and files.

    ``pages`` holds, for each lazy page (:class:`~.render.LazyPage`), its own inputs' digest and the
    lookups its render made, so a page whose inputs did not change is reused though the group's did.
    """

    inputs: bytes
    outputs: dict[str, FileState]
    lookups: tuple[Lookup, ...] = ()
    pages: dict[str, tuple[bytes, tuple[Lookup, ...]]] = field(default_factory=dict)
    templates: Used = field(default_factory=dict)  # what its renders used (templatesources)


@dataclass
class BuildCache:
    key: bytes
    records: dict[str, RecordEntry] = field(default_factory=dict)  # by record file name
    groups: dict[str, GroupEntry] = field(default_factory=dict)
    complete_site: str = ""  # the site_dir a whole-site build committed with exactly these files, if any
    templates: Used = field(default_factory=dict)  # what the records' renders used (templatesources)

    def outputs(self, without: str = "") -> Published:
        """Every file the build published, records' and groups' (but group ``without``'s): path -> state."""
        owners: list[Mapping[str, FileState]] = [entry.outputs for entry in self.records.values()]
        owners += [group.outputs for name, group in self.groups.items() if name != without]
        return Published(owners)


@dataclass
class EarlierOutputs:
    """The files the last build published, by record file name and by group: each file's state.

    True whatever that build's environment was: a file is reused only while it
    still has the identity recorded, and so holds the bytes whose digest is
    recorded.  A build of another environment renders everything again (none
    of the cache's renders hold for it), and publishes each output whose bytes
    come out the same as the file already there: after a template edit, only
    the pages it changed are new files (and the search index, keyed by the
    pages' digests, runs only for those).
    """

    records: dict[str, Mapping[str, FileState]] = field(default_factory=dict)
    groups: dict[str, Mapping[str, FileState]] = field(default_factory=dict)

    @classmethod
    def of(cls, cache: BuildCache | None) -> EarlierOutputs:
        if cache is None:
            return cls()
        records = {name: entry.outputs for name, entry in cache.records.items()}
        return cls(records, {name: group.outputs for name, group in cache.groups.items()})


def digest_bytes(*parts: bytes) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.digest()


def tree_files(root: Path, pattern: str = "*") -> list[tuple[str, Path]]:
    """(path below ``root`` in POSIX form, path) of every file whose name matches ``pattern``, in order.

    Linked folders are entered, as a loader reading through them would, each
    folder once (a link back up is not followed again); ``__pycache__`` is not.
    """
    found: list[tuple[str, Path]] = []
    seen: set[tuple[int, int]] = set()
    for folder, folders, names in os.walk(root, followlinks=True):
        status = os.stat(folder)
        if (status.st_dev, status.st_ino) in seen:
            folders.clear()
            continue
        seen.add((status.st_dev, status.st_ino))
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in names:
            path = Path(folder, name)
            if fnmatch.fnmatchcase(name, pattern) and path.is_file():
                found.append((path.relative_to(root).as_posix(), path))
    found.sort()
    return found


def file_digest(data: bytes) -> str:
    """A file's digest where the cache names files by their content (BLAKE2b, hex)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digests(root: Path, pattern: str = "*") -> dict[str, str]:
    """Path below ``root`` (POSIX) -> :func:`file_digest` of every file of :func:`tree_files`."""
    return {relative: file_digest(path.read_bytes()) for relative, path in tree_files(root, pattern)}


def digests_digest(digests: Mapping[str, str]) -> bytes:
    """One digest of :func:`file_digests` (names and contents)."""
    return digest_bytes(*(f"{name}\0{digest}".encode() for name, digest in sorted(digests.items())))


def tree_digest(root: Path, pattern: str = "*") -> bytes:
    """Digest of every file below ``root`` matching ``pattern`` (:func:`tree_files`): names and contents."""
    return digests_digest(file_digests(root, pattern))


def source_digest(raw: bytes, attachments: Path | None) -> bytes:
    """Digest of a record file's bytes and of the files in its attachments folder (when it has one)."""
    if attachments is None:
        return digest_bytes(raw)
    return digest_bytes(raw, tree_digest(attachments))


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Each distribution's version, from the ``<name>-<version>.dist-info`` folders on ``sys.path``.

    One folder listing per path entry, where ``importlib.metadata`` alone takes ~40 ms to
    import (a no-op rebuild computes this); a name not found that way is asked of it.
    """
    wanted = {_normalized(name): name for name in names}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(".dist-info") and "-" in entry:
                name, version = entry[: -len(".dist-info")].rsplit("-", 1)
                original = wanted.get(_normalized(name))
                if original is not None and original not in found:
                    found[original] = version
    for name in names:
        if name not in found:
            import importlib.metadata

            try:
                found[name] = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                found[name] = "?"
    return found


@cache
def code_digest() -> bytes:
    """The package's version and source, the interpreter and the libraries that shape the output."""
    versions = [f"{name}={version}" for name, version in installed_versions(_DEPENDENCIES).items()]
    versions.sort()
    package = Path(__file__).resolve().parent
    text = f"{__version__}|{sys.version}|{'|'.join(versions)}".encode()
    return digest_bytes(text, tree_digest(package, "*.py"))


def render_key(config: RegistryConfig) -> bytes:
    """Digest of what every render depends on: the code and the configuration.

    Not the templates: each render's are noted as it reads them (:mod:`.templatesources`).
    """
    settings = json.dumps(config.settings(without=_RUN_SETTINGS), ensure_ascii=False).encode()
    return digest_bytes(code_digest(), settings)


def environment_key(config: RegistryConfig, templates: Mapping[str, str] | None = None) -> bytes:
    """:func:`render_key` and every file of the templates folder (``templates``: its :func:`file_digests`, when
    read already): what a no-op rebuild must find unchanged."""
    found = file_digests(config.templates_dir) if templates is None else templates
    return digest_bytes(render_key(config), digests_digest(found))


def cache_folder(config: RegistryConfig) -> Path:
    """The ``cache_dir`` setting as a path (relative to the project when not absolute)."""
    return config.cache_dir if config.cache_dir.is_absolute() else config.project_dir / config.cache_dir


def cache_file(config: RegistryConfig) -> Path:
    """The cache of builds into ``config.site_dir``: one folder per output folder, under ``cache_dir``.

    ``mkdocs serve`` builds into a temporary folder and ``site-builder build`` into
    ``site/``; each keeps its own cache, so a preview session does not make the
    next ``make site`` start cold.
    """
    site = digest_bytes(os.fsencode(config.site_dir.resolve())).hex()[:16]
    return cache_folder(config) / "sites" / site / CACHE_FILE


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file of the cache folder whole or not at all (a temporary file renamed over the old one)."""
    write_atomically_by(path, lambda handle: handle.write(data))


def write_atomically_by(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """:func:`write_atomically`, ``write`` putting the bytes into the temporary file (open to read them back too)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w+b") as handle:
        write(handle)
    os.replace(temporary, path)


def write_sealed(path: Path, magic: bytes, dump: Callable[[IO[bytes]], object]) -> None:
    """:func:`write_atomically` of ``sealed(magic, payload)``, ``dump`` writing the payload into the file.

    The payload is never held whole (at 100k records the cache pickle is
    ~110 MB, and the sealed copy as much again): its digest is taken by
    reading the file back, then written into the header's place.
    """

    def seal(handle: IO[bytes]) -> None:
        handle.write(magic + bytes(16))
        dump(handle)
        seal_in_place(handle, magic)

    write_atomically_by(path, seal)


def seal_in_place(handle: IO[bytes], magic: bytes) -> None:
    """Write the digest of the payload that follows ``magic`` and its place in ``handle`` (open to read it back)."""
    header = len(magic) + 16
    size = handle.seek(0, os.SEEK_END) - header
    handle.seek(header)
    h = hashlib.blake2b(size.to_bytes(8, "little"), digest_size=16)  # as digest_bytes(payload)
    while chunk := handle.read(1 << 20):
        h.update(chunk)
    handle.seek(len(magic))
    handle.write(h.digest())


def sealed(magic: bytes, payload: bytes) -> bytes:
    """``payload`` behind a magic line and its digest, so that a damaged or foreign file is recognised."""
    return magic + digest_bytes(payload) + payload


def unsealed(magic: bytes, data: bytes) -> bytes | None:
    """The payload of :func:`sealed` data; None unless the magic line and the digest are intact."""
    header = len(magic) + 16
    payload = data[header:]
    if not data.startswith(magic) or len(data) < header or digest_bytes(payload) != data[len(magic) : header]:
        return None
    return payload


def load_cache(config: RegistryConfig) -> BuildCache | None:
    """The cache of the last build, or None when there is none we can trust to be one.

    Of any environment: its renders hold only for a build of its ``key``, the
    states of the files it published for any (see :class:`EarlierOutputs`).
    """
    try:
        payload = unsealed(MAGIC, cache_file(config).read_bytes())
    except OSError:
        return None
    if payload is None:
        return None
    try:
        return _unpickled(io.BytesIO(payload))
    except Exception:  # corrupt despite the digest, or classes that changed shape: rebuild from scratch
        return None


def _unpickled(stream: IO[bytes]) -> BuildCache | None:
    """The cache from the pickles of :func:`_pickle_into`, each read with a memo of its own as it was written."""
    head = pickle.load(stream)
    if not (isinstance(head, tuple) and len(head) == 5 and isinstance(head[0], bytes)):
        return None
    found = BuildCache(head[0], {}, head[1], head[2], head[4])
    while len(found.records) < head[3]:
        found.records.update(pickle.load(stream))
    return found


def save_cache(config: RegistryConfig, cache: BuildCache) -> None:
    write_sealed(cache_file(config), MAGIC, lambda file: _pickle_into(file, cache))


def _pickle_into(file: IO[bytes], cache: BuildCache) -> None:
    """The cache as a run of pickles: a head (key, groups, site, how many records), then the records in batches.

    The pickler's memo is cleared between batches: pickled whole, it held an
    entry for every object of the cache (at 100k records ~150 MB at the end).
    Values shared across records (see ``share_values``) are shared within a batch.
    """
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dump((cache.key, cache.groups, cache.complete_site, len(cache.records), cache.templates))
    records = iter(cache.records.items())
    while batch := dict(islice(records, PICKLE_BATCH)):
        pickler.clear_memo()
        pickler.dump(batch)


def discard_cache(config: RegistryConfig) -> None:
    with contextlib.suppress(FileNotFoundError):
        cache_file(config).unlink()
