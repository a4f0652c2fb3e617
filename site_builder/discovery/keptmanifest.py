"""The manifest a build wrote, kept beside its cache, so that the next build need not parse it.

A rebuild carries every URL's dates forward from the previous manifest.  At
10k records that is 13 MB of JSON and 81k URLs: parsing it, and making an
:class:`~.manifest.Entry` of each, was 0.29-0.32 s of a one-record edit's
scan.  So as the manifest is written, each URL's fields are also written, as
they pass, to a file in the cache folder (NUL-separated: a path holds no NUL),
sealed with a digest of its own and with the digest of the manifest's bytes.
The next build reads that file when the manifest's bytes still have that
digest (reading and hashing 13 MB is ~20 ms: a file's identity would not do,
on a file system with coarse timestamps or after a checkout within one tick),
and makes an entry only when one is asked for (:class:`~.manifest.ManifestFields`;
the manifest's rows of unchanged URLs are carried as the fields read);
otherwise (another manifest, another previous manifest named, the kept file
damaged or missing) it parses the manifest as before.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from ..cache import cache_file, seal_in_place, unsealed
from ..config import RegistryConfig
from .manifest import ManifestFields, Row

__all__ = ["KeptManifestWriter", "kept_manifest_path", "kept_while_written", "read_kept_manifest"]

R = TypeVar("R")

MAGIC = b"site-builder manifest entries 1\n"
KEPT_FILE = "manifest-entries.bin"
_CONTENT = 16  # the BLAKE2b digest of the manifest's bytes
_DIGEST = 16  # the seal's digest (cache.seal_in_place)
_FLUSH = 4096  # entries a write


def _content_hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=_CONTENT)


def kept_manifest_path(config: RegistryConfig) -> Path:
    """Where the entries of the manifest a build of ``config.site_dir`` wrote are kept (its cache folder)."""
    return cache_file(config).with_name(KEPT_FILE)


def read_kept_manifest(path: Path, manifest: Path) -> ManifestFields | None:
    """The kept entries, when they are those of the bytes of ``manifest`` now; else None."""
    try:
        payload = unsealed(MAGIC, path.read_bytes())
        if payload is None or len(payload) < _CONTENT:
            return None
        with open(manifest, "rb") as file:
            if hashlib.file_digest(file, _content_hash).digest() != payload[:_CONTENT]:
                return None
    except OSError:
        return None
    fields = payload[_CONTENT:].decode("utf-8", "surrogateescape").split("\0")
    if fields.pop() != "" or len(fields) % 4:
        return None
    return ManifestFields(fields)


def kept_while_written(
    path: Path,
    rows: Iterable[Row],
    encode: Callable[[Iterable[Row]], Iterable[bytes]],
    write: Callable[[Iterable[bytes]], R],
) -> R:
    """``write(encode(rows))``, the manifest's bytes, with its rows kept at ``path`` (only if it succeeds)."""
    keeping = KeptManifestWriter(path)
    try:
        written = write(keeping.hashing(encode(keeping.passing(rows))))
        keeping.commit()
    except BaseException:
        keeping.discard()
        raise
    return written


class KeptManifestWriter:
    """Writes the rows of the manifest being written to its kept file, as they pass (:meth:`passing`).

    Nothing is held but a few thousand entries at a time (at 100k records the
    manifest has 706k URLs).  The manifest's bytes pass through :meth:`hashing`;
    :meth:`commit` seals the file with their digest and puts it in place;
    :meth:`discard` drops it.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.handle = open(self.temporary, "w+b")  # noqa: SIM115 - closed by commit() or discard()
        self.handle.write(MAGIC + bytes(_DIGEST) + bytes(_CONTENT))
        self._content = _content_hash()

    def passing(self, rows: Iterable[Row]) -> Iterator[Row]:
        """``rows``, each also written to the kept file as it passes."""
        lines: list[str] = []
        for row in rows:
            lines.append(f"{row[0]}\0{row[1]}\0{row[2]}\0{row[3]}\0")
            if len(lines) == _FLUSH:
                self.handle.write("".join(lines).encode("utf-8", "surrogateescape"))
                lines.clear()
            yield row
        self.handle.write("".join(lines).encode("utf-8", "surrogateescape"))

    def hashing(self, parts: Iterable[bytes]) -> Iterator[bytes]:
        """``parts``, the manifest's bytes, each also hashed as it passes."""
        for part in parts:
            self._content.update(part)
            yield part

    def commit(self) -> None:
        """The manifest is written: seal the kept file with the digest of its bytes, and put it in place."""
        with self.handle as handle:
            handle.seek(len(MAGIC) + _DIGEST)
            handle.write(self._content.digest())
            seal_in_place(handle, MAGIC)
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        self.handle.close()
        self.temporary.unlink(missing_ok=True)
