"""Search: the header search box leads to Pagefind results, and the tier filter narrows them."""

from __future__ import annotations

import re
from typing import Any

from sitekit import open_ok

DOI_GRADE = "records/9d868d69f2b01361/"  # abstract mentions EVA-CLIP; tier DOI grade
WATCHLIST = "records/2191dae80a1ced4e/"  # tier Watchlist
RESULT_LINKS = ".pagefind-ui__result-link"


def result_hrefs(page: Any) -> list[str]:
    page.wait_for_selector(RESULT_LINKS, timeout=10_000)
    page.wait_for_load_state("networkidle")
    return [link.get_attribute("href") or "" for link in page.locator(RESULT_LINKS).all()]


def test_a_word_from_an_abstract_typed_in_the_header_box_finds_that_record(page: Any, site_url_base: str) -> None:
    open_ok(page, site_url_base)
    page.locator("header form[role='search'] input[name='q']").fill("EVA-CLIP")
    page.locator("header form[role='search'] button").click()
    page.wait_for_load_state("load")
    assert "/search/?q=EVA-CLIP" in page.url
    hrefs = result_hrefs(page)
    assert any(DOI_GRADE in href for href in hrefs), hrefs


def test_the_tier_filter_narrows_the_results_to_that_tier(page: Any, site_url_base: str) -> None:
    open_ok(page, site_url_base + "search/?q=models")
    before = result_hrefs(page)
    assert any(DOI_GRADE in h for h in before) and any(WATCHLIST in h for h in before), before
    page.locator("summary", has_text="Tier").first.click()
    page.get_by_label(re.compile(r"^\s*Watchlist")).check()
    page.wait_for_function(
        "n => document.querySelectorAll('.pagefind-ui__result-link').length < n", arg=len(before), timeout=10_000
    )
    after = result_hrefs(page)
    assert any(WATCHLIST in h for h in after), after
    assert not any(DOI_GRADE in h for h in after), after
