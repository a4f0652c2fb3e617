"""The build engine: plans from the cache what must be rendered, then renders it as a flat list of timed stages.

Stages: scan (list record files and their identities, load the cache) ->
records (read, validate, render and write each record's outputs, in worker
processes when there are many) -> check (all problems, or go on) -> library
-> listings -> static -> finalizers -> cache; the early finalizers (the search
index) start after the library and run alongside the listings, static outputs
and prune, in a thread (:mod:`~.alongside`).  An output whose inputs have not
changed since the last build is not rendered: its file is hard-linked from the
previous site (:meth:`SiteWriter.reuse`); a rendered output whose bytes did
not change is linked as well, so only changed files are written.  A record
file whose identity (:mod:`site_builder.buildstate`) is unchanged is not even
read to learn that.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, cast

from .alongside import Alongside
from .buildstate import (
    BuildMemory,
    BuildState,
    SourceStat,
    output_stat,
    outputs_still,
    records_listing,
    source_stat,
    trusted_digest,
)
from .buildstate import write_state as save_state
from .cache import (
    BuildCache,
    EarlierOutputs,
    GroupEntry,
    RecordEntry,
    digest_bytes,
    environment_key,
    file_digests,
    load_cache,
    render_key,
    save_cache,
    share_lookups,
    source_digest,
    tree_digest,
)
from .companion import COMPANION, Companion, companion_pages, taken_by
from .config import RegistryConfig
from .filestates import STAT_SIZE, FileState, Published, pack_identities, unpack_stats
from .library import Library, RecordSummary, build_library, share_values, slug_collisions
from .load import RECORD_SUFFIX, field_line, record_file_names, shown_in
from .model import Record
from .outputs import (
    EARLY_FINALIZERS,
    FINALIZERS,
    LIBRARY_OUTPUTS,
    STATIC_OUTPUTS,
    Finalizer,
    finalizer_folders,
    finalizer_owns,
)
from .parallel import RecordResult, RecordTask, install_discovery, lookups_hold, recording_dates, run_records
from .problems import Problem, ProblemsFound, display_path
from .render import LazyPage, Output, Renderer
from .report import BuildReport, Progress, Stage
from .resident import peak_resident, reset_peak_resident
from .rules import check_library
from .templatesources import TemplateSources, noted
from .writer import SiteWriter

try:
    from .discovery.dates import publication_dates
    from .discovery.helpers import discovery_for
    from .discovery.manifest import MANIFEST_FILE
except ImportError:  # pragma: no cover - discovery not installed in this tree
    publication_dates = None  # type: ignore[assignment]
    discovery_for = None  # type: ignore[assignment]
    MANIFEST_FILE = None  # type: ignore[assignment]

__all__ = ["Engine"]


class Stages:
    """Times each named stage into a report (Zola's ``build()``: a flat list of timed stages)."""

    def __init__(self, report: BuildReport) -> None:
        self.report = report

    def run(self, name: str, action: Callable[[], object]) -> object:
        reset_peak_resident()
        started = time.monotonic()
        result = action()
        seconds = time.monotonic() - started
        self.report.stages.append(Stage(name, seconds, started, peak_resident()))
        return result


@dataclass(slots=True)
class Source:
    """One record file found by the scan (in the records folder: one per record, so no path is kept)."""

    name: str
    has_attachments: bool
    stat: SourceStat | None = None  # its identity when the scan saw it (None: it could not be read)
    digest: bytes | None = None  # known only when there is a cache to compare with


class Engine:
    """One build: plans from the cache what must be rendered, then renders it into an output directory."""

    def __init__(
        self,
        config: RegistryConfig,
        progress: Progress | None = None,
        build_date: date | None = None,
        state: BuildState | None = None,
        memory: BuildMemory | None = None,
        companion: Companion | None = None,
    ) -> None:
        self.config = config
        self.companion = companion  # another tool's pages, published beside the registry's (site_builder.companion)
        self.memory = memory if config.use_cache else None  # a serve session's: see BuildMemory
        self.build_date = build_date  # when the caller has read it already: one build date per build
        self.state = state  # what the last build saw and left (buildstate.read_state), read once by the caller
        self.progress = progress
        self.report = BuildReport()
        self.stages = Stages(self.report)
        self.problems: list[Problem] = []
        self.sources: list[Source] = []
        self.cache: BuildCache | None = None  # the last build's, when it had this build's environment
        self.earlier = EarlierOutputs()  # the files the last build published, whatever its environment
        self.dates: Any = None
        self.key = b""  # the render key (cache.render_key): what every render depends on
        self.templates = TemplateSources(config.templates_dir)  # as the scan read them (others when asked)
        self.scanned_templates: dict[str, str] = {}
        self.state_key = b""  # what the build state is keyed by (cache.environment_key), for the no-op check
        self.static_inputs = b""  # the render key and the assets' digests
        self.records_hold = False  # whether the templates the cached records used are all unchanged
        self.recording: Any = None
        self.new_cache = BuildCache(b"")
        self.scanned_ns = 0
        self.listing = b""
        self.recurring: dict[Any, Any] = {}  # values summaries share (library.share_values)
        self.names_tables: dict[object, object] = {}  # the names tables output states share (PackedStates)
        self.published: Published | None = None  # every file this build published, once render() made them all
        self.reread = 0  # record files whose digest the scan could not take from the build state
        self.trusted = False  # whether the cache is this process's own, its outputs left as it recorded them

    # -- scan ---------------------------------------------------------------------------------
    def plan(self) -> None:
        self.stages.run("scan", self._scan)

    def _scan(self) -> None:
        config = self.config
        self.scanned_ns = time.time_ns()
        self.problems = slug_collisions(config)
        if publication_dates is not None:
            written = self.memory.manifest if self.memory is not None else None
            self.dates = publication_dates(config, written=written)
        if self.dates is not None and self.build_date is not None:
            self.dates = replace(self.dates, build_date=self.build_date)
        self.key = render_key(config)
        self.scanned_templates = file_digests(config.templates_dir)  # before any is read to render
        self.templates = TemplateSources(config.templates_dir, self.scanned_templates)
        self.state_key = environment_key(config, self.scanned_templates)
        self.static_inputs = digest_bytes(self.key, tree_digest(config.templates_dir / "assets"))
        self.new_cache = BuildCache(self.key)
        # The listing before the names: a file added between the two is then missing from the listing,
        # so the next build sees the folder changed (the other way round, that file would be in the
        # listing but not among the sources, and every later no-op check would pass without it).
        self.listing, folders = records_listing(config.records_dir)  # folders: of attached files
        names, problems = record_file_names(config.records_dir)
        self.problems += problems
        records = str(config.records_dir)
        self.sources = [Source(sys.intern(name), name.removesuffix(RECORD_SUFFIX) in folders) for name in names]
        for source in self.sources:
            try:
                source.stat = source_stat(os.stat(os.path.join(records, source.name)))
            except OSError:
                source.stat = None
        self.cache = self._load_cache()
        if self.cache is not None:
            for source in self.sources:
                source.digest = self._source_digest(source, self.state)

    def _load_cache(self) -> BuildCache | None:
        """The last build's cache when its environment is this build's; what it published in any case (``earlier``)."""
        remembered = self.memory.cache if self.memory is not None else None
        cache = remembered if remembered is not None else load_cache(self.config) if self.config.use_cache else None
        self.earlier = EarlierOutputs.of(cache)
        if cache is None or cache.key != self.key:
            return None  # renders of another environment: none holds for this one
        self.trusted = cache is remembered
        self.records_hold = self.templates.hold(cache.templates)
        if self.records_hold:  # the records reused keep what they used
            self.new_cache.templates = dict(cache.templates)
        return cache

    def _templates_as_scanned(self) -> bool:
        """Whether every template this build's outputs were made with is as the scan read it (none edited since)."""
        cache, scanned = self.new_cache, self.scanned_templates
        used = [cache.templates, *(group.templates for group in cache.groups.values())]
        return all(scanned.get(name) == digest for templates in used for name, digest in templates.items())

    def _source_digest(self, source: Source, state: BuildState | None) -> bytes | None:
        """A record file's digest: the last build's when its identity shows it unchanged, else read now."""
        if source.stat is None:
            return None
        if not source.has_attachments:
            known = trusted_digest(state, source.name, source.stat)
            if known is not None:
                return known
        self.reread += 1
        try:
            with open(os.path.join(self.config.records_dir, source.name), "rb") as file:
                raw = file.read()
        except OSError:
            return None
        stem = source.name.removesuffix(RECORD_SUFFIX)
        attachments = self.config.records_dir / stem if source.has_attachments else None
        return source_digest(raw, attachments)

    def _cached(self, source: Source) -> RecordEntry | None:
        """The cache entry for a record file, when its source and the build-wide answers it used are unchanged."""
        if self.cache is None or not self.records_hold or source.digest is None:
            return None
        entry = self.cache.records.get(source.name)
        if entry is None or entry.source != source.digest or not lookups_hold(entry.lookups, self.dates):
            return None
        return entry

    def unchanged(self) -> bool:
        """Whether the site in ``site_dir`` is exactly what this build would make (a no-op rebuild).

        Every record's source and dates unchanged means every summary is the cached one,
        so the library's inputs are unchanged too.
        """
        cache = self.cache
        site_dir = str(self.config.site_dir.resolve())
        if cache is None or cache.complete_site != site_dir or self.problems:
            return False
        if {s.name for s in self.sources} != set(cache.records):
            return False
        static = cache.groups.get("static")  # the assets are its inputs, and no record's
        if static is None or static.inputs != self.static_inputs:
            return False
        companion = cache.groups.get(COMPANION)
        if (companion is None) != (self.companion is None):
            return False
        if companion is not None and companion.inputs != self._companion(cache.outputs(without=COMPANION))[0]:
            return False
        if any(self._cached(s) is None for s in self.sources):
            return False
        if not all(
            lookups_hold(g.lookups, self.dates) and self.templates.hold(g.templates) for g in cache.groups.values()
        ):
            return False
        return outputs_still(site_dir, ((path, state[1:]) for path, state in cache.outputs().items()))

    def unchanged_report(self) -> BuildReport:
        """The report of a no-op rebuild: what the site publishes, nothing written.

        When the scan had to read record files (touched since the last build, or modified too close
        to its scan for their identity to vouch for them), the state is saved anew, so the next no-op
        rebuild need not import the engine.
        """
        cache = self.cache
        assert cache is not None
        published = cache.outputs()
        stale = self.state is None or self.state.key != self.state_key  # a template no output uses was edited
        if (self.reread or stale) and self.config.use_cache:
            self.new_cache = cache
            save_state(self.config, self._state(self.config.site_dir, published))
        self.report.records = len(cache.records)
        return _published(self.report, published)

    # -- render -------------------------------------------------------------------------------
    def render(self, out_dir: Path, *, refresh: bool = False, sole: bool = False) -> BuildReport:
        """Write every registry output into ``out_dir``; raise ProblemsFound (after the records) if input is bad.

        With ``refresh``, ``out_dir`` holds an older tree (a spare): what is still right stays, the rest goes.
        With ``sole``, nothing but this build writes into ``out_dir`` (a staging tree, new or refreshed):
        the files there are the outputs this build knows, and the finalizers need not walk the tree to list them.
        """
        previous = self.config.site_dir
        writer = SiteWriter(out_dir, previous, refresh=refresh, trusted=self.trusted)
        summaries = self.stages.run("records", lambda: self._records(writer, out_dir, previous))
        self.stages.run("check", lambda: self._check(cast(dict[str, RecordSummary], summaries)))
        library = cast(
            Library,
            self.stages.run(
                "library",
                lambda: build_library(cast(dict[str, RecordSummary], summaries).values(), self.config),
            ),
        )
        renderer = Renderer(self.config)
        self.recording = recording_dates(self.dates)
        if self.recording is not None and install_discovery is not None:
            install_discovery(renderer, self.recording)
        starting = _early(FINALIZERS)
        if starting:
            self._share_outputs(renderer, self.new_cache.outputs(), sole)  # the records' outputs: all they read
        early: dict[Finalizer, Alongside] = {}
        try:
            for finalize in starting:
                early[finalize] = Alongside(finalize.__name__, partial(finalize, renderer, library, out_dir))
            published = self._library_outputs(renderer, library, writer, sole)
            for finalize in FINALIZERS:
                started = early.get(finalize)
                if started is not None:
                    self.report.stages.append(started.result())
                    del early[finalize]
                else:
                    self.stages.run(finalize.__name__, partial(finalize, renderer, library, out_dir))
        finally:
            for started in early.values():  # the build gave up (or was interrupted) before their end
                started.abandon()
        report = self.report
        report.records = len(library.summaries)
        report.written_files += writer.files_written
        report.written_bytes += writer.bytes_written
        report.creating_seconds += writer.creating_seconds
        return _published(report, published)

    def _companion(self, published: Published) -> tuple[bytes, Iterator[tuple[str, bytes]]]:
        """The companion group's inputs and pages, beside the registry outputs ``published`` (no companion file)."""
        assert self.companion is not None
        return companion_pages(self.companion, taken_by(published, published.folders(), finalizer_owns))

    def _library_outputs(self, renderer: Renderer, library: Library, writer: SiteWriter, sole: bool) -> Published:
        """The listings and static outputs; then, the tree complete but for the finalizers', its tidying.

        Returns every file the engine published.
        """
        library_inputs = self._library_inputs(library.summaries)
        self.stages.run(
            "listings",
            lambda: self._group(
                "library",
                library_inputs,
                writer,
                (p for out in LIBRARY_OUTPUTS for p in out(renderer, library)),
                renderer.templates.read,
            ),
        )
        self.stages.run(
            "static",
            lambda: self._group(
                "static",
                self.static_inputs,
                writer,
                (p for out in STATIC_OUTPUTS for p in out(self.config)),
                {},  # made of the configuration and the assets' files (their inputs), no template
            ),
        )
        if self.companion is not None:  # last: its files take no place an output of the registry takes
            inputs, pages = self._companion(self.new_cache.outputs())
            self.stages.run(COMPANION, lambda: self._group(COMPANION, inputs, writer, pages, {}))
        # Complete now: one view for the prune, the finalizers, the report and the build state.
        published = self.published = self.new_cache.outputs()
        if writer.refresh:
            self.stages.run("prune", lambda: writer.prune(published, finalizer_folders()))
        if writer.in_place:
            self._remove_stale(writer, published)  # before the finalizers: they read the finished tree
        self._share_outputs(renderer, published, sole)
        return published

    def _share_outputs(self, renderer: Renderer, published: Published, sole: bool) -> None:
        """Tell the finalizers which files the engine published (their states need no stat, their digests no read)."""
        if discovery_for is not None and self.recording is not None:
            files = discovery_for(renderer).files
            files.published, files.sole, files.memory = published, sole, self.memory

    def _records(self, writer: SiteWriter, out_dir: Path, previous: Path) -> dict[str, RecordSummary]:
        config = self.config
        done: dict[str, RecordSummary] = {}
        tasks: list[RecordTask] = []
        # Reuse what is cached first (cheap, here), then render the rest (in workers when many).
        entries = [(source, self._cached(source)) for source in self.sources]
        in_place = iter(writer.already_in_place([entry.outputs for _, entry in entries if entry is not None]))
        for source, entry in entries:
            if entry is not None and (next(in_place) or writer.reuse_all(entry.outputs)):
                done[source.name] = entry.summary
                self.new_cache.records[source.name] = entry
            else:
                tasks.append(RecordTask(source.name, self.earlier.records.get(source.name), source.has_attachments))
        total, count = len(self.sources), len(done)
        if self.progress is not None:
            self.progress("records", count, total)
        for result in run_records(tasks, config, out_dir, previous, self.dates):
            count += 1
            self._collect(result, done)
            if self.progress is not None:
                self.progress("records", count, total)
        self.report.rendered_records = len(tasks)
        return done

    def _collect(self, result: RecordResult, done: dict[str, RecordSummary]) -> None:
        report = self.report
        report.written_files += result.written
        report.written_bytes += result.written_bytes
        report.creating_seconds += result.creating_seconds
        if result.summary is None:
            self.problems.extend(result.problems)
            return
        name = sys.intern(result.name)  # the scan's own string (interned there), not the worker's copy of it
        summary = done[name] = share_values(result.summary, self.recurring)
        lookups = share_lookups(result.lookups, self.recurring)
        outputs = result.outputs.share_names(self.names_tables)
        self.new_cache.records[name] = RecordEntry(result.source, summary, outputs, lookups)
        noted(self.new_cache.templates, result.templates)

    def _check(self, summaries: dict[str, RecordSummary]) -> None:
        """Every problem of every record, and those across records, sorted; nothing is published if any."""
        shown = display_path(self.config.records_dir)
        # check_library reads only the id and aliases, which summaries carry.
        located = [(cast(Record, summary), shown_in(shown, name)) for name, summary in sorted(summaries.items())]
        problems = self.problems + check_library(located, field_line)
        if problems:
            raise ProblemsFound(problems)

    def _library_inputs(self, summaries: list[RecordSummary]) -> bytes:
        return digest_bytes(self.key, b"".join(summary.digest for summary in summaries))

    def _group(
        self, name: str, inputs: bytes, writer: SiteWriter, pages: Iterable[Output], read: Mapping[str, str | None]
    ) -> None:
        """Outputs rendered together: reused as they are when their inputs and the templates they used did not change.

        When they did, a lazy page whose own inputs and lookups are unchanged is still reused unrendered, if the
        templates did not change.  ``read``: the templates the renderer of ``pages`` has read (when they are made).
        """
        old = self.cache.groups.get(name) if self.cache is not None else None
        if old is not None and not self.templates.hold(old.templates):
            old = None  # made with other templates: nothing of it is reused unrendered
        if (
            old is not None
            and old.inputs == inputs
            and lookups_hold(old.lookups, self.dates)
            and writer.reuse_all(old.outputs)
        ):
            self.new_cache.groups[name] = old
            return
        log: list[Any] = []
        if self.recording is not None:
            log = object.__getattribute__(self.recording, "log")
            log.clear()
        previous = self.earlier.groups.get(name, {})
        previous_pages = old.pages if old is not None else {}
        entry = GroupEntry(inputs, {})
        kept: list[Any] = []  # the lookups of lazy pages reused, which this build did not make again
        content: bytes | bytearray
        for page in pages:
            if isinstance(page, LazyPage):
                known = previous_pages.get(page.path)
                state = self._reuse_lazy(writer, page, known, previous.get(page.path))
                if state is not None and known is not None:
                    entry.outputs[page.path], entry.pages[page.path] = state, known
                    kept.extend(known[1])
                    continue
                start = len(log)
                path, content = page.page()
                entry.pages[path] = (page.inputs, tuple(log[start:]))
            else:
                path, content = page
            entry.outputs[path] = writer.put(path, content, previous.get(path))
        entry.lookups = (*log, *kept)
        # What the pages reused unrendered were made with (the same templates as scanned), and what the
        # renderer read for these pages and any before them (a superset is safe): a template read as other
        # bytes than those is a conflict, which never holds.
        entry.templates = dict(old.templates) if old is not None else {}
        noted(entry.templates, read.items())
        self.new_cache.groups[name] = entry

    def _reuse_lazy(
        self,
        writer: SiteWriter,
        page: LazyPage,
        known: tuple[bytes, tuple[Any, ...]] | None,
        state: FileState | None,
    ) -> FileState | None:
        """The previous build's file for ``page`` when what it shows is unchanged and the file still is."""
        if known is None or state is None or known[0] != page.inputs or not lookups_hold(known[1], self.dates):
            return None
        return writer.reuse(page.path, state)

    def _remove_stale(self, writer: SiteWriter, published: Mapping[str, FileState]) -> None:
        """Rebuilding a folder in place: delete the outputs the last build made and this one did not.

        Only a record or group whose outputs this build did not reuse whole can have left one:
        a reused entry is the cache's own object, and every path it names is published still.
        """
        new = self.new_cache
        reused = {id(e.outputs) for e in new.records.values()} | {id(g.outputs) for g in new.groups.values()}
        earlier = (*self.earlier.records.values(), *self.earlier.groups.values())
        replaced = [outputs for outputs in earlier if id(outputs) not in reused]
        for path in sorted({path for outputs in replaced for path in outputs if path not in published}):
            writer.remove(path)

    # -- cache --------------------------------------------------------------------------------
    def save(self, complete_site: Path | None) -> None:
        """After :meth:`render`: keep the cache and the build state for the next build."""
        if not self.config.use_cache:
            return
        assert self.published is not None, "save() follows render()"
        self.new_cache.complete_site = str(complete_site.resolve()) if complete_site is not None else ""
        if self.memory is not None:  # the next build reads only the record files' identities of it
            self.memory.cache, self.memory.state = self.new_cache, self._state(complete_site, None)
            return
        self.stages.run("cache", lambda: save_cache(self.config, self.new_cache))
        save_state(self.config, self._state(complete_site, self.published))

    def _state(self, complete_site: Path | None, published: Mapping[str, FileState] | None) -> BuildState:
        """What this build saw and left (``published``: every file), for the next build to trust without re-reading.

        Without ``published``, the state leaves out the outputs' identities: what only a no-op
        rebuild in another process (:func:`~.buildstate.still_current`) reads.
        """
        records = self.new_cache.records
        key = self.state_key if self._templates_as_scanned() else b""  # else the next build checks them all
        state = BuildState(key, self.scanned_ns, self.listing, site=self.new_cache.complete_site)
        state.companion = self.companion.digest if self.companion is not None else b""
        state.sources = {
            s.name: (s.stat, records[s.name].source) for s in self.sources if s.stat is not None and s.name in records
        }
        if self.dates is not None:
            state.build_date = self.dates.build_date.isoformat()
        if complete_site is not None and MANIFEST_FILE is not None:
            try:
                state.manifest = output_stat(os.stat(complete_site / MANIFEST_FILE))
            except OSError:
                state.manifest = None
        if published is None:
            return state
        state.output_paths, state.output_stats = pack_identities(published)
        size = sum(identity[0] for identity in unpack_stats(state.output_stats))
        state.totals = (len(records), len(state.output_stats) // STAT_SIZE, size)
        return state


def _early(finalizers: list[Finalizer]) -> list[Finalizer]:
    """The finalizers of this build that start once the records are written (``outputs.EARLY_FINALIZERS``)."""
    return [finalize for finalize in finalizers if finalize in EARLY_FINALIZERS]


def _published(report: BuildReport, published: Mapping[str, FileState]) -> BuildReport:
    """``report`` with the files and bytes the site publishes: ``published`` (in one pass)."""
    files = size = 0
    for state in published.values():
        files += 1
        size += state[1]
    report.files, report.bytes = files, size
    return report
