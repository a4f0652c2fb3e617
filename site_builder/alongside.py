"""Work that runs in a thread alongside the build's later stages: the finalizers of ``outputs.EARLY_FINALIZERS``.

The search index reads only the record pages, and Pagefind runs in processes
of its own.  Started as soon as the records are written, those processes use
the cores the build process leaves idle while it renders the listings and
prunes the staging tree; the engine then waits for the work at its place
among the finalizers, so the finalizers after it see the same tree as before.

The build thread waits until the work says it needs it no more
(:func:`detach`: Pagefind has started) or ends.  Until then the work has the
interpreter to itself: a thread making many system calls (stat, copy) next
to one that computes waits for the interpreter lock after each of them, and
its preparation took 0.6 s instead of 0.15 s at 10k records.

Work that would hold much memory next to the build's own peak (the search index
of a whole site: at 100k records ~60 MiB a Pagefind process, next to the
listings' ~130 MB of API files) calls :func:`wait_for_turn`: it goes on only
once the build waits for it, as if it had not started early.

When the build gives up before that place (a later stage refused to
publish), the engine calls :meth:`Alongside.abandon`: what the work
registered with :func:`on_abandon` runs at once (Pagefind's processes are
terminated), and the engine waits for the thread to end before the staging
tree is discarded.  Code that starts threads of its own inside such work
runs them in :func:`within` (a thread starts without the context variables
that say whose work it is).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextvars import Context, copy_context
from typing import TypeVar

from .deferred import Slot
from .report import Stage

__all__ = ["Alongside", "abandoned", "detach", "on_abandon", "wait_for_turn", "within"]

T = TypeVar("T")
R = TypeVar("R")


class Alongside:
    """``action`` running in a thread of its own from now on, timed as the stage ``name``."""

    def __init__(self, name: str, action: Callable[[], object]) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._stops: list[Callable[[], None]] = []
        self._abandoned = False
        self._stage: Stage | None = None
        self._error: BaseException | None = None
        self._detached = threading.Event()
        self._turn = threading.Event()  # set once the build waits for the work, or gives up on it
        self._thread = threading.Thread(target=copy_context().run, args=(self._run, action), name=name, daemon=True)
        self._thread.start()
        try:
            self._detached.wait()
        except BaseException:  # interrupted: the work must not go on writing into a tree being discarded
            self.abandon()
            raise

    def _run(self, action: Callable[[], object]) -> None:
        started = time.monotonic()
        try:
            with _CURRENT.holding(self):
                action()
        except BaseException as error:  # raised again in the build's own thread, by result()
            self._error = error
        finally:  # its own peak cannot be told apart from the build thread's: unknown
            self._stage = Stage(self.name, time.monotonic() - started, started, 0)
            self._detached.set()

    def result(self) -> Stage:
        """Wait for the work to end; its stage, or raise what it raised."""
        self._turn.set()
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._stage is not None
        return self._stage

    def abandon(self) -> None:
        """The build gave up on this work: stop it as soon as it can, and wait until it has ended."""
        with self._lock:
            self._abandoned = True
            stops, self._stops = self._stops, []
        self._turn.set()
        for stop in stops:
            stop()
        self._thread.join()

    def _register(self, stop: Callable[[], None]) -> bool:
        with self._lock:
            if self._abandoned:
                return False
            self._stops.append(stop)
            return True


_CURRENT: Slot[Alongside] = Slot("site_builder_alongside")


def on_abandon(stop: Callable[[], None]) -> bool:
    """In work running alongside the build: call ``stop`` if the build gives up on it.

    False when it already has (the caller should stop now); True, and nothing
    registered, outside such work.
    """
    current = _CURRENT.get()
    return current is None or current._register(stop)


def detach() -> None:
    """In work running alongside the build: let the build thread go on (the rest is mostly waiting)."""
    current = _CURRENT.get()
    if current is not None:
        current._detached.set()


def wait_for_turn() -> None:
    """In work running alongside the build: let the build thread go on, and go on only once it waits for
    the work (at its place among the finalizers) or gives up on it.  For work that would hold much
    memory next to the build's own peak: the search index of a whole site, not of an edit."""
    current = _CURRENT.get()
    if current is not None:
        current._detached.set()
        current._turn.wait()


def abandoned() -> bool:
    """Whether the build gave up on the work running alongside it here (False outside such work)."""
    current = _CURRENT.get()
    return current is not None and current._abandoned


def within(context: Context, action: Callable[[T], R]) -> Callable[[T], R]:
    """``action`` run in a copy of ``context`` (taken in the thread that starts a pool): for another thread."""
    return lambda argument: context.copy().run(action, argument)
