"""The in-memory library: record summaries and the listings that classify them.

A listing is declared, not coded (Nikola's ``Taxonomy``): what it classifies a
record by, where its pages live, which terms it has.  The tier and verdict
listings are two declarations of one thing.  The library keeps summaries only
(what listings, feeds and the home page need), never rendered pages, so memory
grows with the number of records by their summaries alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from operator import attrgetter
from typing import Any

from .config import RegistryConfig, Term
from .model import Record
from .problems import Problem
from .slug import slugify


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What a listing, a feed or the home page needs of a record."""

    id: str
    title: str
    tier: str
    status: str
    dimensions: tuple[tuple[str, str], ...]
    correction_status: str
    corrections: int
    publisher: str
    published: date | None
    evaluated: str | None
    withdrawn: date | None = None
    withdrawn_reason: str | None = None
    aliases: tuple[str, ...] = ()
    last_corrected: date | None = None  # date of the latest correction entry (feeds, data files)
    # A digest of every field above (their repr, stable across processes): what a page showing this
    # summary needs to know to tell whether it changed.  Computed once, kept through pickling.
    digest: bytes = field(default=b"", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.digest:
            object.__setattr__(self, "digest", hashlib.blake2b(repr(self).encode(), digest_size=16).digest())

    def __reduce__(self) -> tuple[type[RecordSummary], tuple[Any, ...]]:
        # Pickled as a constructor call (as cache.RecordEntry is): the state methods dataclass makes
        # for slots loop over fields() in Python, for each of the 10k summaries a cache holds.
        return RecordSummary, _summary_fields(self)

    @property
    def url(self) -> str:
        """Site-relative URL of the record page (permanent)."""
        return f"records/{self.id}/"

    @property
    def sort_key(self) -> tuple[int, str, str]:
        """Newest ``published`` first, records without a date after them; ties by id."""
        ordinal = self.published.toordinal() if self.published else 0
        return (-ordinal, self.title.casefold(), self.id)


_summary_fields = attrgetter(*(f.name for f in fields(RecordSummary)))


def summarize(record: Record) -> RecordSummary:
    return RecordSummary(
        id=record.id,
        title=record.title,
        tier=record.tier.name,
        status=record.gate.status,
        dimensions=tuple((name, str(level)) for name, level in record.dimensions.model_dump().items()),
        correction_status=record.correction.status,
        corrections=record.correction.count,
        publisher=record.provenance.publisher,
        published=record.published,
        evaluated=record.gate.evaluated.isoformat() if record.gate.evaluated else None,
        withdrawn=record.withdrawn.date if record.withdrawn else None,
        withdrawn_reason=record.withdrawn.reason if record.withdrawn else None,
        aliases=tuple(record.aliases),
        last_corrected=max((e.date for e in record.correction.entries), default=None),
    )


# The fields whose values recur across records: a handful of tiers, verdicts, levels, publishers and dates.
RECURRING = (
    "tier",
    "status",
    "dimensions",
    "correction_status",
    "publisher",
    "published",
    "evaluated",
    "withdrawn",
    "last_corrected",
)


def share_values(summary: RecordSummary, known: dict[object, object]) -> RecordSummary:
    """``summary`` with each recurring value made the one object ``known`` holds for it (and keeps for the next).

    Summaries arrive from the workers pickled, each with its own copy of its
    tier, verdict, dimensions and dates; one shared object per distinct value
    took a quarter off the memory the build holds per record (main process,
    10k records: 30 -> 23 MiB).  Only for a summary just received, which
    nothing else holds yet: it is changed in place.
    """
    for name in RECURRING:
        value = getattr(summary, name)
        object.__setattr__(summary, name, known.setdefault(value, value))
    return summary


@dataclass(frozen=True)
class Taxonomy:
    """A declared listing: records classified by one term, one page set per term."""

    name: str  # "tier"
    path: str  # URL folder: /<path>/<term slug>/
    title: str  # "Quality tier"
    plural: str  # "Quality tiers"
    classify: Callable[[RecordSummary], str]
    terms: Callable[[RegistryConfig], Sequence[Term]]
    config_key: str  # where its terms are configured
    template: str = "listing.html"


TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy("tier", "tiers", "Quality tier", "Quality tiers", lambda s: s.tier, lambda c: c.tiers, "tiers"),
    Taxonomy(
        "verdict",
        "verdicts",
        "Gate verdict",
        "Gate verdicts",
        lambda s: s.status,
        lambda c: c.gate_statuses,
        "gate_statuses",
    ),
)


@dataclass(frozen=True)
class Listing:
    """One term of a taxonomy and the records it holds, sorted."""

    taxonomy: Taxonomy
    term: Term
    slug: str
    records: tuple[RecordSummary, ...]

    @property
    def url(self) -> str:
        return f"{self.taxonomy.path}/{self.slug}/"

    def page_url(self, number: int) -> str:
        """Stable URL of page ``number`` (1-based): the first page is the listing's own URL."""
        return self.url if number == 1 else f"{self.url}page/{number}/"

    def pages(self, size: int) -> list[tuple[RecordSummary, ...]]:
        chunks = [self.records[i : i + size] for i in range(0, len(self.records), size)]
        return chunks or [()]


@dataclass
class Library:
    """All summaries, the listings built from them, and the withdrawn records."""

    summaries: list[RecordSummary]
    listings: dict[str, list[Listing]] = field(default_factory=dict)

    @property
    def current(self) -> list[RecordSummary]:
        return [s for s in self.summaries if s.withdrawn is None]

    @property
    def withdrawn(self) -> list[RecordSummary]:
        return sorted((s for s in self.summaries if s.withdrawn is not None), key=lambda s: s.sort_key)

    def listing(self, taxonomy: str, term: str) -> Listing | None:
        return next((li for li in self.listings.get(taxonomy, []) if li.term.name == term), None)

    def recent(self, count: int) -> list[RecordSummary]:
        return sorted(self.current, key=lambda s: s.sort_key)[:count]


def build_library(summaries: Iterable[RecordSummary], config: RegistryConfig) -> Library:
    """Classify current records into every declared taxonomy; terms with no record get no page."""
    library = Library(sorted(summaries, key=lambda s: s.id))
    current = sorted(library.current, key=lambda s: s.sort_key)
    for taxonomy in TAXONOMIES:
        listings = []
        for term in taxonomy.terms(config):
            members = tuple(s for s in current if taxonomy.classify(s) == term.name)
            if members:
                listings.append(Listing(taxonomy, term, slugify(term.name), members))
        library.listings[taxonomy.name] = listings
    return library


def slug_collisions(config: RegistryConfig) -> list[Problem]:
    """Two terms of one taxonomy must not share a URL."""
    problems = []
    for taxonomy in TAXONOMIES:
        seen: dict[str, str] = {}
        for term in taxonomy.terms(config):
            slug = slugify(term.name)
            if slug in seen:
                problems.append(
                    Problem(
                        "mkdocs.yml",
                        1,
                        f"plugins.registry.{taxonomy.config_key}",
                        f"{term.name!r} and {seen[slug]!r} share the URL /{taxonomy.path}/{slug}/",
                        "names that differ in more than case or punctuation",
                    )
                )
            seen[slug] = term.name
    return problems
