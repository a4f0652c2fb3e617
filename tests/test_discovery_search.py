"""The search page, the header search box and what the Pagefind index covers."""

from __future__ import annotations

from pathlib import Path

import pytest
from discovery_fixtures import build_site_for, html, module_site, records
from site_fixtures import make_record

from site_builder.model import Record


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return module_site(tmp_path_factory)


def test_every_page_has_a_plain_get_search_form_to_the_search_page(site: Path) -> None:
    for url in ("", "records/plain/", "tiers/watchlist/", "withdrawn/", "records/gone/"):
        form = html(site, url).xpath("//header//form[@role='search']")[0]
        assert (form.get("method"), form.xpath(".//input/@name")) == ("get", ["q"])
        assert form.get("action").endswith("/search/")


def test_the_search_page_loads_pagefinds_ui_and_says_how_to_browse_without_javascript(site: Path) -> None:
    doc = html(site, "search/")
    assert doc.xpath("//script/@src") == ["../pagefind/pagefind-ui.js", "../assets/search.js"]
    assert (site / "pagefind/pagefind-ui.js").is_file()
    noscript = " ".join(doc.xpath("//noscript")[0].itertext())
    assert "browse the records by" in noscript and "quality tier" in noscript and "gate verdict" in noscript


def test_only_current_record_pages_are_marked_for_the_index(site: Path) -> None:
    marked = sorted(p.parent.name for p in site.rglob("index.html") if b"data-pagefind-body" in p.read_bytes())
    assert marked == ["corrected", "hostile", "plain", "renamed"]


def test_record_pages_declare_the_search_filters(site: Path) -> None:
    filters = html(site, "records/corrected/").xpath("//*[@data-pagefind-filter]/@data-pagefind-filter")
    for name in ("Tier", "Gate verdict", "Evidence strength", "Correction status", "Publisher"):
        assert name in filters


def test_the_search_page_lists_the_shards_of_the_index_for_the_browser_to_merge(site: Path) -> None:
    search = html(site, "search/").xpath("//div[@id='search']")[0]
    assert search.get("data-shards").split() == sorted(p.name for p in (site / "pagefind/shards").iterdir())
    assert (search.get("data-shard-root"), search.get("data-site-root")) == ("../pagefind/shards/", "../")


def several_shards() -> list[Record]:
    """The records plus two more, for one record per shard: 8 shards, three of them with records."""
    return [*records(), make_record("second", title="Second record"), make_record("third", title="Third record")]


def test_the_search_index_is_the_same_for_two_builds_of_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bundle(folder: Path) -> dict[str, bytes]:
        root = folder / "pagefind"
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = bundle(build_site_for(tmp_path / "a", monkeypatch, several_shards(), search_shard_records=1))
    assert len({name.split("/")[1] for name in first if name.startswith("shards/")}) == 3
    assert bundle(build_site_for(tmp_path / "b", monkeypatch, several_shards(), search_shard_records=1)) == first


def test_a_registry_without_current_records_has_no_index_and_its_search_page_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = [r for r in records() if r.withdrawn is not None]
    site = build_site_for(tmp_path, monkeypatch, gone)
    doc = html(site, "search/")
    assert not (site / "pagefind").exists()
    assert doc.xpath("//script/@src") == [] and doc.xpath("//div[@id='search']") == []
    assert "nothing to search" in " ".join(doc.xpath("//main")[0].itertext())


def test_the_index_covers_title_abstract_and_question_and_leaves_the_fact_tables_and_cite_box_out(site: Path) -> None:
    article = html(site, "records/plain/").xpath("//article[@data-pagefind-body]")[0]
    indexed = [
        el
        for el in article.iter()
        if not any(a.get("data-pagefind-ignore") is not None for a in (el, *el.iterancestors()))
    ]
    headings = {" ".join(el.itertext()).strip() for el in indexed if el.tag in ("h1", "h2")}
    assert {"Abstract", "Research Question"} <= headings
    assert not headings & {"Verification Level", "Provenance", "Cite this record"}
