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

import os
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


PAGE = os.sysconf("SC_PAGE_SIZE")
# Each thread's children are listed in /proc/<pid>/task/<tid>/children (Linux 3.5+, CONFIG_PROC_CHILDREN).
CHILDREN_LISTED = os.path.exists(f"/proc/self/task/{os.getpid()}/children")


def tree(pid: int) -> list[int]:
    """``pid`` and every process below it; [] once it is gone.

    Read from each thread's ``children`` file: the sampler runs every 10 ms
    while a build wants both cores, and psutil's ``children(recursive=True)``
    reads the status of every process on the machine (1.15 ms a sample, 11 %
    of a core) where these files cost 0.05 ms.  Pagefind is started from a
    thread, so every thread's file is read.
    """
    if not CHILDREN_LISTED:
        return _tree_by_psutil(pid)
    found: list[int] = []
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue  # gone since its parent listed it
        found.append(current)
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children", "rb") as listed:
                    pending.extend(int(child) for child in listed.read().split())
            except OSError:
                pass
    return found


def _tree_by_psutil(pid: int) -> list[int]:
    try:
        process = psutil.Process(pid)
        return [pid, *(child.pid for child in process.children(recursive=True))]
    except psutil.Error:
        return []


def rss(pid: int) -> int:
    """Bytes of process ``pid``'s resident set; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def pss(pid: int) -> int:
    """Bytes of process ``pid``'s proportional set size; 0 when it is gone or the system does not tell."""
    return proc_field(f"/proc/{pid}/smaps_rollup", b"Pss:")


def as_installed() -> dict[str, str]:
    """This environment, less what makes Python run unlike a maintainer's: ``PYTHONDONTWRITEBYTECODE``.

    With it set (this machine's shell sets it), every build process compiled our ~60 modules from
    source, ~0.1 s a process: a tenth of a no-op rebuild.  Hugo, a binary, pays nothing like it.
    """
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(command: list[str], cwd: Path | None = None) -> Run:
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=as_installed()
    )
    watched = child.pid
    peak = samples = 0
    pss_samples: list[tuple[float, int]] = []
    while child.poll() is None:
        members = tree(watched)  # once a sample: RSS and, every PSS_EVERY samples, PSS of the same processes
        peak = max(peak, sum(map(rss, members)))
        if samples % PSS_EVERY == 0:
            pss_samples.append((time.monotonic(), sum(map(pss, members))))
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
