"""Machine-readable metadata for a record page: schema.org JSON-LD, Highwire ``citation_*`` tags, OpenGraph."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..config import RegistryConfig
from ..model import Dimensions, Record, section_rows
from .dates import PublicationDates
from .recorddates import date_modified, date_published
from .urls import absolute, record_path

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def embed_json(data: Any) -> Markup:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped, so no text can close the element."""
    return Markup(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))


def status(record: Record) -> str:
    """The record's status as schema.org ``creativeWorkStatus``: withdrawn, else its correction status."""
    return "Withdrawn" if record.withdrawn else record.correction.status


def properties(record: Record) -> list[tuple[str, str]]:
    """(name, value) of the assessment facts: gate verdict, tier, each quality dimension."""
    dims = record.dimensions.model_dump()
    return [
        ("Gate verdict", record.gate.status),
        ("Quality tier", record.tier.name),
        *((label, str(dims[name])) for name, label in section_rows(Dimensions)),
    ]


def json_ld(record: Record, config: RegistryConfig, dates: PublicationDates) -> dict[str, Any]:
    url = absolute(config, record_path(record.id)) or record_path(record.id)
    publisher = {"@type": "Organization", "name": record.provenance.publisher}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": url,
        "url": url,
        "identifier": record.id,
        "name": record.title,
        "headline": record.title,
        "abstract": record.abstract,
        "author": publisher,
        "publisher": publisher,
        "datePublished": date_published(record, dates).isoformat(),
        "dateModified": date_modified(record, dates).isoformat(),
        "creativeWorkStatus": status(record),
        "isAccessibleForFree": True,
        "inLanguage": "en",
        "additionalProperty": [{"@type": "PropertyValue", "name": n, "value": v} for n, v in properties(record)],
    }
    if record.correction.entries:
        data["correction"] = [
            {"@type": "CorrectionComment", "datePublished": e.date.isoformat(), "text": e.change}
            for e in record.correction.entries
        ]
    return data


@dataclass(frozen=True)
class RecordMeta:
    """What ``partials/record_meta.html`` writes into a record page's ``<head>``."""

    json_ld: Markup
    citation: tuple[tuple[str, str], ...]
    opengraph: tuple[tuple[str, str], ...]


def record_meta(record: Record, config: RegistryConfig, dates: PublicationDates, base_url: str) -> RecordMeta:
    """Metadata for the page of ``record``; links absolute from ``site_url`` when set, else relative."""
    page = absolute(config, record_path(record.id)) or f"{base_url}/{record_path(record.id)}"
    published = date_published(record, dates)
    online = dates.first_published("/" + record_path(record.id))
    citation = (
        ("citation_title", record.title),
        ("citation_author", record.provenance.publisher),
        ("citation_publication_date", published.strftime("%Y/%m/%d")),
        ("citation_online_date", online.strftime("%Y/%m/%d")),
        ("citation_publisher", record.provenance.publisher),
        ("citation_abstract_html_url", page),
        ("citation_language", "en"),
    )
    opengraph = (
        ("og:type", "article"),
        ("og:title", record.title),
        ("og:description", record.research_question.strip()[:300]),
        ("og:site_name", config.site_name),
        *((("og:url", page),) if config.site_url else ()),
        ("article:published_time", published.isoformat()),
        ("article:modified_time", date_modified(record, dates).isoformat()),
    )
    return RecordMeta(embed_json(json_ld(record, config, dates)), citation, opengraph)
