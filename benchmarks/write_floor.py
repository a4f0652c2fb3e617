"""The disk's floor for a tree: ``python -m benchmarks.write_floor SITE OUT``.

Creates ``OUT`` (a new folder) and below it the same folders and files as
``SITE`` (same relative paths, same sizes; the bytes are zeros), in as many
processes as there are cores, and prints the seconds that took as one JSON
line.  The copy is left in place: deleting it is the caller's, at a time when
no build is timed (benchmarks.retired).  Nothing is read or
rendered: it is what creating that many files costs on this disk, the part of
a cold build no code change can remove (a build writes at least its files).
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def listing(site: Path) -> list[tuple[str, int]]:
    """(relative path, size) of every file below ``site``, in walk order (a folder's files together)."""
    files = []
    for folder, _, names in os.walk(site):
        prefix = os.path.relpath(folder, site)
        for name in names:
            files.append((os.path.join(prefix, name), os.lstat(os.path.join(folder, name)).st_size))
    return files


def create(out: str, files: list[tuple[str, int]]) -> None:
    made: set[str] = set()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    for relative, size in files:
        path = os.path.join(out, relative)
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        fd = os.open(path, flags, 0o644)
        try:
            os.write(fd, bytes(size))
        finally:
            os.close(fd)


def main() -> None:
    site, out = Path(sys.argv[1]), Path(sys.argv[2])
    files = listing(site)
    out.mkdir(parents=True)  # a new folder: the caller sets the last one aside (benchmarks.retired)
    os.sync()  # the listing's reads and writes are not this measurement's
    workers = os.cpu_count() or 1
    step = max(1, -(-len(files) // workers))  # at least 1: an empty tree makes no chunk, not a zero step
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(create, [str(out)] * workers, [files[i : i + step] for i in range(0, len(files), step)]))
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "files": len(files), "bytes": sum(size for _, size in files)}))


if __name__ == "__main__":
    main()
