"""The search index's shards: which records each holds, and the folders of one shard's Pagefind run.

A current record goes to shard ``int(sha256(id)[:8], 16) % K``, where ``K`` is
the smallest power of two that holds the current records at
``search_shard_records`` records per shard (at least 1).  The hash depends on
the id alone, so a record stays in its shard as long as ``K`` does; with a
power of two, when ``K`` doubles each shard splits in two.  A shard is named by
its number in hex, zero-padded to a width fixed by ``K``; a shard without a
record is not made.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable
from math import ceil
from pathlib import Path

from .filedigests import Found

SHARDS = "shards"  # below pagefind/: pagefind/shards/<name>/ is one shard's Pagefind bundle
# Root files of a bundle that are Pagefind's UI, not its index (pagefind.js and its worker load the index).
NOT_UI = ("pagefind.js", "pagefind-worker.js")


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


def shard_pages(out_dir: Path, record_ids: list[str]) -> list[Found]:
    """The record pages of ``record_ids`` in ``out_dir`` as found now (a missing page is left out)."""
    pages = []
    for record_id in record_ids:
        relative = record_page(record_id)
        path = os.path.join(out_dir, relative)
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


def link_pages(pages: list[Found], folder: Path) -> None:
    """A site of just ``pages`` at ``folder``: each linked (or copied) at its site path, for Pagefind to read."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for relative, path, *_ in pages:
        target = os.path.join(folder, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        link_or_copy(path, target)


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
