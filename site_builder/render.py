"""Rendering: records and the library -> (site path, HTML bytes), through Jinja2 templates.

All HTML comes from ``templates/``; autoescape is on and record text only ever
enters a template as a value, never as template source.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jinja2

from .config import RegistryConfig
from .library import TAXONOMIES, Library, Listing, Taxonomy
from .markdown import markdown_renderer, render_markdown
from .model import TABLE_SECTIONS, Record, section_rows, section_title
from .slug import slugify

Page = tuple[str, bytes]  # (site-relative file path, content)

NAV: tuple[tuple[str, str], ...] = (
    ("Records", ""),
    ("Tiers", "tiers/"),
    ("Verdicts", "verdicts/"),
    ("Quality guide", "quality-guide/"),
    ("About", "about/"),
)


def base_url_for(url: str) -> str:
    """Relative path from a page at site-relative ``url`` (``records/x/``) back to the site root."""
    depth = len([part for part in url.split("/") if part])
    return "/".join([".."] * depth) or "."


def file_for(url: str) -> str:
    return f"{url}index.html" if url.endswith("/") or not url else url


def site_globals(config: RegistryConfig) -> dict[str, Any]:
    """Values every template sees, under MkDocs as in the core: the ``site`` global."""
    return {
        "name": config.site_name,
        "url": config.site_url.rstrip("/") + "/" if config.site_url else "",
        "description": config.site_description,
        "nav": NAV,
        "tiers": config.tiers,
        "gate_statuses": config.gate_statuses,
        "dimension_levels": config.dimension_levels,
    }


def make_environment(config: RegistryConfig) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["site"] = site_globals(config)
    env.filters["slug"] = slugify
    return env


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    field: str
    href: str | None = None


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    rows: tuple[Row, ...]


def _display(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def record_sections(record: Record, config: RegistryConfig) -> tuple[SectionView, ...]:
    """The label/value tables of a record page, in the published order; links where a row has one."""
    contracts = {"manifest_contract", "correction_contract", "provenance_contract"}
    views = []
    for key, model in TABLE_SECTIONS:
        section = getattr(record, key)
        rows = []
        for name, label in section_rows(model):
            value = getattr(section, name)
            if value is None:
                continue
            href = None
            if name in contracts:
                href = f"{config.contracts_page}{slugify(str(value))}/"
            elif key == "provenance" and name == "quality_guide":
                href = config.quality_guide_page
            rows.append(Row(label, _display(value), name, href))
        views.append(SectionView(key, section_title(model), tuple(rows)))
    return tuple(views)


class Renderer:
    """Holds what every page render shares: the template environment and the Markdown renderer."""

    def __init__(self, config: RegistryConfig) -> None:
        self.config = config
        self.env = make_environment(config)
        self.md = markdown_renderer()

    def page(self, template: str, url: str, **context: Any) -> Page:
        html = self.env.get_template(template).render(
            base_url=base_url_for(url), page_url=url, canonical=self.canonical(url), **context
        )
        return file_for(url), html.encode("utf-8")

    def canonical(self, url: str) -> str:
        site_url = self.config.site_url.rstrip("/")
        return f"{site_url}/{url}" if site_url else ""

    def record_page(self, record: Record) -> Page:
        tier = self.config.tier(record.tier.name) if record.tier.name in self.config.tier_names else None
        status = record.gate.status
        gate = self.config.gate_status(status) if status in self.config.gate_status_names else None
        return self.page(
            "record.html",
            f"records/{record.id}/",
            record=record,
            sections=record_sections(record, self.config),
            abstract_html=render_markdown(self.md, record.abstract),
            question_html=render_markdown(self.md, record.research_question),
            tier_term=tier,
            gate_term=gate,
            verified=bool(gate and gate.requires_artifact),
        )

    def listing_pages(self, listing: Listing) -> Iterator[Page]:
        size = self.config.page_size
        pages = listing.pages(size)
        for number, records in enumerate(pages, start=1):
            yield self.page(
                listing.taxonomy.template,
                listing.page_url(number),
                listing=listing,
                records=records,
                number=number,
                count=len(pages),
                first_index=(number - 1) * size + 1,
                page_urls=[listing.page_url(n) for n in range(1, len(pages) + 1)],
            )

    def taxonomy_index(self, taxonomy: Taxonomy, library: Library) -> Page:
        return self.page(
            "taxonomy.html",
            f"{taxonomy.path}/",
            taxonomy=taxonomy,
            listings=library.listings[taxonomy.name],
        )

    def home(self, library: Library) -> Page:
        return self.page(
            "home.html",
            "",
            matrix=matrix(library, self.config),
            recent=library.recent(self.config.recent_records),
            total=len(library.current),
        )

    def not_found(self) -> Page:
        # Served at any depth by GitHub Pages, so its links must not be relative: use site_url when known.
        url = self.config.site_url.rstrip("/")
        html = self.env.get_template("404.html").render(base_url=url or "", page_url="404.html", canonical="")
        return "404.html", html.encode("utf-8")


@dataclass(frozen=True)
class Matrix:
    """Counts of current records by tier (rows) and verdict (columns), with their listings."""

    tiers: tuple[Listing | None, ...]
    tier_names: tuple[str, ...]
    verdicts: tuple[Listing | None, ...]
    verdict_names: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    total: int


def matrix(library: Library, config: RegistryConfig) -> Matrix:
    tier_names = config.tier_names
    verdict_names = config.gate_status_names
    counts = [[0] * len(verdict_names) for _ in tier_names]
    tiers = {n: i for i, n in enumerate(tier_names)}
    verdicts = {n: i for i, n in enumerate(verdict_names)}
    for summary in library.current:
        counts[tiers[summary.tier]][verdicts[summary.status]] += 1
    return Matrix(
        tiers=tuple(library.listing("tier", n) for n in tier_names),
        tier_names=tier_names,
        verdicts=tuple(library.listing("verdict", n) for n in verdict_names),
        verdict_names=verdict_names,
        counts=tuple(tuple(row) for row in counts),
        total=len(library.current),
    )


__all__ = ["TAXONOMIES", "Page", "Renderer", "base_url_for", "site_globals"]
