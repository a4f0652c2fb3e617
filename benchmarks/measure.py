"""Run a command and measure it: wall time, and peak RSS of the whole process tree (sampled, summed)."""

from __future__ import annotations

import contextlib
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.01


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes: the largest sum of RSS over the command and all its descendants at one moment
    stdout: str
    returncode: int


def tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def run(command: list[str], cwd: Path | None = None) -> Run:
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_rss(watched))
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - start
    stdout, stderr = child.communicate()
    if child.returncode:
        print(stderr[-3000:])
    return Run(seconds, peak, stdout, child.returncode)


def tree_size(root: Path) -> tuple[int, int]:
    """Files and bytes below ``root``."""
    files = size = 0
    for path in root.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
    return files, size
