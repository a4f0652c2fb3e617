"""What a build did: the report every build entry point returns, and the progress callback it takes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

Progress = Callable[[str, int, int], None]

__all__ = ["BuildReport", "Progress", "Stage"]


class Stage(NamedTuple):
    """One timed stage of a build."""

    name: str
    seconds: float
    started: float  # time.monotonic() at its start: other processes' clocks can place it (benchmarks do)
    peak_resident: int  # bytes: the build process's own peak during the stage (workers not counted); 0 unknown


@dataclass
class BuildReport:
    """What a build did: records, files and bytes published (written or reused), and each stage's time."""

    records: int = 0
    files: int = 0
    bytes: int = 0
    written_files: int = 0
    written_bytes: int = 0
    rendered_records: int = 0
    stages: list[Stage] = field(default_factory=list)
    # Seconds in the system calls that created files, folders and links, summed over every process
    # (record workers included): how much of the build the disk took.
    creating_seconds: float = 0.0

    @property
    def seconds(self) -> float:
        """From the first stage's start to the last one's end (a stage may run alongside others)."""
        if not self.stages:
            return 0.0
        return max(s.started + s.seconds for s in self.stages) - min(s.started for s in self.stages)

    def summary(self) -> str:
        return (
            f"built {self.records} records: {self.files} files, {self.bytes / 1e6:.1f} MB "
            f"({self.written_files} written, {self.rendered_records} records rendered) in {self.seconds:.2f} s"
        )
