"""Search: the ``/search/`` page and the Pagefind index, sharded by record, built over the finished tree.

Pagefind (PyPI ``pagefind[bin]``, a core dependency: its binary is installed
with the project, nothing is downloaded) indexes only the elements marked
``data-pagefind-body`` — the record article of current record pages.  Filters
come from the ``data-pagefind-filter`` attributes of the record page.

The index is split into shards (:mod:`.searchshards`): each current record is
in one of K shards, chosen by a hash of its id, K a power of two from the
number of current records and ``search_shard_records``.  A shard is an
ordinary Pagefind bundle at ``pagefind/shards/<name>/``, made by running
Pagefind over a temporary folder of just that shard's record pages at their
site paths (their search views, :mod:`.searchview`, in memory where it can;
see :mod:`.searchshards`), so its URLs are the records' own.  Tombstones,
listings and docs are in no shard; a shard without a record is not made.
Pagefind's UI files are published once at ``pagefind/``, linked from the first
shard (they are the same in every shard).  The search page lists the shards
(it is rendered from the library, before the finalizers run) and
``assets/search.js`` loads the first as PagefindUI's bundle, merges the
others with ``mergeIndex`` and loads every bundle's filters before the UI
starts (a search counts with the filter files loaded by then): Pagefind
ranks the merged results by score and sums the filter counts across
bundles.  Without a current record there is no
shard and no index, and the search page says there is nothing to search.

A shard's Pagefind run reads only its pages, so it runs only when they
changed: the key of a shard is the digest of the Pagefind binary, its command
line, its configuration (``PAGEFIND_*`` variables, a ``pagefind.*`` file where
it runs), the search view's and the normalization's code, K, the shard's name and its pages' paths
and SHA-256s (from the digest memo of :mod:`.filedigests`).  The build cache
of the output folder remembers each shard's key and the stat identity of its
files (:mod:`.searchbundles`); a shard whose key is unchanged and whose bundle
in the previous site still has exactly those files is hard-linked from it (or,
building in place, left alone) instead of running Pagefind: it is what
Pagefind would write again.  The other shards' runs go concurrently, one Pagefind process per core,
and each bundle is normalized (:mod:`.pagefind_order`), so a cold build and an
incremental one publish the same bytes.  In ``mkdocs serve`` the runs are
handed to :mod:`.background`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from pathlib import Path

from ..alongside import abandoned, detach, on_abandon, wait_for_turn, within
from ..library import Library
from ..problems import Problem, ProblemsFound
from ..render import Page, Renderer
from ..resident import resident
from ..writer import remove_links, remove_path
from . import pagefind_order, searchview
from .background import NEXT_BUNDLE, IndexJob, ShardRun, background_index, last_line, stop_process, workers
from .filedigests import DigestMemo, Found, found
from .helpers import discovery_for
from .pagefind_order import normalize_bundle
from .searchbundles import (
    STATE_MAGIC,
    Remembered,
    bundle_files,
    listing,
    read_state,
    reuse_bundle,
    state_path,
    update_bundle,
    write_state,
)
from .searchshards import SHARDS, assign, publish_ui, scratch_folders, shard_count, shard_pages

SEARCH_PAGE = "search/"
BUNDLE = "pagefind"
RECORD_PAGES = "records/*/index.html"
# The command line after the binary, its --site and its --output-path (where the bundle is written
# does not change what is written in it).
ARGUMENTS = ("--silent", "--glob", RECORD_PAGES)
CONFIG_FILES = ("pagefind.json", "pagefind.toml", "pagefind.yml", "pagefind.yaml")
# A whole index runs alongside the listings only while its processes and their peak fit in this together
# (the bound on a build's memory).  At 100k records the listings add ~1.6 kB a record to the build
# process (the API document and its JSON Lines copy) and a Pagefind process over a shard holds ~60 MiB:
# that index waits for its turn (alongside.wait_for_turn); at 10k it need not.
MEMORY_BUDGET = 512 * 2**20
LISTINGS_PER_RECORD = 2048
PAGEFIND_PROCESS = 64 * 2**20


def search_page(renderer: Renderer, library: Library) -> Iterable[Page]:
    shards = assign((s.id for s in library.current), renderer.config.search_shard_records)
    yield renderer.page("search.html", SEARCH_PAGE, total=len(library.current), shards=list(shards))


def pagefind_executable() -> Path:
    """The Pagefind binary installed by the ``pagefind-bin`` package."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]

        return Path(get_executable())
    except (ImportError, FileNotFoundError) as error:
        raise ProblemsFound(
            [Problem("pyproject.toml", 1, "dependencies", f"Pagefind is not installed ({error})", "pip install -e .")]
        ) from None


