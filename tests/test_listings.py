"""Listings: every record on exactly its tier and verdict pages, sorted as documented, paginated at stable URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_fixtures import build, main_text, make_record, page, verified

from site_builder.slug import slugify

RECORDS = [
    verified("a1", title="Alpha", published="2026-05-05"),
    make_record("b2", title="Beta", published="2026-05-04", tier={"name": "Watchlist"}),
    make_record("c3", title="Gamma", published="2026-05-04"),
    make_record("d4", title="Delta", tier={"name": "Watchlist"}),
    verified("e5", title="Epsilon", published="2026-05-01", tier={"name": "Watchlist"}),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("listings"), RECORDS, page_size=2)


@pytest.fixture(scope="module")
def roomy_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("roomy"), RECORDS)


def record_links(site: Path, url: str) -> list[str]:
    """Ids of the records a listing page lists, in order."""
    return [
        h.rstrip("/").rsplit("/", 1)[-1] for h in page(site, url).xpath("//main//table[@class='records']//th//a/@href")
    ]


def all_pages(site: Path, url: str) -> list[str]:
    """Ids over every page of the listing at ``url``, following its Next links."""
    ids: list[str] = []
    while True:
        ids += record_links(site, url)
        following = page(site, url).xpath("//a[@rel='next']/@href")
        if not following:
            return ids
        url = str((Path("/") / url / following[0]).resolve()).lstrip("/") + "/"


@pytest.mark.parametrize(
    ("name", "slug"), [("DOI grade", "doi-grade"), ("Watchlist", "watchlist"), ("Non-verified!", "non-verified")]
)
def test_terms_get_readable_slugs(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_name_without_ascii_words_gets_a_stable_slug() -> None:
    assert slugify("✓✓") == slugify("✓✓")
    assert slugify("✓✓").startswith("term-")


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.id)
def test_each_record_is_on_exactly_its_tier_page_and_its_verdict_page(roomy_site: Path, record) -> None:  # type: ignore[no-untyped-def]
    listed_on = [
        url
        for url in ("tiers/doi-grade/", "tiers/watchlist/", "verdicts/verified/", "verdicts/unverified/")
        if record.id in record_links(roomy_site, url)
    ]
    assert listed_on == [f"tiers/{slugify(record.tier.name)}/", f"verdicts/{slugify(record.gate.status)}/"]


def test_listing_is_sorted_newest_first_then_title_then_id(roomy_site: Path) -> None:
    assert record_links(roomy_site, "tiers/watchlist/") == ["b2", "e5", "d4"]
    assert record_links(roomy_site, "verdicts/unverified/") == ["b2", "c3", "d4"]


def test_listing_page_states_its_sort_order_and_explains_its_term(roomy_site: Path) -> None:
    text = main_text(page(roomy_site, "tiers/watchlist/"))
    assert "newest first by publication date" in text and "then by title, then by id" in text
    assert "Review score or public verified-claim signal is below DOI-grade threshold." in text


def test_listing_shows_id_tier_verdict_and_dimensions(roomy_site: Path) -> None:
    row = page(roomy_site, "tiers/watchlist/").xpath("//table[@class='records']/tbody/tr")[0]
    text = " ".join(row.text_content().split())
    for shown in ("Beta", "b2", "Watchlist", "Unverified", "Evidence strength MEDIUM", "Uncertainty disclosure LOW"):
        assert shown in text


def test_page_size_two_with_three_records_gives_two_pages_at_stable_urls(site: Path) -> None:
    assert record_links(site, "tiers/watchlist/") == ["b2", "e5"]
    assert record_links(site, "tiers/watchlist/page/2/") == ["d4"]
    assert not (site / "tiers/watchlist/page/3").exists()


def test_page_size_two_with_five_records_gives_three_linked_pages(tmp_path: Path) -> None:
    same_tier = [r.model_copy(update={"tier": RECORDS[0].tier}) for r in RECORDS]
    site = build(tmp_path, same_tier, page_size=2)
    pages = [site / "tiers/doi-grade/index.html", *sorted((site / "tiers/doi-grade/page").glob("*/index.html"))]
    assert [p.relative_to(site).as_posix() for p in pages if p.is_file()] == [
        "tiers/doi-grade/index.html",
        "tiers/doi-grade/page/2/index.html",
        "tiers/doi-grade/page/3/index.html",
    ]
    assert all_pages(site, "tiers/doi-grade/") == ["a1", "b2", "c3", "e5", "d4"]
    middle = page(site, "tiers/doi-grade/page/2/")
    assert middle.xpath("//a[@rel='prev']/@href") == ["../../../../tiers/doi-grade/"]
    assert middle.xpath("//a[@rel='next']/@href") == ["../../../../tiers/doi-grade/page/3/"]
    assert not page(site, "tiers/doi-grade/").xpath("//a[@rel='prev']")
    assert not page(site, "tiers/doi-grade/page/3/").xpath("//a[@rel='next']")


def pagination_numbers(site: Path, url: str) -> list[str]:
    """What a listing page's pagination shows between Previous and Next: page numbers and gaps."""
    items = page(site, url).xpath("//nav[contains(@class, 'pagination')]//li")[1:-1]
    return [" ".join(item.text_content().split()) for item in items]


