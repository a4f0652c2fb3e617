"""One core registry build of a generated project, in its own process: ``python -m benchmarks.build_once ROOT``.

Prints the build report as one JSON line (files and bytes published and written, stages), then
exits as the ``site-builder`` command does (:func:`site_builder.exiting.exit_now`: no interpreter teardown).
With ``--pages-only`` the build publishes the registry pages alone (record
pages, listings, home, 404, CSS) — the subset the issue's first speed target
names — by trimming the output lists of :mod:`site_builder.outputs` in this
process only; the product always publishes everything.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from site_builder.build import build_site
from site_builder.config import read_config
from site_builder.exiting import exit_now


def registry_pages_only() -> None:
    """Publish only the record pages, the listings, the home and 404 pages, and the CSS."""
    from site_builder import outputs  # not before: a no-op rebuild never imports the renderer

    outputs.RECORD_OUTPUTS[:] = [outputs.record_page]
    outputs.LIBRARY_OUTPUTS[:] = [
        outputs.listings,
        outputs.combination_listings,
        outputs.home_page,
        outputs.not_found_page,
    ]
    outputs.STATIC_OUTPUTS[:] = [outputs.assets]
    outputs.FINALIZERS[:] = []


def main() -> None:
    root = Path(sys.argv[1])
    if "--pages-only" in sys.argv:
        registry_pages_only()
    config = read_config(root / "mkdocs.yml", use_cache=False if "--no-cache" in sys.argv else None)
    report = build_site(config)
    print(
        json.dumps(
            {
                "files": report.files,
                "bytes": report.bytes,
                "written_files": report.written_files,
                "written_bytes": report.written_bytes,
                "rendered": report.rendered_records,
                "creating": report.creating_seconds,
                "stages": report.stages,
            }
        )
    )


if __name__ == "__main__":
    main()
    exit_now(0)
