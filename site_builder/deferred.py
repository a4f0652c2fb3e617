"""Work a ``mkdocs serve`` rebuild may finish after the reload: done in a thread, before the next rebuild.

Inside :func:`deferring`, a finalizer whose output no page links to on the
reload path (the manifest and sitemap) hands its work to :class:`DeferredWork`
instead of doing it.  The plugin starts the work once the rebuild has put
everything else in place (:meth:`DeferredWork.start`: it reads the finished
tree), or drops it if the rebuild failed (:meth:`DeferredWork.discard`); the
browser reloads the edited page while it runs in a thread.  The plugin calls
:meth:`DeferredWork.wait` before the next rebuild reads or writes anything
(that rebuild reads the manifest the work writes) and at shutdown, so two
rebuilds never overlap.  Outside the context nothing changes: the build does
the work itself, and fails if it fails.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class DeferredWork:
    """Actions queued by a rebuild, then run one after another in a thread; :meth:`wait` returns when all are done."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: list[tuple[str, Callable[[], None]]] = []
        self._threads: list[threading.Thread] = []

    def submit(self, name: str, action: Callable[[], None]) -> None:
        """Queue ``action`` (``name`` says what it updates), to run after those queued before it."""
        with self._lock:
            self._queued.append((name, action))

    def start(self) -> None:
        """Run what is queued, in a thread, after what was started before."""
        with self._lock:
            queued, self._queued = self._queued, []
            if not queued:
                return
            before = self._threads[-1] if self._threads else None
            thread = threading.Thread(target=self._run, args=(queued, before), name="deferred work", daemon=True)
            self._threads.append(thread)
        thread.start()

    def discard(self) -> None:
        """Drop what is queued (the rebuild that queued it failed)."""
        with self._lock:
            self._queued = []

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for every action submitted; False if one is still running after ``timeout`` seconds."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)
            if thread.is_alive():
                return False
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()]
        return True

    @staticmethod
    def _run(queued: list[tuple[str, Callable[[], None]]], before: threading.Thread | None) -> None:
        if before is not None:
            before.join()
        for name, action in queued:
            try:
                action()
            except Exception as error:  # a thread has no caller to raise to: say so; the next rebuild redoes it
                log.warning("%s was not updated: %s", name, error)


class Slot(Generic[T]):
    """A value the code a block runs can find (a context variable): whom to hand work to, in serve."""

    def __init__(self, name: str) -> None:
        self._var: ContextVar[T | None] = ContextVar(name, default=None)

    def get(self) -> T | None:
        """The value held in this context, if any."""
        return self._var.get()

    @contextmanager
    def holding(self, value: T) -> Iterator[None]:
        """Within the block, :meth:`get` answers ``value``."""
        token = self._var.set(value)
        try:
            yield
        finally:
            self._var.reset(token)


_DEFERRED: Slot[DeferredWork] = Slot("site_builder_deferred_work")


def deferred_work() -> DeferredWork | None:
    """The :class:`DeferredWork` finalizers hand their work to in this context, if any."""
    return _DEFERRED.get()


def deferring(work: DeferredWork) -> AbstractContextManager[None]:
    """Within the block, finalizers that may hand their work to ``work`` do."""
    return _DEFERRED.holding(work)
