"""Checks spread over forked processes: every check holds or the answer is no, and no child is left behind."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_builder import forked
from site_builder.forked import all_hold

THREADS_RUNNING = threading.active_count  # the real count, before the fixture stands one in for it


@pytest.fixture(autouse=True)
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a build, where nothing else runs when the checks do (the test runner may have threads of its own)."""
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    monkeypatch.setattr(forked.os, "cpu_count", lambda: 2)


def noting_pid(where: Path, holds: bool = True) -> forked.Check:
    def check() -> bool:
        where.write_text(str(os.getpid()))
        return holds

    return check


def test_every_check_holding_holds(tmp_path: Path) -> None:
    assert all_hold([noting_pid(tmp_path / "first"), noting_pid(tmp_path / "second")])


def test_the_checks_after_the_first_run_in_other_processes(tmp_path: Path) -> None:
    all_hold([noting_pid(tmp_path / "first"), noting_pid(tmp_path / "second")])
    assert int((tmp_path / "first").read_text()) == os.getpid()
    assert int((tmp_path / "second").read_text()) != os.getpid()


def test_a_check_failing_in_a_child_fails_the_whole(tmp_path: Path) -> None:
    assert not all_hold([noting_pid(tmp_path / "first"), noting_pid(tmp_path / "second", holds=False)])


def test_a_check_raising_in_a_child_counts_as_failed() -> None:
    def broken() -> bool:
        raise OSError("gone")

    assert not all_hold([lambda: True, broken])


def test_a_check_failing_here_kills_the_children_instead_of_waiting_for_them(monkeypatch: pytest.MonkeyPatch) -> None:
    children: list[int | None] = []
    fork = forked._child

    def noted(body: Callable[[], int]) -> int | None:
        children.append(fork(body))
        return children[-1]

    monkeypatch.setattr(forked, "_child", noted)
    started = time.monotonic()
    assert not all_hold([lambda: False, lambda: time.sleep(60) or True])
    assert time.monotonic() - started < 30
    assert len(children) == 1 and children[0] is not None
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # reaped: not left as a zombie


def test_with_other_threads_running_every_check_runs_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked.threading, "active_count", THREADS_RUNNING)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert all_hold([noting_pid(tmp_path / "first"), noting_pid(tmp_path / "second")])
    finally:
        stop.set()
        other.join()
    assert int((tmp_path / "second").read_text()) == os.getpid()


def test_a_check_that_cannot_be_forked_runs_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused() -> int:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(forked.os, "fork", refused)
    assert not all_hold([lambda: True, noting_pid(tmp_path / "second", holds=False)])
    assert int((tmp_path / "second").read_text()) == os.getpid()


def test_failing_gives_the_positions_of_the_items_failing_in_either_half() -> None:
    assert forked.failing(lambda n: n % 3 != 0, list(range(10))) == {0, 3, 6, 9}


def test_failing_checks_the_later_half_in_another_process(tmp_path: Path) -> None:
    def noting(n: int) -> bool:
        (tmp_path / str(n)).write_text(str(os.getpid()))
        return True

    assert forked.failing(noting, [0, 1]) == set()
    assert int((tmp_path / "0").read_text()) == os.getpid() != int((tmp_path / "1").read_text())


def test_a_child_that_raises_fails_every_item_of_its_half() -> None:
    def broken_above_four(n: int) -> bool:
        if n > 4:
            raise OSError("gone")
        return True

    assert forked.failing(broken_above_four, list(range(8))) == {4, 5, 6, 7}


def test_failing_with_many_positions_to_send_back_gets_them_all() -> None:
    items = list(range(200_000))  # more than a pipe holds while this process checks its own half
    assert forked.failing(lambda n: False, items) == set(items)


@pytest.fixture
def children_reaped_by_the_kernel() -> Iterator[None]:
    """SIGCHLD ignored, as a launcher may leave it: the kernel reaps children, and their answers are lost."""
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGCHLD, previous)


@pytest.mark.usefixtures("children_reaped_by_the_kernel")
def test_with_children_reaped_by_the_kernel_the_checks_run_here_and_answer() -> None:
    assert not all_hold([lambda: True, lambda: False])
    assert forked.failing(lambda n: n != 2, list(range(4))) == {2}


def test_a_child_whose_answer_was_lost_counts_as_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    def reaped_already(pid: int, options: int) -> tuple[int, int]:
        raise ChildProcessError("No child processes")

    waitpid = os.waitpid
    monkeypatch.setattr(forked.os, "waitpid", reaped_already)
    try:
        assert not all_hold([lambda: True, lambda: True])
        assert forked.failing(lambda n: True, [0, 1, 2, 3]) == {2, 3}
    finally:
        monkeypatch.undo()
        with contextlib.suppress(ChildProcessError):
            while waitpid(-1, os.WNOHANG)[0]:
                pass


@pytest.mark.parametrize(
    "call",
    [lambda: all_hold([lambda: True, lambda: True]), lambda: forked.failing(lambda n: True, [0, 1, 2, 3])],
    ids=["all_hold", "failing"],
)
def test_a_child_interrupted_as_it_starts_never_returns_into_the_caller(
    call: Callable[[], object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent, fork = os.getpid(), os.fork

    def fork_then_interrupted() -> int:
        pid = fork()
        if pid == 0:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, arriving in the child just after the fork
        return pid

    monkeypatch.setattr(forked.os, "fork", fork_then_interrupted)
    escaped = tmp_path / "escaped"
    try:
        call()
    except KeyboardInterrupt:
        pass
    finally:
        if os.getpid() != parent:  # a child running the caller's code: note it, end it
            escaped.write_text(str(os.getpid()))
            os._exit(0)
    assert not escaped.exists(), "a forked child returned into the caller"


def test_a_started_check_answers_when_asked() -> None:
    started = forked.start(lambda: True)
    assert started is not None and started.held() and started.held()  # asked again: the same answer


def test_a_started_check_stopped_before_its_answer_counts_as_failed_and_is_reaped() -> None:
    started = forked.start(lambda: time.sleep(60) or True)
    assert started is not None
    began = time.monotonic()
    started.stop()
    assert not started.held() and time.monotonic() - began < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(started.pid, os.WNOHANG)


def test_no_check_is_started_where_a_child_cannot_be_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert forked.start(lambda: True) is None
