"""A reader's path through the site: home -> matrix -> verdict listing -> record -> quality guide -> back."""

from __future__ import annotations

from typing import Any

from sitekit import open_ok

from site_builder.model import TABLE_SECTIONS, section_title

BODY_HEADINGS = ("Abstract", "Research Question")


def test_a_reader_follows_the_matrix_to_a_record_and_the_quality_guide_and_back(page: Any, site_url_base: str) -> None:
    open_ok(page, site_url_base)
    matrix = page.locator("table.matrix")
    assert matrix.is_visible()

    verdict_links = matrix.locator("a[href*='verdicts/']")
    assert verdict_links.count() > 0, "the home matrix links to no verdict listing"
    verdict_links.first.click()
    page.wait_for_load_state("load")
    assert "/verdicts/" in page.url
    assert page.locator("h1").is_visible()

    record_links = page.locator("main a[href*='records/']")
    assert record_links.count() > 0, f"the verdict listing {page.url} lists no record"
    record_title = record_links.first.inner_text().strip()
    record_links.first.click()
    page.wait_for_load_state("load")
    assert "/records/" in page.url
    record_url = page.url
    assert page.locator("h1").inner_text().strip() == record_title

    headings = [*BODY_HEADINGS, *(section_title(model) for _, model in TABLE_SECTIONS)]
    for heading in headings:
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), f"section {heading!r} not visible"

    guide = page.locator("main a[href$='quality-guide/']").first
    assert guide.is_visible(), "the record page has no visible link to the quality guide"
    guide.click()
    page.wait_for_load_state("load")
    assert page.url == site_url_base + "quality-guide/"
    assert page.locator("h1").is_visible()

    page.go_back()
    page.wait_for_load_state("load")
    assert page.url == record_url
    assert page.locator("h1").inner_text().strip() == record_title


def test_every_record_page_shows_its_title_and_every_section(page: Any, built_site: Any) -> None:
    for record_id in built_site.ids.values():
        open_ok(page, f"{built_site.site_url}records/{record_id}/")
        assert page.locator("h1").is_visible()
        if record_id == built_site.ids["withdrawn"]:
            continue  # a tombstone: checked in test_withdrawn_record_page_says_so
        for heading in [*BODY_HEADINGS, *(section_title(model) for _, model in TABLE_SECTIONS)]:
            assert page.get_by_role("heading", name=heading, exact=True).is_visible(), (record_id, heading)


def test_withdrawn_record_page_says_so_and_keeps_its_url(page: Any, built_site: Any) -> None:
    open_ok(page, f"{built_site.site_url}records/{built_site.ids['withdrawn']}/")
    assert "withdrawn" in page.locator("main").inner_text().lower()
    assert "Duplicate of proof-corrected." in page.locator("main").inner_text()


def test_an_attached_artifact_is_served_beside_its_record(page: Any, built_site: Any) -> None:
    open_ok(page, f"{built_site.site_url}records/{built_site.ids['verified']}/")
    link = page.locator("main a", has_text="Reproduction script")
    href = link.get_attribute("href")
    assert href is not None
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
    assert response.status == 200
    assert response.text() == "print('reproduced')\n"
