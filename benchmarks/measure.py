"""Run a command and measure it: wall time, and peak memory of the whole process tree (sampled, summed).

Two sums are sampled.  RSS counts a page once in every process that maps it:
worker processes forked from the build share most of their parent's pages,
and a child between ``fork`` and ``exec`` shows all of them, so summed RSS
overstates what the tree uses.  PSS (proportional set size, from
``/proc/<pid>/smaps_rollup``) splits each shared page between the processes
that share it, so its sum is the memory the tree uses together.  Reading it
walks a process's page tables (~12 ms for 400 MB), so it is sampled every
``PSS_EVERY`` RSS samples (0.25 s), where RSS is sampled every 10 ms.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import psutil

from site_builder.resident import proc_field

SAMPLE_SECONDS = 0.01
PSS_EVERY = 25


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes: the largest sum of RSS over the command and all its descendants at one moment
    stdout: str
    returncode: int
    # (time.monotonic(), bytes) of every PSS sample (sampled less often than RSS): what the tree held when
    pss_samples: list[tuple[float, int]] = field(default_factory=list)

    @property
    def peak_pss(self) -> int:
        """Bytes: the largest sum of PSS sampled; 0 where PSS cannot be read."""
        return max((held for _, held in self.pss_samples), default=0)

    def peak_pss_between(self, start: float, end: float) -> int:
        """The largest PSS sample taken from ``start`` to ``end`` (monotonic clock); 0 if none fell in it."""
        return max((held for at, held in self.pss_samples if start <= at <= end), default=0)


T = TypeVar("T")


def median(items: Sequence[T], key: Callable[[T], float]) -> T:
    """The item whose ``key`` is the median (of an even count, the upper middle one)."""
    return sorted(items, key=key)[len(items) // 2]


def tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in tree(process):
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def pss(pid: int) -> int:
    """Bytes of process ``pid``'s proportional set size; 0 when it is gone or the system does not tell."""
    return proc_field(f"/proc/{pid}/smaps_rollup", b"Pss:")


def tree_pss(process: psutil.Process) -> int:
    return sum(pss(member.pid) for member in tree(process))


def run(command: list[str], cwd: Path | None = None) -> Run:
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(child.pid)
    peak = samples = 0
    pss_samples: list[tuple[float, int]] = []
    while child.poll() is None:
        peak = max(peak, tree_rss(watched))
        if samples % PSS_EVERY == 0:
            pss_samples.append((time.monotonic(), tree_pss(watched)))
        samples += 1
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - start
    stdout, stderr = child.communicate()
    if child.returncode:
        print(stderr[-3000:])
    return Run(seconds, peak, stdout, child.returncode, pss_samples)


def tree_size(root: Path) -> tuple[int, int]:
    """Files and bytes below ``root``."""
    files = size = 0
    for path in root.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
    return files, size
