"""The spare tree: the site a build replaces becomes the next build's staging tree, trusted for nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from generated_project import cold_tree, config, generated_project, tree

from site_builder.build import build_site, spare_tree
from site_builder.discovery import searchshards

pytestmark = pytest.mark.usefixtures("fixed_build_date")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 12)


def records(root: Path) -> list[Path]:
    return sorted((root / "records").glob("*.md"))


def edit_title(record: Path, word: str) -> None:
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\ntitle: ", f"\ntitle: {word} ", 1), encoding="utf-8")


def spare_after_two_sharded_builds(project: Path) -> Path:
    """The spare tree after a build and an edit's rebuild, the search index in shards of four records."""
    build_site(config(project, search_shard_records=4))
    edit_title(records(project)[2], "Edited")
    build_site(config(project, search_shard_records=4))
    return spare_tree(config(project))


def rebuilt_after_an_edit(project: Path) -> dict[str, bytes]:
    """The site after another edit's rebuild (staged in the spare tree), every file's bytes."""
    edit_title(records(project)[3], "Third")
    build_site(config(project, search_shard_records=4))
    return tree(project / "site")


def test_the_replaced_site_is_kept_as_the_spare_tree(project: Path) -> None:
    build_site(config(project))
    before = tree(project / "site")
    edit_title(records(project)[2], "Edited")
    build_site(config(project))
    assert tree(spare_tree(config(project))) == before


def test_builds_from_a_spare_tree_publish_what_a_cold_build_does(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    edit_title(records(project)[2], "Edited")
    build_site(config(project))  # the first site becomes the spare
    records(project)[4].unlink()
    (project / "records" / "zz-added.md").write_text(
        records(project)[0].read_text(encoding="utf-8").replace(records(project)[0].stem, "zz-added"),
        encoding="utf-8",
    )
    edit_title(records(project)[6], "Again")
    report = build_site(config(project))  # staged in the two-builds-old spare
    assert "prune" in [stage.name for stage in report.stages]
    assert tree(project / "site") == cold_tree(project, tmp_path)


def test_nothing_in_a_spare_tree_is_published_unless_it_is_the_very_file(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    edit_title(records(project)[2], "Edited")
    build_site(config(project))
    spare = spare_tree(config(project))
    outside = tmp_path / "outside"
    outside.mkdir()
    page = next(spare.glob("records/*/index.html"))
    page.unlink()
    page.write_text("planted: same path, another file")
    (spare / "stray.html").write_text("never published")
    record_dir = sorted(spare.glob("records/*/"))[5]
    moved = tmp_path / "moved"
    record_dir.rename(moved)
    record_dir.symlink_to(outside, target_is_directory=True)  # a link where a folder should be
    (spare / "tiers").rename(tmp_path / "tiers-moved")
    (spare / "tiers").write_text("a file where a folder should be")
    edit_title(records(project)[3], "Third")
    build_site(config(project))
    assert tree(project / "site") == cold_tree(project, tmp_path)
    assert list(outside.iterdir()) == []


def test_a_build_without_the_cache_keeps_no_spare_tree(project: Path) -> None:
    build_site(config(project, use_cache=False))
    build_site(config(project, use_cache=False))
    assert not spare_tree(config(project)).exists()


def test_a_spare_trees_search_index_is_published_only_where_it_is_the_very_bundle(
    project: Path, tmp_path: Path
) -> None:
    spare = spare_after_two_sharded_builds(project)
    outside = tmp_path / "outside"
    outside.mkdir()
    first, second, *_ = sorted((spare / "pagefind" / "shards").iterdir())
    (next(first.glob("fragment/*")).parent / "planted.pf_fragment").write_bytes(b"never published")
    replaced = next(second.glob("index/*"))
    content = replaced.read_bytes()
    replaced.unlink()
    replaced.write_bytes(content)  # the same bytes, another file: not the one the build remembers
    (spare / "pagefind" / "stray.js").write_text("never published")
    (spare / "pagefind" / "linked").symlink_to(outside, target_is_directory=True)
    assert rebuilt_after_an_edit(project) == cold_tree(project, tmp_path, search_shard_records=4)
    assert list(outside.iterdir()) == []


def test_an_unchanged_search_shard_in_a_spare_tree_is_left_as_it_is(project: Path) -> None:
    build_site(config(project, search_shard_records=4))
    edit_title(records(project)[2], "Edited")
    build_site(config(project, search_shard_records=4))
    edit_title(records(project)[2], "Again")
    build_site(config(project, search_shard_records=4))  # staged in the first site: its shards are as they were
    shards = project / "site" / "pagefind" / "shards"
    before = {p: p.stat().st_ctime_ns for p in shards.rglob("*") if p.is_file()}
    edit_title(records(project)[2], "Third")
    build_site(config(project, search_shard_records=4))  # one shard changed; the others are not even linked
    after = {p: p.stat().st_ctime_ns for p in shards.rglob("*") if p.is_file()}
    untouched = {p for p in before if after.get(p) == before[p]}
    assert len(untouched) > len(before) // 2


def test_a_link_in_a_spare_trees_search_folders_is_never_written_through(project: Path, tmp_path: Path) -> None:
    spare = spare_after_two_sharded_builds(project)
    outside = tmp_path / "outside"
    for shard in sorted((spare / "pagefind" / "shards").iterdir()):
        shard.rename(tmp_path / f"moved-{shard.name}")
        (outside / shard.name).mkdir(parents=True)
        shard.symlink_to(outside / shard.name, target_is_directory=True)  # where the early search runs write
    (spare / ".pagefind-next").symlink_to(outside, target_is_directory=True)
    assert rebuilt_after_an_edit(project) == cold_tree(project, tmp_path, search_shard_records=4)
    assert [list(folder.iterdir()) for folder in outside.iterdir() if folder.is_dir()] == [
        [] for folder in outside.iterdir() if folder.is_dir()
    ]


def test_a_link_or_file_where_a_spare_tree_has_its_search_folders_is_removed_not_followed(
    project: Path, tmp_path: Path
) -> None:
    spare = spare_after_two_sharded_builds(project)
    outside = tmp_path / "outside"
    (spare / "pagefind").rename(outside)  # a whole index, where a link would lead the search index's writes
    (spare / "pagefind").symlink_to(outside, target_is_directory=True)
    (spare / ".pagefind-next").write_text("not a folder", encoding="utf-8")
    before = tree(outside)
    assert rebuilt_after_an_edit(project) == cold_tree(project, tmp_path, search_shard_records=4)
    assert tree(outside) == before


def test_a_link_below_a_spare_trees_search_work_folder_is_never_followed_without_a_memory_file_system(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(searchshards, "MEMORY", tmp_path / "no-memory-file-system")  # pages go below the work folder
    spare = spare_after_two_sharded_builds(project)
    outside = tmp_path / "outside"
    (outside / "site").mkdir(parents=True)
    (outside / "site" / "precious.txt").write_text("kept", encoding="utf-8")
    work = spare / ".pagefind-next"
    work.mkdir()
    for shard in sorted((spare / "pagefind" / "shards").iterdir()):
        (work / shard.name).symlink_to(outside, target_is_directory=True)
    assert rebuilt_after_an_edit(project) == cold_tree(project, tmp_path, search_shard_records=4)
    assert (outside / "site" / "precious.txt").read_text(encoding="utf-8") == "kept"
