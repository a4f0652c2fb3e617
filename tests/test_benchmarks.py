"""The benchmark command runs end to end and prints its table (figures are measured, never asserted)."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks import retired

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def printed() -> str:
    """What ``python -m benchmarks`` prints for a small registry, every row, without Hugo."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--records", "40", "--repeat", "1", "--no-hugo", "--no-wait"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_benchmark_builds_a_small_registry_every_way_and_prints_one_row_each(printed: str) -> None:
    tables = _tables(printed)
    rows = [line.split(" | ")[0].lstrip("| ") for line in tables[0] if line.startswith("| ")]
    assert rows == [
        "build",
        "site_builder cold (registry)",
        "disk floor: these files created, nothing rendered",
        "site_builder cold, registry pages only",
        "no-op rebuild",
        "one-record edit",
        "one-template edit (record.html)",
        "one-template edit (listing.html)",
        "site-builder build (make site): no-op rebuild",
        "site-builder build (make site): one-record edit",
        "mkdocs serve rebuild after a one-record edit",
    ]
    assert {line.count("|") for line in tables[0]} == {8}, "a row with more or fewer cells than the header"


def test_the_benchmark_prints_each_stage_with_its_time_and_memory_for_the_cold_build_and_the_edit(
    printed: str,
) -> None:
    cold, edit = _tables(printed)[1:]
    for stages in (cold, edit):
        assert stages[0].startswith("| stage | seconds | peak RSS, build process |")
        assert {line.count("|") for line in stages} == {5}
        names = [line.split(" | ")[0].lstrip("| ") for line in stages[2:]]
        assert names[:2] == ["scan", "records"] and "cache" in names
        own = [line.split(" | ")[2] for line in stages[2:] if "(alongside)" not in line]
        assert all(peak.endswith("MiB") for peak in own), "a stage without its peak memory"
    assert "index_site (alongside)" in [line.split(" | ")[0].lstrip("| ") for line in cold]
    assert "prune" in [line.split(" | ")[0].lstrip("| ") for line in edit]


def _tables(printed: str) -> list[list[str]]:
    """The tables in ``printed``, each as its lines."""
    tables: list[list[str]] = []
    previous = ""
    for line in printed.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line
    return tables


def test_a_measured_run_knows_the_memory_its_command_used_by_rss_and_by_pss() -> None:
    from benchmarks.measure import run

    held = 64 << 20
    result = run([sys.executable, "-c", f"import time; kept = b'x' * {held}; time.sleep(0.8)"])
    assert result.returncode == 0
    assert result.peak_rss >= held and result.peak_pss >= held


def test_a_measured_command_runs_with_pythons_bytecode_cache_as_a_maintainers_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from benchmarks.measure import run

    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("SITE_BUILDER_BENCH_PROBE", "kept")
    code = "import os, sys; print(sys.dont_write_bytecode, os.environ['SITE_BUILDER_BENCH_PROBE'])"
    assert run([sys.executable, "-c", code]).stdout.split() == ["False", "kept"]


def test_a_measured_tree_holds_a_grandchild_started_from_a_thread() -> None:
    from benchmarks.measure import tree

    code = (
        "import subprocess, sys, threading\n"
        "def start(): subprocess.Popen(['sleep', '30']).wait()\n"
        "threading.Thread(target=start, daemon=True).start()\n"
        "print('started', flush=True)\n"
        "sys.stdin.read()\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "started\n"
        deadline = time.monotonic() + 10
        while not _runs_sleep(found := tree(child.pid)) and time.monotonic() < deadline:
            time.sleep(0.01)  # the grandchild is listed from its fork on, and runs sleep once it has exec'd
        assert found[0] == child.pid and len(found) == 2 and _runs_sleep(found)
    finally:
        for pid in tree(child.pid)[1:]:
            os.kill(pid, signal.SIGKILL)
        child.kill()
        child.wait()


def _runs_sleep(found: list[int]) -> bool:
    """Whether the second process of ``found`` (a tree) is running ``sleep``."""
    try:
        with open(f"/proc/{found[1]}/cmdline", "rb") as cmdline:
            return cmdline.read().split(b"\0")[0] == b"sleep"
    except (IndexError, OSError):
        return False


def test_the_disk_floor_creates_as_many_files_and_bytes_as_the_tree_it_copies(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "records" / "a").mkdir(parents=True)
    (site / "records" / "a" / "index.html").write_bytes(b"x" * 1000)
    (site / "index.html").write_bytes(b"y" * 10)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.write_floor", str(site), str(tmp_path / "floor")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    assert (report["files"], report["bytes"]) == (2, 1010)
    assert (tmp_path / "floor" / "records" / "a" / "index.html").read_bytes() == bytes(1000)
    assert (tmp_path / "floor" / "index.html").stat().st_size == 10


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """benchmarks.retired with its work folder in ``tmp_path``, no real sleep; the waits it asked for."""
    monkeypatch.setattr(retired, "RETIRED", tmp_path / ".retired")
    monkeypatch.setattr(retired, "DELETED_AT", tmp_path / ".retired-deleted-at")
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)
    return waits


