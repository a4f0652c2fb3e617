"""Search: the ``/search/`` page and the Pagefind index, built over the finished tree.

Pagefind (PyPI ``pagefind[bin]``, a core dependency: its binary is installed
with the project, nothing is downloaded) indexes only the elements marked
``data-pagefind-body`` — the record article of current record pages — so
tombstones, listings and docs are not in the index.  Filters come from the
``data-pagefind-filter`` attributes of the record page.

Pagefind reads every record page, so it runs only when its input changed:
the key of a bundle is the digest of the Pagefind binary, its command line,
its configuration (``PAGEFIND_*`` variables, a ``pagefind.*`` file where it
runs), the normalization code and every record page's path and SHA-256 (from
the digest memo of :mod:`.filedigests`).  The build cache folder remembers
the key of the last bundle written and the stat identity of its files; when
the key is unchanged and the previous site's bundle still has exactly those
files, the bundle is hard-linked from it (or, building in place, left alone)
instead of running Pagefind: it is what Pagefind would write again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from stat import S_ISREG

from ..cache import cache_folder, write_atomically
from ..config import RegistryConfig
from ..library import Library
from ..problems import Problem, ProblemsFound
from ..render import Page, Renderer
from . import pagefind_order
from .background import NEXT_BUNDLE, IndexJob, background_index
from .filedigests import DigestMemo, Found, found
from .helpers import discovery_for
from .pagefind_order import normalize_bundle

SEARCH_PAGE = "search/"
BUNDLE = "pagefind"
RECORD_PAGES = "records/*/index.html"
# The command line after the binary, its --site and its --output-path (where the bundle is written
# does not change what is written in it).
ARGUMENTS = ("--silent", "--glob", RECORD_PAGES)
CONFIG_FILES = ("pagefind.json", "pagefind.toml", "pagefind.yml", "pagefind.yaml")
STATE_FILE = "pagefind-bundle.txt"
STATE_MAGIC = "site-builder pagefind bundle 1"


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


def record_pages(out_dir: Path) -> list[Found]:
    """Every ``records/<folder>/index.html`` below ``out_dir`` (all Pagefind's glob can match, and more)."""
    root = out_dir / "records"
    if not root.is_dir():
        return []
    with os.scandir(root) as entries:
        folders = sorted(e.name for e in entries if e.is_dir())
    pages = []
    for name in folders:
        path = os.path.join(root, name, "index.html")
        try:
            stat = os.stat(path)
        except OSError:
            continue
        if S_ISREG(stat.st_mode):
            pages.append((f"records/{name}/index.html", path, stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return pages


def pagefind_settings() -> bytes:
    """What configures Pagefind besides its command line: its environment variables and a config file."""
    parts = [f"{k}={v}".encode() for k, v in sorted(os.environ.items()) if k.startswith("PAGEFIND")]
    for name in CONFIG_FILES:
        if os.path.isfile(name):
            parts.append(name.encode() + b"\0" + Path(name).read_bytes())
    return b"\0\0".join(parts)


def bundle_key(executable: Path, out_dir: Path, memo: DigestMemo) -> str:
    """What the bundle is a function of: Pagefind itself, its settings, the normalization and the record pages."""
    h = hashlib.sha256(STATE_MAGIC.encode() + b"\n")
    (binary,) = memo.sha256([found(str(executable), str(executable))])
    h.update(f"{binary}\n{ARGUMENTS}\n".encode())
    h.update(hashlib.sha256(Path(pagefind_order.__file__).read_bytes()).digest())
    h.update(hashlib.sha256(pagefind_settings()).digest())
    pages = record_pages(out_dir)
    for page, digest in zip(pages, memo.sha256(pages), strict=True):
        h.update(f"{page[0]}\0{digest}\n".encode())
    return h.hexdigest()


def bundle_files(bundle: Path) -> list[Found]:
    """Every file of a bundle, sorted; empty when there is none."""
    files: list[Found] = []
    folders = [("", str(bundle))]
    while folders:
        prefix, folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append((prefix + entry.name + "/", entry.path))
            else:
                stat = entry.stat(follow_symlinks=False)
                files.append((prefix + entry.name, entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return sorted(files)


def listing(files: list[Found]) -> str:
    """A digest of a bundle's file names and stat identities (not contents: reading them is what is saved)."""
    h = hashlib.sha256()
    for name, _, size, mtime, inode in files:
        h.update(f"{name}\0{size}\0{mtime}\0{inode}\n".encode())
    return h.hexdigest() if files else ""


def state_path(config: RegistryConfig) -> Path | None:
    if not config.use_cache:
        return None
    return cache_folder(config) / STATE_FILE


def read_state(path: Path) -> tuple[str, str] | None:
    """(key, listing) of the last bundle written; None when unknown or unreadable."""
    try:
        lines = path.read_text(encoding="ascii").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if len(lines) != 4 or lines[0] != STATE_MAGIC or lines[3] != "" or not lines[2]:
        return None
    return lines[1], lines[2]


def write_state(path: Path, key: str, bundle: Path) -> None:
    write_atomically(path, f"{STATE_MAGIC}\n{key}\n{listing(bundle_files(bundle))}\n".encode("ascii"))


def link_bundle(files: list[Found], bundle: Path) -> bool:
    """Hard-link the previous bundle's ``files`` into ``bundle``; False (and nothing left) if that fails."""
    made: set[str] = set()
    try:
        for name, path, *_ in files:
            target = os.path.join(bundle, name)
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            os.link(path, target)
    except OSError:  # another file system, or no hard links: run Pagefind instead
        shutil.rmtree(bundle, ignore_errors=True)
        return False
    return True


def reuse_bundle(state: tuple[str, str] | None, key: str, previous: Path, bundle: Path) -> bool:
    """Put the previous build's bundle in place when it is exactly the one made for ``key``."""
    if state is None or state[0] != key:
        return False
    files = bundle_files(previous)
    if listing(files) != state[1]:
        return False
    if previous.resolve() == bundle.resolve():
        return True
    shutil.rmtree(bundle, ignore_errors=True)
    return link_bundle(files, bundle)


def pagefind_command(executable: Path, out_dir: Path, bundle: Path) -> list[str]:
    # Only record pages carry data-pagefind-body: --glob keeps Pagefind from parsing the rest.
    return [str(executable), "--site", str(out_dir), "--output-path", str(bundle), *ARGUMENTS]


def pagefind_failure(out_dir: Path, output: str) -> Problem:
    message = output.strip().splitlines()[-1:] or ["no output"]
    return Problem(str(out_dir), 1, "search index", f"Pagefind failed: {message[0]}", "a site Pagefind can index")


def run_pagefind(executable: Path, out_dir: Path) -> None:
    """Index ``out_dir``'s record pages into a new ``out_dir/pagefind/``."""
    bundle = out_dir / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)  # never write into files a previous site may share
    result = subprocess.run(pagefind_command(executable, out_dir, bundle), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ProblemsFound([pagefind_failure(out_dir, result.stderr or result.stdout)])
    normalize_bundle(bundle)  # Pagefind's filter order follows hash maps: sort it, for reproducible builds


def index_site(renderer: Renderer, library: Library, out_dir: Path) -> None:
    """Finalizer: write the Pagefind index and UI into ``out_dir/pagefind/`` (or reuse the previous build's).

    Within :func:`~.background.indexing_in_background` (``mkdocs serve``) a
    new index is made in the background and swapped in when complete.
    """
    config = renderer.config
    executable = pagefind_executable()
    state = state_path(config)
    deferred = background_index()
    if state is None and deferred is None:  # no cache: nothing to compare with
        run_pagefind(executable, out_dir)
        return
    key = bundle_key(executable, out_dir, discovery_for(renderer).files.memo(out_dir))
    bundle = out_dir / BUNDLE
    if state is not None and reuse_bundle(read_state(state), key, config.site_dir / BUNDLE, bundle):
        return
    if deferred is not None:
        staging = out_dir / NEXT_BUNDLE
        command = pagefind_command(executable, out_dir, staging)
        deferred.submit(IndexJob(command, staging, bundle, lambda: remember(state, key, bundle)))
        return
    run_pagefind(executable, out_dir)
    remember(state, key, bundle)


def remember(state: Path | None, key: str, bundle: Path) -> None:
    if state is not None:
        write_state(state, key, bundle)
