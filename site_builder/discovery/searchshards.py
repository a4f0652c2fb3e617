"""The search index's shards: which records each holds, and the folders of one shard's Pagefind run.

A current record goes to shard ``int(sha256(id)[:8], 16) % K``, where ``K`` is
the smallest power of two that holds the current records at
``search_shard_records`` records per shard (at least 1).  The hash depends on
the id alone, so a record stays in its shard as long as ``K`` does; with a
power of two, when ``K`` doubles each shard splits in two.  A shard is named by
its number in hex, zero-padded to a width fixed by ``K``; a shard without a
record is not made.

Pagefind reads a shard's pages from a folder of their own, each page as its
search view (:mod:`.searchview`: without what Pagefind would ignore entirely).
Where Linux offers a memory file system (:data:`MEMORY`), they are written into
a private folder there (:func:`scratch_folders`) rather than below the output
folder (where they are written too, elsewhere; before the search view they were
linked there): making and removing two entries per page on a busy disk took
longer than indexing them (measured at 10k records: 0.3-0.5 s of a one-record edit's shard, against
0.04 s in memory).  Pagefind writes the bundle there too, and the shard's
folder is then updated from it (:func:`~.searchbundles.update_bundle`): after
an edit most of a shard's ~680 files are unchanged (its pages' fragments are
named by their content), and they are left as they are instead of being
deleted and written again.  A shard without a folder yet (every shard of a
cold build) has nothing to update: Pagefind writes straight into it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import stat
from collections.abc import Iterable, Mapping
from math import ceil
from pathlib import Path
from typing import NamedTuple

from ..filestates import FileState
from .filedigests import Found
from .searchview import search_view

SHARDS = "shards"  # below pagefind/: pagefind/shards/<name>/ is one shard's Pagefind bundle
# Root files of a bundle that are Pagefind's UI, not its index (pagefind.js and its worker load the index).
NOT_UI = ("pagefind.js", "pagefind-worker.js")
MEMORY = Path("/dev/shm")  # Linux's memory file system, where it is mounted


def shard_count(current: int, shard_records: int) -> int:
    """K: the smallest power of two >= ceil(current / shard_records), at least 1."""
    needed = max(1, ceil(current / shard_records))
    return 1 << (needed - 1).bit_length()


def shard_of(record_id: str, count: int) -> int:
    """The number of the shard (of ``count``) that indexes the record ``record_id``."""
    return int(hashlib.sha256(record_id.encode("utf-8")).hexdigest()[:8], 16) % count


def shard_name(number: int, count: int) -> str:
    return f"{number:0{max(2, len(f'{count - 1:x}'))}x}"


def assign(record_ids: Iterable[str], shard_records: int) -> dict[str, list[str]]:
    """Shard name -> the ids it indexes (sorted), for every shard that indexes a record; in shard order."""
    ids = sorted(record_ids)
    count = shard_count(len(ids), shard_records)
    shards: dict[int, list[str]] = {}
    for record_id in ids:
        shards.setdefault(shard_of(record_id, count), []).append(record_id)
    return {shard_name(number, count): shards[number] for number in sorted(shards)}


def record_page(record_id: str) -> str:
    return f"records/{record_id}/index.html"


def shard_pages(out_dir: Path, record_ids: list[str], written: Mapping[str, FileState] | None = None) -> list[Found]:
    """The record pages of ``record_ids`` in ``out_dir`` as found now (a missing page is left out).

    A page of ``written`` (the build engine's outputs, as it left them in ``out_dir`` this build) is
    taken as it says, not stat'ed again.
    """
    pages = []
    known = written if written is not None else {}
    for record_id in record_ids:
        relative = record_page(record_id)
        path = os.path.join(out_dir, relative)
        state = known.get(relative)
        if state is not None:
            pages.append((relative, path, state[1], state[2], state[3]))
            continue
        try:
            stat = os.stat(path)
        except OSError:
            continue
        pages.append((relative, path, stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return pages


def link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or no hard links
        shutil.copyfile(source, target)


def same_file_system(one: Path, other: Path) -> bool:
    return os.stat(one).st_dev == os.stat(other).st_dev


def shard_site(site: Path, record_ids: list[str], folder: Path) -> None:
    """A site of the search views of just the record pages of ``record_ids`` in ``site``, at ``folder``, for Pagefind.

    Each page's :func:`~.searchview.search_view` is written at its site path
    (from the bytes read for it: the page is not read twice); on the same file
    system, a page that is its own view is linked instead.  A page missing now
    is an error (FileNotFoundError), not left out: the shard's key counted it.
    """
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    linkable = same_file_system(site, folder)  # a link across file systems always fails
    for record_id in record_ids:
        relative = record_page(record_id)
        source, target = os.path.join(site, relative), os.path.join(folder, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(source, "rb") as file:
            page = file.read()
        view = search_view(page)
        if view is page and linkable:
            link_or_copy(source, target)
        else:
            with open(target, "wb") as file:
                file.write(view)


class Scratch(NamedTuple):
    """Where a shard's Pagefind run works (neither folder made yet)."""

    site: Path  # the shard's pages, for Pagefind to read
    bundle: Path | None  # where Pagefind writes the bundle before it updates the shard's folder; None: straight in


def scratch_folders(work: Path, names: Iterable[str]) -> dict[str, Scratch]:
    """Per shard, where its run works: in memory if possible (pages and bundle), else its pages below ``work``."""
    private = memory_folder()
    if private is None:
        return {name: Scratch(work / name / "site", None) for name in names}
    prefix = f"{os.getpid()}-{secrets.token_hex(8)}"
    return {name: Scratch(private / f"{prefix}-{name}-site", private / f"{prefix}-{name}-bundle") for name in names}


def memory_folder() -> Path | None:
    """This user's folder in :data:`MEMORY`, made if missing and cleared of dead processes' folders.

    None when there is no memory file system, or the folder is not a folder
    that this user alone owns and can enter (it is shared space: anything
    else may be another user's trap).
    """
    if not MEMORY.is_dir():
        return None
    private = MEMORY / f"site-builder-{os.getuid()}"
    try:
        private.mkdir(mode=0o700, exist_ok=True)
        found = os.lstat(private)
    except OSError:
        return None
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
        return None
    remove_abandoned(private)
    return private


def remove_abandoned(private: Path) -> None:
    """Remove the folders a process left in ``private`` (named ``<pid>-...``) if that process is gone."""
    for entry in os.scandir(private):
        pid = entry.name.partition("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not alive(int(pid)):
            shutil.rmtree(entry.path, ignore_errors=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, as another user's process
        return True
    return True


def is_ui_file(name: str) -> bool:
    return name.endswith((".js", ".css")) and name not in NOT_UI


def publish_ui(root: Path, names: list[str]) -> None:
    """Keep ``root`` (``pagefind/``) to the shards ``names`` and Pagefind's UI files, linked from the first shard."""
    shards = root / SHARDS
    first = shards / names[0]
    with os.scandir(first) as entries:
        ui = sorted(e.name for e in entries if e.is_file(follow_symlinks=False) and is_ui_file(e.name))
    for entry in list(os.scandir(shards)):
        if entry.name not in names:
            remove(entry.path)
    for entry in list(os.scandir(root)):
        if entry.name != SHARDS and entry.name not in ui:
            remove(entry.path)
    for name in ui:
        source, target = first / name, root / name
        if target.exists() and os.path.samefile(source, target):
            continue
        fresh = root / f".{name}.new"  # replaced in one rename: a served UI file is never missing
        fresh.unlink(missing_ok=True)
        link_or_copy(str(source), str(fresh))
        os.replace(fresh, target)


def remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)
