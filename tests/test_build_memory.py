"""A serve session's memory: rebuilds of its own folder keep the build cache in memory, and publish the same."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from generated_project import config, edit_template, generated_project, tree

from site_builder import engine
from site_builder.build import render_registry
from site_builder.buildstate import BuildMemory
from site_builder.cache import cache_folder
from site_builder.discovery import dates
from site_builder.discovery import manifest as manifest_module

pytestmark = pytest.mark.usefixtures("fixed_build_date")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 12)


def edit_title(root: Path, index: int = 5) -> None:
    record = sorted((root / "records").glob("*.md"))[index]
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")


def cold_tree(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a first build of the same files, without memory or cache, publishes."""
    fresh = tmp_path / "fresh"
    render_registry(config(root, site_dir=str(fresh), use_cache=False), fresh)
    return tree(fresh)


def forbid(monkeypatch: pytest.MonkeyPatch, module: object, name: str, why: str) -> None:
    """Make calling ``module.name`` fail the test, saying ``why``."""

    def forbidden(*args: object) -> None:
        raise AssertionError(why)

    monkeypatch.setattr(module, name, forbidden)


def serve_rebuild(root: Path, memory: BuildMemory) -> int:
    """What the plugin does on each save: render the registry in place into the served folder; records rendered."""
    served = root / "served"
    return render_registry(config(root, site_dir=str(served)), served, memory=memory).rendered_records


def test_rebuilds_with_memory_publish_what_a_first_build_of_the_same_files_does(project: Path, tmp_path: Path) -> None:
    memory = BuildMemory()
    serve_rebuild(project, memory)
    edit_title(project, 5)
    assert serve_rebuild(project, memory) == 1
    edit_title(project, 7)
    assert serve_rebuild(project, memory) == 1
    assert tree(project / "served") == cold_tree(project, tmp_path)


def test_a_rebuild_with_memory_neither_reads_nor_writes_the_cache_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = BuildMemory()
    serve_rebuild(project, memory)
    forbid(monkeypatch, engine, "load_cache", "the cache was loaded from the cache folder")
    edit_title(project)
    assert serve_rebuild(project, memory) == 1
    assert not list(cache_folder(config(project)).rglob("build-*"))


def test_memory_from_another_configuration_is_not_used(project: Path) -> None:
    memory = BuildMemory()
    serve_rebuild(project, memory)
    served = project / "served"
    other = render_registry(config(project, site_dir=str(served), page_size=3), served, memory=memory)
    assert other.rendered_records == 12


def test_a_rebuild_with_memory_removes_the_outputs_of_a_record_that_is_gone(project: Path, tmp_path: Path) -> None:
    memory = BuildMemory()
    serve_rebuild(project, memory)
    gone = sorted((project / "records").glob("*.md"))[3]
    gone.unlink()
    serve_rebuild(project, memory)
    assert not (project / "served" / "records" / gone.stem).exists()
    assert tree(project / "served") == cold_tree(project, tmp_path)


def test_a_template_edit_with_memory_renders_every_record_and_removes_a_gone_ones_outputs(
    project: Path, tmp_path: Path
) -> None:
    memory = BuildMemory()
    serve_rebuild(project, memory)
    edit_template(project, "record.html")
    gone = sorted((project / "records").glob("*.md"))[3]
    gone.unlink()
    assert serve_rebuild(project, memory) == 11
    assert not (project / "served" / "records" / gone.stem).exists()
    assert tree(project / "served") == cold_tree(project, tmp_path)


def test_a_rebuild_with_memory_takes_the_dates_from_the_manifest_the_last_one_wrote(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = BuildMemory()
    serve_rebuild(project, memory)
    forbid(monkeypatch, dates, "read_manifest", "the manifest this session wrote was parsed again")
    edit_title(project)
    assert serve_rebuild(project, memory) == 1


def test_a_manifest_changed_since_the_last_rebuild_wrote_it_is_read_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = BuildMemory()
    serve_rebuild(project, memory)
    manifest = project / "served" / "manifest.json"
    written = manifest.stat().st_mtime_ns
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("2026-06-10", "2025-06-10"), encoding="utf-8")
    os.utime(manifest, ns=(written + 10**9, written + 10**9))  # not within the clock tick of the write
    read: list[Path] = []
    monkeypatch.setattr(dates, "read_manifest", lambda path: read.append(path) or manifest_module.read_manifest(path))
    edit_title(project)
    serve_rebuild(project, memory)
    assert read == [manifest]
    assert '"first_published": "2025-06-10"' in manifest.read_text(encoding="utf-8")


def test_a_written_manifest_is_known_by_its_file_whatever_path_reaches_it_and_not_by_its_bytes(
    tmp_path: Path,
) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text("{}", encoding="utf-8")
    entries = {"/": manifest_module.Entry("0" * 64, date(2026, 6, 10), date(2026, 6, 10))}
    written = dates.WrittenManifest.of(manifest.stat(), entries)
    (tmp_path / "through").symlink_to(tmp_path)
    assert written.holds(tmp_path / "through" / "manifest.json") is entries
    copy = tmp_path / "copy.json"
    shutil.copy2(manifest, copy)
    assert written.holds(copy) is None
    assert written.holds(tmp_path / "missing.json") is None
