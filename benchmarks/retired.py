"""Trees the benchmark is done with: renamed out of the way while builds are timed, deleted between sizes.

Deleting a large tree makes the next build that creates files slower on some
file systems, by more than the build's own work. Ext4 without a journal (this
machine's ``/``) does not reuse an inode freed in the last minute: each new file
scans past every such inode in its block group first (``recently_deleted`` in
``fs/ext4/ialloc.c``; 60 s once the inode table is written, 300 s while it is
dirty). Measured at 10k records: a cold build of the registry pages took
12.7-17.6 s right after the last build's tree was deleted, and 8.4 s after a
minute without deletions. The workers then spent 1.4 s, not 9-18 s, creating
files. A cold build stands for a fresh clone, so no timed build may follow a
deletion. Hugo's builds are treated the same way.

So a tree is retired: one rename into :data:`RETIRED` below the work folder,
on the same file system, which frees no inode. :func:`settle`, called before
each registry size, deletes what is retired, syncs, and waits until the file
system has forgotten the deletion; :func:`delete_retired` ends a run. A first
run, or one that starts a minute after the last, waits for nothing.
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
DELETED_AT = WORK / ".retired-deleted-at"  # when :func:`settle` last deleted retired trees (Unix time)
FORGOTTEN_AFTER = 65.0  # seconds after a deletion, synced: the kernel's 60 s and a margin


def retire(path: Path) -> None:
    """Move ``path`` (a tree or a file), when it exists, into :data:`RETIRED`: nothing is deleted now."""
    if not (path.exists() or path.is_symlink()):
        return
    RETIRED.mkdir(parents=True, exist_ok=True)
    try:
        path.rename(RETIRED / f"{path.name}-{secrets.token_hex(6)}")
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        shutil.rmtree(path)  # on another file system: deleting it costs WORK's nothing


def delete_retired() -> None:
    """Delete the retired trees (no build is timed meanwhile), and note when."""
    if RETIRED.exists():
        shutil.rmtree(RETIRED)
        os.sync()  # the inode tables written: the kernel's shorter window applies
        DELETED_AT.write_text(f"{time.time()}\n", encoding="utf-8")


def settle(announce: bool = True) -> float:
    """Delete the retired trees, then wait until no timed build would pay for a deletion; the seconds waited."""
    delete_retired()
    try:
        deleted_at = float(DELETED_AT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0.0
    wait = deleted_at + FORGOTTEN_AFTER - time.time()
    if wait <= 0:
        return 0.0
    if announce:
        print(f"waiting {wait:.0f} s for the file system to forget deleted files", file=sys.stderr, flush=True)
    time.sleep(wait)
    return wait
