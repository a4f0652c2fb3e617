"""The manifest: every published URL, the digest of its content, first-published and last-changed dates.

Dates are carried forward from the previous manifest, so they are true
publication dates: a URL keeps its ``first_published`` for ever, and its
``last_changed`` moves only when its digest does.  A new URL gets the build date.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from itertools import islice
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) writes for a string
from pathlib import Path
from typing import NamedTuple, Protocol

from ..filestates import FileState
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
# A manifest line's fields as written: URL path, SHA-256 (hex), first published and last changed (ISO dates).
Row = tuple[str, str, str, str]


class Days(dict[str, date]):
    """ISO dates read, each parsed once: a manifest has a few distinct dates for many URLs (``days[text]``)."""

    def __missing__(self, text: str) -> date:
        value = self[text] = date.fromisoformat(text)
        return value


class DayTexts(dict[date, str]):
    """Dates written, each formatted once (``texts[day]``): the other way round from :class:`Days`."""

    def __missing__(self, value: date) -> str:
        text = self[value] = value.isoformat()
        return text


class ManifestFields(Mapping[str, Entry]):
    """URL path -> entry, over a manifest's fields as written (``url, sha256, first, last, url, ...``).

    What a build keeps of the manifest it wrote (:mod:`.keptmanifest`): an
    entry is made only when asked for (pages ask for a few dates), and carrying
    dates forward (:func:`rows_of`) reads the fields as they are.
    """

    def __init__(self, fields: list[str]) -> None:
        self._fields = fields
        self._at = dict(zip(fields[0::4], range(0, len(fields), 4), strict=True))  # the last of a URL counts
        self._day = Days()

    def texts(self, url: str) -> tuple[str, str, str] | None:
        """The SHA-256, first-published and last-changed fields of ``url`` as written; None if it has none."""
        at = self._at.get(url)
        if at is None:
            return None
        fields = self._fields
        return fields[at + 1], fields[at + 2], fields[at + 3]

    def get(self, url: str, default: object = None) -> object:  # type: ignore[override]
        at = self._at.get(url)
        if at is None:
            return default
        fields, day = self._fields, self._day
        return Entry(fields[at + 1], day[fields[at + 2]], day[fields[at + 3]])

    def __getitem__(self, url: str) -> Entry:
        entry = self.get(url)
        if entry is None:
            raise KeyError(url)
        assert isinstance(entry, Entry)
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


class CarriedDates(Protocol):
    """What carrying dates forward needs (a :class:`~.dates.PublicationDates`)."""

    @property
    def build_date(self) -> date: ...

    @property
    def previous(self) -> Manifest: ...


def url_for_file(relative: str) -> str:
    """The URL path a file is served at: ``records/x/index.html`` -> ``/records/x/``."""
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative.removesuffix("index.html")
    return "/" + relative


def file_for_url(url: str) -> str:
    """The file served at URL path ``url``: ``/records/x/`` -> ``records/x/index.html`` (see :func:`url_for_file`)."""
    return url[1:] + "index.html" if url.endswith("/") else url[1:]


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


class ListedFiles:
    """The URLs the manifest lists, in order, with their files' digests; read again on each pass.

    A staging tree only the engine wrote (``memo.sole``) is listed from the
    engine's outputs: only their URLs are held (a file's path is its URL's:
    :func:`file_for_url`), and each file's digest is taken from what the
    engine remembers of it when it is reached (at 100k records, a list of
    every file with its absolute path held ~150 MB; sorting paths by URL held
    both).  Any other folder is walked once, what the walk found is held, and
    digests come from the memo (:mod:`.filedigests`).
    """

    def __init__(self, out_dir: Path, memo: DigestMemo) -> None:
        self.memo, self.known, self.sole = memo, memo.published, memo.sole
        self.urls: list[str] = []
        self.walked: list[tuple[str, Found]] = []  # (URL, the file found), by URL
        if self.sole:
            self.urls = sorted(url_for_file(path) for path in self.known if listed(path))
        else:
            self.walked = sorted((url_for_file(found[0]), found) for found in published_files(out_dir, self.known))

    def digests(self, keep: Callable[[str], bool] | None = None) -> Iterator[tuple[str, str]]:
        """(URL path, SHA-256 in hex) of each file whose URL ``keep`` keeps (all without it), in URL order."""
        if not self.sole:
            kept = [(url, found) for url, found in self.walked if keep is None or keep(url)]
            digests = self.memo.each(found for _, found in kept)
            return ((url, digest) for (url, _), (_, digest) in zip(kept, digests, strict=True))
        known = self.known
        return ((url, known[file_for_url(url)][0].hex()) for url in self.urls if keep is None or keep(url))


def rows_of(digests: Iterable[tuple[str, str]], dates: CarriedDates) -> Iterator[Row]:
    """The manifest row of each (URL path, digest), in their order: dates carried from ``dates``.

    A URL keeps its first-published date for ever; its last-changed date moves
    (to the build date) only when its digest does; a new URL gets the build
    date.  Carried as the texts written (ISO dates compare as the dates do):
    a URL whose content is unchanged, nearly every one in an incremental
    build, keeps its previous row's fields as they are.
    """
    texts, built = previous_texts(dates.previous), dates.build_date.isoformat()
    for url, digest in digests:
        old = texts(url)
        if old is None:
            yield url, digest, built, built
        elif old[0] == digest:
            yield url, digest, old[1], old[2]
        else:
            yield url, digest, old[1], max(built, old[1])


def previous_texts(previous: Manifest) -> Callable[[str], tuple[str, str, str] | None]:
    """URL path -> the SHA-256, first-published and last-changed texts of its entry in ``previous`` (or None)."""
    if isinstance(previous, ManifestFields):
        return previous.texts
    day = DayTexts()

    def texts(url: str) -> tuple[str, str, str] | None:
        entry = previous.get(url)
        return None if entry is None else (entry.sha256, day[entry.first_published], day[entry.last_changed])

    return texts


def entry_rows(entries: Iterable[tuple[str, Entry]]) -> Iterator[Row]:
    """The rows of (URL path, entry) pairs, in their order."""
    day = DayTexts()
    return ((url, e.sha256, day[e.first_published], day[e.last_changed]) for url, e in entries)


def manifest_json(entries: Mapping[str, Entry], site_url: str) -> bytes:
    """The manifest file's bytes (:func:`manifest_parts` joined), of ``entries`` in any order."""
    return "".join(manifest_parts(entry_rows(sorted(entries.items())), site_url)).encode("utf-8")


