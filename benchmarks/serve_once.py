"""``mkdocs serve``'s rebuild after a one-record edit, timed: ``python -m benchmarks.serve_once ROOT``.

MkDocs' serve loop minus the HTTP server and the file watcher: the first serve
build of the project into a served folder (not timed), then a record's title is
edited and the rebuild MkDocs runs on that save is timed, up to the moment the
edited page is in the served folder.  The search index is made in the
background, off that path; its time to completion is reported separately.
Prints one JSON line.  The record is restored afterwards.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

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
    shutil.rmtree(served, ignore_errors=True)
    served.mkdir()
    session = serve_build(project, served, first=True)
    plugin = session.plugins["registry"]
    plugin.search.wait(600)
    records = sorted((project / "records").glob("*.md"))
    record = records[len(records) // 2]
    original = record.read_text(encoding="utf-8")
    try:
        record.write_text(original.replace("\ntitle: ", "\ntitle: Served edit ", 1), encoding="utf-8")
        start = time.perf_counter()
        serve_build(project, served)
        rebuilt = time.perf_counter() - start
        page = served / "records" / record.stem / "index.html"
        assert "Served edit " in page.read_text(encoding="utf-8"), "the rebuild did not publish the edit"
        plugin.search.wait(600)
        indexed = time.perf_counter() - start
        stages = plugin.report.stages if plugin.report is not None else []
    finally:
        record.write_text(original, encoding="utf-8")
        session.plugins.on_shutdown()
        shutil.rmtree(served, ignore_errors=True)
    print(json.dumps({"rebuild": rebuilt, "search_ready": indexed, "stages": stages}))


if __name__ == "__main__":
    main()
