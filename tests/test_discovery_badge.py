"""The embeddable badge: static SVG, shields.io endpoint JSON, and the copy-ready snippet."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from discovery_fixtures import html, module_site
from lxml import etree

from site_builder.discovery.badge import (
    LABEL_BACKGROUND,
    OTHER_BACKGROUND,
    TEXT,
    VERDICT_BACKGROUNDS,
    WITHDRAWN_BACKGROUND,
    contrast_ratio,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return module_site(tmp_path_factory)


def test_the_badge_is_well_formed_svg_with_a_title_naming_verdict_and_tier(site: Path) -> None:
    svg = etree.parse(site / "records/corrected/badge.svg").getroot()
    assert svg.tag == f"{SVG}svg"
    assert svg.findtext(f"{SVG}title") == "gate: Unverified · Watchlist (record corrected)"


def test_a_hostile_title_does_not_reach_the_badge_unescaped(site: Path) -> None:
    etree.parse(site / "records/hostile/badge.svg")  # well-formed


@pytest.mark.parametrize(
    "background", [LABEL_BACKGROUND, *VERDICT_BACKGROUNDS.values(), OTHER_BACKGROUND, WITHDRAWN_BACKGROUND]
)
def test_badge_text_meets_wcag_aa_contrast(background: str) -> None:
    assert contrast_ratio(TEXT, background) >= 4.5


def test_the_contrast_ratio_is_wcags() -> None:
    assert round(contrast_ratio("#ffffff", "#000000"), 2) == 21.0
    assert round(contrast_ratio("#777777", "#ffffff"), 2) == 4.48


def test_badge_json_is_a_shields_io_endpoint(site: Path) -> None:
    data = json.loads((site / "records/plain/badge.json").read_text(encoding="utf-8"))
    assert data == {"schemaVersion": 1, "label": "gate", "message": "Unverified · DOI grade", "color": "8a4600"}


def test_the_record_page_offers_markdown_and_html_snippets_linking_the_badge_to_the_page(site: Path) -> None:
    doc = html(site, "records/plain/")
    page = "https://example.org/registry/records/plain/"
    badge = page + "badge.svg"
    assert doc.xpath("//code[@id='badge-markdown']/text()") == [f"[![Unverified · DOI grade]({badge})]({page})"]
    snippet = doc.xpath("//code[@id='badge-html']/text()")[0]
    link = lxml.html.fragment_fromstring(snippet)
    assert (link.get("href"), link[0].get("src")) == (page, badge)
