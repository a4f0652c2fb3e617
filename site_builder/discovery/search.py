"""Search: the ``/search/`` page and the Pagefind index, built over the finished tree.

Pagefind (PyPI ``pagefind[bin]``, a core dependency: its binary is installed
with the project, nothing is downloaded) indexes only the elements marked
``data-pagefind-body`` — the record article of current record pages — so
tombstones, listings and docs are not in the index.  Filters come from the
``data-pagefind-filter`` attributes of the record page.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from ..library import Library
from ..problems import Problem, ProblemsFound
from ..render import Page, Renderer
from .pagefind_order import normalize_bundle

SEARCH_PAGE = "search/"
BUNDLE = "pagefind"
RECORD_PAGES = "records/*/index.html"


def search_page(renderer: Renderer, library: Library) -> Iterable[Page]:
    yield renderer.page("search.html", SEARCH_PAGE, total=len(library.current))


def pagefind_executable() -> Path:
    """The Pagefind binary installed by the ``pagefind-bin`` package."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]

        return Path(get_executable())
    except (ImportError, FileNotFoundError) as error:
        raise ProblemsFound(
            [Problem("pyproject.toml", 1, "dependencies", f"Pagefind is not installed ({error})", "pip install -e .")]
        ) from None


def index_site(renderer: Renderer, library: Library, out_dir: Path) -> None:
    """Finalizer: write the Pagefind index and UI into ``out_dir/pagefind/``."""
    command = [
        str(pagefind_executable()),
        *("--site", str(out_dir), "--output-subdir", BUNDLE, "--silent"),
        *("--glob", RECORD_PAGES),  # only record pages carry data-pagefind-body: don't parse the rest
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ProblemsFound(
            [Problem(str(out_dir), 1, "search index", f"Pagefind failed: {message[0]}", "a site Pagefind can index")]
        )
    normalize_bundle(out_dir / BUNDLE)  # Pagefind's filter order follows hash maps: sort it, for reproducible builds
