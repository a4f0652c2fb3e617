"""Citation exports beside each record page: BibTeX (``cite.bib``), RIS (``cite.ris``), CSL-JSON (``cite.json``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..config import RegistryConfig
from ..model import Record
from ..render import Page, Renderer
from .dates import PublicationDates
from .helpers import discovery_for
from .recorddates import date_published
from .urls import absolute, record_path

CITATION_FILES = (("BibTeX", "cite.bib"), ("RIS", "cite.ris"), ("CSL-JSON", "cite.json"))

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def bibtex_escape(text: str) -> str:
    """Text safe inside a braced BibTeX field: LaTeX specials escaped, whitespace collapsed."""
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], " ".join(text.split()))


def record_url(record: Record, config: RegistryConfig) -> str:
    """The record's absolute URL when ``site_url`` is set, else its site path."""
    return absolute(config, record_path(record.id)) or record_path(record.id)


def bibtex(record: Record, config: RegistryConfig, dates: PublicationDates) -> str:
    day = date_published(record, dates)
    fields = [
        ("title", bibtex_escape(record.title)),
        ("author", "{" + bibtex_escape(record.provenance.publisher) + "}"),  # a corporate author: kept whole
        ("publisher", bibtex_escape(record.provenance.publisher)),
        ("year", str(day.year)),
        ("month", str(day.month)),
        ("date", day.isoformat()),
        ("url", record_url(record, config)),
        ("howpublished", bibtex_escape(config.site_name)),
        ("note", bibtex_escape(f"Registry record {record.id}")),
        ("abstract", bibtex_escape(record.abstract)),
    ]
    key = re.sub(r"[^A-Za-z0-9_-]", "", record.id)
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def ris(record: Record, config: RegistryConfig, dates: PublicationDates) -> str:
    day = date_published(record, dates)
    lines = [
        ("TY", "GEN"),
        ("ID", record.id),
        ("TI", record.title),
        ("AU", record.provenance.publisher),
        ("PB", record.provenance.publisher),
        ("PY", str(day.year)),
        ("DA", day.strftime("%Y/%m/%d")),
        ("UR", record_url(record, config)),
        ("AB", " ".join(record.abstract.split())),
        ("N1", f"Registry record {record.id}"),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {' '.join(value.split())}".rstrip() + "\r\n" for tag, value in lines)


def csl_json(record: Record, config: RegistryConfig, dates: PublicationDates) -> list[dict[str, Any]]:
    day = date_published(record, dates)
    return [
        {
            "id": record.id,
            "type": "report",
            "title": record.title,
            "author": [{"literal": record.provenance.publisher}],
            "publisher": record.provenance.publisher,
            "issued": {"date-parts": [[day.year, day.month, day.day]]},
            "URL": record_url(record, config),
            "abstract": record.abstract,
            "container-title": config.site_name,
            "number": record.id,
        }
    ]


def citation_files(renderer: Renderer, record: Record, attachments: Path) -> Iterable[Page]:
    dates = discovery_for(renderer).dates
    folder = record_path(record.id)
    config = renderer.config
    yield folder + "cite.bib", bibtex(record, config, dates).encode("utf-8")
    yield folder + "cite.ris", ris(record, config, dates).encode("utf-8")
    text = json.dumps(csl_json(record, config, dates), ensure_ascii=False) + "\n"
    yield folder + "cite.json", text.encode("utf-8")
