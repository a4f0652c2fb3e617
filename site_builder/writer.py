"""Writing the site: into a staging directory, swapped into place only when complete.

A failed or interrupted build leaves the previous site untouched (Lektor's
commit-on-success).  Every path written is checked to stay inside the output
directory, whatever a record or the configuration says.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """An output path that would leave the output directory."""


class SiteWriter:
    """Writes files below ``root``; creates each directory once."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._made: set[Path] = set()
        self.files_written = 0
        self.bytes_written = 0

    def target(self, relative: str) -> Path:
        """The absolute path for a site-relative POSIX path, refusing anything that escapes."""
        parts = PurePosixPath(relative).parts
        if not parts or PurePosixPath(relative).is_absolute() or any(p in ("..", "") for p in parts):
            raise UnsafePath(f"refusing to write {relative!r}: outside the site directory")
        if "\\" in relative or "\x00" in relative:
            raise UnsafePath(f"refusing to write {relative!r}: not a plain relative path")
        return self.root.joinpath(*parts)

    def write(self, relative: str, content: bytes) -> None:
        path = self.target(relative)
        parent = path.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        with open(path, "wb") as handle:
            handle.write(content)
        self.files_written += 1
        self.bytes_written += len(content)

    def copy(self, relative: str, source: Path) -> None:
        self.write(relative, source.read_bytes())


def staging_dir_for(site_dir: Path) -> Path:
    """A fresh sibling of ``site_dir`` (same filesystem, so the swap is a rename)."""
    site_dir = site_dir.resolve()
    return site_dir.parent / f".{site_dir.name}-staging-{os.getpid()}"


def prepare_staging(site_dir: Path) -> Path:
    staging = staging_dir_for(site_dir)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def commit_staging(staging: Path, site_dir: Path) -> None:
    """Swap the complete ``staging`` tree into ``site_dir``; the old tree is removed afterwards."""
    site_dir = site_dir.resolve()
    old = site_dir.parent / f".{site_dir.name}-old-{os.getpid()}"
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(staging, site_dir)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def discard_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def staged_site(site_dir: Path) -> Iterator[Path]:
    """Yield a staging directory; on success it becomes ``site_dir``, on any error it is discarded."""
    staging = prepare_staging(site_dir)
    try:
        yield staging
    except BaseException:
        discard_staging(staging)
        raise
    commit_staging(staging, site_dir)
