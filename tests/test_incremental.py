"""Incremental builds: a rebuild redoes only what an edit affects, and publishes exactly what a cold build would."""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import pytest
from generated_project import cold_tree, config, edit_template, generated_project, tree

from site_builder import cache
from site_builder.build import build_site
from site_builder.cache import cache_file
from site_builder.render import Page, Renderer

pytestmark = pytest.mark.usefixtures("fixed_build_date")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 24)


def edit_title(root: Path) -> Path:
    record = sorted((root / "records").glob("*.md"))[5]
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")
    return record


def test_a_record_edit_rerenders_that_record_only_and_matches_a_cold_build(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    edit_title(project)
    report = build_site(config(project))
    assert report.rendered_records == 1
    assert 0 < report.written_files < report.files
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_a_template_edit_rerenders_every_record_and_matches_a_cold_build(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    edit_template(project, "record.html")
    report = build_site(config(project))
    assert report.rendered_records == 24
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_a_template_edit_publishes_new_files_only_for_the_pages_it_changes(project: Path) -> None:
    build_site(config(project))
    records = (project / "site" / "records").rglob("*.*")
    others = {path: path.stat().st_ino for path in records if path.suffix != ".html"}  # data, badges, citations
    edit_template(project, "record.html")
    report = build_site(config(project))
    assert report.rendered_records == 24
    assert report.written_files == 24  # the record pages alone
    assert {path: path.stat().st_ino for path in others} == others


def test_a_template_edit_that_changes_no_page_writes_no_file(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    template = project / "templates" / "record.html"
    template.write_text(template.read_text(encoding="utf-8") + "{# a comment #}", encoding="utf-8")
    report = build_site(config(project))
    assert (report.rendered_records, report.written_files) == (24, 0)
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_a_noop_rebuild_writes_nothing_and_leaves_the_site_in_place(project: Path) -> None:
    build_site(config(project))
    before = (project / "site").stat().st_ino
    report = build_site(config(project))
    assert report.written_files == 0
    assert report.files > 0
    assert (project / "site").stat().st_ino == before


def test_a_deleted_record_disappears_from_the_site(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    gone = sorted((project / "records").glob("*.md"))[3]
    gone.unlink()
    build_site(config(project))
    assert not (project / "site" / "records" / gone.stem).exists()
    assert tree(project / "site") == cold_tree(project, tmp_path)


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_corrupt_cache_is_ignored_and_the_build_is_cold(project: Path, tmp_path: Path, damage: bytes | None) -> None:
    build_site(config(project))
    cached = cache_file(config(project))
    data = cached.read_bytes()
    cached.write_bytes(data[: len(data) // 2] if damage is None else damage)
    edit_title(project)  # a rebuild that needs the cache: trusted, it would render this record alone
    report = build_site(config(project))
    assert report.rendered_records == 24
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_a_cache_pickled_in_many_batches_is_read_whole(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "PICKLE_BATCH", 5)  # 24 records: five batches
    build_site(config(project))
    edit_title(project)
    report = build_site(config(project))
    assert report.rendered_records == 1
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_a_cache_whose_batches_end_before_its_records_do_is_ignored(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "PICKLE_BATCH", 5)
    build_site(config(project))
    cached = cache_file(config(project))
    stream = io.BytesIO(cache.unsealed(cache.MAGIC, cached.read_bytes()))
    head, first = pickle.load(stream), pickle.load(stream)
    assert head[3] == 24 and len(first) == 5
    cut = pickle.dumps(head) + pickle.dumps(first)  # sealed anew: only the records' count tells it is short
    cached.write_bytes(cache.sealed(cache.MAGIC, cut))
    edit_title(project)  # a rebuild that needs the cache: trusted, it would render this record alone
    report = build_site(config(project))
    assert report.rendered_records == 24


def test_a_hand_edited_output_file_is_not_trusted(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    page = next((project / "site" / "records").glob("*/index.html"))
    page.write_bytes(b"tampered")
    report = build_site(config(project))
    assert report.rendered_records >= 1
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_reused_files_are_never_written_through_into_the_previous_site(project: Path) -> None:
    build_site(config(project))
    old_page = next((project / "site" / "records").glob("*/index.html"))
    kept = old_page.read_bytes()
    edit_title(project)
    build_site(config(project))
    assert old_page.read_bytes() == kept or "Edited" in old_page.read_text(encoding="utf-8")


def test_a_build_into_another_folder_leaves_this_folders_cache_alone(project: Path, tmp_path: Path) -> None:
    """mkdocs serve builds into a temporary folder: the next make site must still be incremental."""
    build_site(config(project))
    build_site(config(project, site_dir=str(tmp_path / "served")))
    report = build_site(config(project))
    assert (report.rendered_records, report.written_files) == (0, 0)


def listing_pages(site: Path, showing: str = "") -> list[str]:
    """URLs of the tier and verdict listing pages (every page of each), those with a row linking ``showing``."""
    pages = [*site.glob("tiers/*/**/index.html"), *site.glob("verdicts/*/**/index.html")]
    return sorted(f"{p.parent.relative_to(site).as_posix()}/" for p in pages if showing in p.read_text("utf-8"))


def test_a_record_edit_rerenders_only_the_listing_pages_that_show_that_record(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(config(project, page_size=3))
    record = edit_title(project)
    rendered: list[str] = []
    real_page = Renderer.page

    def recording(self: Renderer, template: str, url: str, **context: object) -> Page:
        if template == "listing.html":
            rendered.append(url)
        return real_page(self, template, url, **context)

    monkeypatch.setattr(Renderer, "page", recording)
    build_site(config(project, page_size=3))
    site = project / "site"
    assert sorted(rendered) == listing_pages(site, f"/records/{record.stem}/")
    assert len(rendered) < len(listing_pages(site)) / 4
    assert tree(site) == cold_tree(project, tmp_path, page_size=3)


def test_a_file_sealed_as_it_is_written_is_the_sealed_payload(tmp_path: Path) -> None:
    from site_builder.cache import sealed, unsealed, write_sealed

    payload = bytes(range(256)) * 9000  # more than one read of the digest pass
    write_sealed(tmp_path / "deep" / "sealed.bin", b"magic\n", lambda file: file.write(payload))
    written = (tmp_path / "deep" / "sealed.bin").read_bytes()
    assert written == sealed(b"magic\n", payload) and unsealed(b"magic\n", written) == payload
    assert [p.name for p in (tmp_path / "deep").iterdir()] == ["sealed.bin"]  # no temporary file left
