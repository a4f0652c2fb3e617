"""The publishing finalizer: sitemap and manifest, from one pass over the complete tree."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

from ..deferred import deferred_work
from ..library import Library
from ..render import Renderer
from ..writer import replace_file, replace_file_from
from .dates import WrittenManifest
from .helpers import discovery_for
from .keptmanifest import kept_manifest_path, kept_while_written
from .manifest import MANIFEST_FILE, ListedFiles, ManifestFields, Row, manifest_parts, rows_of, url_for_file
from .sitemap import in_sitemap, redirect_urls, remove_sitemaps, sitemap_pages


def write_manifest(renderer: Renderer, library: Library, out_dir: Path) -> None:
    """Finalizer: ``sitemap.xml`` (lastmod from the manifest), then ``manifest.json`` of every published URL.

    In ``mkdocs serve`` (:func:`~site_builder.deferred.deferring`) this is done after the reload:
    no page of the preview links to either file, and at 10k records it is the slowest stage left.
    """
    work = deferred_work()
    if work is None:
        publish(renderer, library, out_dir)
    else:
        work.submit("the manifest and sitemap", lambda: publish(renderer, library, out_dir))


def publish(renderer: Renderer, library: Library, out_dir: Path) -> None:
    """``sitemap.xml`` and ``manifest.json`` of the complete tree in ``out_dir``.

    The sitemap is made first, of the pages' entries; then the manifest is
    written as it is made, one URL at a time in URL order, the sitemap's own
    entries merged in (at 100k records, the manifest's entries held whole in
    dicts were ~300 MB).  Dates are carried forward from the previous manifest: the build's
    own :class:`PublicationDates`, the ones its pages were rendered with (read
    once; one build date even when a build runs past midnight).  Files this
    build did not change are not read again: their digests come from the memo
    of :mod:`.filedigests`, saved here for the next build.  In a serve session
    the rows written are also kept in its memory (:class:`~.dates.WrittenManifest`),
    where the next rebuild finds its publication dates; in other builds with a cache, in a
    file beside the cache (:mod:`.keptmanifest`), where the next build does.
    """
    config = renderer.config
    found = discovery_for(renderer)
    dates, memo = found.dates, found.files.memo(out_dir)
    remove_sitemaps(out_dir)
    files = ListedFiles(out_dir, memo)
    redirects = redirect_urls(library)
    pages = {row[0]: row[3] for row in rows_of(files.digests(lambda url: in_sitemap(url, redirects)), dates)}
    sitemaps = []
    for name, content in sitemap_pages(config, library, pages):
        replace_file(out_dir / name, content)
        sitemaps.append((url_for_file(name), hashlib.sha256(content).hexdigest()))
    del pages
    rows = merged(rows_of(files.digests(), dates), sorted(rows_of(sitemaps, dates)))
    memory, kept = found.files.memory, list[str]()
    if memory is not None:  # a serve session: the next rebuild's dates come from these rows, not the file
        memory.manifest = None
        rows = kept_in(rows, kept)

    def encoded(rows: Iterable[Row]) -> Iterator[bytes]:
        return (part.encode("utf-8") for part in manifest_parts(rows, config.site_url))

    write = partial(replace_file_from, out_dir / MANIFEST_FILE)
    if memory is None and config.use_cache:  # the next build's dates come from its copy of the rows
        written = kept_while_written(kept_manifest_path(config), rows, encoded, write)
    else:
        written = write(encoded(rows))
    if memory is not None:
        memory.manifest = WrittenManifest.of(written, ManifestFields(kept))
    memo.save()


def kept_in(rows: Iterable[Row], fields: list[str]) -> Iterator[Row]:
    """``rows``, the fields of each also added to ``fields`` as it passes."""
    for row in rows:
        fields.extend(row)
        yield row


def merged(rows: Iterable[Row], few: list[Row]) -> Iterator[Row]:
    """``rows`` with the ``few`` others (the sitemap's) put in their places: both in URL order, no URL in both."""
    pending = deque(few)
    for row in rows:
        while pending and pending[0][0] < row[0]:
            yield pending.popleft()
        yield row
    yield from pending
