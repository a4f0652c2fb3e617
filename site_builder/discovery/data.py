"""Data for scripts: ``records/<id>/record.json``, ``api/records.json`` and ``api/records.jsonl``."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..library import Library, RecordSummary
from ..model import SCHEMA_VERSION, Record, record_json
from ..render import Page, Renderer
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


def records_api(renderer: Renderer, library: Library) -> Iterable[Page]:
    """Every record's summary, current and withdrawn, by id: one JSON document and one JSON Lines file.

    Each row is encoded once, compactly, and serves both files (at 10k records
    encoding every row twice was most of the time this took): the lines are
    written into one buffer as they are encoded, and the document is made from
    it (a JSON row has no line break).  At 100k records each file is ~66 MB:
    no list of rows, no text copy of the buffer, no slice of it is held too.
    """
    dates = discovery_for(renderer).dates
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    buffer = io.BytesIO()
    for summary in library.summaries:
        buffer.write(encode(summary_data(summary, renderer, dates)).encode())
        buffer.write(b"\n")
    lines = buffer.getvalue()
    del buffer
    head = encode({"schema_version": SCHEMA_VERSION, "count": len(library.summaries)})[:-1].encode()
    yield "api/records.json", _document(head, lines)
    yield "api/records.jsonl", lines


def _document(head: bytes, lines: bytes) -> bytes:
    """The JSON document of the rows in ``lines`` (JSON Lines); no slice of a copy is copied again."""
    rows = memoryview(lines.replace(b"\n", b","))[:-1]  # the last row's comma left out
    return b"".join((head, b',"records":[', rows, b"]}\n"))
