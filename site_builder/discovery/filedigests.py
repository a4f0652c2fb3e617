"""SHA-256 digests of the finished tree's files, remembered between builds by stat identity.

The finalizers read the finished tree: the manifest hashes every published
file, and the search index must know whether any record page changed.  An
output an incremental build did not change is a hard link to the previous
build's file (same inode, size and mtime), so its digest is looked up in a
memo kept in the build cache folder instead of being read again.  The build
engine's own outputs need neither: the writer took their SHA-256 as it wrote
or checked them, and the engine hands those states over
(:attr:`BuildDigests.published`), used for a file with exactly that identity,
so the memo remembers only the other files (MkDocs' pages, the sitemap).

A remembered digest is used only for the same path with exactly the same
size, mtime (ns) and inode; a memo that is missing, truncated, corrupt or of
another format is ignored.  A file rewritten in place within one timestamp
tick of being hashed would keep its mtime, so a digest is remembered only for
a file whose mtime is older than the file system's own clock when the memo
was opened, read from a probe file created in the output folder (git's
"racily clean" rule, whatever the file system's timestamp granularity).  With
``use_cache`` off nothing is read or written.  The memo file is plain data (no pickle): a magic line, a BLAKE2b
checksum of the payload, the entry count, then the hex digests and the keys.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..buildstate import BuildMemory
from ..cache import cache_folder, write_atomically
from ..config import RegistryConfig
from ..filestates import FileState

MEMO_FILE = "file-digests.bin"
MAGIC = b"site-builder file digests 2\n"
CHECK_SIZE = 16
HEX_SIZE = 64
SEPARATOR = "\0\0"  # between entries; the fields of an entry's key are separated by one NUL
SETTLED_NS = 2_000_000_000  # without a probe: coarser than the timestamp tick of any file system

# A file as found: (key, absolute path, size, mtime in ns, inode); the key is its site-relative path.
Found = tuple[str, str, int, int, int]


def file_sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def found(key: str, path: str) -> Found:
    """``path`` as found now (stat follows symlinks, as reading it does)."""
    stat = os.stat(path)
    return (key, path, stat.st_size, stat.st_mtime_ns, stat.st_ino)


def settled_before(folder: Path) -> int:
    """The file system's "now" in ``folder`` (the mtime of a new probe file): older files are settled."""
    probe = folder / f".digest-clock-{os.getpid()}"
    try:
        probe.unlink(missing_ok=True)
        handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:  # a folder we cannot write a probe into: assume the coarsest clock
        return time.time_ns() - SETTLED_NS
    try:
        return os.fstat(handle).st_mtime_ns
    finally:
        os.close(handle)
        probe.unlink(missing_ok=True)


def memo_path(config: RegistryConfig) -> Path | None:
    """Where the memo is kept: in the build cache folder; None when the build uses no cache."""
    if not config.use_cache:
        return None
    return cache_folder(config) / MEMO_FILE


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=CHECK_SIZE).digest()


def encode_memo(entries: dict[str, str]) -> bytes:
    """The memo file's bytes for ``entries`` (identity key -> hex digest)."""
    keys = sorted(entries)
    payload = ("".join(entries[key] for key in keys) + SEPARATOR.join(keys)).encode("utf-8")
    return MAGIC + _checksum(payload) + len(keys).to_bytes(8, "little") + payload


def decode_memo(data: bytes) -> dict[str, str]:
    """The entries of a memo file's bytes; empty for anything that is not an intact memo."""
    head = len(MAGIC) + CHECK_SIZE + 8
    payload = data[head:]
    if not data.startswith(MAGIC) or _checksum(payload) != data[len(MAGIC) : head - 8]:
        return {}
    count = int.from_bytes(data[head - 8 : head], "little")
    hex_end = HEX_SIZE * count
    try:
        hexes = payload[:hex_end].decode("ascii")
        whole = len(bytes.fromhex(hexes)) == HEX_SIZE // 2 * count  # hex digits only, no spaces
        keys = payload[hex_end:].decode("utf-8").split(SEPARATOR) if count else []
    except ValueError:
        return {}
    if not whole or len(keys) != count or hexes != hexes.lower():
        return {}
    return dict(zip(keys, [hexes[i : i + HEX_SIZE] for i in range(0, hex_end, HEX_SIZE)], strict=True))


