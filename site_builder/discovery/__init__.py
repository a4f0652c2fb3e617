"""Discovery: linking, citing and finding records.

Permanent URLs (alias redirects, tombstones, the manifest and its
previous-manifest check), machine-readable metadata, data files for scripts,
Atom feeds, the sitemap, badges, citation exports and the Pagefind search.
Every output here is a module-level pure function of its inputs; publication
dates come in as a :class:`~site_builder.discovery.dates.PublicationDates`
value computed once per build and handed to the renderer with :func:`install`.

The names below are imported when first used (PEP 562): a no-op rebuild
imports :mod:`.dates` and :mod:`.manifest` only, never the renderer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dates import PublicationDates, publication_dates
    from .helpers import install
    from .outputs import (
        EARLY_FINALIZERS,
        FINALIZER_FILES,
        FINALIZER_FOLDERS,
        FINALIZERS,
        LIBRARY_OUTPUTS,
        RECORD_OUTPUTS,
        STATIC_OUTPUTS,
    )

_MODULES = {
    "FINALIZERS": ".outputs",
    "FINALIZER_FOLDERS": ".outputs",
    "FINALIZER_FILES": ".outputs",
    "EARLY_FINALIZERS": ".outputs",
    "LIBRARY_OUTPUTS": ".outputs",
    "RECORD_OUTPUTS": ".outputs",
    "STATIC_OUTPUTS": ".outputs",
    "PublicationDates": ".dates",
    "publication_dates": ".dates",
    "install": ".helpers",
}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(import_module(_MODULES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EARLY_FINALIZERS",
    "FINALIZERS",
    "FINALIZER_FILES",
    "FINALIZER_FOLDERS",
    "LIBRARY_OUTPUTS",
    "RECORD_OUTPUTS",
    "STATIC_OUTPUTS",
    "PublicationDates",
    "install",
    "publication_dates",
]
