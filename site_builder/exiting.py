"""Ending a command's process: its output flushed, the interpreter not torn down.

Freeing a build's objects one by one, after the work is done and reported,
took ~0.12 s at 10k records.  A command whose work has finished (its worker
processes and threads ended, its files closed and in place) has nothing left
to do at exit but that, so it ends at once.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress

__all__ = ["exit_now"]


def exit_now(code: int) -> None:
    """End this process with ``code`` once its output is flushed."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe or stream: nothing more can be said on it
            stream.flush()
    os._exit(code)
