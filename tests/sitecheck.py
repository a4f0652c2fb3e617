"""Test helper: build the whole site as users do (MkDocs + the registry plugin), and crawl its links.

- ``build_site(records, site, ...)`` builds the repository's ``mkdocs.yml`` (docs
  pages, templates) with another records folder into ``site``, in-process, and
  returns the core's ``BuildReport``; raises ``BuildFailed`` with the messages.
- ``project_copy(tmp, records)`` writes a ``mkdocs.yml`` like the repository's
  but reading ``records`` (and keeping its cache in ``tmp``), for the commands.
- ``run_cli(program, *args)`` runs ``site-builder`` or ``mkdocs`` (any console script of
  the venv) in a subprocess: exit code and output, for tests of the commands.
- ``html_pages(site)`` lists the HTML files; ``links(site)`` yields every
  ``href``/``src`` of every page, found by a real HTML parser (html5lib);
  ``resolve(site, link)`` is the file an internal link leads to, or ``None``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import html5lib
import yaml

from site_builder.build import BuildReport
from site_builder.buildcmd import BuildFailed, build

REPO = Path(__file__).resolve().parent.parent
MKDOCS_YML = REPO / "mkdocs.yml"
BIN = Path(sys.executable).parent

__all__ = [
    "MKDOCS_YML",
    "REPO",
    "BuildFailed",
    "Link",
    "build_site",
    "html_pages",
    "links",
    "project_copy",
    "resolve",
    "run_cli",
]


def build_site(records: Path, site: Path, *, config: Path = MKDOCS_YML, no_cache: bool = False) -> BuildReport:
    """Build ``config``'s site from ``records`` into ``site`` through MkDocs, its cache beside ``site``."""
    cache = site.parent / f".cache-{site.name}"
    return build(config, records_dir=records, site_dir=site, no_cache=no_cache, cache_dir=cache)


def run_cli(
    program: str, *args: str | Path, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a console script of this venv (``site-builder``, ``mkdocs``, ``properdocs``) and capture its output;
    ``env`` adds to the environment."""
    return subprocess.run(
        [str(BIN / program), *map(str, args)],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def project_copy(tmp: Path, records: Path, **settings: object) -> Path:
    """Write ``tmp/mkdocs.yml``: the repository's, reading docs and templates from the repository and records
    from ``records``, with its build cache in ``tmp``, and ``settings`` changed in the registry section."""
    config: dict[str, Any] = yaml.safe_load(MKDOCS_YML.read_text(encoding="utf-8"))
    config["docs_dir"] = str(REPO / "docs")
    config["theme"]["custom_dir"] = str(REPO / "templates")
    registry = config["plugins"][0]["registry"]
    registry.update(records_dir=str(records), templates_dir=str(REPO / "templates"), cache_dir=str(tmp / ".cache"))
    registry.update(settings)
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Link:
    page: str  # site-relative path of the HTML file, e.g. "records/x/index.html"
    tag: str
    attribute: str
    url: str

    @property
    def internal(self) -> bool:
        parts = urlsplit(self.url)
        return not (parts.scheme or parts.netloc) and not self.url.startswith("#")


def tree_digests(root: Path) -> dict[str, str]:
    """Every file, folder and link below ``root`` (the build cache aside): a file's SHA-256, ``dir``, or
    ``link:<target>``. Two calls compare equal only if nothing below ``root`` changed in between."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if ".cache" in path.relative_to(root).parts:  # a project's build cache, at any depth below root
            continue
        if path.is_symlink():
            found[relative] = "link:" + os.readlink(path)
        else:
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return found


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def links(site: Path) -> Iterator[Link]:
    """Every href and src of every HTML page, in page order."""
    for path in html_pages(site):
        page = path.relative_to(site).as_posix()
        document = html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
        for element in document.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and isinstance(element.tag, str):
                    yield Link(page, element.tag, attribute, value.strip())


def resolve(site: Path, link: Link) -> Path | None:
    """The file an internal, relative link leads to (``dir/`` means ``dir/index.html``), or ``None``."""
    path = unquote(urlsplit(link.url).path)
    if not path:
        return site / link.page
    base = PurePosixPath(link.page).parent
    target: list[str] = []
    for part in (base / path).parts if not path.startswith("/") else PurePosixPath(path).parts[1:]:
        if part == "..":
            if not target:
                return None  # leaves the site
            target.pop()
        elif part not in (".", ""):
            target.append(part)
    file = site.joinpath(*target)
    if path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file if file.is_file() else None
