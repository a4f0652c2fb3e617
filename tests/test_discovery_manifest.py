"""The manifest: every published URL with its digest and true publication dates, carried forward."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
from discovery_fixtures import build_site_for, html, load_json, records
from hypothesis import given
from hypothesis import strategies as st
from site_fixtures import make_record

DAY_1, DAY_2 = "1772323200", "1775001600"  # 2026-03-01, 2026-04-01 (UTC)


def test_the_manifest_lists_every_published_file_with_the_digest_of_its_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = build_site_for(tmp_path, monkeypatch, records())
    urls = load_json(site, "manifest.json")["urls"]
    page = (site / "records/plain/index.html").read_bytes()
    assert urls["/records/plain/"]["sha256"] == hashlib.sha256(page).hexdigest()
    for expected in ("/", "/records/plain/cite.bib", "/feed.xml", "/sitemap.xml", "/api/records.json"):
        assert expected in urls


def test_the_manifest_lists_its_urls_in_order_the_sitemap_among_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    site = build_site_for(tmp_path, monkeypatch, records())
    urls = list(json.loads((site / "manifest.json").read_text(encoding="utf-8"))["urls"])  # in the file's order
    assert urls == sorted(urls) and len(urls) == len(set(urls))
    assert "/sitemap.xml" in urls and urls[0] == "/" and urls[-1] != "/sitemap.xml"


def test_a_new_url_gets_the_build_date_from_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_site_for(tmp_path, monkeypatch, records())
    entry = load_json(site, "manifest.json")["urls"]["/records/plain/"]
    assert (entry["first_published"], entry["last_changed"]) == ("2026-03-01", "2026-03-01")


def test_an_unchanged_page_keeps_both_dates_through_a_later_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site_for(tmp_path, monkeypatch, records())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY_2)
    from site_fixtures import build

    site = build(tmp_path, records(), site_url="https://example.org/registry/")
    entry = load_json(site, "manifest.json")["urls"]["/records/plain/"]
    assert (entry["first_published"], entry["last_changed"]) == ("2026-03-01", "2026-03-01")


def test_a_changed_page_keeps_first_published_and_gets_a_new_last_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site_for(tmp_path, monkeypatch, records())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY_2)
    from site_fixtures import build

    changed = [make_record("plain", title="Plain record, retitled", published="2026-01-10"), *records()[1:]]
    site = build(tmp_path, changed, site_url="https://example.org/registry/")
    entry = load_json(site, "manifest.json")["urls"]["/records/plain/"]
    assert (entry["first_published"], entry["last_changed"]) == ("2026-03-01", "2026-04-01")


def test_an_undated_record_shows_the_date_its_url_was_first_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site_for(tmp_path, monkeypatch, records())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY_2)
    from site_fixtures import build

    site = build(tmp_path, records(), site_url="https://example.org/registry/")
    doc = html(site, "records/renamed/")  # "renamed" has no published date
    assert doc.xpath("//meta[@name='citation_publication_date']/@content") == ["2026/03/01"]


def test_dates_come_from_a_named_previous_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_site_for(tmp_path, monkeypatch, records())
    published = tmp_path / "live-manifest.json"
    published.write_bytes((site / "manifest.json").read_bytes().replace(b'"2026-03-01"', b'"2025-06-30"'))
    (site / "manifest.json").unlink()
    site = build_site_for(tmp_path, monkeypatch, records(), previous_manifest=published)
    assert load_json(site, "manifest.json")["urls"]["/records/plain/"]["first_published"] == "2025-06-30"


def test_the_manifest_records_the_publication_date_the_pages_show_even_if_the_day_changes_mid_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One build, one build date: a build running past midnight must not date a new URL twice."""

    from site_builder.discovery import dates

    days = iter([date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)])
    monkeypatch.setattr(dates, "build_date", lambda environ=None: next(days))
    from site_fixtures import build

    site = build(tmp_path, records(), site_url="https://example.org/registry/")
    shown = html(site, "records/renamed/").xpath("//meta[@name='citation_publication_date']/@content")
    entry = load_json(site, "manifest.json")["urls"]["/records/renamed/"]
    assert shown == ["2026/03/01"]
    assert (entry["first_published"], entry["last_changed"]) == ("2026-03-01", "2026-03-01")


def test_each_manifest_line_is_what_json_dumps_writes_for_the_url_and_its_entry() -> None:
    import json

    from site_builder.discovery.manifest import Entry, manifest_json

    entries = {
        "/records/plain/": Entry("ab" * 32, date(2026, 3, 1), date(2026, 4, 1)),
        '/odd "quote" \\ é \u2028 \x01/': Entry('not "hex" é', date(1, 1, 1), date(9999, 12, 31)),
    }
    lines = manifest_json(entries, "https://example.org/é/").decode("utf-8").split("\n")
    for url, entry in sorted(entries.items()):
        value = {
            "first_published": entry.first_published.isoformat(),
            "last_changed": entry.last_changed.isoformat(),
            "sha256": entry.sha256,
        }
        assert f"  {json.dumps(url, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}" in {
            line.rstrip(",") for line in lines
        }
    assert json.loads("\n".join(lines))["site_url"] == "https://example.org/é/"


