"""A page's search view: what Pagefind reads of it, without what it would ignore entirely."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from discovery_fixtures import module_site

from site_builder.discovery.pagefind_order import normalize_bundle
from site_builder.discovery.search import pagefind_command, pagefind_executable
from site_builder.discovery.searchview import search_view

IGNORED = b'<section data-pagefind-ignore="all"><h2>Facts</h2><table><tr><td>1</td></tr></table></section>'


def page(body: bytes) -> bytes:
    start = b'<!doctype html><html lang="en"><body><article data-pagefind-body><h1>T</h1>'
    return start + body + b"</article></body></html>"


def test_a_page_without_an_element_ignored_entirely_is_its_own_view() -> None:
    original = page(b"<p>text</p><div hidden data-pagefind-ignore><span data-pagefind-filter='Tier'>A</span></div>")
    assert search_view(original) is original


def test_an_element_ignored_entirely_is_left_out_with_everything_in_it() -> None:
    assert search_view(page(b"<p>kept</p>" + IGNORED + b"<p>also kept</p>")) == page(b"<p>kept</p><p>also kept</p>")


def test_an_ignored_element_ends_at_the_end_tag_that_closes_it_not_at_a_nested_ones() -> None:
    nested = b'<section data-pagefind-ignore="all"><section><p>inner</p></section><p>still out</p></section>'
    assert search_view(page(nested + b"<section><p>kept</p></section>")) == page(b"<section><p>kept</p></section>")


def test_every_element_ignored_entirely_is_left_out_and_one_inside_another_with_it() -> None:
    inside = b'<div data-pagefind-ignore="all"><p>out</p>' + IGNORED + b"</div>"
    assert search_view(page(IGNORED + b"<p>kept</p>" + inside)) == page(b"<p>kept</p>")


def test_an_ignored_element_spelled_in_capitals_ends_at_its_end_tag_spelled_alike() -> None:
    upper = b'<SECTION data-pagefind-ignore="all"><SECTION>in</SECTION><p>out</p></SECTION>'
    assert search_view(page(upper + b"<p>kept</p>")) == page(b"<p>kept</p>")


def test_an_ignored_element_without_content_is_its_start_tag() -> None:
    assert search_view(page(b'<p>a<img src="x.svg" data-pagefind-ignore="all">b</p>')) == page(b"<p>ab</p>")


def test_a_start_tag_is_read_attribute_by_attribute_so_a_quoted_angle_bracket_does_not_end_it() -> None:
    tag = b'<section title="a > b" data-pagefind-ignore="all" class=facts><p>out</p></section>'
    assert search_view(page(tag + b"<p>kept</p>")) == page(b"<p>kept</p>")


@pytest.mark.parametrize(
    "not_a_mark",
    [
        b'<p>text that quotes data-pagefind-ignore="all"</p>',
        b"<div title='see data-pagefind-ignore=\"all\"'><p>kept</p></div>",
        b'<div xdata-pagefind-ignore="all"><p>kept</p></div>',
    ],
)
def test_the_marks_text_outside_an_attribute_of_its_own_leaves_the_page_as_it_is(not_a_mark: bytes) -> None:
    assert search_view(page(not_a_mark + IGNORED)) == page(not_a_mark)


@pytest.mark.parametrize(
    "odd",
    [
        b'<section data-pagefind-ignore="all"><p>never closed</p>',  # no end tag
        b'<!-- <section data-pagefind-ignore="all"> --><p>in a comment</p></section>',
        b'<section data-pagefind-ignore="all"',  # a start tag cut short
        b'<section data-pagefind-ignore="all"><p>out?</p></SECTION><p>kept?</p>',  # an end tag spelled otherwise
        b'<DIV data-pagefind-ignore="all"><div>in</DIV>out?</div>',  # the element's tags in two spellings
        b'<section data-pagefind-ignore="all"><!-- </section> --><p>out?</p></section>',  # a tag in a comment
        b'<section data-pagefind-ignore="all"><script>x = "</section>"</script><p>out?</p></section>',
        b'<div data-pagefind-ignore data-pagefind-ignore="all"><span data-pagefind-filter="F">v</span></div>',
        b'<section\x0bdata-pagefind-ignore="all"><p>a vertical tab is no white space in HTML</p></section>',
    ],
)
def test_a_page_that_does_not_read_as_expected_or_that_pagefind_reads_otherwise_is_left_as_it_is(odd: bytes) -> None:
    original = page(odd)
    assert search_view(original) == original


@pytest.mark.parametrize(
    "body",
    [
        b'<article data-pagefind-body data-pagefind-ignore="all"><h1>T</h1></article>',  # Pagefind indexes it
        b'<main data-pagefind-ignore="all"><article data-pagefind-body><h1>T</h1></article></main>',
    ],
)
def test_a_mark_on_the_indexed_element_or_around_it_leaves_the_page_as_it_is(body: bytes) -> None:
    original = b'<!doctype html><html lang="en"><body>' + body + b"</body></html>"
    assert search_view(original) == original


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return module_site(tmp_path_factory)


def record_pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "records").glob("*/index.html") if b"data-pagefind-body" in p.read_bytes())


def indexed(pages: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    """The normalized Pagefind bundle of ``pages`` (site path -> bytes), written in order."""
    source, bundle = folder / "site", folder / "bundle"
    for relative, content in pages.items():
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_bytes(content)
    subprocess.run(pagefind_command(pagefind_executable(), source, bundle), check=True, capture_output=True)
    normalize_bundle(bundle)
    files = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}
    shutil.rmtree(folder)
    return files


def test_record_pages_leave_their_fact_tables_and_cite_box_out_of_their_search_view(site: Path) -> None:
    assert record_pages(site)
    for path in record_pages(site):
        view = search_view(path.read_bytes())
        assert b"Verification Level" not in view and b"Cite this record" not in view
        assert b"data-pagefind-filter" in view and b"<h1>" in view


def test_pagefind_indexes_the_search_views_of_the_record_pages_to_the_same_bundle_as_the_pages(
    site: Path, tmp_path: Path
) -> None:
    pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in record_pages(site)}
    views = {relative: search_view(content) for relative, content in pages.items()}
    assert all(len(views[relative]) < len(pages[relative]) for relative in pages)
    assert indexed(views, tmp_path / "views") == indexed(pages, tmp_path / "pages")
