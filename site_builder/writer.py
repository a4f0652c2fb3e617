"""Writing the site: into a staging directory, swapped into place only when complete.

A failed or interrupted build leaves the previous site untouched (Lektor's
commit-on-success).  Every path written is checked to stay inside the output
directory, whatever a record or the configuration says.

Incremental builds reuse the previous site's unchanged files by hard-linking
them into the staging directory (:meth:`SiteWriter.reuse`), so the swap stays
a rename of one directory.  A hard-linked file is shared with the live site:
nothing here ever opens an existing file for writing; a path is always
written as a new file (unlink, then create), never truncated in place.
Finalizers must follow the same rule (:func:`replace_file`).  For the same
reason the writer may publish content it wrote a moment ago (a badge shared by
every record assessed alike) as another link to that file: a new name costs far
less than a new file (an inode) on most disks.

The tree a swap replaces can be kept as a *spare* (in the build cache) and
become the next build's staging directory: most of its files are already the
very files (same inodes) the next build publishes, so an edit costs a stat per
unchanged file instead of a link, and no tree is deleted.  Nothing in a spare
is trusted: a file stays only if it is exactly (inode, size, mtime) the one
the build would link, and :meth:`SiteWriter.prune` deletes everything else.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import stat
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from time import perf_counter

from .filestates import FileState, folder_names
from .forked import failing

TWINS = 256  # contents remembered to link rather than write again: every badge of a registry, and more


class UnsafePath(ValueError):
    """An output path that would leave the output directory."""


def content_digest(content: bytes | bytearray) -> bytes:
    """SHA-256: what the manifest publishes (so it need not read the file again), and faster than BLAKE2 here."""
    return hashlib.sha256(content).digest()


def replace_file(path: Path, content: bytes) -> None:
    """Write ``path`` as a new file (never in place: it may be hard-linked to the live site)."""
    replace_file_from(path, (content,))


def replace_file_from(path: Path, parts: Iterable[bytes]) -> os.stat_result:
    """:func:`replace_file` with the content given in parts, written as they come; the new file's status."""
    with suppress(FileNotFoundError):
        path.unlink()
    with open(path, "xb") as handle:
        for part in parts:
            handle.write(part)
        handle.flush()
        return os.fstat(handle.fileno())  # this very file, whatever replaces it at ``path`` later


def plain_relative(relative: str) -> bool:
    """Whether no part of ``relative`` (split at ``/``) is empty, ``.`` or ``..``: it stays below its folder.

    Spelled as substring tests (each a single pass in C): this runs for every output of every build.
    """
    walled = f"/{relative}/"
    return bool(relative) and "//" not in walled and "/./" not in walled and "/../" not in walled


