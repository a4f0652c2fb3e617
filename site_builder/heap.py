"""Keeping the build's large, long-lived state out of the cyclic garbage collector's way.

A rebuild of a large registry starts by loading what the last build left: the
cache (at 10k records, ~400k tuples, byte strings and summaries) and the
previous manifest (a named tuple per published URL).  None of it holds a
reference cycle, and all of it lives until the build ends, yet CPython's
collector walks it again at every full collection the build's later
allocations trigger: at 10k records that cost ~0.8 s of a one-record edit.

So the loading runs with the collector paused (:func:`collector_paused`),
and :class:`LoadedState` then freezes everything alive into CPython's
permanent generation (``gc.freeze``), which collections skip and which
forked worker processes share without touching.  Reference counting still
frees frozen objects as usual; only cycles among them wait.  Leaving the
``with`` block unfreezes them, so a long-lived process (``mkdocs serve``)
collects the previous build's cycles as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

__all__ = ["LoadedState", "collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection within (as it was before, after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class LoadedState:
    """``with LoadedState() as loaded: ... loaded.freeze() ...``: frozen from ``freeze()`` to the block's end."""

    def __init__(self) -> None:
        self.frozen = False

    def freeze(self) -> None:
        """Everything alive now lives for the rest of the block: later collections need not walk it."""
        gc.freeze()
        self.frozen = True

    def __enter__(self) -> LoadedState:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self.frozen:
            gc.unfreeze()
