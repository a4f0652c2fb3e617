"""One core registry build of a generated project, in its own process: ``python -m benchmarks.build_once ROOT``.

Prints the build report as one JSON line (files and bytes published and written, stages).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from site_builder.build import build_site
from site_builder.config import read_config


def main() -> None:
    root = Path(sys.argv[1])
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
                "stages": report.stages,
            }
        )
    )


if __name__ == "__main__":
    main()
