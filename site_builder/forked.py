"""Checks that are mostly system calls, spread over the cores with ``fork``: :func:`all_hold`.

A no-op rebuild asks the kernel for the identity of every file the last
build read and left (80k ``stat`` calls at 10k records, ~0.25 s).  Threads
do not help: each call holds the interpreter lock around a two-microsecond
system call, and two threads took longer than one.  A forked process costs
about a millisecond and shares the parent's memory, so the second half of
the calls runs on the other core.  A child answers with its exit status
only; it never writes to a file or a stream of the parent.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
Check = Callable[[], bool]


def can_fork() -> bool:
    """Whether a child can be forked safely: the platform has ``fork`` and this process runs one thread.

    With other threads running (``mkdocs serve``'s server), a lock one of them holds would stay
    held in the child for ever.
    """
    return hasattr(os, "fork") and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


def all_hold(checks: Sequence[Check]) -> bool:
    """Whether every check holds: the first here, each other in a forked child when :func:`can_fork`.

    A check no child could be forked for runs here too.  Once a check here fails, the children are
    not waited for: they are killed.  A child that raises counts as a check that failed.
    """
    if len(checks) < 2 or not can_fork():
        return all(check() for check in checks)
    children: list[int] = []
    here = [checks[0]]
    for check in checks[1:]:
        pid = _forked(check)
        if pid is None:
            here.append(check)
        else:
            children.append(pid)
    held = False
    try:
        held = all(check() for check in here)
    finally:
        for pid in children:
            if not held:
                _kill(pid)
            held = _exited_holding(pid) and held
    return held


def failing(check: Callable[[T], bool], items: Sequence[T]) -> set[int]:
    """The positions of the ``items`` that ``check`` fails: the first half checked here, the other in a forked
    child when :func:`can_fork` (it sends its positions back through a pipe).

    A child that raises or dies counts as failing every item of its half.
    """
    half = len(items) // 2
    if half == 0 or not can_fork():
        return _failing_of(check, items, 0, len(items))
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return _failing_of(check, items, 0, len(items))
    if pid == 0:  # the child: never returns to the caller
        status = 1
        try:
            os.close(read)
            with open(write, "w", encoding="ascii") as answer:
                answer.write(" ".join(map(str, _failing_of(check, items, half, len(items)))))
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with open(read, encoding="ascii") as answer:
        try:
            failed = _failing_of(check, items, 0, half)
        except BaseException:
            _kill(pid)
            os.waitpid(pid, 0)
            raise
        theirs = answer.read()
    if _exited_holding(pid):
        return failed | {int(position) for position in theirs.split()}
    return failed | set(range(half, len(items)))


def _failing_of(check: Callable[[T], bool], items: Sequence[T], start: int, stop: int) -> set[int]:
    return {position for position in range(start, stop) if not check(items[position])}


def _forked(check: Check) -> int | None:
    """The pid of a child that exits 0 when ``check`` holds, 1 otherwise; None when no child could be forked."""
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: never returns to the caller
        status = 1
        try:
            status = 0 if check() else 1
        finally:
            os._exit(status)
    return pid


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _exited_holding(pid: int) -> bool:
    """Wait for the child ``pid``; whether it exited 0 (its check held)."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