def pagefind_settings() -> bytes:
    """What configures Pagefind besides its command line: its environment variables and a config file."""
    parts = [f"{k}={v}".encode() for k, v in sorted(os.environ.items()) if k.startswith("PAGEFIND")]
    for name in CONFIG_FILES:
        if os.path.isfile(name):
            parts.append(name.encode() + b"\0" + Path(name).read_bytes())
    return b"\0\0".join(parts)


def key_base(executable: Path, memo: DigestMemo) -> bytes:
    """What every shard's bundle is a function of: Pagefind itself, its settings and the normalization."""
    h = hashlib.sha256(STATE_MAGIC.encode() + b"\n")
    (binary,) = memo.sha256([found(str(executable), str(executable))])
    h.update(f"{binary}\n{ARGUMENTS}\n".encode())
    for code in (pagefind_order.__file__, searchview.__file__):  # what Pagefind reads, what is made of its output
        h.update(hashlib.sha256(Path(code).read_bytes()).digest())
    h.update(hashlib.sha256(pagefind_settings()).digest())
    return h.digest()


def bundle_key(base: bytes, count: int, name: str, pages: list[Found], memo: DigestMemo) -> str:
    """The key of shard ``name`` of ``count``: :func:`key_base` and the shard's record pages."""
    h = hashlib.sha256(base)
    h.update(f"{count}\0{name}\n".encode())
    for page, digest in zip(pages, memo.sha256(pages), strict=True):
        h.update(f"{page[0]}\0{digest}\n".encode())
    return h.hexdigest()


def pagefind_command(executable: Path, source: Path, output: Path) -> list[str]:
    # ``source`` holds just the shard's record pages, so --glob only names them.
    return [str(executable), "--site", str(source), "--output-path", str(output), *ARGUMENTS]


def pagefind_failure(out_dir: Path, message: str) -> Problem:
    return Problem(str(out_dir), 1, "search index", f"Pagefind failed: {message}", "a site Pagefind can index")


