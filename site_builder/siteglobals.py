"""The ``site`` global every template sees: the docs pages' (under MkDocs) and the registry's alike.

Apart from the renderer and the record model: MkDocs renders the docs pages with it on every
build, a no-op included, which then needs neither the registry's renderer nor pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .config import GateStatus, RegistryConfig, Term

NAV: tuple[tuple[str, str], ...] = (
    ("Records", ""),
    ("Tiers", "tiers/"),
    ("Verdicts", "verdicts/"),
    ("Quality guide", "quality-guide/"),
    ("About", "about/"),
    ("Search", "search/"),
)


# How every listing is ordered (RecordSummary.sort_key), in words for the pages that show one.
SORT_ORDER = "newest first by publication date (records without a date last), then by title, then by id"


@dataclass(frozen=True)
class SiteGlobals:
    """Values every template sees, under MkDocs as in the core: the ``site`` global.

    An object, not a dict: Jinja reads ``site.name`` as an attribute first, and a dict
    would answer each such read with a caught AttributeError.
    """

    name: str
    url: str
    description: str
    nav: tuple[tuple[str, str], ...]
    tiers: tuple[Term, ...]
    gate_statuses: tuple[GateStatus, ...]
    dimension_levels: tuple[str, ...]
    sort_order: str

    @cached_property
    def dimension_labels(self) -> dict[str, str]:
        """Each quality dimension's field name -> its label (the record model's titles), looked up when first used."""
        from .model import Dimensions, section_rows  # not before: a docs page never asks, and pydantic takes 0.1 s

        return dict(section_rows(Dimensions))


def site_globals(config: RegistryConfig) -> SiteGlobals:
    return SiteGlobals(
        name=config.site_name,
        url=config.site_url.rstrip("/") + "/" if config.site_url else "",
        description=config.site_description,
        nav=NAV,
        tiers=config.tiers,
        gate_statuses=config.gate_statuses,
        dimension_levels=config.dimension_levels,
        sort_order=SORT_ORDER,
    )
