"""A summary's public dates, the same rules as :mod:`.recorddates` applied to a :class:`RecordSummary`."""

from __future__ import annotations

from datetime import date

from ..library import RecordSummary
from .dates import PublicationDates
from .urls import url_path


def published(summary: RecordSummary, dates: PublicationDates) -> date:
    return summary.published or dates.first_published(url_path(summary.url))


def updated(summary: RecordSummary, dates: PublicationDates) -> date:
    """When the record last changed for a reader: its latest correction, else its publication."""
    first = published(summary, dates)
    return max(first, summary.last_corrected) if summary.last_corrected else first
