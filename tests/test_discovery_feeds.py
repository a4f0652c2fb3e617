"""Atom feeds, the sitemap and robots.txt."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from discovery_fixtures import build_site_for, html, module_site, records
from lxml import etree

from site_builder.discovery.sitemap import sitemap_files

DATA = Path(__file__).parent / "data"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return module_site(tmp_path_factory)


def test_every_feed_validates_against_the_rfc_4287_schema(site: Path) -> None:
    schema = etree.RelaxNG(etree.parse(DATA / "atom.rng"))
    feeds = sorted(site.rglob("feed.xml"))
    assert {f.relative_to(site).as_posix() for f in feeds} >= {"feed.xml", "tiers/watchlist/feed.xml"}
    for feed in feeds:
        assert schema.validate(etree.parse(feed)), (feed, schema.error_log)


def test_the_feed_lists_new_and_corrected_records_newest_change_first(site: Path) -> None:
    feed = etree.parse(site / "feed.xml")
    links = [e.get("href") for e in feed.iterfind(f"{ATOM}entry/{ATOM}link")]
    # build day (undated records, by id), corrected 2026-02-01, plain published 2026-01-10
    assert [link.split("/")[-2] for link in links] == ["hostile", "renamed", "corrected", "plain"]
    assert feed.findtext(f"{ATOM}updated") == "2026-03-01T00:00:00+00:00"


def test_the_number_of_feed_entries_is_capped_by_feed_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_site_for(tmp_path, monkeypatch, records(), feed_entries=2)
    assert len(etree.parse(site / "feed.xml").findall(f"{ATOM}entry")) == 2


def test_home_and_listings_link_their_feed(site: Path) -> None:
    feed = "//link[@rel='alternate'][@type='application/atom+xml']/@href"
    assert html(site, "").xpath(feed) == ["./feed.xml"]
    assert html(site, "tiers/watchlist/").xpath(feed) == ["../../tiers/watchlist/feed.xml"]


def test_the_sitemap_validates_and_lists_pages_but_not_redirects(site: Path) -> None:
    schema = etree.XMLSchema(etree.parse(DATA / "sitemap.xsd"))
    doc = etree.parse(site / "sitemap.xml")
    assert schema.validate(doc), schema.error_log
    locs = {loc.text for loc in doc.iterfind(f"{SITEMAP}url/{SITEMAP}loc")}
    assert "https://example.org/registry/records/plain/" in locs
    assert "https://example.org/registry/records/gone/" in locs  # a tombstone is still a page
    assert "https://example.org/registry/records/old-name/" not in locs
    assert not any(loc.endswith("404.html") for loc in locs)


def test_the_sitemap_lastmod_is_the_manifests_last_changed_date(site: Path) -> None:
    doc = etree.parse(site / "sitemap.xml")
    assert {m.text for m in doc.iterfind(f"{SITEMAP}url/{SITEMAP}lastmod")} == {"2026-03-01"}


def test_past_the_limit_the_sitemap_becomes_a_valid_index_of_parts() -> None:
    urls = [f"/records/r{n}/" for n in range(5)]
    changed = {u: date(2026, 1, n + 1).isoformat() for n, u in enumerate(urls)}
    files = dict(sitemap_files("https://example.org/registry/", urls, changed, limit=2))
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index_schema = etree.XMLSchema(etree.parse(DATA / "siteindex.xsd"))
    urlset_schema = etree.XMLSchema(etree.parse(DATA / "sitemap.xsd"))
    assert index_schema.validate(etree.fromstring(files["sitemap.xml"])), index_schema.error_log
    assert all(urlset_schema.validate(etree.fromstring(files[f"sitemap-{n}.xml"])) for n in (1, 2, 3))


def test_a_stale_mkdocs_sitemap_gz_is_removed(tmp_path: Path) -> None:
    from site_builder.discovery.sitemap import remove_sitemaps

    (tmp_path / "sitemap.xml.gz").write_bytes(b"stale")
    remove_sitemaps(tmp_path)
    assert not (tmp_path / "sitemap.xml.gz").exists()


def test_robots_txt_points_at_the_sitemap(site: Path) -> None:
    assert "Sitemap: https://example.org/registry/sitemap.xml" in (site / "robots.txt").read_text(encoding="utf-8")
