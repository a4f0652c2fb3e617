"""What the registry publishes, declared as lists of output functions.

The build engine (:mod:`site_builder.build`) decides how and when these run
(order, processes, caching); this module only says what exists:

- ``RECORD_OUTPUTS``: functions ``(renderer, record, attachments_dir) -> pages``,
  each depending on one record only (and templates/configuration);
- ``LIBRARY_OUTPUTS``: functions ``(renderer, library) -> pages``, built from
  the summaries of all records (listings, home page, feeds ...); a page may be
  a :class:`~.render.LazyPage`, rendered only when what it shows changed;
- ``STATIC_OUTPUTS``: functions ``(config) -> pages`` that depend on neither;
- ``FINALIZERS``: functions ``(renderer, library, out_dir) -> None`` run last, once
  every page is in ``out_dir`` (MkDocs' docs pages included), in list order:
  they may read the tree and write files (search index, sitemap, manifest),
  or raise ``ProblemsFound`` to refuse publishing. Like library outputs they
  get the build's renderer, and with it what the whole build shares (the
  publication dates discovery was installed with); the site is swapped into
  place only after all of them succeed.  ``FINALIZER_FOLDERS`` names the
  folders a finalizer makes whole itself: a refreshed tree's files there are
  left for it to check (and reuse) rather than pruned; ``FINALIZER_FILES``, the
  files it writes at the top of the site, which no other output (MkDocs'
  pages included: :mod:`~.companion`) may take.  A finalizer of
  ``EARLY_FINALIZERS`` reads only the record outputs and the library, and
  writes only in its folders: it starts as soon as the records are written and
  runs alongside the listings, the static outputs and the prune
  (:mod:`~.alongside`); the engine waits for it at its place in the order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase
from pathlib import Path

from . import discovery
from .cache import tree_files
from .config import SCHEMA_FILE, RegistryConfig
from .library import TAXONOMIES, Library
from .model import Record
from .render import Output, Page, Renderer

RecordOutput = Callable[[Renderer, Record, Path], Iterable[Page]]
LibraryOutput = Callable[[Renderer, Library], Iterable[Output]]
StaticOutput = Callable[[RegistryConfig], Iterable[Page]]
Finalizer = Callable[[Renderer, Library, Path], None]


def record_page(renderer: Renderer, record: Record, attachments: Path) -> Iterable[Page]:
    if record.withdrawn is None:  # a withdrawn record's URL answers with its tombstone (discovery.permanence)
        yield renderer.record_page(record)


def attached_files(renderer: Renderer, record: Record, attachments: Path) -> Iterable[Page]:
    """Artifacts kept beside the record are published beside its page."""
    for artifact in record.artifacts:
        if artifact.path is not None:
            yield f"records/{record.id}/{artifact.path}", (attachments / artifact.path).read_bytes()


def listings(renderer: Renderer, library: Library) -> Iterable[Output]:
    for taxonomy in TAXONOMIES:
        yield renderer.taxonomy_index(taxonomy, library)
        for listing in library.listings[taxonomy.name]:
            yield from renderer.listing_pages(listing)


def combination_listings(renderer: Renderer, library: Library) -> Iterable[Output]:
    """Tier × verdict listings (``tiers/<tier>/verdicts/<verdict>/``): what a home matrix cell links to."""
    yield from renderer.combination_pages(library)


def home_page(renderer: Renderer, library: Library) -> Iterable[Page]:
    yield renderer.home(library)


def not_found_page(renderer: Renderer, library: Library) -> Iterable[Page]:
    yield renderer.not_found()


def assets(config: RegistryConfig) -> Iterable[Page]:
    """Shared CSS, scripts and icons, from ``templates/assets``: files, never inlined per page."""
    for relative, path in tree_files(config.templates_dir / "assets"):  # the files the cache digests
        yield f"assets/{relative}", path.read_bytes()


def json_schema(config: RegistryConfig) -> Iterable[Page]:
    from .schema import record_schema

    text = json.dumps(record_schema(config), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    yield SCHEMA_FILE, text.encode("utf-8")


RECORD_OUTPUTS: list[RecordOutput] = [
    record_page,
    attached_files,
    *discovery.RECORD_OUTPUTS,  # tombstones, alias redirects, record.json, badges, citation files
]
LIBRARY_OUTPUTS: list[LibraryOutput] = [
    listings,
    combination_listings,
    home_page,
    not_found_page,
    *discovery.LIBRARY_OUTPUTS,  # withdrawn listing, api/records.json(l), Atom feeds, search page
]
STATIC_OUTPUTS: list[StaticOutput] = [assets, json_schema, *discovery.STATIC_OUTPUTS]
# Permanence check first (refuse before any slow work), then search index, sitemap, and the manifest last.
FINALIZERS: list[Finalizer] = [*discovery.FINALIZERS]
FINALIZER_FOLDERS: dict[Finalizer, tuple[str, ...]] = {**discovery.FINALIZER_FOLDERS}
FINALIZER_FILES: dict[Finalizer, tuple[str, ...]] = {**discovery.FINALIZER_FILES}
EARLY_FINALIZERS: tuple[Finalizer, ...] = discovery.EARLY_FINALIZERS  # the search index: Pagefind's processes


def finalizer_folders() -> tuple[str, ...]:
    """The site-relative folders (ending in ``/``) that the finalizers this build runs make whole."""
    return tuple(folder for finalize in FINALIZERS for folder in FINALIZER_FOLDERS.get(finalize, ()))


def finalizer_owns(path: str) -> bool:
    """Whether the finalizers this build runs write site-relative ``path`` (or its folder) themselves."""
    if path.startswith(finalizer_folders()):
        return True
    if "/" in path:  # FINALIZER_FILES are at the top of the site (and a glob's * would match a /)
        return False
    patterns = (pattern for finalize in FINALIZERS for pattern in FINALIZER_FILES.get(finalize, ()))
    return any(fnmatchcase(path, pattern) for pattern in patterns)
