"""The build: a flat list of named, timed stages from record files to a complete site.

``render_registry`` writes the registry's pages (records, listings, home, 404,
assets, schema) into an output directory; ``build_site`` wraps it in a staged,
atomic write of ``config.site_dir``.  Neither needs MkDocs: the plugin calls
``render_registry`` into the directory MkDocs is building.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .config import RegistryConfig
from .library import Library, build_library, slug_collisions, summarize
from .load import LoadedRecords, load_records
from .outputs import FINALIZERS, LIBRARY_OUTPUTS, RECORD_OUTPUTS, STATIC_OUTPUTS
from .problems import ProblemsFound
from .render import Page, Renderer
from .writer import SiteWriter, staged_site

Progress = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    """What a build did: records, files and bytes written, and how long each stage took."""

    records: int = 0
    files: int = 0
    bytes: int = 0
    stages: list[tuple[str, float]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(t for _, t in self.stages)

    def summary(self) -> str:
        return f"built {self.records} records: {self.files} files, {self.bytes / 1e6:.1f} MB in {self.seconds:.2f} s"


class Stages:
    """Times each named stage into a report (Zola's ``build()``: a flat list of timed stages)."""

    def __init__(self, report: BuildReport) -> None:
        self.report = report

    def run(self, name: str, action: Callable[[], object]) -> object:
        start = time.perf_counter()
        result = action()
        self.report.stages.append((name, time.perf_counter() - start))
        return result


def validated_records(config: RegistryConfig) -> LoadedRecords:
    """Load every record; raise with every problem (records and configuration) if any."""
    loaded = load_records(config)
    problems = slug_collisions(config) + loaded.problems
    if problems:
        raise ProblemsFound(problems)
    return loaded


def render_registry(config: RegistryConfig, out_dir: Path, progress: Progress | None = None) -> BuildReport:
    """Write every registry output into ``out_dir``; raise ProblemsFound before writing if input is bad."""
    report = BuildReport()
    stages = Stages(report)
    loaded: LoadedRecords = stages.run("load", lambda: validated_records(config))  # type: ignore[assignment]
    writer = SiteWriter(out_dir)
    renderer = Renderer(config)

    def write_records() -> None:
        total = len(loaded.records)
        for index, record in enumerate(loaded.records, start=1):
            attachments = config.records_dir / record.id
            for output in RECORD_OUTPUTS:
                for path, content in output(renderer, record, attachments):
                    writer.write(path, content)
            if progress is not None:
                progress("records", index, total)

    stages.run("records", write_records)
    library: Library = stages.run(  # type: ignore[assignment]
        "library", lambda: build_library((summarize(r) for r in loaded.records), config)
    )

    def write_all(pages: Iterable[Page]) -> None:
        for path, content in pages:
            writer.write(path, content)

    stages.run("listings", lambda: write_all(p for out in LIBRARY_OUTPUTS for p in out(renderer, library)))
    stages.run("static", lambda: write_all(p for out in STATIC_OUTPUTS for p in out(config)))
    for finalize in FINALIZERS:
        stages.run(finalize.__name__, lambda finalize=finalize: finalize(config, library, out_dir))  # type: ignore[misc]
    report.records = len(loaded.records)
    report.files = writer.files_written
    report.bytes = writer.bytes_written
    return report


def build_site(config: RegistryConfig, progress: Progress | None = None) -> BuildReport:
    """Build the registry into ``config.site_dir`` atomically: all of it, or nothing changed."""
    with staged_site(config.site_dir) as staging:
        return render_registry(config, staging, progress)
