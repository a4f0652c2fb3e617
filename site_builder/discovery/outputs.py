"""Discovery's outputs, in the engine's lists (see :mod:`site_builder.outputs`)."""

from __future__ import annotations

from .background import NEXT_BUNDLE
from .badge import badge_files
from .citation import citation_files
from .data import record_data, records_api
from .feeds import feeds
from .manifest import MANIFEST_FILE
from .permanence import alias_redirects, check_permanence, tombstone, withdrawn_listing
from .publish import write_manifest
from .search import BUNDLE, index_site, search_page
from .sitemap import SITEMAP_FILES, robots_txt

RECORD_OUTPUTS = [tombstone, alias_redirects, record_data, badge_files, citation_files]
LIBRARY_OUTPUTS = [withdrawn_listing, records_api, feeds, search_page]
STATIC_OUTPUTS = [robots_txt]
# Order matters: refuse a build that loses a URL before anything slow (the search index, started early,
# is stopped then); the sitemap and manifest come last, from one digest pass over the final tree.
FINALIZERS = [check_permanence, index_site, write_manifest]
# The folders a finalizer makes whole, checking what a refreshed tree already holds there itself.
FINALIZER_FOLDERS = {index_site: (f"{BUNDLE}/", f"{NEXT_BUNDLE}/")}
# The files at the top of the site a finalizer writes (glob patterns): no other output may take their place.
FINALIZER_FILES = {write_manifest: (MANIFEST_FILE, *SITEMAP_FILES)}
# Finalizers that read only the record outputs: they start once those are written (site_builder.alongside).
EARLY_FINALIZERS = (index_site,)
