"""A template edit renders again exactly the outputs that used the template, and publishes what a cold build does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
from generated_project import cold_tree, config, edit_template, generated_project, tree

from site_builder import engine
from site_builder.build import build_site
from site_builder.templatesources import CONFLICT, TemplateSources, noted

pytestmark = pytest.mark.usefixtures("fixed_build_date")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 24)


def inodes(site: Path, pattern: str) -> dict[Path, int]:
    return {path: path.stat().st_ino for path in site.glob(pattern)}


def test_a_listing_template_edit_renders_no_record_again(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    pages = inodes(project / "site", "records/*/index.html")
    edit_template(project, "listing.html")
    report = build_site(config(project))
    assert report.rendered_records == 0
    assert 0 < report.written_files < 24
    assert inodes(project / "site", "records/*/index.html") == pages
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_a_record_template_edit_leaves_the_listings_as_they_were(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    listings = inodes(project / "site", "tiers/**/index.html")
    assert listings
    edit_template(project, "record.html")
    report = build_site(config(project))
    assert report.rendered_records == 24
    assert inodes(project / "site", "tiers/**/index.html") == listings
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_an_edit_of_a_partial_the_record_pages_include_renders_every_record_again(
    project: Path, tmp_path: Path
) -> None:
    build_site(config(project))
    partial = project / "templates" / "partials" / "record_extras.html"
    partial.write_text("<!-- edited -->\n" + partial.read_text(encoding="utf-8"), encoding="utf-8")
    assert build_site(config(project)).rendered_records == 24
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_an_edit_of_the_base_template_renders_everything_again(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    listings = inodes(project / "site", "tiers/**/index.html")
    base = project / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body", "<body data-edited", 1), encoding="utf-8")
    assert build_site(config(project)).rendered_records == 24
    assert all(path.stat().st_ino != inode for path, inode in listings.items())
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_an_edit_of_the_stylesheet_is_published(project: Path) -> None:
    build_site(config(project))
    stylesheet = project / "templates" / "assets" / "style.css"
    stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + "/* edited */\n", encoding="utf-8")
    report = build_site(config(project))
    assert (report.rendered_records, report.written_files) == (0, 1)
    assert (project / "site" / "assets" / "style.css").read_bytes() == stylesheet.read_bytes()


def test_a_template_no_output_uses_changes_nothing_and_the_next_rebuild_is_a_quick_no_op(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(config(project))
    (project / "templates" / "unused.html").write_text("unused", encoding="utf-8")
    report = build_site(config(project))
    assert (report.rendered_records, report.written_files) == (0, 0)
    monkeypatch.setattr("site_builder.engine.Engine.plan", lambda self: pytest.fail("the engine ran"))
    assert build_site(config(project)).written_files == 0


def test_the_loader_notes_a_pages_parent_includes_imports_and_a_name_it_did_not_find(tmp_path: Path) -> None:
    files = {
        "page.html": '{% extends "base.html" %}{% from "m.html" import m %}{% block b %}{{ m() }}{% endblock %}',
        "base.html": '{% include "part.html" %}{% include "gone.html" ignore missing %}{% block b %}{% endblock %}',
        "part.html": "part",
        "m.html": "{% macro m() %}macro{% endmacro %}",
        "unused.html": "unused",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    sources = TemplateSources(tmp_path)
    env = jinja2.Environment(loader=sources)
    assert env.get_template("page.html").render() == "partmacro"
    assert env.get_template("page.html").render() == "partmacro"  # compiled templates cached: still noted
    assert set(sources.read) == {"page.html", "base.html", "part.html", "m.html", "gone.html"}
    assert sources.read["gone.html"] is None
    assert TemplateSources(tmp_path).hold(sources.read)
    (tmp_path / "gone.html").write_text("here now", encoding="utf-8")
    assert not TemplateSources(tmp_path).hold(sources.read)


def test_a_template_read_as_two_versions_in_one_build_never_holds(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("a", encoding="utf-8")
    sources = TemplateSources(tmp_path)
    used = {"a.html": sources.digest("a.html")}
    noted(used, [("a.html", "0" * 32)])
    assert used == {"a.html": CONFLICT}
    assert not TemplateSources(tmp_path).hold(used)


def edit_base(root: Path, mark: str = "data-edited") -> None:
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body", f"<body {mark}", 1), encoding="utf-8")


def edited_during_the_next_render(
    monkeypatch: pytest.MonkeyPatch, edit: Callable[[], object], undo: Callable[[], object]
) -> None:
    """The next build's render starts after ``edit`` (saved after its scan) and ``undo`` follows it."""
    render = engine.Engine.render

    def meanwhile(self: engine.Engine, *args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(engine.Engine, "render", render)
        edit()
        try:
            return render(self, *args, **kwargs)
        finally:
            undo()

    monkeypatch.setattr(engine.Engine, "render", meanwhile)


def test_a_template_edited_during_a_build_leaves_no_stale_listing_page(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(config(project))
    record = sorted((project / "records").glob("*.md"))[5]
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")
    edited_during_the_next_render(monkeypatch, lambda: edit_base(project), lambda: None)
    build_site(config(project))  # its unchanged listing pages are reused, made with base.html as it was
    build_site(config(project))
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_a_template_edited_during_a_build_and_undone_is_rendered_again_by_the_next(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(config(project))
    base = project / "templates" / "base.html"
    original = base.read_text(encoding="utf-8")
    edited_during_the_next_render(
        monkeypatch, lambda: edit_base(project), lambda: base.write_text(original, encoding="utf-8")
    )
    edit_template(project, "record.html")  # every record is rendered, with the edited base.html
    build_site(config(project))
    assert build_site(config(project)).rendered_records == 24
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_an_edit_of_a_template_in_a_linked_folder_is_published_by_the_next_build(project: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared-partials"
    (project / "templates" / "partials").rename(shared)
    (project / "templates" / "partials").symlink_to(shared, target_is_directory=True)
    build_site(config(project))
    partial = shared / "record_extras.html"
    partial.write_text("<!-- edited -->\n" + partial.read_text(encoding="utf-8"), encoding="utf-8")
    assert build_site(config(project)).rendered_records == 24
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_a_template_read_again_as_other_bytes_is_a_conflict(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("one", encoding="utf-8")
    sources = TemplateSources(tmp_path)
    env = jinja2.Environment(loader=sources, cache_size=0)  # no cache: every use reads the file again
    assert env.get_template("a.html").render() == "one"
    (tmp_path / "a.html").write_text("two", encoding="utf-8")
    assert env.get_template("a.html").render() == "two"
    assert sources.read == {"a.html": CONFLICT} and sources.changes == 2


def test_a_template_is_decoded_as_a_text_file_would_be(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes("é\r\nb\rc\n".encode())
    assert jinja2.Environment(loader=TemplateSources(tmp_path)).get_template("a.html").render() == "é\nb\nc"
