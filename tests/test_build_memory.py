"""A serve session's memory: rebuilds of its own folder keep the build cache in memory, and publish the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from generated_project import config, generated_project, tree

from site_builder import engine
from site_builder.build import render_registry
from site_builder.buildstate import BuildMemory
from site_builder.cache import cache_folder

pytestmark = pytest.mark.usefixtures("fixed_build_date")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 12)


def edit_title(root: Path, index: int = 5) -> None:
    record = sorted((root / "records").glob("*.md"))[index]
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")


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
    fresh = tmp_path / "fresh"
    render_registry(config(project, site_dir=str(fresh), use_cache=False), fresh)
    assert tree(project / "served") == tree(fresh)


def test_a_rebuild_with_memory_neither_reads_nor_writes_the_cache_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = BuildMemory()
    serve_rebuild(project, memory)

    def no_loading(*args: object) -> None:
        raise AssertionError("the cache was loaded from the cache folder")

    monkeypatch.setattr(engine, "load_cache", no_loading)
    edit_title(project)
    assert serve_rebuild(project, memory) == 1
    assert not list(cache_folder(config(project)).rglob("build-*"))


def test_memory_from_another_configuration_is_not_used(project: Path) -> None:
    memory = BuildMemory()
    serve_rebuild(project, memory)
    served = project / "served"
    other = render_registry(config(project, site_dir=str(served), page_size=3), served, memory=memory)
    assert other.rendered_records == 12
