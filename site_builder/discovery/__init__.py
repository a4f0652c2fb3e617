"""Discovery: linking, citing and finding records.

Permanent URLs (alias redirects, tombstones, the manifest and its
previous-manifest check), machine-readable metadata, data files for scripts,
Atom feeds, the sitemap, badges, citation exports and the Pagefind search.
Every output here is a module-level pure function of its inputs; publication
dates come in as a :class:`~site_builder.discovery.dates.PublicationDates`
value computed once per build and handed to the renderer with :func:`install`.
"""

from __future__ import annotations

from .dates import PublicationDates, publication_dates
from .helpers import install
from .outputs import FINALIZERS, LIBRARY_OUTPUTS, RECORD_OUTPUTS, STATIC_OUTPUTS

__all__ = [
    "FINALIZERS",
    "LIBRARY_OUTPUTS",
    "RECORD_OUTPUTS",
    "STATIC_OUTPUTS",
    "PublicationDates",
    "install",
    "publication_dates",
]
