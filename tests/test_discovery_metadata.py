"""Machine-readable metadata on record pages: JSON-LD, Google Scholar's citation_* tags, OpenGraph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import extruct
import pytest
from discovery_fixtures import HOSTILE_TITLE, html, module_site, records


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return module_site(tmp_path_factory)


def json_ld(site: Path, record_id: str) -> dict[str, Any]:
    text = (site / "records" / record_id / "index.html").read_text(encoding="utf-8")
    found = extruct.extract(text, syntaxes=["json-ld"], uniform=True)["json-ld"]
    assert len(found) == 1
    return dict(found[0])


def test_json_ld_is_a_scholarly_article_with_identity_dates_and_status(site: Path) -> None:
    data = json_ld(site, "corrected")
    assert data["@type"] == "ScholarlyArticle"
    assert data["identifier"] == "corrected"
    assert data["name"] == "Corrected record on sparse experts"
    assert data["url"] == "https://example.org/registry/records/corrected/"
    assert data["publisher"] == {"@type": "Organization", "name": "Assignee Research"}
    assert (data["datePublished"], data["dateModified"]) == ("2025-12-01", "2026-02-01")
    assert data["abstract"] == "An abstract."
    assert data["creativeWorkStatus"] == "CORRECTED"


def test_json_ld_lists_corrections_as_correction_comments(site: Path) -> None:
    assert json_ld(site, "corrected")["correction"] == [
        {"@type": "CorrectionComment", "datePublished": "2026-02-01", "text": "Fixed the claim count."}
    ]


def test_json_ld_carries_verdict_tier_and_dimensions_as_property_values(site: Path) -> None:
    props = {p["name"]: p["value"] for p in json_ld(site, "corrected")["additionalProperty"]}
    assert all(p["@type"] == "PropertyValue" for p in json_ld(site, "corrected")["additionalProperty"])
    assert props["Gate verdict"] == "Unverified"
    assert props["Quality tier"] == "Watchlist"
    assert props["Reproducibility status"] == "HIGH"


def test_a_title_with_a_closing_script_tag_stays_inside_the_json_ld(site: Path) -> None:
    raw = (site / "records/hostile/index.html").read_text(encoding="utf-8")
    script = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script
    assert json_ld(site, "hostile")["name"] == HOSTILE_TITLE


def test_every_record_page_has_google_scholars_required_tags(site: Path) -> None:
    for record in records():
        doc = html(site, f"records/{record.id}/")
        for name in ("citation_title", "citation_author", "citation_publication_date"):
            assert len(doc.xpath(f"//head/meta[@name='{name}']/@content")) == 1, (record.id, name)


def test_citation_tags_name_the_publisher_and_the_dates(site: Path) -> None:
    doc = html(site, "records/corrected/")
    tags = dict(zip(doc.xpath("//meta[@name]/@name"), doc.xpath("//meta[@name]/@content"), strict=True))
    assert tags["citation_title"] == "Corrected record on sparse experts"
    assert tags["citation_author"] == "Assignee Research"
    assert tags["citation_publication_date"] == "2025/12/01"
    assert tags["citation_online_date"] == "2026/03/01"
    assert tags["citation_abstract_html_url"] == "https://example.org/registry/records/corrected/"


def test_record_pages_carry_opengraph_tags(site: Path) -> None:
    doc = html(site, "records/plain/")
    og = dict(zip(doc.xpath("//meta[@property]/@property"), doc.xpath("//meta[@property]/@content"), strict=True))
    assert og["og:type"] == "article"
    assert og["og:title"] == "Plain record about contrastive pretraining"
    assert og["og:url"] == "https://example.org/registry/records/plain/"


def test_record_pages_have_a_canonical_link_from_site_url(site: Path) -> None:
    doc = html(site, "records/plain/")
    assert doc.xpath("//link[@rel='canonical']/@href") == ["https://example.org/registry/records/plain/"]
