"""Pagefind off the reload path (``mkdocs serve``): index in a thread, swap the bundle in when done.

Inside :func:`indexing_in_background`, :func:`~.search.index_site` does not
wait for Pagefind: it hands the command to a :class:`BackgroundIndex`, which
writes the new bundle into a hidden folder beside ``pagefind/`` and swaps it
into place (one atomic rename where the kernel can) when it is complete.
Until then the site keeps the previous bundle, so the search page works with
the previous index.  A newer job cancels an older one (its Pagefind process
is terminated and its folder removed, never swapped in), and so does
:meth:`BackgroundIndex.cancel`, which the plugin calls before each rebuild
writes anything and at shutdown.  Outside the context nothing changes: the
build runs Pagefind itself and fails if Pagefind fails.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from ..writer import commit_staging
from .pagefind_order import normalize_bundle

NEXT_BUNDLE = ".pagefind-next"  # hidden: not published, not in the manifest, not cleaned by MkDocs

log = logging.getLogger(__name__)


@dataclass
class IndexJob:
    """One Pagefind run: ``command`` writes into ``staging``, which then replaces ``bundle``."""

    command: list[str]
    staging: Path
    bundle: Path
    done: Callable[[], None]  # after the swap (the build cache remembers the new bundle)
    cancelled: bool = False
    process: subprocess.Popen[str] | None = None


class BackgroundIndex:
    """At most one Pagefind job at a time, in a thread; see the module docstring."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._job: IndexJob | None = None
        self._thread: threading.Thread | None = None

    def submit(self, job: IndexJob) -> None:
        """Start ``job``, cancelling the one running."""
        self.cancel()
        thread = threading.Thread(target=self._run, args=(job,), name="pagefind", daemon=True)
        with self._lock:
            self._job, self._thread = job, thread
        thread.start()

    def cancel(self) -> None:
        """Stop the running job, if any, and wait until it has cleaned up; its bundle is not swapped in."""
        with self._lock:
            job, thread = self._job, self._thread
            self._job = self._thread = None
            if job is not None:
                job.cancelled = True
                if job.process is not None and job.process.poll() is None:
                    job.process.terminate()
        if thread is not None:
            thread.join()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the running job to finish; False if it is still running after ``timeout`` seconds."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _start(self, job: IndexJob) -> subprocess.Popen[str] | None:
        with self._lock:
            if job.cancelled:
                return None
            job.process = subprocess.Popen(job.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            return job.process

    def _run(self, job: IndexJob) -> None:
        try:
            shutil.rmtree(job.staging, ignore_errors=True)
            process = self._start(job)
            if process is None:
                return
            out, err = process.communicate()
            if job.cancelled:
                return
            if process.returncode != 0:
                message = (err or out).strip().splitlines()[-1:] or ["no output"]
                log.warning("Pagefind failed, the search index was not updated: %s", message[0])
                return
            normalize_bundle(job.staging)
            with self._lock:
                if job.cancelled:
                    return
                commit_staging(job.staging, job.bundle)
                job.done()
        except Exception as error:  # a thread has no caller to raise to: say so, keep serving the previous index
            log.warning("the search index was not updated: %s", error)
        finally:
            shutil.rmtree(job.staging, ignore_errors=True)


_BACKGROUND: ContextVar[BackgroundIndex | None] = ContextVar("site_builder_background_index", default=None)


def background_index() -> BackgroundIndex | None:
    """The :class:`BackgroundIndex` Pagefind is handed to in this context, if any."""
    return _BACKGROUND.get()


@contextmanager
def indexing_in_background(index: BackgroundIndex) -> Iterator[None]:
    """Within the block, builds hand Pagefind to ``index`` instead of waiting for it."""
    token = _BACKGROUND.set(index)
    try:
        yield
    finally:
        _BACKGROUND.reset(token)
