"""What a reader sees on the record, home, index and 404 pages: structure, links, notes, escaping."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from site_fixtures import build, html_errors, main_text, make_record, page, verified

CORRECTED = {
    "status": "CORRECTED",
    "count": 2,
    "entries": [
        {"date": "2026-06-12", "change": "Fixed the claim count."},
        {"date": "2026-06-20", "change": "Cited v2."},
    ],
}
UNVERIFIED_NOTE = "This record has not completed Gate 2 of the verification pipeline"
VERIFIED_NOTE = "This record has completed Gate 2 of the verification pipeline"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = [
        make_record("plain", title="Plain record", published="2026-05-01"),
        verified("proved", title="Proved record", correction=CORRECTED, published="2026-05-02"),
        make_record(
            "hostile",
            title="{{ 7*7 }} <script>alert(1)</script>",
            abstract="Look [here](javascript:alert(1)) <img src=x onerror=alert(1)> {% raw %}",
            research_question="{{ config }} <b>why</b>?",
            provenance={"publisher": "<script>alert(2)</script>", "note": "{{ 6*7 }}"},
        ),
    ]
    return build(tmp_path_factory.mktemp("pages"), records, site_url="https://example.github.io/registry/")


def test_every_page_parses_as_html_without_errors(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    assert {p.relative_to(site).as_posix(): html_errors(p.read_bytes()) for p in pages} == {
        p.relative_to(site).as_posix(): [] for p in pages
    }


@pytest.mark.parametrize("url", ["", "records/plain/", "tiers/", "verdicts/unverified/"])
def test_a_page_has_one_h1_a_title_a_description_and_landmarks(site: Path, url: str) -> None:
    doc = page(site, url)
    assert len(doc.xpath("//h1")) == 1
    assert doc.findtext(".//title").strip()
    assert doc.xpath("//meta[@name='description']/@content")[0].strip()
    for landmark in ("header", "nav", "main", "footer"):
        assert doc.xpath(f"//{landmark}"), landmark
    assert doc.xpath("//a[@class='skip']/@href") == ["#main"]


def test_record_page_title_names_the_record(site: Path) -> None:
    doc = page(site, "records/plain/")
    assert doc.findtext(".//title").startswith("Plain record")
    assert doc.xpath("//h1")[0].text_content() == "Plain record"


def test_record_tables_have_captions_and_row_headers(site: Path) -> None:
    tables = page(site, "records/plain/").xpath("//main//table")
    assert len(tables) == 6
    for table in tables:
        assert table.xpath("./caption")[0].text_content().strip()
        assert all(th.get("scope") == "row" for th in table.xpath(".//tbody//th"))


def test_tier_verdict_and_levels_are_labelled_with_text_and_a_colour_class(site: Path) -> None:
    doc = page(site, "records/plain/")
    badges = [(b.get("class"), b.text_content()) for b in doc.xpath("//main//span[contains(@class, 'badge')]")]
    assert ("badge tier-doi-grade", "DOI grade") in badges
    assert ("badge verdict-unverified", "Unverified") in badges
    assert {("badge level-low", "LOW"), ("badge level-medium", "MEDIUM"), ("badge level-high", "HIGH")} <= set(badges)


def test_quality_guide_row_links_to_the_quality_guide_page(site: Path) -> None:
    doc = page(site, "records/plain/")
    row = doc.xpath("//tr[th='Quality guide']//a")[0]
    assert row.get("href") == "../../quality-guide/"


def test_contract_names_link_to_their_contract_pages(site: Path) -> None:
    links = {
        a.text_content(): a.get("href") for a in page(site, "records/plain/").xpath("//tr[contains(th, 'contract')]//a")
    }
    assert links == {
        "paper-manifest-v1.1": "../../contracts/paper-manifest-v1-1/",
        "correction-record-v1": "../../contracts/correction-record-v1/",
        "source-provenance-v1": "../../contracts/source-provenance-v1/",
    }


def test_tier_and_verdict_values_link_to_their_listings(site: Path) -> None:
    doc = page(site, "records/plain/")
    assert doc.xpath("//tr[th='Tier']//a/@href") == ["../../tiers/doi-grade/"]
    assert doc.xpath("//tr[th='Status']//a/@href") == ["../../verdicts/unverified/"]


def test_unverified_record_shows_the_unverified_gate_note(site: Path) -> None:
    text = main_text(page(site, "records/plain/"))
    assert UNVERIFIED_NOTE in text
    assert VERIFIED_NOTE not in text


def test_verified_record_shows_the_verified_gate_note(site: Path) -> None:
    text = main_text(page(site, "records/proved/"))
    assert VERIFIED_NOTE in text
    assert UNVERIFIED_NOTE not in text


def test_artifacts_are_listed_and_linked_and_attached_files_published(site: Path) -> None:
    links = {
        a.text_content(): a.get("href") for a in page(site, "records/proved/").xpath("//ul[@class='artifacts']//a")
    }
    assert links == {"Lean4 proof source": "proof.lean", "Sandbox results": "https://example.org/results"}
    assert (site / "records/proved/proof.lean").is_file()


def test_corrections_are_listed_with_their_dates(site: Path) -> None:
    items = [
        " ".join(li.text_content().split())
        for li in page(site, "records/proved/").xpath("//ol[@class='corrections']/li")
    ]
    assert items == ["2026-06-12 Fixed the claim count.", "2026-06-20 Cited v2."]


def test_record_without_corrections_lists_none(site: Path) -> None:
    assert not page(site, "records/plain/").xpath("//ol[@class='corrections']")


def test_template_syntax_in_record_text_shows_as_written(site: Path) -> None:
    doc = page(site, "records/hostile/")
    assert doc.xpath("//h1")[0].text_content() == "{{ 7*7 }} <script>alert(1)</script>"
    text = main_text(doc)
    assert "{{ config }}" in text
    assert "{{ 6*7 }}" in text
    assert "{% raw %}" in text
    assert "49" not in text and "42" not in text


def test_markup_in_record_text_is_escaped(site: Path) -> None:
    raw = (site / "records/hostile/index.html").read_text(encoding="utf-8")
    assert "<script>" not in raw
    assert "<img src=x" not in raw
    assert "<b>why</b>" not in raw
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in raw


def test_script_links_in_prose_are_dropped(site: Path) -> None:
    doc = page(site, "records/hostile/")
    assert not [h for h in doc.xpath("//main//@href | //main//@src") if "javascript" in h.lower()]


def test_no_page_loads_anything_from_another_site(site: Path) -> None:
    for path in site.rglob("*.html"):
        doc = lxml.html.fromstring(path.read_bytes())
        external = doc.xpath(
            "//link[starts-with(@href, 'http') and not(@rel='canonical' or @rel='alternate')]/@href"
            " | //*[self::script or self::img or self::iframe][contains(@src, '//')]/@src"
        )
        assert [e for e in external if not e.startswith("https://example.github.io/")] == [], path


def test_pages_share_one_stylesheet_and_have_no_inline_styles_or_scripts(site: Path) -> None:
    doc = page(site, "records/plain/")
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["../../assets/style.css"]
    assert not doc.xpath("//style | //*[@style] | //script[not(@src) and not(@type='application/ld+json')]")
    assert (site / "assets/style.css").is_file()


def test_not_found_page_uses_absolute_links_from_site_url(site: Path) -> None:
    doc = lxml.html.fromstring((site / "404.html").read_bytes())
    hrefs = doc.xpath("//a/@href | //link[@rel='stylesheet']/@href")
    assert "https://example.github.io/registry/assets/style.css" in hrefs
    assert all(h.startswith(("https://example.github.io/registry/", "#")) for h in hrefs), hrefs


def test_home_page_says_what_the_registry_is(site: Path) -> None:
    text = main_text(page(site, ""))
    assert "machine-generated synthesis of existing research literature" in text
    assert "quality tier" in text and "gate verdict" in text


def test_taxonomy_index_lists_every_term_with_its_meaning(site: Path) -> None:
    doc = page(site, "tiers/")
    text = main_text(doc)
    assert "DOI grade" in text and "Watchlist" in text
    assert "Review score and verified-claim count meet DOI-grade public quality thresholds." in text
    assert doc.xpath("//main//a/@href").count("../tiers/doi-grade/") >= 1


def test_record_page_markup_is_lean(site: Path) -> None:
    # Shared CSS lives in one file; the record templates emit no indentation or blank lines.
    raw = (site / "records/plain/index.html").read_text(encoding="utf-8")
    main = raw[raw.index("<main") : raw.index('aria-labelledby="provenance"')]
    assert "\n " not in main
    assert "\n\n" not in main