def test_a_long_listing_links_the_first_and_last_pages_and_those_near_the_current_one(tmp_path: Path) -> None:
    many = [make_record(f"r{n:02d}", title=f"Record {n:02d}", tier={"name": "Watchlist"}) for n in range(12)]
    site = build(tmp_path, many, page_size=1)
    assert pagination_numbers(site, "tiers/watchlist/page/6/") == ["1", "…", "4", "5", "6", "7", "8", "…", "12"]
    assert pagination_numbers(site, "tiers/watchlist/") == ["1", "2", "3", "…", "12"]
    assert pagination_numbers(site, "tiers/watchlist/page/4/") == ["1", "2", "3", "4", "5", "6", "…", "12"]
    assert pagination_numbers(site, "tiers/watchlist/page/12/") == ["1", "…", "10", "11", "12"]
    current = page(site, "tiers/watchlist/page/6/").xpath("//nav[contains(@class, 'pagination')]//a[@aria-current]")
    assert [a.text_content() for a in current] == ["6"]


def test_a_single_page_listing_has_no_pagination(roomy_site: Path) -> None:
    assert not page(roomy_site, "tiers/watchlist/").xpath("//nav[contains(@class, 'pagination')]")


def matrix_links(site: Path) -> dict[str, tuple[str, str]]:
    """aria-label of each matrix number -> (number shown, link)."""
    doc = page(site, "")
    return {a.get("aria-label"): (a.text_content(), a.get("href")) for a in doc.xpath("//table[@class='matrix']//td/a")}


def test_home_matrix_counts_match_and_each_cell_links_to_its_records(roomy_site: Path) -> None:
    assert matrix_links(roomy_site) == {
        "1 DOI grade, Verified": ("1", "./tiers/doi-grade/verdicts/verified/"),
        "1 DOI grade, Unverified": ("1", "./tiers/doi-grade/verdicts/unverified/"),
        "2 DOI grade, all verdicts": ("2", "./tiers/doi-grade/"),
        "1 Watchlist, Verified": ("1", "./tiers/watchlist/verdicts/verified/"),
        "2 Watchlist, Unverified": ("2", "./tiers/watchlist/verdicts/unverified/"),
        "3 Watchlist, all verdicts": ("3", "./tiers/watchlist/"),
        "2 Verified, all tiers": ("2", "./verdicts/verified/"),
        "3 Unverified, all tiers": ("3", "./verdicts/unverified/"),
    }
    assert page(roomy_site, "").xpath("//table[@class='matrix']/tfoot//td[last()]")[0].text_content() == "5"


def test_every_matrix_link_lists_exactly_the_records_it_counts(roomy_site: Path) -> None:
    for label, (count, href) in matrix_links(roomy_site).items():
        assert len(all_pages(roomy_site, href.removeprefix("./"))) == int(count), label


def test_combination_listing_holds_the_records_of_its_tier_and_verdict(roomy_site: Path) -> None:
    assert record_links(roomy_site, "tiers/watchlist/verdicts/unverified/") == ["b2", "d4"]
    assert record_links(roomy_site, "tiers/watchlist/verdicts/verified/") == ["e5"]


def test_empty_matrix_cell_is_zero_without_a_link(tmp_path: Path) -> None:
    site = build(tmp_path, [make_record("only")])
    cells = page(site, "").xpath("//table[@class='matrix']/tbody/tr[1]/td")
    assert [c.text_content() for c in cells] == ["0", "1", "1"]
    assert not cells[0].xpath(".//a")
    assert not (site / "tiers/doi-grade/verdicts/verified").exists()


def test_home_lists_the_most_recent_records(tmp_path: Path) -> None:
    site = build(tmp_path, RECORDS, recent_records=3)
    assert record_links(site, "") == ["a1", "b2", "c3"]
