"""Keeping the build's large, long-lived state out of the cyclic garbage collector's way.

A rebuild of a large registry starts by loading what the last build left: the
cache (at 10k records, ~400k tuples, byte strings and summaries) and the
previous manifest (a named tuple per published URL).  None of it holds a
reference cycle, and all of it lives until the build ends, yet CPython's
collector walks it again at every full collection the build's later
allocations trigger: at 10k records that cost ~0.8 s of a one-record edit.

So :class:`LoadedState` pauses the collector while the state is loaded,
then freezes everything alive into CPython's permanent generation
(``gc.freeze``), which collections skip and which forked worker processes
share without touching, and lets the collector run again.  Reference counting
still frees frozen objects as usual; only cycles among them wait.  Leaving the
``with`` block unfreezes them, so a long-lived process (``mkdocs serve``)
collects the previous build's cycles as before.
"""

from __future__ import annotations

import gc
from types import TracebackType

__all__ = ["LoadedState"]


class LoadedState:
    """``with LoadedState() as loaded: <load> loaded.freeze() <use>``.

    No cyclic collection from the block's start to ``freeze()`` (or the block's
    end, when it leaves early); what was alive at ``freeze()`` is frozen until
    the block's end.  The collector is left as it was found (a collector
    disabled before stays disabled).
    """

    def __init__(self) -> None:
        self.frozen = False
        self._paused = False

    def freeze(self) -> None:
        """Everything alive now lives for the rest of the block: later collections need not walk it."""
        gc.freeze()
        self.frozen = True
        self._resume()

    def _resume(self) -> None:
        if self._paused:
            self._paused = False
            gc.enable()

    def __enter__(self) -> LoadedState:
        self._paused = gc.isenabled()
        gc.disable()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self.frozen:
            gc.unfreeze()
        self._resume()