def run_pagefind(run: ShardRun) -> str | None:
    """Index one shard into its bundle folder; None, or Pagefind's last line of output when it failed."""
    if abandoned():
        return "not run: the build gave up"
    run.prepare()
    try:
        process = subprocess.Popen(run.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if not on_abandon(lambda: stop_process(process)):  # started alongside, by a build that gave up since
            stop_process(process)
        detach()  # the build may go on meanwhile, when it started this alongside
        out, err = process.communicate()
    finally:
        shutil.rmtree(run.source, ignore_errors=True)
    elsewhere = run.output != run.bundle  # made in memory: the shard's folder is updated from it
    try:
        if process.returncode != 0:
            return last_line(err or out)
        normalize_bundle(run.output)  # Pagefind's filter order follows hash maps: sort it, for reproducible builds
        if elsewhere:
            update_bundle(run.output, run.bundle)
    finally:
        if elsewhere:
            shutil.rmtree(run.output, ignore_errors=True)
    return None


def run_shards(runs: list[ShardRun], out_dir: Path) -> None:
    """Run Pagefind for ``runs``, one process per core at a time; raise ProblemsFound if any failed."""
    run = within(copy_context(), run_pagefind)  # the pool's threads see whose work it is (on_abandon)
    with ThreadPoolExecutor(workers(len(runs)), thread_name_prefix="pagefind") as pool:
        failures = [message for message in pool.map(run, runs) if message is not None]
    if failures:
        raise ProblemsFound([pagefind_failure(out_dir, failures[0])])


def index_site(renderer: Renderer, library: Library, out_dir: Path) -> None:
    """Finalizer: write the search shards and Pagefind's UI into ``out_dir/pagefind/``, reusing unchanged shards.

    Within :func:`~.background.indexing_in_background` (``mkdocs serve``) the
    shards that changed are made in the background and swapped in when all are complete.
    It may run alongside the engine's later stages (``outputs.EARLY_FINALIZERS``): it reads
    only the record pages, and writes only in its own folders (``FINALIZER_FOLDERS``).  More
    runs than one round of Pagefind processes (a whole index, not an edit's) wait for the
    engine to reach this finalizer (:func:`~site_builder.alongside.wait_for_turn`).
    """
    config = renderer.config
    current = [s.id for s in library.current]
    shards = assign(current, config.search_shard_records)
    root, state = out_dir / BUNDLE, state_path(config)
    deferred = background_index()
    if deferred is not None:  # an older job must not swap its bundles in after this build's
        deferred.cancel()
    clear_way(out_dir)  # after the cancel: an older job works in the work folder until then
    if not shards:  # nothing to search: the search page loads no index
        shutil.rmtree(root, ignore_errors=True)
        remember(state, {})
        return
    executable = pagefind_executable()
    keys: dict[str, str] = {}
    if state is not None or deferred is not None:  # else there is nothing to compare with
        memo = discovery_for(renderer).files.memo(out_dir)
        base, count = key_base(executable, memo), shard_count(len(current), config.search_shard_records)
        for name, ids in shards.items():  # the engine's outputs (published) need no stat
            keys[name] = bundle_key(base, count, name, shard_pages(out_dir, ids, memo.published), memo)
    known = read_state(state) if state is not None else {}
    previous, bundles = config.site_dir / BUNDLE / SHARDS, root / SHARDS
    kept = {
        name: known[name]
        for name in shards
        if reuse_bundle(known.get(name), keys.get(name), previous / name, bundles / name)
    }
    stale = [name for name in shards if name not in kept]
    work = out_dir / NEXT_BUNDLE
    runs = shard_runs(executable, out_dir, {name: shards[name] for name in stale}, work, bundles, deferred is not None)
    if deferred is not None and runs:
        deferred.submit(IndexJob(runs, work, lambda: finish(root, list(shards), state, keys, kept)))
        on_abandon(deferred.cancel)  # a build that gives up before this finalizer's turn swaps nothing in
        return
    if len(runs) > workers(len(runs)) and not fits_beside_listings(len(library.summaries), workers(len(runs))):
        wait_for_turn()  # a whole index, its processes' memory and the listings' would not fit together
    try:
        run_shards(runs, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    finish(root, list(shards), state, keys, kept)


def fits_beside_listings(records: int, processes: int) -> bool:
    """Whether ``processes`` Pagefind processes and the listings of ``records`` fit in :data:`MEMORY_BUDGET` together.

    Reckoned from what the build process holds now (Linux; elsewhere it is unknown: they do not fit).
    """
    now = resident()
    return now > 0 and now + records * LISTINGS_PER_RECORD + processes * PAGEFIND_PROCESS <= MEMORY_BUDGET


def clear_way(out_dir: Path) -> None:
    """Where the index is made, what a refreshed tree may hold in the way, removed and never followed.

    That is whatever is at the work folder (only ever scratch), a file or link
    at ``pagefind/``, and any link below ``pagefind/`` (the engine's prune
    leaves both folders to this finalizer).
    """
    remove_path(str(out_dir / NEXT_BUNDLE))
    bundle = out_dir / BUNDLE
    if bundle.is_symlink() or bundle.is_file():
        bundle.unlink()
    if bundle.is_dir():
        remove_links(str(bundle))


def shard_runs(
    executable: Path, site: Path, shards: dict[str, list[str]], work: Path, bundles: Path, background: bool
) -> list[ShardRun]:
    """The runs of ``shards`` (name -> record ids) over the pages in ``site``.

    Each works in its :func:`~.searchshards.scratch_folders`.  Run now,
    Pagefind writes into memory and the shard's bundle folder is updated from
    there, or (without a memory folder, or a bundle folder to update) straight
    into the bundle folder; in the background, into a folder below ``work``
    that replaces it when the job is complete.
    """
    runs, scratch = [], scratch_folders(work, shards)
    for name, ids in shards.items():
        source, made = scratch[name]
        output = work / name / "bundle" if background else updating(made, bundles / name)
        runs.append(ShardRun(pagefind_command(executable, source, output), site, ids, source, output, bundles / name))
    return runs


def updating(made: Path | None, bundle: Path) -> Path:
    """Where a run now writes shard folder ``bundle``: ``made`` (in memory) if there is one to update, else itself."""
    return made if made is not None and os.path.lexists(bundle) else bundle


def finish(root: Path, names: list[str], state: Path | None, keys: dict[str, str], kept: dict[str, Remembered]) -> None:
    """With every shard in place: tidy ``root`` (UI files, no other shards) and remember the bundles."""
    publish_ui(root, names)
    if state is not None and keys:
        made = {name: (keys[name], listing(bundle_files(root / SHARDS / name))) for name in names if name not in kept}
        remember(state, {name: kept.get(name) or made[name] for name in names})


def remember(state: Path | None, shards: dict[str, Remembered]) -> None:
    if state is not None:
        write_state(state, shards)