class SiteWriter:
    """Writes files below ``root``, making each folder when first needed; reuses unchanged files of ``previous``.

    ``previous`` is where the last build's output is (normally ``site_dir``).
    When it is ``root`` itself (``mkdocs serve`` rebuilding its own folder),
    unchanged files are simply left alone; ``trusted`` (in place only) takes
    them to be as the cache says without a look (:class:`~.buildstate.BuildMemory`).
    """

    def __init__(
        self, root: Path, previous: Path | None = None, *, refresh: bool = False, trusted: bool = False
    ) -> None:
        self.root = root.resolve()
        self.previous = previous.resolve() if previous is not None else None
        self.in_place = self.previous == self.root
        self.trusted = trusted and self.in_place
        self.refresh = refresh and not self.in_place  # root holds an older tree: keep what is still right
        # Plain strings on the per-file paths: pathlib's parsing would cost more than the system calls.
        self._root = str(self.root)
        self._previous = str(self.previous) if self.previous is not None else ""
        self._made: set[str] = {self._root}
        # Digest of content written lately -> (its path, inode, mtime), least recently used first.
        self._twins: dict[bytes, tuple[str, int, int]] = {}
        self._twin_at: dict[str, bytes] = {}  # the same, by path: a path written again is no twin any more
        self.files_written = 0
        self.bytes_written = 0
        # Time spent in the system calls that create files, folders and links: what the disk costs.
        self.creating_seconds = 0.0

    def target(self, relative: str) -> Path:
        """The absolute path for a site-relative POSIX path, refusing anything that escapes."""
        return Path(self._path(relative))

    def _path(self, relative: str) -> str:
        if not plain_relative(relative):
            raise UnsafePath(f"refusing to write {relative!r}: outside the site directory")
        if "\\" in relative or "\x00" in relative:
            raise UnsafePath(f"refusing to write {relative!r}: not a plain relative path")
        return f"{self._root}/{relative}"

    def _parent(self, path: str) -> None:
        parent = os.path.dirname(path)
        if parent in self._made:
            return
        if self.refresh:
            self._no_links_above(parent)
        try:
            os.makedirs(parent, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a file where this build needs a folder (refreshed tree)
            _remove(self._first_file_above(parent))
            os.makedirs(parent, exist_ok=True)
        self._made.add(parent)

    def _ancestors(self, folder: str) -> list[str]:
        """The folders from just below ``root`` down to ``folder`` itself."""
        parts = folder[len(self._root) + 1 :].split("/")
        return ["/".join([self._root, *parts[:depth]]) for depth in range(1, len(parts) + 1)]

    def _first_file_above(self, folder: str) -> str:
        return next((a for a in self._ancestors(folder) if os.path.islink(a) or not os.path.isdir(a)), folder)

    def _no_links_above(self, folder: str) -> None:
        """In a refreshed tree, a symbolic link where a folder should be is removed, never followed."""
        for ancestor in self._ancestors(folder):
            if ancestor not in self._made:
                if os.path.islink(ancestor):
                    os.unlink(ancestor)
                elif os.path.isdir(ancestor):
                    self._made.add(ancestor)

    def write(self, relative: str, content: bytes | bytearray, digest: bytes | None = None) -> FileState:
        """Write ``content`` as a new file; its state for the cache.

        Content this writer wrote a moment ago (a badge: the same few for every record) is published as
        another link to that file: a new name costs a fraction of a new file (an inode) on most disks.
        """
        path = self._path(relative)
        digest = digest or content_digest(content)
        start = perf_counter()
        self._parent(path)
        self._forget(path)
        stat = self._link_twin(digest, path)
        if stat is None:
            stat = self._create(path, content)
            self._remember(digest, path, stat)
        self.creating_seconds += perf_counter() - start
        self.files_written += 1
        self.bytes_written += len(content)
        return (digest, stat.st_size, stat.st_mtime_ns, stat.st_ino)

    def _create(self, path: str, content: bytes | bytearray) -> os.stat_result:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError:
            _remove(path)
            fd = os.open(path, flags, 0o644)
        try:
            _write_all(fd, content)
            return os.fstat(fd)
        finally:
            os.close(fd)

    def _remember(self, digest: bytes, path: str, stat: os.stat_result) -> None:
        self._twins[digest] = (path, stat.st_ino, stat.st_mtime_ns)
        self._twin_at[path] = digest
        if len(self._twins) > TWINS:
            oldest = next(iter(self._twins))
            del self._twin_at[self._twins.pop(oldest)[0]]

    def _forget(self, path: str) -> None:
        """``path`` is about to hold other bytes (or none): no longer a file to link to."""
        digest = self._twin_at.pop(path, None)
        if digest is not None:
            del self._twins[digest]

    def _link_twin(self, digest: bytes, path: str) -> os.stat_result | None:
        """``path`` as a new link to the file with this content the writer made lately; None if there is none."""
        twin = self._twins.get(digest)
        if twin is None:
            return None
        twin_path, inode, mtime = twin
        try:
            found = os.lstat(twin_path)
        except OSError:
            found = None
        if found is None or (found.st_ino, found.st_mtime_ns) != (inode, mtime):  # changed by another hand
            self._forget(twin_path)
            return None
        try:
            os.link(twin_path, path)
        except FileExistsError:
            _remove(path)
            return self._link_twin(digest, path)
        except OSError:  # too many links to it, no hard links here, or the file is gone: a file of its own
            self._forget(twin_path)
            return None
        self._twins[digest] = self._twins.pop(digest)  # used again: kept longest
        return found  # the new name's file: the same inode, size and mtime

    def reuse(self, relative: str, state: FileState) -> FileState | None:
        """Reuse the previous build's file if it is still exactly what ``state`` says; None if not."""
        if self.previous is None:
            return None
        if self.trusted:
            return state
        path = self._path(relative)
        found = _identity(path) if self.refresh and self._real_folders_above(path) else None
        if found is not None and found == state[1:]:
            return state  # already the very file (a spare tree is made of the previous site's files)
        old = f"{self._previous}/{relative}"
        try:
            stat = os.stat(old)
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns, stat.st_ino) != state[1:]:
            return None
        if not self.in_place:
            start = perf_counter()
            self._forget(path)
            self._parent(path)
            if found is not None:
                _remove(path)  # an older file of a refreshed tree
            try:
                os.link(old, path)
            except FileExistsError:
                _remove(path)
                os.link(old, path)
            except OSError:  # another file system, or no hard links: copy (mtime kept, new inode)
                shutil.copy2(old, path)
                copied = os.stat(path)
                state = (state[0], copied.st_size, copied.st_mtime_ns, copied.st_ino)
            self.creating_seconds += perf_counter() - start
        return state

    def _real_folders_above(self, path: str) -> bool:
        """Whether every folder above file ``path`` is a folder, not a link to one (each looked at once).

        A refreshed tree is trusted for nothing: a file reached through a linked folder may be
        another tree's (the live site's), and is never the one its state records.  A folder seen
        to be one joins ``_made``, as :meth:`_no_links_above` adds them: what is there is a folder,
        and so is every folder above it.
        """
        parent = os.path.dirname(path)
        if parent in self._made:
            return True
        for ancestor in self._ancestors(parent):
            if ancestor in self._made:
                continue
            try:
                if not stat.S_ISDIR(os.lstat(ancestor).st_mode):
                    return False
            except OSError:
                return False
            self._made.add(ancestor)
        return True

    def already_in_place(self, groups: Sequence[Mapping[str, FileState]]) -> list[bool]:
        """For each group of outputs, whether every file of it is already the very one its state records.

        True only in a refreshed tree, where that is most files (a spare tree is made of the previous
        site's files): :meth:`reuse_all` of such a group would change nothing, so it need not look
        again.  The look, a system call a file, runs on two cores (:func:`~.forked.failing`).
        """
        if not self.refresh:
            return [False] * len(groups)

        def in_place(outputs: Mapping[str, FileState]) -> bool:
            for relative, state in outputs.items():
                path = self._path(relative)
                if not (self._real_folders_above(path) and _identity(path) == state[1:]):
                    return False
            return True

        failed = failing(in_place, groups)
        return [position not in failed for position in range(len(groups))]

    def reuse_all(self, outputs: Mapping[str, FileState]) -> bool:
        """:meth:`reuse` each of ``outputs``; whether all of them were (a trusted folder's are, unlooked at).

        ``trusted`` holds only in place, so there is a previous build's folder: this one.
        """
        return self.trusted or all(self.reuse(path, state) is not None for path, state in outputs.items())

    def put(self, relative: str, content: bytes | bytearray, previous: FileState | None = None) -> FileState:
        """Publish ``content``: the previous file when its bytes are the same, else a new file."""
        digest = content_digest(content)
        if previous is not None and previous[0] == digest:
            reused = self.reuse(relative, previous)
            if reused is not None:
                return reused
        return self.write(relative, content, digest)

    def remove(self, relative: str) -> None:
        """Delete an output that is no longer published, and the folders that leaves empty (in place only)."""
        path = self._path(relative)
        self._forget(path)
        with suppress(FileNotFoundError):
            os.unlink(path)
        folder = os.path.dirname(path)
        while folder != self._root:
            try:
                os.rmdir(folder)  # only when empty
            except OSError:
                break
            self._made.discard(folder)
            folder = os.path.dirname(folder)

    def prune(self, keep: Iterable[str], owned: tuple[str, ...] = ()) -> int:
        """Delete every file below ``root`` whose site-relative path is not in ``keep``, and emptied folders.

        Used on a refreshed tree, after the build's outputs are in place: what
        the older tree held and this build does not publish goes.  Whatever is
        at or below a folder of ``owned`` (site-relative, ending in ``/``) is
        left to the finalizer that makes that folder, which checks it itself
        (the search index reuses an unchanged shard's files where they are, and
        may be making them while this runs: see :mod:`~.alongside`).  Symbolic
        links are removed everywhere else, never followed.  Returns the number
        of files deleted.
        """
        return _prune(self._root, "", folder_names(keep), owned)[0]


