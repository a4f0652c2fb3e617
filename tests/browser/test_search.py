"""Search: the header search box leads to Pagefind results, and the tier filter narrows them.

The fixture site's index has several shards (``sitekit.SEARCH_SHARD_RECORDS``), merged in the browser.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import sitekit
from sitekit import SEARCH_SHARD_RECORDS, BuiltSite, open_ok

from site_builder.discovery.searchshards import assign

DOI_GRADE = "records/9d868d69f2b01361/"  # abstract mentions EVA-CLIP; tier DOI grade
WATCHLIST = "records/2191dae80a1ced4e/"  # tier Watchlist
RESULT_LINKS = ".pagefind-ui__result-link"
# The records whose abstract says "emphasis": the default abstract of the varied records.
EMPHASIS = {"records/proof-verified/": "DOI grade", "records/proof-doi-unverified/": "DOI grade"}
EMPHASIS["records/proof-long-title/"] = "Watchlist"


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


def shards_by_url(site: BuiltSite) -> dict[str, str]:
    """Record URL -> the shard that indexes it."""
    current = [*site.repo_ids, *(i for role, i in site.ids.items() if role != "withdrawn")]
    shards = assign(current, SEARCH_SHARD_RECORDS)
    return {f"records/{i}/": name for name, ids in shards.items() for i in ids}


def found(hrefs: list[str]) -> set[str]:
    """The site-relative record URLs of result links."""
    return {href[href.index("records/") :] for href in hrefs if "records/" in href}


def test_one_query_finds_records_from_several_shards_of_the_index(
    page: Any, site_url_base: str, built_site: BuiltSite
) -> None:
    shards = shards_by_url(built_site)
    assert len({shards[url] for url in EMPHASIS}) == 3  # the fixture site puts them in three shards
    open_ok(page, site_url_base + "search/?q=emphasis")
    page.wait_for_function(
        "n => document.querySelectorAll('.pagefind-ui__result-link').length >= n", arg=len(EMPHASIS), timeout=10_000
    )
    hrefs = result_hrefs(page)
    assert found(hrefs) == set(EMPHASIS)
    assert all(href.startswith(urlsplit(site_url_base).path + "records/") for href in hrefs), hrefs  # sub-path kept


def test_the_tier_filter_counts_and_narrows_the_results_of_every_shard(
    page: Any, site_url_base: str, built_site: BuiltSite
) -> None:
    doi_grade = {url for url, tier in EMPHASIS.items() if tier == "DOI grade"}
    assert len({shards_by_url(built_site)[url] for url in doi_grade}) == 2
    open_ok(page, site_url_base + "search/?q=emphasis")
    page.wait_for_function(
        "n => document.querySelectorAll('.pagefind-ui__result-link').length >= n", arg=len(EMPHASIS), timeout=10_000
    )
    page.locator("summary", has_text="Tier").first.click()
    option = page.get_by_label(re.compile(r"^\s*DOI grade"))
    # One record of each shard, counted together: waited for, as the counts of a shard merged later may come later.
    option.locator("xpath=..").filter(has_text="(2)").wait_for(timeout=10_000)
    option.check()
    page.wait_for_function(
        "n => document.querySelectorAll('.pagefind-ui__result-link').length < n", arg=len(EMPHASIS), timeout=10_000
    )
    assert found(result_hrefs(page)) == doi_grade


def test_the_first_searchs_filter_counts_include_every_shard_even_when_its_filters_load_late(
    page: Any, built_site: BuiltSite
) -> None:
    """The counts of a search come from the filter files a shard has loaded: the first search must wait for them."""
    first = sorted(set(shards_by_url(built_site).values()))[0]  # the UI's own bundle; the others are merged
    late = sitekit.serve(built_site.site_dir, slow=(rf"/pagefind/shards/(?!{first}/)[^/]+/filter/", 2.0))
    try:
        open_ok(page, late.url + "search/?q=emphasis")
        page.wait_for_function(
            "n => document.querySelectorAll('.pagefind-ui__result-link').length >= n",
            arg=len(EMPHASIS),
            timeout=15_000,
        )
        page.locator("summary", has_text="Tier").first.click()
        option = page.get_by_label(re.compile(r"^\s*DOI grade"))
        option.locator("xpath=..").filter(has_text="(2)").wait_for(timeout=10_000)
    finally:
        late.stop()
