"""The renderer: relative links, record rows, the matrix and the MkDocs page template."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import jinja2
import lxml.html
import pytest
from site_fixtures import REPO, make_record, verified

from site_builder.config import RegistryConfig
from site_builder.library import build_library, summarize
from site_builder.render import Renderer, base_url_for, matrix, record_sections, site_globals

CONFIG = RegistryConfig.from_settings({"project_dir": REPO, "site_name": "Test Registry"})


@pytest.mark.parametrize(
    ("url", "base"),
    [("", "."), ("records/x/", "../.."), ("tiers/doi-grade/page/2/", "../../../.."), ("tiers/", "..")],
)
def test_base_url_leads_from_a_page_back_to_the_site_root(url: str, base: str) -> None:
    assert base_url_for(url) == base


def test_record_sections_follow_the_published_order() -> None:
    titles = [s.title for s in record_sections(make_record("x"), CONFIG)]
    assert titles == [
        "Verification Level",
        "Truth-Engine Gate Verdict",
        "Quality Tier",
        "Quality Dimensions",
        "Correction Record",
        "Provenance",
    ]


def test_evaluated_row_appears_only_when_the_record_has_it() -> None:
    plain = record_sections(make_record("x"), CONFIG)[1]
    dated = record_sections(make_record("x", gate={"evaluated": "2026-06-10T06:30:49+00:00"}), CONFIG)[1]
    assert [r.label for r in plain.rows] == ["Status", "Gate", "Reason"]
    assert dated.rows[-1].label == "Evaluated"
    assert dated.rows[-1].value == "2026-06-10T06:30:49+00:00"


def test_withdrawn_record_does_not_link_to_listings_it_is_not_on() -> None:
    record = make_record("x", withdrawn={"date": "2026-07-01", "reason": "Duplicate."})
    rows = {(s.key, r.field): r for s in record_sections(record, CONFIG) for r in s.rows}
    assert rows["tier", "name"].href is None
    assert rows["gate", "status"].href is None


def test_matrix_counts_records_by_tier_and_verdict() -> None:
    records = [make_record("a"), verified("b"), make_record("c", tier={"name": "Watchlist"})]
    library = build_library([summarize(r) for r in records], CONFIG)
    result = matrix(library, CONFIG)
    assert result.counts == ((1, 1), (0, 1))
    assert result.total == 3
    cell = result.cells[0][0]
    assert cell is not None and cell.url == "tiers/doi-grade/verdicts/verified/"
    assert result.cells[1][0] is None


def test_record_text_is_never_template_source() -> None:
    renderer = Renderer(CONFIG)
    _, html = renderer.record_page(make_record("x", title="{{ site.name }}{% if true %}yes{% endif %}"))
    h1 = lxml.html.fromstring(html).xpath("//h1")[0].text_content()
    assert h1 == "{{ site.name }}{% if true %}yes{% endif %}"


def mkdocs_render(template: str, **context: object) -> str:
    """Render like MkDocs does: its own environment (no autoescape), the plugin's ``site`` global."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(REPO / "templates")))
    env.filters["slug"] = lambda s: s
    env.globals["site"] = site_globals(CONFIG)
    return env.get_template(template).render(**context)


class FakePage:
    title = "About <the> registry"
    url = "about/"
    canonical_url = "https://example.org/about/"
    meta: ClassVar[dict[str, str]] = {"description": "What this is."}
    content = "<p>Hello <em>docs</em>.</p>"


def test_docs_pages_render_with_main_template_and_shared_layout() -> None:
    html = mkdocs_render("main.html", page=FakePage(), config={}, base_url="..")
    doc = lxml.html.fromstring(html)
    assert doc.findtext(".//title") == "About <the> registry · Test Registry"
    assert doc.xpath("//main//em")[0].text == "docs"
    assert doc.xpath("//link[@rel='stylesheet']/@href") == ["../assets/style.css"]
    assert doc.xpath("//nav//a[@aria-current='page']/@href") == ["../about/"]
    assert doc.xpath("//link[@rel='canonical']/@href") == ["https://example.org/about/"]


def test_docs_page_title_is_escaped_even_without_autoescape() -> None:
    html = mkdocs_render("main.html", page=FakePage(), config={}, base_url="..")
    assert "<the>" not in html


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "templates").glob("*.html")))
def test_every_template_compiles(name: str) -> None:
    Renderer(CONFIG).env.get_template(name)


def test_stylesheet_supports_dark_mode_print_focus_and_phones() -> None:
    css = Path(REPO / "templates/assets/style.css").read_text(encoding="utf-8")
    for feature in ("prefers-color-scheme: dark", "@media print", ":focus-visible", "max-width: 40rem", ".skip:focus"):
        assert feature in css
    assert "@import" not in css and "url(" not in css
