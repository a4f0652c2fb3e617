"""Ending a command's process: its output flushed, the interpreter not torn down.

Freeing a build's objects one by one, after the work is done and reported,
took ~0.12 s at 10k records.  A command whose work has finished (its worker
processes and threads ended, its files closed and in place) has nothing left
to do at exit but that, and the logging handlers' and standard streams'
flushing, which is done here; so it ends at once.  Nothing in this project
registers work to do at exit (``atexit``); a handler another package registers
(a MkDocs plugin's, say) is not run.
"""

from __future__ import annotations

import logging
import os
import sys

__all__ = ["exit_now"]

UNFLUSHED = 120  # what Python exits with when it cannot flush the standard streams at exit


def exit_now(code: int) -> None:
    """End this process with ``code`` once its logging and output are flushed (``UNFLUSHED`` if they cannot be)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: the output is incomplete
            code = code or UNFLUSHED
    os._exit(code)
