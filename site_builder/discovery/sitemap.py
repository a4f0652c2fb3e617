"""``sitemap.xml`` (https://www.sitemaps.org/protocol.html) of every page, and ``robots.txt`` pointing at it.

Record, listing, docs and tombstone pages are listed; redirect pages and the
404 page are not.  ``lastmod`` is the manifest's last-changed date.  Past
50,000 URLs the sitemap becomes a sitemap index over ``sitemap-<n>.xml`` files,
as the protocol requires.  The protocol needs absolute URLs, so without
``site_url`` no sitemap is written and ``robots.txt`` names none.  MkDocs' own
``sitemap.xml`` is replaced and its ``sitemap.xml.gz`` removed.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from ..config import RegistryConfig
from ..library import Library
from ..render import Page
from .urls import alias_path

MAX_URLS = 50_000
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
NOT_LISTED = ("/404.html",)


def redirect_urls(library: Library) -> set[str]:
    """URL paths of the library's redirect pages (its records' aliases)."""
    return {"/" + alias_path(a) for s in library.summaries for a in s.aliases}


def in_sitemap(url: str, redirects: Container[str]) -> bool:
    """Whether URL path ``url`` is a page to list: an HTML page, not a redirect, not the 404 page."""
    return (url.endswith("/") or url.endswith(".html")) and url not in redirects and url not in NOT_LISTED


def page_urls(changed: Mapping[str, str], library: Library) -> list[str]:
    """URL paths of the pages to list, in order."""
    redirects = redirect_urls(library)
    return sorted(url for url in changed if in_sitemap(url, redirects))


def urlset(site_url: str, urls: Sequence[str], changed: Mapping[str, str]) -> bytes:
    rows = "".join(f"<url><loc>{escape(site_url + url)}</loc><lastmod>{changed[url]}</lastmod></url>\n" for url in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n{rows}</urlset>\n'.encode()


def sitemap_files(site_url: str, urls: Sequence[str], changed: Mapping[str, str], limit: int = MAX_URLS) -> list[Page]:
    """``sitemap.xml``, or past ``limit`` URLs a sitemap index plus ``sitemap-<n>.xml`` parts.

    ``changed``: URL path -> its manifest's last-changed date (ISO, as written there).
    """
    site_url = site_url.rstrip("/")
    if len(urls) <= limit:
        return [("sitemap.xml", urlset(site_url, urls, changed))]
    chunks = [urls[i : i + limit] for i in range(0, len(urls), limit)]
    parts = [(f"sitemap-{n}.xml", urlset(site_url, chunk, changed)) for n, chunk in enumerate(chunks, start=1)]
    rows = "".join(
        f"<sitemap><loc>{escape(f'{site_url}/{name}')}</loc>"
        f"<lastmod>{max(changed[u] for u in chunk)}</lastmod></sitemap>\n"
        for (name, _), chunk in zip(parts, chunks, strict=True)
    )
    index = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">\n{rows}</sitemapindex>\n'
    return [("sitemap.xml", index.encode()), *parts]


# The files of a sitemap, ours or MkDocs' (glob patterns at the top of the site).
SITEMAP_FILES = ("sitemap.xml", "sitemap.xml.gz", "sitemap-*.xml")


def remove_sitemaps(out_dir: Path) -> None:
    """Delete any sitemap already in ``out_dir`` (MkDocs writes its own, of the docs pages only)."""
    for pattern in SITEMAP_FILES:
        for stale in out_dir.glob(pattern):
            stale.unlink(missing_ok=True)


def sitemap_pages(config: RegistryConfig, library: Library, changed: Mapping[str, str]) -> list[Page]:
    """The sitemap file(s) of the pages in ``changed`` (URL path -> last-changed date); none without ``site_url``."""
    if not config.site_url:
        return []
    return sitemap_files(config.site_url, page_urls(changed, library), changed)


def robots_txt(config: RegistryConfig) -> Iterable[Page]:
    """Everything may be crawled; the sitemap is named when ``site_url`` gives it an absolute URL."""
    lines = ["User-agent: *", "Allow: /"]
    if config.site_url:
        lines.append(f"Sitemap: {config.site_url.rstrip('/')}/sitemap.xml")
    yield "robots.txt", ("\n".join(lines) + "\n").encode()
