"""Atom feeds (RFC 4287) of new and corrected records: ``feed.xml`` and one per tier and per verdict listing.

Newest first (by the date a record was published or last corrected), at most
``feed_entries`` entries; every date comes from the data, never the clock.
Links are absolute from ``site_url`` when set, else relative to the feed.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from ..library import TAXONOMIES, Library, RecordSummary
from ..render import Page, Renderer
from .dates import PublicationDates
from .helpers import discovery_for
from .permanence import relative_root
from .summarydates import published, updated
from .urls import absolute

FEED = "feed.xml"


def feed_path(listing_url: str) -> str:
    """The feed beside a listing (``tiers/x/`` -> ``tiers/x/feed.xml``); ``""`` is the whole registry."""
    return listing_url + FEED


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), UTC)


Order = dict[str, tuple[int, str]]  # record id -> its place among the newest: newest change first, ties by id


def newest_order(summaries: Iterable[RecordSummary], dates: PublicationDates) -> Order:
    return {s.id: (-updated(s, dates).toordinal(), s.id) for s in summaries}


def newest(summaries: Iterable[RecordSummary], order: Order, cap: int) -> list[RecordSummary]:
    """Current records of ``summaries``, newest change first (ties by id), at most ``cap``."""
    return heapq.nsmallest(cap, (s for s in summaries if s.withdrawn is None), key=lambda s: order[s.id])


def _entry_summary(s: RecordSummary) -> str:
    text = f"Quality tier: {s.tier}. Gate verdict: {s.status}."
    if s.last_corrected:
        text += (
            f" Corrected on {s.last_corrected.isoformat()} ({s.corrections} correction{'s' * (s.corrections != 1)})."
        )
    return text


def atom_feed(
    renderer: Renderer, path: str, title: str, listing_url: str, summaries: Sequence[RecordSummary], order: Order
) -> Page:
    """The Atom document at site path ``path`` for ``summaries`` (``order``: :func:`newest_order` of them, or more)."""
    config = renderer.config
    dates = discovery_for(renderer).dates
    entries = newest(summaries, order, config.feed_entries)
    root = relative_root(path)

    def link(site_path: str) -> str:
        return absolute(config, site_path) or f"{root}/{site_path}"

    def iri(site_path: str, kind: str) -> str:
        return absolute(config, site_path) or f"urn:x-registry:{kind}:{site_path.rstrip('/') or 'home'}"

    feed = FeedGenerator()
    feed.id(iri(path, "feed"))
    feed.title(title)
    feed.author({"name": config.site_name})
    feed.link(href=link(path), rel="self", type="application/atom+xml")
    feed.link(href=link(listing_url), rel="alternate", type="text/html")
    feed.generator("site-builder")
    if config.site_description:
        feed.subtitle(config.site_description)
    feed.updated(_moment(updated(entries[0], dates) if entries else dates.build_date))
    for s in entries:
        entry = feed.add_entry(order="append")
        entry.id(iri(s.url, "record"))
        entry.title(s.title)
        entry.link(href=link(s.url), rel="alternate", type="text/html")
        entry.author({"name": s.publisher})
        entry.published(_moment(published(s, dates)))
        entry.updated(_moment(updated(s, dates)))
        entry.summary(_entry_summary(s))
        entry.category(term=s.tier, label=f"Quality tier: {s.tier}")
        entry.category(term=s.status, label=f"Gate verdict: {s.status}")
    return path, feed.atom_str(pretty=True)


def feeds(renderer: Renderer, library: Library) -> Iterable[Page]:
    """The whole registry's feed, then one per listing (tiers, verdicts)."""
    name = renderer.config.site_name
    order = newest_order(library.current, discovery_for(renderer).dates)  # once: every feed is a part of it
    yield atom_feed(renderer, feed_path(""), f"{name}: new and corrected records", "", library.current, order)
    for taxonomy in TAXONOMIES:
        for listing in library.listings[taxonomy.name]:
            title = f"{name}: {taxonomy.title} {listing.term.name}"
            yield atom_feed(renderer, feed_path(listing.url), title, listing.url, listing.records, order)
