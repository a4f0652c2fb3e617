"""Writing the site: into a staging directory, swapped into place only when complete.

A failed or interrupted build leaves the previous site untouched (Lektor's
commit-on-success).  Every path written is checked to stay inside the output
directory, whatever a record or the configuration says.

Incremental builds reuse the previous site's unchanged files by hard-linking
them into the staging directory (:meth:`SiteWriter.reuse`), so the swap stays
a rename of one directory.  A hard-linked file is shared with the live site:
nothing here ever opens an existing file for writing; a path is always
written as a new file (unlink, then create), never truncated in place.
Finalizers must follow the same rule (:func:`replace_file`).
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

# What the cache remembers of an output file: content digest, size, mtime (ns), inode.
FileState = tuple[bytes, int, int, int]


class UnsafePath(ValueError):
    """An output path that would leave the output directory."""


def content_digest(content: bytes) -> bytes:
    return hashlib.blake2b(content, digest_size=16).digest()


def replace_file(path: Path, content: bytes) -> None:
    """Write ``path`` as a new file (never in place: it may be hard-linked to the live site)."""
    with suppress(FileNotFoundError):
        path.unlink()
    with open(path, "xb") as handle:
        handle.write(content)


class SiteWriter:
    """Writes files below ``root``; creates each directory once; reuses unchanged files of ``previous``.

    ``previous`` is where the last build's output is (normally ``site_dir``).
    When it is ``root`` itself (``mkdocs serve`` rebuilding its own folder),
    unchanged files are simply left alone.
    """

    def __init__(self, root: Path, previous: Path | None = None) -> None:
        self.root = root.resolve()
        self.previous = previous.resolve() if previous is not None else None
        self.in_place = self.previous == self.root
        self._made: set[Path] = {self.root}
        self.files_written = 0
        self.bytes_written = 0
        self.files_reused = 0
        self.bytes_reused = 0

    def target(self, relative: str) -> Path:
        """The absolute path for a site-relative POSIX path, refusing anything that escapes."""
        parts = PurePosixPath(relative).parts
        if not parts or PurePosixPath(relative).is_absolute() or any(p in ("..", "") for p in parts):
            raise UnsafePath(f"refusing to write {relative!r}: outside the site directory")
        if "\\" in relative or "\x00" in relative:
            raise UnsafePath(f"refusing to write {relative!r}: not a plain relative path")
        return self.root.joinpath(*parts)

    def _parent(self, path: Path) -> None:
        parent = path.parent
        if parent not in self._made:
            parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)

    def write(self, relative: str, content: bytes, digest: bytes | None = None) -> FileState:
        """Write ``content`` as a new file; its state for the cache."""
        path = self.target(relative)
        self._parent(path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError:
            path.unlink()
            fd = os.open(path, flags, 0o644)
        try:
            _write_all(fd, content)
            stat = os.fstat(fd)
        finally:
            os.close(fd)
        self.files_written += 1
        self.bytes_written += len(content)
        return (digest or content_digest(content), stat.st_size, stat.st_mtime_ns, stat.st_ino)

    def reuse(self, relative: str, state: FileState) -> FileState | None:
        """Reuse the previous build's file if it is still exactly what ``state`` says; None if not."""
        if self.previous is None:
            return None
        path = self.target(relative)
        old = self.previous / path.relative_to(self.root)
        try:
            stat = os.stat(old)
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns, stat.st_ino) != state[1:]:
            return None
        if not self.in_place:
            self._parent(path)
            try:
                os.link(old, path)
            except FileExistsError:
                path.unlink()
                os.link(old, path)
            except OSError:  # another file system, or no hard links: copy (mtime kept, new inode)
                shutil.copy2(old, path)
                copied = os.stat(path)
                state = (state[0], copied.st_size, copied.st_mtime_ns, copied.st_ino)
        self.files_reused += 1
        self.bytes_reused += state[1]
        return state

    def put(self, relative: str, content: bytes, previous: FileState | None = None) -> FileState:
        """Publish ``content``: the previous file when its bytes are the same, else a new file."""
        digest = content_digest(content)
        if previous is not None and previous[0] == digest:
            reused = self.reuse(relative, previous)
            if reused is not None:
                return reused
        return self.write(relative, content, digest)

    def remove(self, relative: str) -> None:
        """Delete an output that is no longer published (in-place rebuilds only need this)."""
        with suppress(FileNotFoundError):
            self.target(relative).unlink()


def _write_all(fd: int, content: bytes) -> None:
    view = memoryview(content)
    while view:
        view = view[os.write(fd, view) :]


def staging_dir_for(site_dir: Path) -> Path:
    """A fresh sibling of ``site_dir`` (same filesystem, so the swap is a rename)."""
    site_dir = site_dir.resolve()
    return site_dir.parent / f".{site_dir.name}-staging-{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned(site_dir: Path) -> None:
    """Delete staging and old trees that builds killed part-way left beside ``site_dir``."""
    site_dir = site_dir.resolve()
    if not site_dir.parent.is_dir():
        return
    for kind in ("staging", "old"):
        for path in site_dir.parent.glob(f".{site_dir.name}-{kind}-*"):
            pid = path.name.rsplit("-", 1)[-1]
            if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)


def prepare_staging(site_dir: Path) -> Path:
    remove_abandoned(site_dir)
    staging = staging_dir_for(site_dir)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def commit_staging(staging: Path, site_dir: Path) -> None:
    """Swap the complete ``staging`` tree into ``site_dir``; the old tree is removed afterwards.

    Where the kernel can, both trees trade places in one atomic rename, so there
    is no moment at which ``site_dir`` is missing or half-written.
    """
    site_dir = site_dir.resolve()
    if site_dir.exists() and _exchange(staging, site_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
        return
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
