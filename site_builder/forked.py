"""Checks that are mostly system calls, spread over the cores with ``fork``: :func:`all_hold`, :func:`failing`,
:func:`start`.

A no-op rebuild asks the kernel for the identity of every file the last
build read and left (80k ``stat`` calls at 10k records, ~0.25 s).  Threads
do not help: each call holds the interpreter lock around a two-microsecond
system call, and two threads took longer than one.  A forked process costs
about a millisecond and shares the parent's memory, so the second half of
the calls runs on the other core.  A child answers with its exit status (and,
for :func:`failing`, through a pipe); it never writes to a file or a stream of
the parent, and never returns into the caller's code (:func:`_child`).  Any
doubt about a child's answer counts as a check that failed: never as one that held.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
Check = Callable[[], bool]
# Held back while a child is forked: one that arrives then is the child's to take, by default (it ends it).
_DEFERRED = {signal.SIGINT}


def can_fork() -> bool:
    """Whether a child can be forked safely and be heard from.

    The platform must have ``fork`` and signal masks, this process must run one thread (with others
    running, as ``mkdocs serve``'s server, a lock one of them holds would stay held in the child for
    ever), there must be a second core, and children must not be reaped by the kernel (SIGCHLD
    ignored, as a launcher may leave it), which would lose their answers.
    """
    return (
        hasattr(os, "fork")
        and hasattr(signal, "pthread_sigmask")
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
        and signal.getsignal(signal.SIGCHLD) != signal.SIG_IGN
    )


def all_hold(checks: Sequence[Check]) -> bool:
    """Whether every check holds: the first here, each other in a forked child when :func:`can_fork`.

    A check no child could be forked for runs here too.  Once a check here fails, the children are
    not waited for: they are killed.  A child that raises counts as a check that failed.
    """
    if len(checks) < 2 or not can_fork():
        return all(check() for check in checks)
    children: list[Started] = []
    here = [checks[0]]
    held = False
    try:
        for check in checks[1:]:
            child = start(check)
            if child is None:
                here.append(check)
            else:
                children.append(child)
        held = all(check() for check in here)
    finally:
        if not held:
            for child in children:
                child.stop()
    return held and all([child.held() for child in children])  # each reaped, whatever the answers


@dataclass
class Started:
    """A check running in a forked child since :func:`start`; :meth:`held` waits for its answer."""

    pid: int
    answer: bool | None = None

    def held(self) -> bool:
        """Whether the check held (waits for it; asked again, the same answer)."""
        if self.answer is None:
            self.answer = _exited_holding(self.pid)
        return self.answer

    def stop(self) -> None:
        """Kill the child if it still runs, and reap it; its check counts as failed."""
        if self.answer is None:
            _kill(self.pid)
            _exited_holding(self.pid)
            self.answer = False


def start(check: Check) -> Started | None:
    """``check`` running from now on in a forked child, beside this process; None when :func:`can_fork` does
    not hold or no child could be forked (the caller checks some other way)."""
    if not can_fork():
        return None
    pid = _child(_status_of(check))
    return None if pid is None else Started(pid)


def failing(check: Callable[[T], bool], items: Sequence[T]) -> set[int]:
    """The positions of the ``items`` that ``check`` fails: the first half checked here, the other in a forked
    child when :func:`can_fork` (it sends its positions back through a pipe).

    A child that raises or dies counts as failing every item of its half.
    """
    half = len(items) // 2
    if half == 0 or not can_fork():
        return _failing_of(check, items, 0, len(items))
    read, write = os.pipe()

    def answer() -> int:
        os.close(read)
        with open(write, "w", encoding="ascii") as sent:
            sent.write(" ".join(map(str, _failing_of(check, items, half, len(items)))))
        return 0

    pid = _child(answer)
    os.close(write)
    if pid is None:
        os.close(read)
        return _failing_of(check, items, 0, len(items))
    try:
        with open(read, encoding="ascii") as received:
            failed = _failing_of(check, items, 0, half)
            theirs = received.read()
    except BaseException:
        _kill(pid)
        _exited_holding(pid)
        raise
    if _exited_holding(pid):
        return failed | {int(position) for position in theirs.split()}
    return failed | set(range(half, len(items)))


def _failing_of(check: Callable[[T], bool], items: Sequence[T], start: int, stop: int) -> set[int]:
    return {position for position in range(start, stop) if not check(items[position])}


def _child(body: Callable[[], int]) -> int | None:
    """The pid of a forked child that runs ``body`` and exits with the status it returns (1 if it raises);
    None when no child could be forked.

    The child never returns into the caller's code.  A Ctrl-C (SIGINT reaches the whole process
    group) is held back across the fork, and the child takes it as the default does, ending there:
    had it arrived as a KeyboardInterrupt before the child's ``finally`` was in place, the child would
    have gone on running the build's own code.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        pid = os.fork()
    except BaseException as error:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        if isinstance(error, OSError):
            return None
        raise
    if pid == 0:
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            status = body()
        finally:
            os._exit(status)
    signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return pid


def _status_of(check: Check) -> Callable[[], int]:
    """A child's body for ``check``: exit status 0 when it holds."""
    return lambda: 0 if check() else 1


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _exited_holding(pid: int) -> bool:
    """Wait for the child ``pid``; whether it exited 0 (its check held).  Not if its status was lost."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped by the kernel (SIGCHLD ignored since can_fork asked): no answer
        return False
    return os.waitstatus_to_exitcode(status) == 0
