"""Pages another tool made for the site (MkDocs' docs pages), published beside the registry's outputs.

``site-builder build`` and ``mkdocs build`` let MkDocs write the docs pages
into a folder of their own (:func:`~site_builder.writer.pages_dir_for`); the
registry's build (:func:`~site_builder.build.build_site`) then publishes them
in its staged tree as one more group of outputs, ``companion``, in the same
incremental way as its own: kept as they are while their bytes are unchanged,
a file with the same bytes as the last site's linked rather than written, and
recorded in the build state, so that a rebuild where nothing changed, docs
included, writes nothing.  A companion file never takes the place of a
registry output or of a file a finalizer writes: the registry's wins, as it
did when MkDocs wrote first and the registry over it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import digest_bytes, digests_digest, file_digest, tree_files

if TYPE_CHECKING:  # a no-op rebuild reads the companion files without importing the renderer
    from .render import Page

__all__ = ["COMPANION", "Companion", "companion_pages", "read_companion"]

COMPANION = "companion"  # the engine's group of these outputs (cache.BuildCache.groups)


@dataclass(frozen=True)
class Companion:
    """The files of a companion folder: site-relative path -> bytes, and one digest of them all."""

    files: dict[str, bytes]
    digest: bytes


def read_companion(folder: Path) -> Companion:
    """Every file below ``folder`` (MkDocs' output of one build: small, read whole)."""
    files = {relative: path.read_bytes() for relative, path in tree_files(folder)}
    return Companion(files, digests_digest({relative: file_digest(data) for relative, data in files.items()}))


def companion_pages(companion: Companion, taken: Callable[[str], bool]) -> tuple[bytes, list[Page]]:
    """The group's inputs and its pages: the files no other output takes (``taken``).

    The inputs name the files left out too: when the registry stops publishing
    a path, the companion file there is published again, not kept out.
    """
    pages, left_out = [], []
    for relative in sorted(companion.files):
        if taken(relative):
            left_out.append(relative)
        else:
            pages.append((relative, companion.files[relative]))
    return digest_bytes(companion.digest, "\0".join(left_out).encode("utf-8", "surrogateescape")), pages