def test_a_staged_build_lists_in_its_manifest_exactly_the_files_a_walk_of_the_site_finds(tmp_path: Path) -> None:
    from generated_project import config, generated_project

    from site_builder.build import build_site
    from site_builder.discovery.manifest import published_files, url_for_file

    project = generated_project(tmp_path, 8)

    def walked() -> set[str]:
        return {url_for_file(f[0]) for f in published_files(project / "site")} | {"/sitemap.xml"}

    build_site(config(project))
    assert set(load_json(project / "site", "manifest.json")["urls"]) == walked()
    first, second = sorted((project / "records").glob("*.md"))[:2]
    first.unlink()
    second.write_text(second.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: New ", 1), encoding="utf-8")
    build_site(config(project))
    build_site(config(project))  # nothing changed: the first site, kept as the spare, is not built into
    second.write_text(second.read_text(encoding="utf-8").replace("\ntitle: New ", "\ntitle: ", 1), encoding="utf-8")
    build_site(config(project))  # staged in that spare, refreshed
    assert set(load_json(project / "site", "manifest.json")["urls"]) == walked()


@given(st.lists(st.sampled_from(["a", ".a", "a.", "..", ".", "b.c", "pagefind", "manifest.json", ""]), min_size=1))
def test_a_file_is_listed_unless_it_is_unlisted_or_a_part_of_its_path_is_hidden(parts: list[str]) -> None:
    from site_builder.discovery.manifest import UNLISTED_FILES, listed

    relative = "/".join(parts)
    unlisted = relative in UNLISTED_FILES or relative.startswith("pagefind/")
    assert listed(relative) == (not unlisted and not any(part.startswith(".") for part in parts))


def test_the_manifest_written_in_parts_is_the_same_file_whatever_the_part_size() -> None:
    import json

    from site_builder.discovery.manifest import Entry, entry_rows, manifest_json, manifest_parts

    entries = {f"/records/r{i}/": Entry(f"{i:064x}", date(2026, 3, 1), date(2026, 4, i + 1)) for i in range(7)}
    whole = manifest_json(entries, "https://example.org/").decode("utf-8")
    for lines in (1, 2, 3, 7, 100):
        assert "".join(manifest_parts(entry_rows(sorted(entries.items())), "https://example.org/", lines)) == whole
    assert list(json.loads(whole)["urls"]) == sorted(entries)
    assert json.loads(manifest_json({}, "")) == {"manifest_version": 1, "site_url": "", "urls": {}}


def test_the_sitemaps_entries_are_merged_into_their_places_among_the_others() -> None:
    from site_builder.discovery.publish import merged

    others = [(url, "00" * 32, "2026-03-01", "2026-03-01") for url in ("/b/", "/d/", "/f/")]
    few = [(url, "00" * 32, "2026-03-01", "2026-03-01") for url in ("/a.xml", "/c.xml", "/e.xml", "/g.xml")]
    assert [row[0] for row in merged(iter(others), few)] == [
        "/a.xml",
        "/b/",
        "/c.xml",
        "/d/",
        "/e.xml",
        "/f/",
        "/g.xml",
    ]
    assert [row[0] for row in merged(iter([]), few[:1])] == ["/a.xml"]


def test_a_files_url_names_the_file_again() -> None:
    from site_builder.discovery.manifest import file_for_url, url_for_file

    paths = ["index.html", "404.html", "records/x/index.html", "records/x/badge.json", "a/xindex.html", "b/index.html"]
    assert [file_for_url(url_for_file(path)) for path in paths] == paths


@given(
    previous=st.dictionaries(
        st.sampled_from(["/a/", "/b/", "/c/", "/d/"]), st.tuples(st.sampled_from("xyz"), st.dates(), st.dates())
    ),
    now=st.dictionaries(st.sampled_from(["/a/", "/b/", "/c/", "/e/"]), st.sampled_from("xyz")),
    build=st.dates(),
)
def test_dates_are_carried_alike_from_kept_fields_and_from_parsed_entries(
    previous: dict[str, tuple[str, date, date]], now: dict[str, str], build: date
) -> None:
    from site_builder.discovery.dates import PublicationDates
    from site_builder.discovery.manifest import Entry, ManifestFields, rows_of

    entries = {url: Entry(sha, first, last) for url, (sha, first, last) in previous.items()}
    fields = [f for url, e in entries.items() for f in (url, e.sha256, str(e.first_published), str(e.last_changed))]
    digests = sorted(now.items())

    def expected(url: str, digest: str) -> tuple[str, str, str, str]:
        old = entries.get(url)
        if old is None:
            return url, digest, str(build), str(build)
        if old.sha256 == digest:
            return url, digest, str(old.first_published), str(old.last_changed)
        return url, digest, str(old.first_published), str(max(build, old.first_published))

    parsed = list(rows_of(digests, PublicationDates(build, entries)))
    kept = list(rows_of(digests, PublicationDates(build, ManifestFields(fields))))
    assert parsed == kept == [expected(url, digest) for url, digest in digests]
