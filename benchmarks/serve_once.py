"""``mkdocs serve``'s rebuild after a one-record edit, timed: ``python -m benchmarks.serve_once ROOT [EDITS]``.

MkDocs' serve loop minus the HTTP server and the file watcher: the first serve
build of the project into a served folder (not timed), then a record's title is
edited and the rebuild MkDocs runs on that save is timed, up to the moment the
edited page is in the served folder; ``EDITS`` times (default 1), each a new
title for the same record, and the median is reported.  The search index is
made in the background, off that path; its time to completion after that
rebuild is reported separately.  Prints one JSON line.  The record is restored
afterwards.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from .measure import median
from .retired import retire

SERVE_URL = "http://127.0.0.1:8000/"


def serve_build(project: Path, served: Path, *, first: bool = False) -> Any:
    """One serve build (what MkDocs' builder runs on every save); its configuration.

    MkDocs keeps plugin instances for the whole serve session, so the registry
    plugin of every build is the one started by the first.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(served))
    config.site_url = SERVE_URL
    if first:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=SERVE_URL)
    return config


def main() -> None:
    project = Path(sys.argv[1]).resolve()
    served = project / ".served"
    retire(served)
    served.mkdir()
    session = serve_build(project, served, first=True)
    plugin = session.plugins["registry"]
    plugin.search.wait(600)
    records = sorted((project / "records").glob("*.md"))
    record = records[len(records) // 2]
    original = record.read_text(encoding="utf-8")
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rebuilds: list[tuple[float, float, Any]] = []  # (rebuild seconds, search ready seconds, stages) of each edit
    try:
        for edit in range(edits):
            plugin.later.wait()  # a save after the last rebuild settled: its manifest and sitemap written
            record.write_text(original.replace("\ntitle: ", f"\ntitle: Served edit {edit} ", 1), encoding="utf-8")
            start = time.perf_counter()
            serve_build(project, served)
            rebuilt = time.perf_counter() - start
            page = served / "records" / record.stem / "index.html"
            assert f"Served edit {edit} " in page.read_text(encoding="utf-8"), "the rebuild did not publish the edit"
            plugin.search.wait(600)
            indexed = time.perf_counter() - start
            rebuilds.append((rebuilt, indexed, plugin.report.stages if plugin.report is not None else []))
    finally:
        record.write_text(original, encoding="utf-8")
        session.plugins.on_shutdown()
        retire(served)
    rebuilt, indexed, stages = median(rebuilds, key=lambda rebuild: rebuild[0])
    print(json.dumps({"rebuild": rebuilt, "search_ready": indexed, "stages": stages}))


if __name__ == "__main__":
    main()
