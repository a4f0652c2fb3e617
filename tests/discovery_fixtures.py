"""The Discovery tests' site: varied records (corrected, withdrawn, renamed, hostile title) built once per module."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from site_fixtures import build, make_record

from site_builder.model import Record

SITE_URL = "https://example.org/registry/"
BUILD_DAY = date(2026, 3, 1)
EPOCH = "1772323200"  # 2026-03-01T00:00:00Z
HOSTILE_TITLE = 'Escaping </script><script>alert("x")</script> & <b>bold</b>'


def records() -> list[Record]:
    return [
        make_record("plain", title="Plain record about contrastive pretraining", published="2026-01-10"),
        make_record(
            "corrected",
            title="Corrected record on sparse experts",
            published="2025-12-01",
            tier={"name": "Watchlist"},
            correction={
                "status": "CORRECTED",
                "count": 1,
                "entries": [{"date": "2026-02-01", "change": "Fixed the claim count."}],
            },
        ),
        make_record("renamed", title="Renamed record", aliases=["old-name", "papers/renamed.html"]),
        make_record(
            "gone",
            title="Withdrawn record on tokenizers",
            published="2025-11-01",
            withdrawn={"date": "2026-02-15", "reason": "Duplicate of record plain."},
        ),
        make_record("hostile", title=HOSTILE_TITLE, abstract="Braces {x} and 50% & $5 #1 a_b ~ ^ \\ in text."),
    ]


def build_site_for(tmp: Path, monkeypatch: pytest.MonkeyPatch, recs: list[Record], **settings: Any) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return build(tmp, recs, site_url=SITE_URL, **settings)


def module_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of :func:`records`, for a module-scoped ``site`` fixture."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return build_site_for(tmp_path_factory.mktemp("discovery"), monkeypatch, records())


def html(site: Path, url: str) -> lxml.html.HtmlElement:
    path = site / (url + "index.html" if url.endswith("/") or not url else url)
    return lxml.html.fromstring(path.read_bytes())


def load_json(site: Path, path: str) -> Any:
    return json.loads((site / path).read_text(encoding="utf-8"))
