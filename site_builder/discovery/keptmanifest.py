"""The manifest a build wrote, kept beside its cache, so that the next build need not parse it.

A rebuild carries every URL's dates forward from the previous manifest.  At
10k records that is 13 MB of JSON and 81k URLs: parsing it, and making an
:class:`~.manifest.Entry` of each, was 0.29-0.32 s of a one-record edit's
scan.  So as the manifest is written, each URL's fields are also written, as
they pass, to a file in the cache folder (NUL-separated: a path holds no NUL),
sealed with a digest and with the identity of the manifest file as it was
closed.  The next build reads that file when the manifest is still exactly that
file (:meth:`~.dates.WrittenManifest.holds`: the same device, inode, size and
modification time), and makes an entry only when one is asked for
(:class:`KeptEntries`); otherwise (the file was replaced or rewritten, another
previous manifest was named, the kept file is damaged or missing) it parses
the manifest as before.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path

from ..cache import cache_file, seal_in_place, unsealed
from ..config import RegistryConfig
from .manifest import Entry

__all__ = ["KeptEntries", "KeptManifestWriter", "kept_manifest_path", "read_kept_manifest"]

MAGIC = b"site-builder manifest entries 1\n"
KEPT_FILE = "manifest-entries.bin"
_IDENTITY = struct.Struct("<QQQq")  # device, inode, size, mtime (ns) of the manifest file as closed
_DIGEST = 16  # the seal's digest (cache.seal_in_place)
_FLUSH = 4096  # entries a write


def kept_manifest_path(config: RegistryConfig) -> Path:
    """Where the entries of the manifest a build of ``config.site_dir`` wrote are kept (its cache folder)."""
    return cache_file(config).with_name(KEPT_FILE)


class KeptEntries(Mapping[str, Entry]):
    """URL path -> entry, over the kept fields; each entry made when asked for (what the build asks of most)."""

    def __init__(self, fields: list[str]) -> None:
        self._fields = fields  # url, sha256, first published, last changed; url, ...
        self._at = dict(zip(fields[0::4], range(0, len(fields), 4), strict=True))  # the last of a URL counts
        self._days: dict[str, date] = {}

    def get(self, url: str, default: object = None) -> object:  # type: ignore[override]
        at = self._at.get(url)
        if at is None:
            return default
        fields = self._fields
        return Entry(fields[at + 1], self._day(fields[at + 2]), self._day(fields[at + 3]))

    def __getitem__(self, url: str) -> Entry:
        entry = self.get(url)
        if entry is None:
            raise KeyError(url)
        assert isinstance(entry, Entry)
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def _day(self, text: str) -> date:
        value = self._days.get(text)
        if value is None:
            value = self._days[text] = date.fromisoformat(text)
        return value


def read_kept_manifest(path: Path) -> tuple[tuple[int, int, int, int], KeptEntries] | None:
    """The identity of the manifest file the kept entries are of, and the entries; None when unusable."""
    try:
        payload = unsealed(MAGIC, path.read_bytes())
    except OSError:
        return None
    if payload is None or len(payload) < _IDENTITY.size:
        return None
    identity = _IDENTITY.unpack_from(payload)
    fields = payload[_IDENTITY.size :].decode("utf-8", "surrogateescape").split("\0")
    if fields.pop() != "" or len(fields) % 4:
        return None
    return identity, KeptEntries(fields)


class KeptManifestWriter:
    """Writes the entries of the manifest being written to its kept file, as they pass (:meth:`passing`).

    Nothing is held but a few thousand entries at a time (at 100k records the
    manifest has 706k URLs).  :meth:`commit` seals the file with the manifest's
    identity and puts it in place; :meth:`discard` drops it.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.handle = open(self.temporary, "w+b")  # noqa: SIM115 - closed by commit() or discard()
        self.handle.write(MAGIC + bytes(_DIGEST) + bytes(_IDENTITY.size))
        self._days: dict[date, str] = {}

    def passing(self, entries: Iterable[tuple[str, Entry]]) -> Iterator[tuple[str, Entry]]:
        """``entries``, each also written to the kept file as it passes."""
        lines: list[str] = []
        for url, entry in entries:
            lines.append(
                f"{url}\0{entry.sha256}\0{self._day(entry.first_published)}\0{self._day(entry.last_changed)}\0"
            )
            if len(lines) == _FLUSH:
                self.handle.write("".join(lines).encode("utf-8", "surrogateescape"))
                lines.clear()
            yield url, entry
        self.handle.write("".join(lines).encode("utf-8", "surrogateescape"))

    def commit(self, manifest: os.stat_result) -> None:
        """The manifest was closed with status ``manifest``: seal the kept file with its identity, put it in place."""
        with self.handle as handle:
            handle.seek(len(MAGIC) + _DIGEST)
            handle.write(_IDENTITY.pack(manifest.st_dev, manifest.st_ino, manifest.st_size, manifest.st_mtime_ns))
            seal_in_place(handle, MAGIC)
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        self.handle.close()
        self.temporary.unlink(missing_ok=True)

    def _day(self, value: date) -> str:
        text = self._days.get(value)
        if text is None:
            text = self._days[value] = value.isoformat()
        return text
