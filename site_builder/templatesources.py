"""The templates a render used, and whether they are still the same: so that a template edit
re-renders exactly the outputs that use the template.

The environment's loader (:class:`TemplateSources`) notes the digest of each
template's source as it hands it out (``read``).  Jinja asks the loader once
for each template an environment uses, whatever it caches afterwards (the
compiled template, a macro module, a rendered badge or note), so what a
renderer's loader has read is every template its renders used: a page's own,
its parents, includes and imports, and those Python renders by name.  A
name looked up and not found is noted too (``None``): a template added under it
later may change what is rendered.

The build cache keeps, with each group of outputs and for the records as a
whole, the templates their renders read and the digests they had
(:func:`noted`); the outputs are reused only while :meth:`TemplateSources.hold`
for those (every template folder has a loader of its own, reading each file
once per build).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any, cast

import jinja2
from jinja2.loaders import split_template_path

from .cache import file_digest

__all__ = ["CONFLICT", "TemplateSources", "Used", "noted"]

Used = dict[str, str | None]  # template name -> digest of its source as read (None: there was none)
CONFLICT = ""  # a template read as two versions in one build (edited meanwhile): never the same as now


class TemplateSources(jinja2.FileSystemLoader):
    """The loader of the templates folder, noting the digest of every template it reads (``read``).

    A template's digest is that of the very bytes its source is decoded from
    (:func:`~.cache.file_digest`, as the build's scan takes them), read once.
    ``known``: digests already taken, by name (the scan's), which :meth:`digest` answers with.
    A name read again as other bytes (the file changed while the environment dropped it
    from its cache) is a :data:`CONFLICT`.  ``changes`` counts what changed in ``read``.
    """

    def __init__(self, folder: Path, known: Mapping[str, str] | None = None) -> None:
        super().__init__(str(folder))
        self.read: Used = dict(known or {})
        self.changes = 0

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        """As :class:`jinja2.FileSystemLoader` does, the file's bytes read once, for its source and its digest."""
        pieces = split_template_path(template)
        for folder in self.searchpath:
            filename = posixpath.join(folder, *pieces)  # posixpath, as jinja2 does: no drive or UNC part
            if os.path.isfile(filename):
                break
        else:
            self._note(template, None)
            raise jinja2.TemplateNotFound(template)
        with open(filename, "rb") as file:
            raw = file.read()
        self._note(template, file_digest(raw))
        mtime = os.path.getmtime(filename)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(filename) == mtime
            except OSError:
                return False

        # Decoded as open() in text mode would: universal newlines.
        source = raw.decode(self.encoding).replace("\r\n", "\n").replace("\r", "\n")
        return source, os.path.normpath(filename), uptodate

    def _note(self, name: str, digest: str | None) -> None:
        if name not in self.read:
            self.read[name] = digest
            self.changes += 1
        elif self.read[name] != digest and self.read[name] != CONFLICT:
            self.read[name] = CONFLICT
            self.changes += 1

    def digest(self, name: str) -> str | None:
        """The digest of template ``name`` (None when there is none): as known, else read now, once."""
        if name not in self.read:
            with suppress(jinja2.TemplateNotFound):  # the file system loader reads a file: it needs no environment
                self.get_source(cast(jinja2.Environment, None), name)
        return self.read[name]

    def hold(self, used: Mapping[str, str | None]) -> bool:
        """Whether every template of ``used`` is still the one it was."""
        return all(self.digest(name) == digest for name, digest in used.items())


def noted(used: Used, read: Iterable[tuple[str, str | None]]) -> None:
    """Add to ``used`` what another renderer ``read``; a template read as two versions is a :data:`CONFLICT`."""
    for name, digest in read:
        if used.setdefault(name, digest) != digest:
            used[name] = CONFLICT
