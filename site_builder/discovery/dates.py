"""Publication dates, known before rendering: from the previous manifest, else the build date.

A page never shows a date derived from its own digest (that would be a cycle):
it shows the date its URL was first published, which the previous manifest
knows, or — for a URL published for the first time by this build — the build
date (``SOURCE_DATE_EPOCH`` when set, else today in UTC).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from ..config import RegistryConfig
from ..problems import Problem, ProblemsFound
from .keptmanifest import kept_manifest_path, read_kept_manifest
from .manifest import MANIFEST_FILE, Entry, ManifestError, read_manifest


@dataclass(frozen=True)
class PublicationDates:
    """The build date and what the previous manifest says; picklable, computed once per build."""

    build_date: date
    previous: Mapping[str, Entry] = field(default_factory=dict)
    source: str = ""  # the previous manifest's path, for messages; "" when there was none

    def first_published(self, url: str) -> date:
        """When URL path ``url`` (``/records/x/``) was first published: before, or by this build."""
        entry = self.previous.get(url)
        return entry.first_published if entry else self.build_date


def build_date(environ: Mapping[str, str] | None = None) -> date:
    """``SOURCE_DATE_EPOCH`` (reproducible builds) as a UTC date when set, else today in UTC."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC).date()
    try:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    except (ValueError, OverflowError, OSError):
        raise ProblemsFound(
            [Problem("SOURCE_DATE_EPOCH", 1, "(environment)", f"{epoch!r} is not a time", "seconds since 1970")]
        ) from None


def previous_manifest_path(config: RegistryConfig) -> Path:
    """The ``previous_manifest`` setting when given, else the manifest of the last local build."""
    return config.previous_manifest or config.site_dir / MANIFEST_FILE


@dataclass(frozen=True)
class WrittenManifest:
    """A manifest as this process wrote it: its file's identity as it was closed, and its entries.

    A ``mkdocs serve`` session keeps the last one (:class:`~site_builder.buildstate.BuildMemory`), so
    the next rebuild need not parse the file again while it is still exactly that file: the same
    device and inode, size and modification time.  The served folder is the session's own; a rewrite
    in place that kept the size within one tick of the file system's clock would go unseen.
    """

    identity: tuple[int, int, int, int]  # device, inode, size, mtime (ns)
    entries: Mapping[str, Entry]

    @classmethod
    def of(cls, written: os.stat_result, entries: Mapping[str, Entry]) -> WrittenManifest:
        """The manifest whose file had ``written`` as its status when closed, with ``entries``."""
        return cls(_identity(written), entries)

    def holds(self, path: Path) -> Mapping[str, Entry] | None:
        """The entries, when the file at ``path`` is this manifest's, still exactly as written; else None."""
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return self.entries if _identity(stat) == self.identity else None


def _identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def publication_dates(
    config: RegistryConfig, environ: Mapping[str, str] | None = None, written: WrittenManifest | None = None
) -> PublicationDates:
    """Read the previous manifest once; a missing one is a first build unless it was asked for by name.

    When it is the manifest ``written`` remembers (a serve session's), or else the one the last build
    kept the entries of (:mod:`.keptmanifest`), still as written, its entries are taken from there.
    """
    path = previous_manifest_path(config)
    if config.previous_manifest is not None and not path.is_file():
        raise ProblemsFound(
            [Problem(str(path), 1, "previous_manifest", "the previous manifest does not exist", "a manifest.json file")]
        )
    try:
        previous = written.holds(path) if written is not None else None
        if previous is None and written is None and config.use_cache:
            previous = read_kept_manifest(kept_manifest_path(config), path)
        if previous is None:
            previous = read_manifest(path)
    except ManifestError as error:
        raise ProblemsFound([Problem(str(path), 1, "previous_manifest", str(error), "a manifest.json")]) from None
    return PublicationDates(build_date(environ), previous, str(path) if previous else "")
