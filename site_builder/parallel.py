"""Record work, in this process or spread over worker processes.

A worker reads, validates, renders and writes the outputs of a chunk of
record files itself and sends back only what the library needs (a
:class:`~site_builder.library.RecordSummary`), its problems and the state of
the files it wrote: never rendered pages, so memory stays bounded.  The
records are cut into several chunks per worker, so that the slowest worker
finishes close to the others.  Processes, not threads: rendering holds the GIL.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import Lookup, source_digest
from .config import RegistryConfig
from .filestates import FileState, PackedStates
from .library import RecordSummary, summarize
from .load import read_record
from .model import Record
from .outputs import RECORD_OUTPUTS
from .problems import Problem
from .render import Renderer
from .writer import SiteWriter

__all__ = [
    "RecordResult",
    "RecordTask",
    "RecordWork",
    "install_discovery",
    "lookups_hold",
    "recording_dates",
    "run_records",
]

CHUNKS_PER_WORKER = 8
# At most this many records a chunk: a worker holds a chunk's results until it sends them all, and the
# main process receives them at once, so the chunk size bounds what each holds at a time.
CHUNK_RECORDS = 500
# Below this many records to render, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 200

try:  # publication dates: one build-wide value record pages may depend on
    from .discovery import install as install_discovery
    from .discovery.dates import PublicationDates
except ImportError:  # pragma: no cover - discovery not installed in this tree
    install_discovery = None  # type: ignore[assignment]
    PublicationDates = None  # type: ignore[assignment,misc]


def worker_count(setting: int) -> int:
    """Processes to use: ``setting``, or every core this process may run on when it is 0."""
    if setting:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def chunked(
    items: Sequence[Any], workers: int, per_worker: int = CHUNKS_PER_WORKER, most: int = CHUNK_RECORDS
) -> list[list[Any]]:
    """``items`` cut into consecutive chunks of near-equal size: about ``workers * per_worker``, more if
    that would put more than ``most`` in a chunk."""
    count = max(1, min(len(items), max(workers * per_worker, -(-len(items) // most))))
    size, extra = divmod(len(items), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        if end > start:
            chunks.append(list(items[start:end]))
        start = end
    return chunks


def recording_dates(dates: Any) -> Any:
    """``dates`` that log every answer they give, so the cache can tell when a page's dates changed."""
    if dates is None or PublicationDates is None:
        return None

    class Recording(type(dates)):  # type: ignore[misc]
        def __getattribute__(self, name: str) -> Any:
            value = super().__getattribute__(name)
            if name == "build_date":
                object.__getattribute__(self, "log").append(("build_date", "", value))
            return value

        def first_published(self, url: str) -> Any:
            answer = super().first_published(url)
            object.__getattribute__(self, "log").append(("first_published", url, answer))
            return answer

    recording = Recording(**{name: getattr(dates, name) for name in dates.__dataclass_fields__})
    object.__setattr__(recording, "log", [])
    return recording


def lookups_hold(lookups: Sequence[Lookup], dates: Any) -> bool:
    """Whether ``dates`` still give the answers a record's pages were rendered with."""
    for name, argument, answer in lookups:
        if dates is None:
            return False
        value = dates.build_date if name == "build_date" else dates.first_published(argument)
        if value != answer:
            return False
    return True


@dataclass(slots=True)
class RecordTask:
    name: str  # record file name, in the records folder: the cache's key
    previous: Mapping[str, FileState] | None = None  # the files the last build published for it
    has_attachments: bool = False


@dataclass
class RecordResult:
    name: str
    source: bytes
    summary: RecordSummary | None
    problems: list[Problem]
    outputs: PackedStates = field(default_factory=PackedStates)
    lookups: tuple[Lookup, ...] = ()
    templates: tuple[tuple[str, str | None], ...] = ()  # the templates the worker read, when that changed
    written: int = 0
    written_bytes: int = 0
    creating_seconds: float = 0.0  # in the writer's file-creating system calls (see SiteWriter)


class RecordWork:
    """What rendering records needs, made once per process: renderer (templates loaded once) and writer."""

    def __init__(self, config: RegistryConfig, out_dir: Path, previous_dir: Path | None, dates: Any) -> None:
        self.config = config
        self.renderer = Renderer(config)
        self.dates = recording_dates(dates)
        if self.dates is not None and install_discovery is not None:
            install_discovery(self.renderer, self.dates)
        self.writer = SiteWriter(out_dir, previous_dir)
        self.reported = 0  # the changes of the templates read that the results so far told of

    def run(self, task: RecordTask) -> RecordResult:
        path = self.config.records_dir / task.name
        attachments = self.config.records_dir / path.stem
        try:
            raw = path.read_bytes()
        except OSError:
            raw = b""
        result = read_record(path, self.config, raw) if raw else read_record(path, self.config)
        source = source_digest(raw, attachments if task.has_attachments else None)
        if not isinstance(result, Record):
            return RecordResult(task.name, source, None, result)
        log: list[Lookup] = []
        if self.dates is not None:
            log = object.__getattribute__(self.dates, "log")
            log.clear()
        writer = self.writer
        before = (writer.files_written, writer.bytes_written)
        creating = writer.creating_seconds
        previous = task.previous if task.previous is not None else {}
        outputs: dict[str, FileState] = {}
        for output in RECORD_OUTPUTS:
            for relative, content in output(self.renderer, result, attachments):
                outputs[relative] = writer.put(relative, content, previous.get(relative))
        return RecordResult(
            task.name,
            source,
            summarize(result),
            [],
            PackedStates.of(outputs),
            tuple(log),
            self._templates_read(),
            writer.files_written - before[0],
            writer.bytes_written - before[1],
            writer.creating_seconds - creating,
        )

    def _templates_read(self) -> tuple[tuple[str, str | None], ...]:
        """Every template this process's records used, when what it read changed since the last result said so."""
        templates = self.renderer.templates
        if templates.changes == self.reported:
            return ()
        self.reported = templates.changes
        return tuple(templates.read.items())


_WORK: RecordWork | None = None


def _setup(config: RegistryConfig, out_dir: Path, previous_dir: Path | None, dates: Any) -> None:
    global _WORK
    _WORK = RecordWork(config, out_dir, previous_dir, dates)


def _run_chunk(tasks: list[RecordTask]) -> list[RecordResult]:
    assert _WORK is not None
    return [_WORK.run(task) for task in tasks]


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_records(
    tasks: Sequence[RecordTask],
    config: RegistryConfig,
    out_dir: Path,
    previous_dir: Path | None,
    dates: Any,
    *,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[RecordResult]:
    """Render ``tasks``: in worker processes when there are enough of them, else here.

    ``meanwhile`` runs in this process while the workers render (it must not
    touch the files the workers write).
    """
    workers = min(worker_count(config.workers), max(1, len(tasks) // 50))
    if workers <= 1 or len(tasks) < PARALLEL_THRESHOLD:
        if meanwhile is not None:
            meanwhile()
        work = RecordWork(config, out_dir, previous_dir, dates)
        for task in tasks:
            yield work.run(task)
        return
    pool = _context().Pool(workers, initializer=_setup, initargs=(config, out_dir, previous_dir, dates))
    try:
        pending = pool.imap_unordered(_run_chunk, chunked(tasks, workers))
        if meanwhile is not None:
            meanwhile()
        for results in pending:
            yield from results
        pool.close()
    finally:
        pool.terminate()
        pool.join()
