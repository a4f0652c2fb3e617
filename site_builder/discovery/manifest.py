"""The manifest: every published URL, the digest of its content, first-published and last-changed dates.

Dates are carried forward from the previous manifest, so they are true
publication dates: a URL keeps its ``first_published`` for ever, and its
``last_changed`` moves only when its digest does.  A new URL gets the build date.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from datetime import date
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from ..writer import FileState
from .filedigests import DigestMemo, Found

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1
# Files that are not pages of their own: the manifest itself, the search bundle (content-hashed names)
# and MkDocs' compressed sitemap (removed by the sitemap finalizer).
UNLISTED_PREFIXES = ("pagefind/",)
UNLISTED_FILES = (MANIFEST_FILE, "sitemap.xml.gz")


class Entry(NamedTuple):
    """What the manifest knows of one URL (a named tuple: a manifest holds one per published file)."""

    sha256: str
    first_published: date
    last_changed: date


Manifest = Mapping[str, Entry]  # URL path ("/records/x/") -> entry


def url_for_file(relative: str) -> str:
    """The URL path a file is served at: ``records/x/index.html`` -> ``/records/x/``."""
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative.removesuffix("index.html")
    return "/" + relative


def _walk(folder: str, prefix: str, known: Mapping[str, FileState], found: list[Found]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir() and relative not in known:
                if not entry.is_symlink() and listed(relative + "/"):  # a folder whose files may be listed
                    _walk(entry.path, relative + "/", known, found)
            elif listed(relative):
                state = known.get(relative)
                if state is not None:
                    found.append((relative, entry.path, state[1], state[2], state[3]))
                else:
                    stat = entry.stat()
                    found.append((relative, entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ino))


def published_files(out_dir: Path, known: Mapping[str, FileState] | None = None) -> list[Found]:
    """(site-relative POSIX path, absolute path, size, mtime, inode) of every published file, by relative path.

    Walks with ``os.scandir`` and plain strings, not ``Path`` objects: on a large
    site this runs over every file of the tree, and pathlib's per-path work
    would cost more than the rest of the pass.  Hidden files and folders are
    not published; symlinked folders are not followed.  A file of ``known``
    (the build engine's outputs, as it left them) is not stat'ed again.
    """
    found: list[Found] = []
    _walk(str(out_dir), "", known or {}, found)
    found.sort()
    return found


def listed(relative: str) -> bool:
    """Whether a file at site path ``relative`` has a manifest entry (what :func:`published_files` finds).

    With a trailing ``/``, whether the files below that folder can have one: the walk enters only those.
    """
    if relative in UNLISTED_FILES or relative.startswith(UNLISTED_PREFIXES):
        return False
    return not (relative.startswith(".") or "/." in relative)  # no hidden file or folder on the way


def known_files(out_dir: Path, known: Mapping[str, FileState]) -> Iterator[Found]:
    """:func:`published_files` of a folder known to hold only ``known`` (a staging tree only the engine wrote).

    One at a time: at 100k records a list of them, each with its absolute path, held ~150 MB.
    """
    root = str(out_dir)
    return ((path, f"{root}/{path}", s[1], s[2], s[3]) for path, s in sorted(known.items()) if listed(path))


def digests(out_dir: Path, memo: DigestMemo) -> dict[str, str]:
    """URL path -> SHA-256 of the content, for every published file (the build's outputs and unchanged
    files: from ``memo``, which knows the build engine's outputs, and whether they are all there is)."""
    files = known_files(out_dir, memo.published) if memo.sole else published_files(out_dir, memo.published)
    return {url_for_file(key): digest for key, digest in memo.each(files)}


def carry_forward(current: Mapping[str, str], previous: Manifest, build_date: date) -> dict[str, Entry]:
    """The new manifest: dates kept from ``previous``; new URLs and changed content get ``build_date``."""
    entries = {}
    for url, digest in sorted(current.items()):
        old = previous.get(url)
        if old is None:
            entries[url] = Entry(digest, build_date, build_date)
        elif old.sha256 == digest:
            entries[url] = old
        else:
            entries[url] = Entry(digest, old.first_published, max(build_date, old.first_published))
    return entries


def manifest_json(entries: Mapping[str, Entry], site_url: str) -> bytes:
    """The manifest file's bytes (:func:`manifest_parts` joined)."""
    return "".join(manifest_parts(entries, site_url)).encode("utf-8")


def manifest_parts(entries: Mapping[str, Entry], site_url: str, lines: int = 4096) -> Iterator[str]:
    """The manifest file, a few thousand URLs at a time (at 100k records it is ~130 MB of text).

    One URL a line, so a deploy's change reads as a diff of the lines it
    touched.  Each line is what ``json.dumps`` (no indentation, default
    separators) writes for the URL and its entry; the keys are spelled out
    and the dates, which need no escaping, are formatted once per distinct
    date: on a large site this runs for every URL.
    """
    dump = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps with options makes one per call
    days: dict[date, str] = {}

    def day(value: date) -> str:
        text = days.get(value)
        if text is None:
            text = days[value] = value.isoformat()
        return text

    head = json.dumps({"manifest_version": MANIFEST_VERSION, "site_url": site_url}, ensure_ascii=False)[1:-1]
    if not entries:
        yield f'{{{head}, "urls": {{}}}}\n'
        return
    rows = (
        f'  {dump(url)}: {{"first_published": "{day(e.first_published)}", '
        f'"last_changed": "{day(e.last_changed)}", "sha256": {dump(e.sha256)}}}'
        for url, e in sorted(entries.items())
    )
    separator = f'{{{head},\n"urls": {{\n'
    while chunk := list(islice(rows, lines)):
        yield separator + ",\n".join(chunk)
        separator = ",\n"
    yield "\n}}\n"


class ManifestError(ValueError):
    """A previous manifest that cannot be read."""


def parse_manifest(text: str) -> dict[str, Entry]:
    """The entries of a manifest file's text; raises ManifestError with what is wrong."""
    days: dict[str, date] = {}  # a few distinct dates for many URLs: each parsed once

    def day(text: str) -> date:
        value = days.get(text)
        if value is None:
            value = days[text] = date.fromisoformat(text)
        return value

    try:
        data = json.loads(text)
        urls = data["urls"]
        return {
            str(url): Entry(str(e["sha256"]), day(e["first_published"]), day(e["last_changed"]))
            for url, e in urls.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ManifestError(f"not a registry manifest ({type(error).__name__}: {error})") from None


def read_manifest(path: Path) -> dict[str, Entry]:
    """The manifest at ``path``; empty when there is none (a first build)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(f"cannot read it: {error}") from None
    return parse_manifest(text)
