"""Each stage of a build is timed, placed on the monotonic clock, and measured for its own peak memory."""

from __future__ import annotations

import time

from site_builder.engine import Stages
from site_builder.report import BuildReport

MiB = 1024 * 1024


def _hold(size: int) -> int:
    block = bytearray(size)
    block[::4096] = b"x" * len(range(0, size, 4096))  # touch every page so it is resident
    return len(block)


def test_a_stage_reports_its_own_peak_not_an_earlier_stages() -> None:
    report = BuildReport()
    stages = Stages(report)
    stages.run("large", lambda: _hold(96 * MiB))
    stages.run("small", lambda: _hold(1 * MiB))
    large, small = report.stages
    assert large.peak_resident - small.peak_resident > 64 * MiB


def test_a_stage_is_placed_on_the_monotonic_clock_in_order() -> None:
    before = time.monotonic()
    report = BuildReport()
    stages = Stages(report)
    stages.run("first", lambda: time.sleep(0.01))
    stages.run("second", lambda: None)
    first, second = report.stages
    assert before <= first.started and first.started + first.seconds <= second.started
    assert first.seconds >= 0.01 and report.seconds == second.started + second.seconds - first.started
    assert [stage.name for stage in report.stages] == ["first", "second"]
