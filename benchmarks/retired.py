"""Trees the benchmark is done with: renamed out of the way while builds are timed, deleted when the run ends.

Deleting a large tree makes the next build that creates files slower on some
file systems, by more than the build's own work. Ext4 without a journal (this
machine's ``/``) does not reuse an inode freed in the last 60 s, or in the last
360 s while the block of the inode table that holds it is dirty. Each new file
first scans past every such inode in its block group (``recently_deleted`` in
``fs/ext4/ialloc.c``), and a build dirties the blocks it creates files in.
Measured at 10k records: a cold build of the registry pages took 12.7-17.6 s
right after the last build's tree was deleted, and 8.4 s a minute later. The
workers then spent 1.4 s, not 9-18 s, creating files. A cold build stands for
a fresh clone, so no timed build may follow a deletion. Hugo's builds are
treated the same way.

So a tree is retired: one rename into :data:`RETIRED` below the work folder,
on the same file system, which frees no inode. :func:`delete_retired` ends a
run: it deletes them, and notes when and how many entries. :func:`settle`
starts a run: it deletes what an interrupted run left, and waits until the
file system has forgotten a large deletion. A first run, or one that starts
six minutes after the last large one, waits for nothing.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import sys
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / ".work"  # generated registries, Hugo sites, built trees
RETIRED = WORK / ".retired"
DELETED_AT = WORK / ".retired-deleted-at"  # "<Unix time> <entries>" of the last deletion of retired trees
FORGOTTEN_AFTER = 365.0  # seconds after a deletion: the kernel's 60 + 300 s (dirty inode table), and a margin
FEW = 10_000  # entries: a deletion this small costs the next build nothing worth waiting for


def retire(path: Path) -> None:
    """Move ``path`` (a tree or a file), when it exists, into :data:`RETIRED`: nothing is deleted now."""
    if not (path.exists() or path.is_symlink()):
        return
    RETIRED.mkdir(parents=True, exist_ok=True)
    try:
        path.rename(RETIRED / f"{path.name}-{secrets.token_hex(8)}")
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        _delete(path)  # on another file system: deleting it costs WORK's nothing


def _delete(path: Path) -> int:
    """Delete ``path`` (a tree, a file or a link); the entries it held, itself included."""
    if path.is_symlink() or not path.is_dir():
        path.unlink()
        return 1
    entries = 1 + sum(len(folders) + len(files) for _, folders, files in os.walk(path))
    shutil.rmtree(path)
    return entries


def delete_retired() -> None:
    """Delete the retired trees (no build is timed meanwhile), and note when and how much."""
    if not RETIRED.exists():
        return
    entries = _delete(RETIRED)
    os.sync()  # the inode tables written: the kernel's shorter window applies until a build dirties them
    DELETED_AT.write_text(f"{time.time()} {entries}\n", encoding="utf-8")


def settle(announce: bool = True, wait: bool = True) -> float:
    """Before anything is timed: delete what is retired, and wait out a large deletion; the seconds waited.

    Without ``wait``, only the deletion (a smoke run, whose figures nobody reads).
    """
    delete_retired()
    if not wait:
        return 0.0
    try:
        deleted_at, entries = DELETED_AT.read_text(encoding="utf-8").split()
        left = float(deleted_at) + FORGOTTEN_AFTER - time.time()
    except (OSError, ValueError):
        return 0.0
    if int(entries) < FEW or left <= 0:
        return 0.0
    if announce:
        print(f"waiting {left:.0f} s for the file system to forget {int(entries):,} deleted files", file=sys.stderr)
    time.sleep(left)
    return left
