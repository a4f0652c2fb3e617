"""Data for scripts: ``records/<id>/record.json``, ``api/records.json`` and ``api/records.jsonl``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..library import Library, RecordSummary
from ..model import SCHEMA_VERSION, Record, record_json
from ..render import Output, Page, Renderer
from .dates import PublicationDates
from .helpers import discovery_for
from .summarydates import published, updated
from .urls import absolute


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def record_data(renderer: Renderer, record: Record, attachments: Path) -> Iterable[Page]:
    """The full record, valid against ``schema/record.schema.json`` (its version inside)."""
    yield f"records/{record.id}/record.json", _json(record_json(record))


def summary_data(summary: RecordSummary, renderer: Renderer, dates: PublicationDates) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": summary.id,
        "title": summary.title,
        "path": summary.url,
        "url": absolute(renderer.config, summary.url) or None,
        "data": f"{summary.url}record.json",
        "tier": summary.tier,
        "verdict": summary.status,
        "dimensions": dict(summary.dimensions),
        "correction_status": summary.correction_status,
        "corrections": summary.corrections,
        "publisher": summary.publisher,
        "status": "withdrawn" if summary.withdrawn else "current",
        "published": published(summary, dates).isoformat(),
        "updated": updated(summary, dates).isoformat(),
        "withdrawn": summary.withdrawn.isoformat() if summary.withdrawn else None,
    }
    return data


def records_api(renderer: Renderer, library: Library) -> Iterable[Output]:
    """Every record's summary, current and withdrawn, by id: one JSON Lines file and one JSON document.

    Each row is encoded once, compactly, and serves both files (at 10k records
    encoding every row twice was most of the time this took).  The rows are
    encoded into one buffer laid out as the document, their separators
    written as line breaks (a JSON row has none): the lines are a copy of the
    rows' part, and the document is the buffer once its separators are made
    commas, in place.  At 100k records each file is ~66 MB, and the two are
    all this holds: no list of rows, no copy of the buffer made to change it.
    """
    dates = discovery_for(renderer).dates
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    head = encode({"schema_version": SCHEMA_VERSION, "count": len(library.summaries)})[:-1].encode()
    document = bytearray(head + b',"records":[')
    start = len(document)
    for summary in library.summaries:
        document += encode(summary_data(summary, renderer, dates)).encode()
        document += b"\n"
    with memoryview(document) as rows:
        lines = bytes(rows[start:])
    yield "api/records.jsonl", lines
    del lines
    _separate_with_commas(document, start)
    document += b"]}\n"
    yield "api/records.json", document  # bytes-like, as the writer takes it: a copy would hold it twice


def _separate_with_commas(rows: bytearray, start: int) -> None:
    """The rows from ``start`` on, each ending in a line break, separated by commas instead, in place."""
    at = rows.find(b"\n", start)
    while at != -1:
        rows[at] = 0x2C  # ","
        at = rows.find(b"\n", at + 1)
    if rows.endswith(b","):
        del rows[-1:]