def _prune(folder: str, prefix: str, keep: Mapping[str, Collection[str]], owned: tuple[str, ...]) -> tuple[int, bool]:
    """Files removed below ``folder`` (site-relative ``prefix``), and whether nothing is left in it.

    ``keep``: the names of the files published in each folder (looked up by name, not by path:
    this runs for every file of a refreshed tree).
    """
    removed, left = 0, False
    published = keep.get(prefix, ())
    with os.scandir(folder) as entries:
        found = list(entries)
    for entry in found:
        if entry.name in published:  # the engine wrote or linked it: a regular file
            left = True
            continue
        relative = prefix + entry.name
        if (relative + "/").startswith(owned):  # a finalizer's folder (or what is in its place): its own
            left = True
        elif entry.is_dir(follow_symlinks=False):
            inner = relative + "/"
            count, empty = _prune(entry.path, inner, keep, owned)
            removed += count
            if empty:
                with suppress(OSError):
                    os.rmdir(entry.path)
                    continue
            left = True
        else:
            os.unlink(entry.path)
            removed += 1
    return removed, not left


def remove_links(folder: str) -> None:
    """Delete the symbolic links below ``folder`` (a finalizer's folder in a refreshed tree), following none."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                os.unlink(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                remove_links(entry.path)


def _identity(path: str) -> tuple[int, int, int] | None:
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def remove_path(path: str) -> None:
    """Delete whatever is at ``path`` (a file, a link or a folder, whose links are removed, not followed), if any."""
    with suppress(FileNotFoundError):
        _remove(path)


def _remove(path: str) -> None:
    """Delete whatever is at ``path`` (a file, a link or a folder), to write a new file there."""
    try:
        os.unlink(path)  # a file or a link: one system call
    except IsADirectoryError:
        shutil.rmtree(path)
    except PermissionError:  # what some systems say when asked to unlink a folder
        if not os.path.isdir(path) or os.path.islink(path):
            raise
        shutil.rmtree(path)


def _write_all(fd: int, content: bytes | bytearray) -> None:
    view = memoryview(content)
    while view:
        view = view[os.write(fd, view) :]


# The trees a build keeps beside ``site_dir``, each named ``.<site_dir name>-<kind>-<pid>``.
SIBLING_KINDS = ("staging", "old", "pages")


def _sibling(site_dir: Path, kind: str) -> Path:
    """This process's tree of ``kind`` beside ``site_dir`` (resolved; same filesystem, so a swap is a rename)."""
    site_dir = site_dir.resolve()
    return site_dir.parent / f".{site_dir.name}-{kind}-{os.getpid()}"


