"""Where discovery outputs live, and how to turn a site path into an absolute URL."""

from __future__ import annotations

from ..config import RegistryConfig


def record_path(record_id: str) -> str:
    """Site-relative URL of a record page (permanent)."""
    return f"records/{record_id}/"


def url_path(site_path: str) -> str:
    """The manifest's form of a site-relative URL: ``records/x/`` -> ``/records/x/``."""
    return "/" + site_path


def absolute(config: RegistryConfig, site_path: str) -> str:
    """``site_url`` + path when ``site_url`` is set, else "" (no absolute URL is known)."""
    return f"{config.site_url.rstrip('/')}/{site_path}" if config.site_url else ""


def alias_path(alias: str) -> str:
    """Where a former id or path is served: a bare id under ``records/``, a path as given."""
    cleaned = alias.strip("/")
    if "/" not in cleaned:
        return record_path(cleaned)
    if cleaned.startswith("records/") and cleaned.count("/") == 1:
        return cleaned + "/"
    return cleaned if cleaned.endswith(".html") else cleaned + "/"