def test_a_retired_tree_is_moved_aside_not_deleted(tmp_path: Path, work: list[float]) -> None:
    (tmp_path / "site" / "records").mkdir(parents=True)
    (tmp_path / "site" / "records" / "index.html").write_text("page", encoding="utf-8")
    retired.retire(tmp_path / "site")
    retired.retire(tmp_path / "never-built")
    assert not (tmp_path / "site").exists()
    [kept] = (tmp_path / ".retired").iterdir()
    assert (kept / "records" / "index.html").read_text(encoding="utf-8") == "page"


def a_tree(root: Path, files: int) -> Path:
    (root / "site").mkdir()
    for number in range(files):
        (root / "site" / f"{number}.html").write_bytes(b"")
    return root / "site"


@pytest.mark.parametrize(("files", "waits"), [(12, 1), (3, 0)], ids=["large", "small"])
def test_settling_deletes_the_retired_trees_then_waits_out_a_large_deletion_only(
    tmp_path: Path, work: list[float], monkeypatch: pytest.MonkeyPatch, files: int, waits: int
) -> None:
    monkeypatch.setattr(retired, "FEW", 10)  # entries: the folder, its files, the folder of retired trees
    retired.retire(a_tree(tmp_path, files))
    retired.settle(announce=False)
    assert not (tmp_path / ".retired").exists()
    assert len(work) == waits and all(0 < wait <= retired.FORGOTTEN_AFTER for wait in work)


def test_deleting_the_retired_trees_notes_when_and_how_many_entries(tmp_path: Path, work: list[float]) -> None:
    retired.retire(a_tree(tmp_path, 5))
    before = time.time()
    retired.delete_retired()
    deleted_at, entries = (tmp_path / ".retired-deleted-at").read_text(encoding="utf-8").split()
    assert before <= float(deleted_at) <= time.time()
    assert int(entries) == 7  # the five files, their folder, and the folder of retired trees
    assert work == []


def test_settling_without_waiting_deletes_the_retired_trees_only(tmp_path: Path, work: list[float]) -> None:
    (tmp_path / ".retired-deleted-at").write_text(f"{time.time()} 1000000\n", encoding="utf-8")
    retired.retire(a_tree(tmp_path, 3))
    assert retired.settle(announce=False, wait=False) == 0.0
    assert not (tmp_path / ".retired").exists() and work == []


def test_settling_waits_for_nothing_when_the_last_deletion_is_long_past(tmp_path: Path, work: list[float]) -> None:
    long_ago = time.time() - retired.FORGOTTEN_AFTER - 1
    (tmp_path / ".retired-deleted-at").write_text(f"{long_ago} 1000000\n", encoding="utf-8")
    assert retired.settle(announce=False) == 0.0
    assert work == []


def test_a_retired_file_on_another_file_system_is_deleted_at_once(
    tmp_path: Path, work: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    def elsewhere(self: Path, target: Path) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    (tmp_path / "floor.json").write_text("{}", encoding="utf-8")
    a_tree(tmp_path, 2)
    monkeypatch.setattr(Path, "rename", elsewhere)
    retired.retire(tmp_path / "floor.json")
    retired.retire(tmp_path / "site")
    assert not (tmp_path / "floor.json").exists() and not (tmp_path / "site").exists()


def test_settling_a_first_run_waits_for_nothing(work: list[float]) -> None:
    assert retired.settle(announce=False) == 0.0
    assert work == []
