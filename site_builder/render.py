"""Rendering: records and the library -> (site path, HTML bytes), through Jinja2 templates.

All HTML comes from ``templates/``; autoescape is on and record text only ever
enters a template as a value, never as template source.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, cast

import jinja2
from markupsafe import Markup

from .cache import cache_folder, code_digest
from .config import RegistryConfig, Term
from .library import TAXONOMIES, Library, Listing, RecordSummary, Taxonomy
from .markdown import markdown_renderer, render_markdown
from .model import TABLE_SECTIONS, Record, section_rows, section_title
from .siteglobals import site_globals
from .slug import slugify
from .templatesources import TemplateSources
from .textoutput import TextOutputTemplate

Page = tuple[str, bytes]  # (site-relative file path, content)


@dataclass(frozen=True, slots=True)
class LazyPage:
    """A page known by what it shows before it is rendered: the build renders it only when that changed.

    ``inputs`` is a digest of everything the page's template is given besides what the build's
    environment key covers (templates, configuration, code): the page is reused while it is unchanged.
    """

    path: str
    inputs: bytes
    render: Callable[[], bytes]

    def page(self) -> Page:
        return self.path, self.render()


# What the build publishes: a page, or one known by its inputs; a large one's content may be a
# bytearray it was built in (see discovery.data.records_api).
Output = tuple[str, bytes | bytearray] | LazyPage


def base_url_for(url: str) -> str:
    """Relative path from a page at site-relative ``url`` (``records/x/``) back to the site root."""
    depth = len([part for part in url.split("/") if part])
    return "/".join([".."] * depth) or "."


def file_for(url: str) -> str:
    return f"{url}index.html" if url.endswith("/") or not url else url


class TemplateBytecode(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the cache folder between builds and worker processes.

    Jinja's own cache: an entry is used only for the same template name and source checksum;
    the key here adds this code's digest, since the environment's settings shape the compiled code.
    """

    def __init__(self, folder: Path, code: str) -> None:
        super().__init__(str(folder))
        self.code = code

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.code}\0{name}", filename)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Made when a template is first compiled: a build refused before rendering leaves no folder behind."""
        os.makedirs(self.directory, exist_ok=True)
        super().dump_bytecode(bucket)


def template_bytecode(config: RegistryConfig) -> TemplateBytecode | None:
    """Where compiled templates are kept (``<cache_dir>/templates``); None when the build uses no cache."""
    if not config.use_cache:
        return None
    return TemplateBytecode(cache_folder(config) / "templates", code_digest().hex())


