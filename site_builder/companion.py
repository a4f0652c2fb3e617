"""Pages another tool made for the site (MkDocs' docs pages), published beside the registry's outputs.

``site-builder build`` and ``mkdocs build`` let MkDocs write the docs pages
into a folder of their own (:func:`~site_builder.writer.pages_dir_for`); the
registry's build (:func:`~site_builder.build.build_site`) then publishes them
in its staged tree as one more group of outputs, ``companion``, in the same
incremental way as its own: kept as they are while their bytes are unchanged,
a file with the same bytes as the last site's linked rather than written, and
recorded in the build state, so that a rebuild where nothing changed, docs
included, writes nothing.  A companion file never takes the place of a
registry output or a file a finalizer writes, nor of a folder of theirs, nor
lies below one of those files (:func:`taken_by`): the registry's wins, as it
did when MkDocs wrote first and the registry over it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import digest_bytes, digests_digest, file_digest, tree_files

if TYPE_CHECKING:  # a no-op rebuild reads the companion files without importing the renderer
    from .render import Page

__all__ = ["COMPANION", "Companion", "companion_pages", "read_companion", "taken_by"]

COMPANION = "companion"  # the engine's group of these outputs (cache.BuildCache.groups)


@dataclass(frozen=True)
class Companion:
    """The files of a companion folder (site-relative path -> file), and one digest of their paths and bytes."""

    files: dict[str, Path]
    digest: bytes


def read_companion(folder: Path) -> Companion:
    """Every file below ``folder`` (MkDocs' output of one build), each read once for the digest, none kept."""
    files = dict(tree_files(folder))
    digests = {relative: file_digest(path.read_bytes()) for relative, path in files.items()}
    return Companion(files, digests_digest(digests))


def taken_by(files: Container[str], folders: Iterable[str], owned: Callable[[str], bool]) -> Callable[[str], bool]:
    """Whether a companion file at a path would take the place of another output, or stand where one needs a folder.

    ``files``: the registry's outputs; ``folders``: the folders they are in; ``owned``: whether a
    finalizer writes a path (or below it) itself.  Taken: a path that is such a file or folder, or lies
    below such a file.
    """
    below = sorted(folders)

    def taken(path: str) -> bool:
        if path in files or owned(path) or owned(f"{path}/"):
            return True
        at = bisect_left(below, f"{path}/")
        if at < len(below) and below[at].startswith(f"{path}/"):
            return True  # a folder of the registry's, or above one
        parts = path.split("/")
        above = ("/".join(parts[:depth]) for depth in range(1, len(parts)))
        return any(folder in files or owned(folder) for folder in above)

    return taken


def companion_pages(companion: Companion, taken: Callable[[str], bool]) -> tuple[bytes, Iterator[Page]]:
    """The group's inputs and its pages (read as they are asked for): the files no other output takes (``taken``).

    The inputs name the files left out too: when the registry stops publishing
    a path, the companion file there is published again, not kept out.
    """
    kept: list[str] = []
    left_out: list[str] = []
    for relative in sorted(companion.files):
        (left_out if taken(relative) else kept).append(relative)
    inputs = digest_bytes(companion.digest, "\0".join(left_out).encode("utf-8", "surrogateescape"))
    return inputs, ((relative, companion.files[relative].read_bytes()) for relative in kept)