def read_memo(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        return decode_memo(path.read_bytes())
    except OSError:
        return {}


def write_memo(path: Path, entries: dict[str, str]) -> None:
    write_atomically(path, encode_memo(entries))


@dataclass
class DigestMemo:
    """SHA-256 digests of files for one build, by stat identity; see the module docstring.

    ``known`` and ``seen`` map an identity key (``key NUL size NUL mtime NUL
    inode``) to the hex digest: the last build's, and this build's.
    """

    path: Path | None
    known: dict[str, str]
    settled_before: int = field(default_factory=lambda: time.time_ns() - SETTLED_NS)
    seen: dict[str, str] = field(default_factory=dict)
    settled: dict[str, str] = field(default_factory=dict)
    hashed: int = 0  # files read this build (for tests and profiles)
    # The build engine's outputs (site path -> SHA-256, size, mtime, inode): known without the memo.
    published: Mapping[str, FileState] = field(default_factory=dict)
    sole: bool = False  # the output folder holds only ``published`` (and the finalizers' own files)

    @classmethod
    def open(cls, config: RegistryConfig, out_dir: Path) -> DigestMemo:
        """The memo for a build whose files are in ``out_dir``."""
        path = memo_path(config)
        return cls(path, read_memo(path), settled_before(out_dir))

    def sha256(self, files: list[Found]) -> list[str]:
        """The SHA-256 (hex) of each file, read only when its identity is not remembered."""
        return [digest for _, digest in self.each(files)]

    def each(self, files: Iterable[Found]) -> Iterator[tuple[str, str]]:
        """(key, SHA-256 in hex) of each file, as :meth:`sha256`, one at a time."""
        seen, known, settled, settled_before = self.seen, self.known, self.settled, self.settled_before
        published = self.published
        for key, path, size, mtime, inode in files:
            state = published.get(key)
            if state is not None and state[1] == size and state[2] == mtime and state[3] == inode:
                yield key, state[0].hex()  # the build cache remembers it: the memo need not
                continue
            identity = f"{key}\0{size}\0{mtime}\0{inode}"
            digest = seen.get(identity) or known.get(identity)
            if digest is None:
                digest = file_sha256(path)
                self.hashed += 1
            seen[identity] = digest
            if mtime < settled_before:
                settled[identity] = digest
            yield key, digest

    def save(self) -> None:
        """Remember this build's settled digests (only those: files gone since are forgotten)."""
        if self.path is not None:
            write_memo(self.path, self.settled)


@dataclass
class BuildDigests:
    """The memo one build's finalizers share: opened on first use, saved by the last finalizer that reads files.

    ``published`` holds the registry outputs as the build engine left them in the output folder
    (site path -> SHA-256, size, mtime, inode): their digests and identities need neither a read nor a stat.
    ``sole`` says they are all the folder holds (a staging tree only the engine wrote into), so the
    manifest lists them without walking the folder; else (MkDocs' folder) it walks it.  ``memory`` is
    a serve session's, where the manifest written is kept for the next rebuild.
    """

    config: RegistryConfig
    opened: list[DigestMemo] = field(default_factory=list)
    published: Mapping[str, FileState] = field(default_factory=dict)
    sole: bool = False  # no file but ``published`` in the output folder, besides the finalizers' own
    memory: BuildMemory | None = None  # a serve session's, which keeps the manifest the build writes

    def memo(self, out_dir: Path) -> DigestMemo:
        if not self.opened:
            self.opened.append(DigestMemo.open(self.config, out_dir))
        self.opened[0].published, self.opened[0].sole = self.published, self.sole
        return self.opened[0]