def make_environment(config: RegistryConfig) -> jinja2.Environment:
    """The core's template environment.  A build makes its own (one per Renderer, one Renderer per build and
    per worker), so templates are read once per build: no ``auto_reload`` stat of every template on every use;
    they are compiled once per template version, not once per build and process (:class:`TemplateBytecode`)."""
    env = jinja2.Environment(
        bytecode_cache=template_bytecode(config),
        loader=TemplateSources(config.templates_dir),  # notes what the renders use (templatesources)
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.template_class = TextOutputTemplate  # each value written as escaped text, not a Markup object
    env.globals["site"] = site_globals(config)
    # A badge (about 20 per record page) takes its values from the configured vocabularies, and so do a
    # listing row's assessment cells (the same for every record assessed alike): few distinct arguments.
    env.globals["badge"] = RenderedOnce(Macro(env, "render_badge"))
    env.globals["assessment_cells"] = RenderedOnce(Macro(env, "render_assessment_cells"))
    # A note under a table section of the record page is one of its section's fixed texts
    # (importer.SECTION_NOTES): it sees ``verified`` (and the globals) only, never the record.
    env.globals["section_note"] = RenderedOnce(lambda section, verified: section_note(env, section, verified))
    env.filters["slug"] = slugify
    return env


class Macro:
    """A macro of ``_macros.html``, called from Python."""

    def __init__(self, env: jinja2.Environment, name: str) -> None:
        self.env = env
        self.name = name

    def __call__(self, *args: Hashable) -> Markup:
        return self.macro(*args)

    @cached_property
    def macro(self) -> Callable[..., Markup]:
        """Looked up on first use, once the environment has all its globals (a macro sees them as they were)."""
        return cast(Callable[..., Markup], getattr(self.env.get_template("_macros.html").module, self.name))


class RenderedOnce:
    """HTML that depends on its arguments alone, which few distinct arguments reach: rendered once per
    distinct arguments for the life of its environment, one build (a Renderer)."""

    def __init__(self, render: Callable[..., Markup]) -> None:
        self.render = render
        self.rendered: dict[tuple[Hashable, ...], Markup] = {}

    def __call__(self, *args: Hashable) -> Markup:
        html = self.rendered.get(args)
        if html is None:
            html = self.rendered[args] = self.render(*args)
        return html


def section_note(env: jinja2.Environment, section: str, verified: bool) -> Markup:
    """The note under table section ``section`` of a record page (``notes/<section>.html``)."""
    return Markup(env.get_template(f"notes/{section}.html").render(verified=verified))


class Row(NamedTuple):
    """One label/value row of a record page; ``badge`` names the visual label kind, ``href`` a link."""

    label: str
    value: str
    field: str
    href: str | None = None
    badge: str | None = None


@dataclass(frozen=True)
class SectionView:
    key: str
    title: str
    rows: tuple[Row, ...]


CONTRACT_FIELDS = frozenset({"manifest_contract", "correction_contract", "provenance_contract"})
# (section, field) -> badge kind; every field of the dimensions section is a level.
BADGES = {("gate", "status"): "verdict", ("tier", "name"): "tier", ("correction", "status"): "correction"}
# (section, field) -> taxonomy path of the listing its value names.
LISTED = {("gate", "status"): "verdicts", ("tier", "name"): "tiers"}
# What a row links to: a contract's section of the contracts page, the quality guide, or a listing.
_CONTRACT, _GUIDE = "contract", "guide"


class RowLayout(NamedTuple):
    """A row of a table section: its field, label, badge kind, and what its value links to (if anything)."""

    field: str
    label: str
    badge: str | None
    link: str | None  # _CONTRACT, _GUIDE, or the taxonomy path of the listing the value names


def _row_layout(key: str, name: str, label: str) -> RowLayout:
    link = None
    if name in CONTRACT_FIELDS:
        link = _CONTRACT
    elif (key, name) == ("provenance", "quality_guide"):
        link = _GUIDE
    elif (key, name) in LISTED:
        link = LISTED[key, name]
    return RowLayout(name, label, "level" if key == "dimensions" else BADGES.get((key, name)), link)


@dataclass(frozen=True)
class SectionLayout:
    """A table section of the record page: its key, title and rows, in order."""

    key: str
    title: str
    rows: tuple[RowLayout, ...]


# Read from the models once: the same for every record.
SECTION_LAYOUTS = tuple(
    SectionLayout(key, section_title(model), tuple(_row_layout(key, *row) for row in section_rows(model)))
    for key, model in TABLE_SECTIONS
)


def _href(link: str | None, value: str, record: Record, config: RegistryConfig) -> str | None:
    if link is None:
        return None
    if link == _CONTRACT:
        return f"{config.contracts_page}{slugify(value)}/"
    if link == _GUIDE:
        return config.quality_guide_page
    return f"{link}/{slugify(value)}/" if record.withdrawn is None else None  # a withdrawn record is not listed


def _rows(record: Record, layout: SectionLayout, config: RegistryConfig) -> Iterator[Row]:
    section = getattr(record, layout.key)
    for name, label, badge, link in layout.rows:
        value = getattr(section, name)
        if value is not None:
            shown = value.isoformat() if isinstance(value, datetime) else str(value)
            yield Row(label, shown, name, _href(link, shown, record, config), badge)


def record_sections(record: Record, config: RegistryConfig) -> tuple[SectionView, ...]:
    """The label/value tables of a record page, in the published order; links where a row has one."""
    return tuple(
        SectionView(layout.key, layout.title, tuple(_rows(record, layout, config))) for layout in SECTION_LAYOUTS
    )


# Page links either side of the current page; the first and last pages are always linked.
PAGE_WINDOW = 2


def shown_pages(number: int, count: int, window: int = PAGE_WINDOW) -> list[int | None]:
    """The page numbers page ``number`` of ``count`` links to: the first, the last and ``window`` either side.

    ``None`` stands for a run of pages left out; a run of one page is shown instead.  A page links to at
    most ``2 * window + 5`` others however long the listing, so pagination stays small at 100k records.
    """
    keep = sorted({1, count, *range(max(1, number - window), min(count, number + window) + 1)})
    shown: list[int | None] = []
    previous = 0
    for page in keep:
        if page - previous == 2:
            shown.append(previous + 1)
        elif page - previous > 2:
            shown.append(None)
        shown.append(page)
        previous = page
    return shown


class Pagination:
    """The numbered page links of one listing (:func:`shown_pages`), each rendered once per page depth."""

    def __init__(self, page_link: Macro, page_gap: Macro, page_urls: Sequence[str]) -> None:
        self.page_link = page_link
        self.page_gap = page_gap
        self.page_urls = page_urls
        self.plain: dict[tuple[str, int], Markup] = {}  # (base_url, page) -> its link, not marked current

    def links(self, number: int, base_url: str) -> Markup:
        """The links on page ``number`` (at ``base_url``), one per line, its own marked current."""
        shown = shown_pages(number, len(self.page_urls))
        return Markup("\n".join(self._link(base_url, page, number) for page in shown))

    def _link(self, base_url: str, page: int | None, current: int) -> Markup:
        if page is None:
            return self.page_gap()
        if page == current:
            return self.page_link(base_url, self.page_urls[page - 1], page, True)
        link = self.plain.get((base_url, page))
        if link is None:
            link = self.plain[base_url, page] = self.page_link(base_url, self.page_urls[page - 1], page, False)
        return link


class Renderer:
    """Holds what every page render shares: the template environment and the Markdown renderer.

    One Renderer per build (and per worker process), so the environment's caches (templates, badges,
    notes) never outlive a build.  A listing row is rendered for each page that shows it: keeping
    every row for the build would save about 0.15 s at 10k records and cost about 19 MB.
    """

    def __init__(self, config: RegistryConfig) -> None:
        self.config = config
        self.env = make_environment(config)
        self.templates = cast(TemplateSources, self.env.loader)  # what this renderer's pages used so far
        self.md = markdown_renderer()
        self.record_row = Macro(self.env, "render_record_row")
        self.page_link = Macro(self.env, "render_page_link")
        self.page_gap = Macro(self.env, "render_page_gap")

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

    def record_rows(self, records: Sequence[RecordSummary], base_url: str) -> list[Markup]:
        """The listing rows of ``records`` for a page at ``base_url``."""
        return [self.record_row(record, base_url) for record in records]

    def listing_pages(self, listing: Listing, up: tuple[str, str] | None = None) -> Iterator[LazyPage]:
        """Pages of ``listing`` at its stable URLs; ``up`` is (label, URL) of the page above it.

        A listing page shows its own records, its number, the listing's size and page count
        (nothing else of the listing): that, with the taxonomy and term, is what its ``inputs`` digest.
        """
        up = up or (listing.taxonomy.plural, f"{listing.taxonomy.path}/")
        size = self.config.page_size
        pages = listing.pages(size)
        page_urls = [listing.page_url(n) for n in range(1, len(pages) + 1)]
        pagination = Pagination(self.page_link, self.page_gap, page_urls)
        shared = repr((listing.taxonomy.name, listing.term.name, listing.url, up, len(listing.records), len(pages)))
        for number, (url, records) in enumerate(zip(page_urls, pages, strict=True), start=1):
            inputs = hashlib.blake2b(f"{shared}\0{number}\0".encode(), digest_size=16)
            for record in records:
                inputs.update(record.digest)

            def render(url: str = url, number: int = number, records: tuple[RecordSummary, ...] = records) -> bytes:
                base_url = base_url_for(url)
                return self.page(
                    listing.taxonomy.template,
                    url,
                    listing=listing,
                    up=up,
                    records=records,
                    rows=self.record_rows(records, base_url),
                    number=number,
                    count=len(pages),
                    first_index=(number - 1) * size + 1,
                    page_urls=page_urls,
                    page_links=pagination.links(number, base_url) if len(pages) > 1 else Markup(),
                )[1]

            yield LazyPage(file_for(url), inputs.digest(), render)

    def taxonomy_index(self, taxonomy: Taxonomy, library: Library) -> Page:
        return self.page(
            "taxonomy.html",
            f"{taxonomy.path}/",
            taxonomy=taxonomy,
            kind=taxonomy.name,
            terms=[(term, library.listing(taxonomy.name, term.name)) for term in taxonomy.terms(self.config)],
        )

    def combination_pages(self, library: Library) -> Iterator[LazyPage]:
        """The tier × verdict listings the home matrix's cells link to."""
        for tier_name, row in zip(self.config.tier_names, combination_listings(library, self.config), strict=True):
            tier = library.listing("tier", tier_name)
            for listing in row:
                if tier is not None and listing is not None:
                    yield from self.listing_pages(listing, (f"Quality tier: {tier_name}", tier.url))

    def home(self, library: Library) -> Page:
        recent = library.recent(self.config.recent_records)
        return self.page(
            "home.html",
            "",
            matrix=matrix(library, self.config),
            recent=recent,
            recent_rows=self.record_rows(recent, base_url_for("")),
            total=len(library.current),
        )

    def not_found(self) -> Page:
        # Served at any depth by GitHub Pages, so its links must not be relative: use site_url when known.
        url = self.config.site_url.rstrip("/")
        html = self.env.get_template("404.html").render(base_url=url or "", page_url="404.html", canonical="")
        return "404.html", html.encode("utf-8")


@dataclass(frozen=True)
class Matrix:
    """Counts of current records by tier (rows) and verdict (columns), with the listing behind each number.

    Row headers and row totals link to the tier listing, column headers and
    column totals to the verdict listing, and each cell to its tier × verdict
    listing (:func:`combination_listings`).  The grand total has no listing of
    its own (the tier and verdict indexes list every record), so it is not a link.
    A zero has no listing: terms and combinations without records get no page.
    """

    tiers: tuple[Listing | None, ...]
    tier_names: tuple[str, ...]
    verdicts: tuple[Listing | None, ...]
    verdict_names: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    cells: tuple[tuple[Listing | None, ...], ...]
    total: int


def combination_taxonomy(tier: Listing) -> Taxonomy:
    """The records of one tier, classified by gate verdict: pages at ``tiers/<tier>/verdicts/<verdict>/``."""
    return Taxonomy(
        "tier-verdict",
        f"{tier.url}verdicts",
        f"Quality tier {tier.term.name}, gate verdict",
        f"Quality tier {tier.term.name} by gate verdict",
        lambda s: s.status,
        lambda c: c.gate_statuses,
        "gate_statuses",
    )


def combination_listings(library: Library, config: RegistryConfig) -> tuple[tuple[Listing | None, ...], ...]:
    """One listing per tier × verdict with records, as [tier][verdict]; None where there are none."""
    rows = []
    for tier_name in config.tier_names:
        tier = library.listing("tier", tier_name)
        row: list[Listing | None] = []
        for status in config.gate_statuses:
            members = tuple(s for s in tier.records if s.status == status.name) if tier else ()
            verdict = library.listing("verdict", status.name)
            if tier is None or verdict is None or not members:
                row.append(None)
                continue
            term = Term(name=status.name, description=status.description)
            row.append(Listing(combination_taxonomy(tier), term, verdict.slug, members))
        rows.append(tuple(row))
    return tuple(rows)


def matrix(library: Library, config: RegistryConfig) -> Matrix:
    cells = combination_listings(library, config)
    return Matrix(
        tiers=tuple(library.listing("tier", n) for n in config.tier_names),
        tier_names=config.tier_names,
        verdicts=tuple(library.listing("verdict", n) for n in config.gate_status_names),
        verdict_names=config.gate_status_names,
        counts=tuple(tuple(len(c.records) if c else 0 for c in row) for row in cells),
        cells=cells,
        total=len(library.current),
    )


__all__ = [
    "TAXONOMIES",
    "LazyPage",
    "Matrix",
    "Output",
    "Page",
    "Renderer",
    "base_url_for",
    "combination_listings",
    "matrix",
    "site_globals",
]
