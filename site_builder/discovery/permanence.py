"""Permanent URLs on a static host: alias redirects, tombstones, the Withdrawn listing, the previous-manifest check.

GitHub Pages serves files only (no 301 or 410), so a former address gets a
redirect page (meta refresh, ``rel=canonical``, a visible link) and a
withdrawn record keeps its address as a tombstone page.  With a previous
manifest (``--previous-manifest``), a build that would make a published URL
disappear is refused, naming each URL and what to do instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..library import Library
from ..model import Record
from ..problems import Problem, ProblemsFound
from ..render import Page, Renderer
from .dates import previous_manifest_path
from .helpers import discovery_for
from .urls import absolute, alias_path, record_path

# Listings are views of the data: their pages come and go as records are added or withdrawn
# (a term with no record has no page; pagination follows the counts), so they are not permanent.
# The sitemap is written by a later finalizer than the check, and split or not by the number of pages.
VOLATILE_PREFIXES = ("/tiers/", "/verdicts/", "/sitemap")
WITHDRAWN_LISTING = "withdrawn/"


def relative_root(site_path: str) -> str:
    """From the folder a file at ``site_path`` is served from back to the site root."""
    folders = site_path.split("/")[:-1] if not site_path.endswith("/") else site_path.strip("/").split("/")
    return "/".join(".." for f in folders if f) or "."


def file_of(site_path: str) -> str:
    return site_path + "index.html" if site_path.endswith("/") else site_path


def alias_redirects(renderer: Renderer, record: Record, attachments: Path) -> Iterable[Page]:
    """One static redirect page per former id or path of ``record``."""
    template = renderer.env.get_template("redirect.html")
    target = record_path(record.id)
    for alias in record.aliases:
        path = alias_path(alias)
        root = relative_root(path)
        html = template.render(
            base_url=root,
            page_url=path,
            record=record,
            target=f"{root}/{target}",
            canonical=absolute(renderer.config, target) or f"{root}/{target}",
        )
        yield file_of(path), html.encode("utf-8")


def tombstone(renderer: Renderer, record: Record, attachments: Path) -> Iterable[Page]:
    """A withdrawn record's page: its URL keeps answering with why and when it was withdrawn."""
    if record.withdrawn is not None:
        yield renderer.page("tombstone.html", record_path(record.id), record=record, withdrawal=record.withdrawn)


def withdrawn_listing(renderer: Renderer, library: Library) -> Iterable[Page]:
    """``/withdrawn/``: every withdrawn record; always published, even when empty."""
    yield renderer.page("withdrawn.html", WITHDRAWN_LISTING, records=library.withdrawn)


def file_for_url(url: str) -> str:
    """``/records/x/`` -> ``records/x/index.html``; ``/`` -> ``index.html``."""
    relative = url.lstrip("/")
    return relative + "index.html" if relative.endswith("/") or not relative else relative


def _record_folder(url: str) -> str | None:
    parts = url.split("/")
    return f"/records/{parts[2]}/" if len(parts) > 3 and parts[1] == "records" else None


def vanished(previous: Iterable[str], out_dir: Path) -> list[str]:
    """URLs of the previous manifest this build would not publish (a record's files collapse into its page)."""
    missing = {
        url for url in previous if not url.startswith(VOLATILE_PREFIXES) and not (out_dir / file_for_url(url)).is_file()
    }
    reported = set()
    for url in missing:
        folder = _record_folder(url)
        if folder is None:
            reported.add(url)
        elif not (out_dir / file_for_url(folder)).is_file():  # a record's files may go while its page answers
            reported.add(folder)
    return sorted(reported)


def what_to_do(url: str) -> str:
    folder = _record_folder(url)
    if folder and folder == url:
        record_id = url.split("/")[2]
        return (
            f"keep records/{record_id}.md and mark it withdrawn (withdrawn: {{date, reason}}) instead of deleting it; "
            f"if it was renamed, add {record_id!r} to the new record's aliases"
        )
    return "publish the page again, or add its path to the aliases of the record that replaces it"


def check_permanence(renderer: Renderer, library: Library, out_dir: Path) -> None:
    """Refuse to publish when a URL of the previous manifest (``previous_manifest`` setting) would disappear.

    The manifest is the one the build read once for its publication dates (and
    already refused, with a located message, if it was missing or unreadable).
    """
    config = renderer.config
    if config.previous_manifest is None:
        return
    path = previous_manifest_path(config)
    previous = discovery_for(renderer).dates.previous
    problems = [
        Problem(str(path), 1, url, "this URL was published and would disappear", what_to_do(url))
        for url in vanished(previous, out_dir)
    ]
    if problems:
        raise ProblemsFound(problems)
