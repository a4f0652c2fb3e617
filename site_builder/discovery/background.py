"""Pagefind off the reload path (``mkdocs serve``): index in threads, swap the bundles in when all are done.

Inside :func:`indexing_in_background`, :func:`~.search.index_site` does not
wait for Pagefind: it hands the runs of the shards whose pages changed to a
:class:`BackgroundIndex` as one :class:`IndexJob`.  The runs write their
bundles into a hidden folder beside ``pagefind/`` (at most one Pagefind
process per core at a time) and, when every one of them is complete, each
bundle replaces its shard's (one atomic rename where the kernel can) and the
job's ``done`` tidies ``pagefind/`` and remembers the new bundles.  Until then
the site keeps the previous bundles, so the search page works with the
previous index (but when the set of shards changed, the page, rendered
already, lists the new set: a shard still being made is missing until the
swap).  A newer job cancels an older one (its Pagefind processes are
terminated and its folder removed, nothing is swapped in), and so does
:meth:`BackgroundIndex.cancel`, which the plugin calls before each rebuild
writes anything and at shutdown.  Outside the context nothing changes: the
build runs Pagefind itself and fails if Pagefind fails.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from ..deferred import Slot
from ..writer import commit_staging
from .pagefind_order import normalize_bundle
from .searchshards import shard_site

NEXT_BUNDLE = ".pagefind-next"  # hidden: not published, not in the manifest, not cleaned by MkDocs

log = logging.getLogger(__name__)


@dataclass
class ShardRun:
    """One shard's Pagefind run: ``command`` indexes ``ids``' record pages, linked into ``source``, into ``output``.

    The pages are those in the site folder ``site``, named by their records'
    ids, not held as found (at 100k records, ~40 MB for every shard).
    ``output`` is the shard's bundle folder, or (in the background) a folder
    that replaces the bundle folder ``bundle`` when the job is complete.
    """

    command: list[str]
    site: Path
    ids: list[str]
    source: Path
    output: Path
    bundle: Path

    def prepare(self) -> None:
        """The folders of the run: a site of just the shard's pages, and no output yet."""
        shard_site(self.site, self.ids, self.source)
        shutil.rmtree(self.output, ignore_errors=True)  # never write into files a previous site may share


def stop_process(process: subprocess.Popen[str]) -> None:
    """Terminate ``process`` if it is still running."""
    if process.poll() is None:
        process.terminate()


def last_line(output: str) -> str:
    return (output.strip().splitlines()[-1:] or ["no output"])[0]


def workers(runs: int) -> int:
    """Pagefind processes at a time: one per core, no more than there are runs."""
    return max(1, min(runs, os.cpu_count() or 1))


@dataclass
class IndexJob:
    """The Pagefind runs of one build, swapped in together; their folders are below ``work``."""

    runs: list[ShardRun]
    work: Path  # removed when the job ends, complete or not
    done: Callable[[], None]  # after the swap (tidies pagefind/; the build cache remembers the new bundles)
    cancelled: bool = False
    failed: bool = False
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def stop(self) -> None:
        """Terminate the job's Pagefind processes that are still running."""
        for process in self.processes:
            stop_process(process)


class BackgroundIndex:
    """At most one index job at a time, in a thread; see the module docstring."""

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
        """Stop the running job, if any, and wait until it has cleaned up; its bundles are not swapped in."""
        with self._lock:
            job, thread = self._job, self._thread
            self._job = self._thread = None
            if job is not None:
                job.cancelled = True
                job.stop()
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

    def _start(self, job: IndexJob, run: ShardRun) -> subprocess.Popen[str] | None:
        with self._lock:
            if job.cancelled or job.failed:
                return None
            process = subprocess.Popen(run.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            job.processes.append(process)
            return process

    def _index(self, job: IndexJob, run: ShardRun) -> bool:
        """Run one shard's Pagefind; True when its bundle is complete."""
        try:
            if job.cancelled or job.failed:
                return False
            run.prepare()
            process = self._start(job, run)
            if process is None:
                return False
            out, err = process.communicate()
            shutil.rmtree(run.source, ignore_errors=True)
            if job.cancelled or job.failed:
                return False
            if process.returncode != 0:
                log.warning("Pagefind failed, the search index was not updated: %s", last_line(err or out))
                self._fail(job)
                return False
            normalize_bundle(run.output)
            return True
        except BaseException:
            self._fail(job)
            raise

    def _fail(self, job: IndexJob) -> None:
        """One run failed: the job will not be swapped in, so its other runs stop."""
        with self._lock:
            job.failed = True
            job.stop()

    def _run(self, job: IndexJob) -> None:
        try:
            with ThreadPoolExecutor(workers(len(job.runs)), thread_name_prefix="pagefind") as pool:
                complete = all([*pool.map(lambda run: self._index(job, run), job.runs)])
            with self._lock:
                if not complete or job.cancelled:
                    return
                for run in job.runs:
                    run.bundle.parent.mkdir(parents=True, exist_ok=True)
                    commit_staging(run.output, run.bundle)
                job.done()
        except Exception as error:  # a thread has no caller to raise to: say so, keep serving the previous index
            log.warning("the search index was not updated: %s", error)
        finally:
            shutil.rmtree(job.work, ignore_errors=True)


_BACKGROUND: Slot[BackgroundIndex] = Slot("site_builder_background_index")


def background_index() -> BackgroundIndex | None:
    """The :class:`BackgroundIndex` Pagefind is handed to in this context, if any."""
    return _BACKGROUND.get()


def indexing_in_background(index: BackgroundIndex) -> AbstractContextManager[None]:
    """Within the block, builds hand Pagefind to ``index`` instead of waiting for it."""
    return _BACKGROUND.holding(index)
