"""The manifest: every published URL, the digest of its content, first-published and last-changed dates.

Dates are carried forward from the previous manifest, so they are true
publication dates: a URL keeps its ``first_published`` for ever, and its
``last_changed`` moves only when its digest does.  A new URL gets the build date.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1
# Files that are not pages of their own: the manifest itself, the search bundle (content-hashed names)
# and MkDocs' compressed sitemap (removed by the sitemap finalizer).
UNLISTED_PREFIXES = ("pagefind/",)
UNLISTED_FILES = (MANIFEST_FILE, "sitemap.xml.gz")


@dataclass(frozen=True, slots=True)
class Entry:
    """What the manifest knows of one URL."""

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


def published_files(out_dir: Path) -> Iterator[tuple[str, str]]:
    """(site-relative POSIX path, absolute path) of every published file, sorted by relative path.

    Walks with plain strings (``os.walk``), not ``Path`` objects: on a large
    site this runs over every file of the tree, and pathlib's per-path work
    would cost more than hashing the bytes.
    """
    root = str(out_dir)
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        if prefix.startswith(UNLISTED_PREFIXES):
            dirs[:] = []
            continue
        for name in files:
            relative = prefix + name
            if not name.startswith(".") and relative not in UNLISTED_FILES:
                found.append((relative, os.path.join(folder, name)))
    found.sort()
    yield from found


def file_digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def digests(out_dir: Path) -> dict[str, str]:
    """URL path -> SHA-256 of the content, for every published file."""
    return {url_for_file(relative): file_digest(path) for relative, path in published_files(out_dir)}


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
    """The manifest file: one URL a line, so a deploy's change reads as a diff of the lines it touched.

    Each line is encoded by ``json.dumps`` without indentation (the C encoder;
    with ``indent`` CPython falls back to a pure-Python one, slow on large sites).
    """
    rows = ",\n".join(
        "  "
        + json.dumps(url, ensure_ascii=False)
        + ": "
        + json.dumps(
            {
                "first_published": e.first_published.isoformat(),
                "last_changed": e.last_changed.isoformat(),
                "sha256": e.sha256,
            },
            ensure_ascii=False,
        )
        for url, e in sorted(entries.items())
    )
    head = json.dumps({"manifest_version": MANIFEST_VERSION, "site_url": site_url}, ensure_ascii=False)[1:-1]
    body = f"{{{head},\n\"urls\": {{\n{rows}\n}}}}\n" if rows else f"{{{head}, \"urls\": {{}}}}\n"
    return body.encode("utf-8")


class ManifestError(ValueError):
    """A previous manifest that cannot be read."""


def parse_manifest(text: str) -> dict[str, Entry]:
    """The entries of a manifest file's text; raises ManifestError with what is wrong."""
    try:
        data = json.loads(text)
        urls = data["urls"]
        return {
            str(url): Entry(
                str(e["sha256"]),
                date.fromisoformat(e["first_published"]),
                date.fromisoformat(e["last_changed"]),
            )
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
