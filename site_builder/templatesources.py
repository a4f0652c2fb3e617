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

import hashlib
from collections.abc import Iterable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any, cast

import jinja2

__all__ = ["CONFLICT", "TemplateSources", "Used", "noted"]

Used = dict[str, str | None]  # template name -> digest of its source as read (None: there was none)
CONFLICT = ""  # a template read as two versions in one build (edited meanwhile): never the same as now


class TemplateSources(jinja2.FileSystemLoader):
    """The loader of the templates folder, noting the digest of every template it reads (``read``)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.read: Used = {}

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            self.read[template] = None
            raise
        self.read[template] = hashlib.blake2b(source.encode("utf-8"), digest_size=16).hexdigest()
        return source, filename, uptodate

    def digest(self, name: str) -> str | None:
        """The digest of template ``name`` as it is now (None when there is none), read once."""
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
