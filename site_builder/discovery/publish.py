"""The manifest finalizer: written last, over the complete tree."""

from __future__ import annotations

from pathlib import Path

from ..config import RegistryConfig
from ..library import Library
from .dates import publication_dates
from .manifest import MANIFEST_FILE, carry_forward, digests, manifest_json


def write_manifest(config: RegistryConfig, library: Library, out_dir: Path) -> None:
    """Finalizer: ``manifest.json`` of every published URL, dates carried forward from the previous manifest."""
    dates = publication_dates(config)
    entries = carry_forward(digests(out_dir), dates.previous, dates.build_date)
    (out_dir / MANIFEST_FILE).write_bytes(manifest_json(entries, config.site_url))
