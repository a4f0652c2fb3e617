"""Reusing the previous build's search shards: their listings and the state file that remembers them.

A shard's bundle is reused only when the state file (beside the build cache
of the output folder, so a serve session's shards are not ``make site``'s)
remembers it with the key of this build and the previous site's bundle still
has exactly the files it remembers: same names, sizes, mtimes and inodes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from ..cache import cache_file, write_atomically
from ..config import RegistryConfig
from .filedigests import Found
from .searchshards import remove

STATE_FILE = "pagefind-shards.txt"
STATE_MAGIC = "site-builder pagefind shards 1"

# A shard's bundle as remembered: (key, listing).
Remembered = tuple[str, str]


def bundle_files(bundle: Path) -> list[Found]:
    """Every file of a bundle, sorted; empty when there is none."""
    files: list[Found] = []
    folders = [("", str(bundle))]
    while folders:
        prefix, folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append((prefix + entry.name + "/", entry.path))
            else:
                stat = entry.stat(follow_symlinks=False)
                files.append((prefix + entry.name, entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return sorted(files)


def listing(files: list[Found]) -> str:
    """A digest of a bundle's file names and stat identities (not contents: reading them is what is saved)."""
    h = hashlib.sha256()
    for name, _, size, mtime, inode in files:
        h.update(f"{name}\0{size}\0{mtime}\0{inode}\n".encode())
    return h.hexdigest() if files else ""


def state_path(config: RegistryConfig) -> Path | None:
    """Where the state file is; None when the build uses no cache."""
    if not config.use_cache:
        return None
    return cache_file(config).with_name(STATE_FILE)


def read_state(path: Path) -> dict[str, Remembered]:
    """Shard name -> (key, listing) of the bundles last written; empty when unknown or unreadable."""
    try:
        lines = path.read_text(encoding="ascii").split("\n")
    except (OSError, UnicodeDecodeError):
        return {}
    if len(lines) < 2 or lines[0] != STATE_MAGIC or lines[-1] != "":
        return {}
    shards = {}
    for line in lines[1:-1]:
        fields = line.split(" ")
        if len(fields) != 3 or not all(fields):
            return {}
        shards[fields[0]] = (fields[1], fields[2])
    return shards


def write_state(path: Path, shards: dict[str, Remembered]) -> None:
    lines = [f"{name} {key} {files}\n" for name, (key, files) in shards.items() if files]
    write_atomically(path, f"{STATE_MAGIC}\n{''.join(lines)}".encode("ascii"))


def link_bundle(files: list[Found], bundle: Path) -> bool:
    """Hard-link the previous bundle's ``files`` into ``bundle``; False (and nothing left) if that fails."""
    made: set[str] = set()
    try:
        for name, path, *_ in files:
            target = os.path.join(bundle, name)
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            os.link(path, target)
    except OSError:  # another file system, or no hard links: run Pagefind instead
        shutil.rmtree(bundle, ignore_errors=True)
        return False
    return True


def reuse_bundle(state: Remembered | None, key: str | None, previous: Path, bundle: Path) -> bool:
    """Put the previous build's bundle in place when it is exactly the one made for ``key``.

    Nothing is done when ``bundle`` already holds exactly those files (same
    names and stat identities): a refreshed tree's folder is left to this
    check by the prune (:meth:`~site_builder.writer.SiteWriter.prune`), and
    :func:`~.search.clear_way` has removed any symbolic link in it, so ``bundle`` is a real folder.
    """
    if state is None or key is None or state[0] != key:
        return False
    if listing(bundle_files(bundle)) == state[1]:
        return True  # already its very files: building in place, or in a spare tree that kept them
    files = bundle_files(previous)
    if listing(files) != state[1]:
        return False
    shutil.rmtree(bundle, ignore_errors=True)
    return link_bundle(files, bundle)


def update_bundle(made: Path, bundle: Path) -> None:
    """Make folder ``bundle`` hold exactly the files of ``made``, a complete bundle made elsewhere.

    A file already there with the same bytes stays.  Any other is written
    anew, its old file unlinked first (it may be hard-linked to the live
    site); what ``made`` lacks is removed.  A symbolic link is never followed:
    it is removed like any file that is not wanted.
    """
    if bundle.is_symlink() or (bundle.exists() and not bundle.is_dir()):
        bundle.unlink()
    bundle.mkdir(parents=True, exist_ok=True)
    _update(str(made), str(bundle))


def _update(made: str, folder: str) -> None:
    with os.scandir(folder) as entries:
        old = {entry.name: entry for entry in entries}
    with os.scandir(made) as entries:
        for entry in entries:
            target = os.path.join(folder, entry.name)
            there = old.pop(entry.name, None)
            if entry.is_dir(follow_symlinks=False):
                if there is None or not there.is_dir(follow_symlinks=False):
                    if there is not None:
                        remove(target)
                    os.mkdir(target)
                _update(entry.path, target)
                continue
            with open(entry.path, "rb") as file:
                content = file.read()
            if there is not None:
                if there.is_file(follow_symlinks=False) and _holds(target, content):
                    continue
                remove(target)
            with open(target, "xb") as file:
                file.write(content)
    for entry in old.values():
        remove(entry.path)


def _holds(path: str, content: bytes) -> bool:
    if os.stat(path, follow_symlinks=False).st_size != len(content):
        return False
    with open(path, "rb") as file:
        return file.read() == content