def manifest_parts(rows: Iterable[Row], site_url: str, lines: int = 4096) -> Iterator[str]:
    """The manifest file of ``rows`` (in URL order), a few thousand URLs at a time (~130 MB at 100k records).

    One URL a line, so a deploy's change reads as a diff of the lines it
    touched.  Each line is what ``json.dumps`` (no indentation, default
    separators) writes for the URL and its entry, with the keys spelled out
    and the dates as they are (ISO dates need no escaping): on a large site
    this runs for every URL.
    """
    head = json.dumps({"manifest_version": MANIFEST_VERSION, "site_url": site_url}, ensure_ascii=False)[1:-1]
    quote = encode_basestring
    lines_of = (
        f'  {quote(url)}: {{"first_published": "{first}", "last_changed": "{last}", "sha256": {quote(sha)}}}'
        for url, sha, first, last in rows
    )
    opening = f'{{{head},\n"urls": {{\n'
    separator = opening
    while chunk := list(islice(lines_of, lines)):
        yield separator + ",\n".join(chunk)
        separator = ",\n"
    if separator is opening:  # no entry
        yield f'{{{head}, "urls": {{}}}}\n'
    else:
        yield "\n}}\n"


class ManifestError(ValueError):
    """A previous manifest that cannot be read."""


def parse_manifest(text: str) -> dict[str, Entry]:
    """The entries of a manifest file's text; raises ManifestError with what is wrong."""
    day = Days()
    try:
        data = json.loads(text)
        urls = data["urls"]
        return {
            str(url): Entry(str(e["sha256"]), day[e["first_published"]], day[e["last_changed"]])
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
