"""URL slugs for vocabulary terms: deterministic, readable, ASCII (``DOI grade`` -> ``doi-grade``)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)  # the same few vocabulary terms, asked for on every record page and listing
def slugify(name: str) -> str:
    """Lowercase ASCII words joined by ``-``; a name with no such word gets a short stable digest."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_WORD.sub("-", ascii_name).strip("-")
    return slug or "term-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
