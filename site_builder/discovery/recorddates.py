"""A record's public dates: published, last modified (by a correction), withdrawn."""

from __future__ import annotations

from datetime import date

from ..model import Record
from .dates import PublicationDates
from .urls import record_path, url_path


def date_published(record: Record, dates: PublicationDates) -> date:
    """The record's own ``published`` date when known, else when its URL was first published."""
    return record.published or dates.first_published(url_path(record_path(record.id)))


def date_modified(record: Record, dates: PublicationDates) -> date:
    """The latest correction's date, or the publication date when never corrected."""
    published = date_published(record, dates)
    return max([published, *(entry.date for entry in record.correction.entries)])
