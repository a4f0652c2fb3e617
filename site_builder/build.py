"""The build: a complete site from record files, atomically; or the registry's pages into a folder.

``render_registry`` writes the registry's pages (whatever :mod:`site_builder.outputs`
declares) into an output directory; ``build_site`` wraps it in a staged,
atomic write of ``config.site_dir``, with another tool's pages beside them if
given (:mod:`site_builder.companion`).  Neither needs MkDocs: the plugin calls
``build_site`` with MkDocs' docs pages for a build, and ``render_registry``
into the folder a serve session serves.  A rebuild that
would change nothing is recognised from file identities alone
(:func:`site_builder.buildstate.still_current`) before the engine
(:mod:`site_builder.engine`, templates and all) is even imported.  What the
build loads from the last one stays out of the garbage collector's way
(:mod:`site_builder.heap`).
"""

from __future__ import annotations

import os
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .buildstate import BuildMemory, BuildState, read_state, still_current, vouched_from, write_state
from .cache import cache_file
from .config import RegistryConfig
from .forked import Started, start
from .heap import LoadedState
from .report import BuildReport, Progress, Stage
from .writer import staged_site

if TYPE_CHECKING:
    from .companion import Companion

__all__ = ["BuildReport", "EarlyCheck", "Progress", "build_site", "check_early", "render_registry", "spare_tree"]

SPARE_TREE = "spare-site"


def _today_and_manifest() -> tuple[date | None, str | None]:
    """The build date and the manifest's file name, when the discovery outputs are installed."""
    try:
        from .discovery import dates
        from .discovery.manifest import MANIFEST_FILE
    except ImportError:  # pragma: no cover - discovery not installed in this tree
        return None, None
    return dates.build_date(), MANIFEST_FILE


def render_registry(
    config: RegistryConfig, out_dir: Path, progress: Progress | None = None, memory: BuildMemory | None = None
) -> BuildReport:
    """Write every registry output into ``out_dir``; raise ProblemsFound if input is bad.

    Unchanged outputs are hard-linked from ``config.site_dir`` (the last build's
    site); when ``out_dir`` is ``site_dir`` itself, they are left in place.  With
    ``memory`` (a serve session rebuilding its own folder), the last build's
    cache and state are kept there instead of in the cache folder.
    """
    from .engine import Engine

    with LoadedState() as loaded:  # the build state, the cache, the previous manifest: large and acyclic
        state = None
        if config.use_cache:
            state = memory.state if memory is not None and memory.state is not None else read_state(config)
        engine = Engine(config, progress, state=state, memory=memory)
        engine.plan()
        loaded.freeze()
        report = engine.render(out_dir)
        engine.save(None)
    return report


@dataclass
class EarlyCheck:
    """The quick no-op check of the registry alone, started before the companion files exist.

    MkDocs makes its docs pages (the companion files) before the plugin calls :func:`build_site`;
    the registry's record files and outputs can be checked meanwhile, in a forked process
    (:func:`~.forked.start`), since they do not depend on those pages.  Its build date and manifest
    name are the build's.  Without a child (none could be forked), the check runs when asked.
    """

    config: RegistryConfig
    state: BuildState
    today: date | None
    manifest: str | None
    checked_ns: int
    answer: Started | None

    def holds(self, companion: bytes) -> bool:
        """Whether rebuilding would change nothing, with companion files of digest ``companion``."""
        if self.state.companion != companion:
            self.stop()
            return False
        if self.answer is None:
            return still_current(self.state, self.config, _day(self.today), self.manifest, companion)
        return self.answer.held()

    def stop(self) -> None:
        """The build will not ask: the child, if it still runs, is killed and reaped."""
        if self.answer is not None:
            self.answer.stop()


def check_early(config: RegistryConfig, *, beside: bool = True) -> EarlyCheck | None:
    """Start the registry's no-op check now (see :class:`EarlyCheck`); None when there is no state to check.

    Without ``beside``, nothing is forked: the check runs when asked.
    """
    state = read_state(config) if config.use_cache else None
    if state is None:
        return None
    today, manifest = _today_and_manifest()
    checked_ns = time.time_ns()
    answer = start(lambda: still_current(state, config, _day(today), manifest, state.companion)) if beside else None
    return EarlyCheck(config, state, today, manifest, checked_ns, answer)


def build_site(
    config: RegistryConfig,
    progress: Progress | None = None,
    companion: Companion | None = None,
    early: EarlyCheck | None = None,
) -> BuildReport:
    """Build the registry into ``config.site_dir`` atomically: all of it, or nothing changed.

    ``companion``: another tool's pages to publish beside the registry (MkDocs' docs pages:
    :mod:`site_builder.companion`).  ``early``: the no-op check started before they were made
    (:func:`check_early`), whose build date this build keeps.  A rebuild with nothing changed
    since the last ``build_site`` writes nothing at all.
    """
    started = time.monotonic()
    if early is not None and early.config != config:
        early.stop()
        early = None
    with LoadedState() as loaded:  # the build state, the cache, the previous manifest: large and acyclic
        if early is None:
            early = check_early(config, beside=False)  # the state is read once: the engine's scan uses it too
        today = early.today if early is not None else _today_and_manifest()[0]  # one build date, read once
        state = early.state if early is not None else None
        if early is not None and early.holds(companion.digest if companion is not None else b""):
            vouched = vouched_from(early.state, early.checked_ns)  # record files too recent to trust were read
            if vouched is not None:
                with suppress(OSError):  # only a saving for the next no-op: a full or read-only cache is no error
                    write_state(config, vouched)
            records, files, size = early.state.totals
            checked = Stage("unchanged", time.monotonic() - started, started, 0)
            return BuildReport(records=records, files=files, bytes=size, stages=[checked])
        from .engine import Engine

        engine = Engine(config, progress, build_date=today, state=state, companion=companion)
        engine.plan()
        if engine.unchanged():
            return engine.unchanged_report()
        loaded.freeze()
        spare = spare_tree(config) if config.use_cache else None
        with staged_site(config.site_dir, spare) as staging:
            report = engine.render(staging, refresh=_holds_files(staging), sole=True)
        engine.save(config.site_dir)
    return report


def _day(today: date | None) -> str:
    return today.isoformat() if today else ""


def spare_tree(config: RegistryConfig) -> Path:
    """Where the tree a build replaces is kept, to become the next build's staging tree (in the cache folder)."""
    return cache_file(config).with_name(SPARE_TREE)


def _holds_files(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is not None