def staging_dir_for(site_dir: Path) -> Path:
    """A fresh sibling of ``site_dir`` (same filesystem, so the swap is a rename)."""
    return _sibling(site_dir, "staging")


def pages_dir_for(site_dir: Path) -> Path:
    """A fresh sibling of ``site_dir`` where another tool (MkDocs) writes its pages for this build."""
    return _sibling(site_dir, "pages")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def staged_trees(site_dir: Path) -> list[Path]:
    """The staging, old and pages trees beside ``site_dir`` (:func:`staging_dir_for`, :func:`commit_staging`,
    :func:`pages_dir_for`), of any build."""
    site_dir = site_dir.resolve()
    if not site_dir.parent.is_dir():
        return []
    return [path for kind in SIBLING_KINDS for path in site_dir.parent.glob(f".{site_dir.name}-{kind}-*")]


def remove_abandoned(site_dir: Path) -> None:
    """Delete staging and old trees that builds killed part-way left beside ``site_dir``."""
    for path in staged_trees(site_dir):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def prepare_staging(site_dir: Path, spare: Path | None = None) -> Path:
    """A staging directory beside ``site_dir``: the ``spare`` tree when one is kept there, else a new empty one."""
    remove_abandoned(site_dir)
    staging = staging_dir_for(site_dir)
    if staging.exists():
        shutil.rmtree(staging)
    if spare is not None and spare.is_dir() and not spare.is_symlink():
        try:
            os.rename(spare, staging)  # the same file system, or it fails and is dropped
            return staging
        except OSError:
            shutil.rmtree(spare, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def _keep_or_remove(tree: Path, spare: Path | None) -> None:
    """A tree no longer published: kept as ``spare`` for the next build when asked, else deleted."""
    if spare is not None:
        try:
            if spare.exists():
                shutil.rmtree(spare)
            spare.parent.mkdir(parents=True, exist_ok=True)
            os.rename(tree, spare)
            return
        except OSError:
            pass
    shutil.rmtree(tree, ignore_errors=True)


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


def commit_staging(staging: Path, site_dir: Path, spare: Path | None = None) -> None:
    """Swap the complete ``staging`` tree into ``site_dir``; the old tree is removed (or kept as ``spare``).

    Where the kernel can, both trees trade places in one atomic rename, so there
    is no moment at which ``site_dir`` is missing or half-written.
    """
    site_dir = site_dir.resolve()
    if site_dir.exists() and _exchange(staging, site_dir):
        _keep_or_remove(staging, spare)  # now holds the previous site
        return
    old = _sibling(site_dir, "old")
    if site_dir.exists():
        os.replace(site_dir, old)
    os.replace(staging, site_dir)
    if old.exists():
        _keep_or_remove(old, spare)


def discard_staging(staging: Path, spare: Path | None = None) -> None:
    """A failed build's staging tree: deleted, or kept as ``spare`` (nothing in a spare is trusted)."""
    _keep_or_remove(staging, spare)


@contextmanager
def staged_site(site_dir: Path, spare: Path | None = None) -> Iterator[Path]:
    """Yield a staging directory; on success it becomes ``site_dir``, on any error it is discarded.

    With ``spare``, staging starts as the tree kept there (possibly not empty) and
    the tree the swap replaces is kept there for the next build.
    """
    staging = prepare_staging(site_dir, spare)
    try:
        yield staging
    except BaseException:
        discard_staging(staging, spare)
        raise
    commit_staging(staging, site_dir, spare)
