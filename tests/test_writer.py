"""The writer: every output a new file (never one written in place), the same content shared by a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder import writer
from site_builder.writer import SiteWriter


def test_the_same_content_written_twice_is_one_file_under_two_names(tmp_path: Path) -> None:
    site = SiteWriter(tmp_path)
    first = site.write("records/a/badge.svg", b"<svg>passed</svg>")
    second = site.write("records/b/badge.svg", b"<svg>passed</svg>")
    assert first[3] == second[3] == (tmp_path / "records/b/badge.svg").stat().st_ino
    assert (tmp_path / "records/b/badge.svg").read_bytes() == b"<svg>passed</svg>"
    assert site.files_written == 2


def test_different_content_is_written_as_files_of_their_own(tmp_path: Path) -> None:
    site = SiteWriter(tmp_path)
    first = site.write("records/a/badge.svg", b"<svg>passed</svg>")
    second = site.write("records/b/badge.svg", b"<svg>failed</svg>")
    assert first[3] != second[3]
    assert (tmp_path / "records/b/badge.svg").read_bytes() == b"<svg>failed</svg>"


def test_writing_one_name_of_a_shared_file_again_leaves_the_others_as_they_were(tmp_path: Path) -> None:
    SiteWriter(tmp_path).write("records/a/badge.svg", b"<svg>passed</svg>")
    SiteWriter(tmp_path).write("records/b/badge.svg", b"<svg>passed</svg>")
    SiteWriter(tmp_path, tmp_path).write("records/a/badge.svg", b"<svg>failed</svg>")  # a rebuild in place
    assert (tmp_path / "records/a/badge.svg").read_bytes() == b"<svg>failed</svg>"
    assert (tmp_path / "records/b/badge.svg").read_bytes() == b"<svg>passed</svg>"


def test_a_shared_files_name_taken_by_an_older_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "records/b").mkdir(parents=True)
    (tmp_path / "records/b/badge.svg").write_bytes(b"older")
    site = SiteWriter(tmp_path)
    site.write("records/a/badge.svg", b"<svg>passed</svg>")
    state = site.write("records/b/badge.svg", b"<svg>passed</svg>")
    assert (tmp_path / "records/b/badge.svg").read_bytes() == b"<svg>passed</svg>"
    assert state[3] == (tmp_path / "records/a/badge.svg").stat().st_ino


def test_where_a_link_cannot_be_made_the_content_is_written_as_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(source: str, target: str) -> None:
        raise OSError(31, "Too many links")

    site = SiteWriter(tmp_path)
    site.write("records/a/badge.svg", b"<svg>passed</svg>")
    monkeypatch.setattr(writer.os, "link", refused)
    state = site.write("records/b/badge.svg", b"<svg>passed</svg>")
    assert state[3] != (tmp_path / "records/a/badge.svg").stat().st_ino
    assert (tmp_path / "records/b/badge.svg").read_bytes() == b"<svg>passed</svg>"


def test_content_written_long_ago_is_written_again_not_linked(tmp_path: Path) -> None:
    site = SiteWriter(tmp_path)
    first = site.write("old/badge.svg", b"shared")
    for number in range(writer.TWINS):
        site.write(f"other/{number}.txt", str(number).encode())
    assert site.write("new/badge.svg", b"shared")[3] != first[3]


def test_content_used_again_stays_remembered(tmp_path: Path) -> None:
    site = SiteWriter(tmp_path)
    first = site.write("0/badge.svg", b"shared")
    for number in range(2 * writer.TWINS):
        site.write(f"other/{number}.txt", str(number).encode())
        if number % 10 == 0:
            site.write(f"{number}/badge.svg", b"shared")
    assert site.write("last/badge.svg", b"shared")[3] == first[3]
    assert os.stat(tmp_path / "last/badge.svg").st_nlink > 2


def test_a_name_written_again_is_no_longer_linked_to_for_its_old_content(tmp_path: Path) -> None:
    site = SiteWriter(tmp_path)
    site.write("records/a/record.json", b"attached data")  # an artifact, then the generated file by that name
    site.write("records/a/record.json", b"generated record")
    site.write("records/b/data.json", b"attached data")
    assert (tmp_path / "records/b/data.json").read_bytes() == b"attached data"
    assert (tmp_path / "records/a/record.json").read_bytes() == b"generated record"


def test_a_removed_name_is_no_longer_linked_to(tmp_path: Path) -> None:
    site = SiteWriter(tmp_path, tmp_path)
    site.write("a/badge.json", b"shared")
    site.remove("a/badge.json")
    site.write("a/other.txt", b"something else")
    site.write("b/badge.json", b"shared")
    assert (tmp_path / "b/badge.json").read_bytes() == b"shared"
    assert (tmp_path / "b/badge.json").stat().st_nlink == 1


def test_removing_a_folders_last_output_removes_the_emptied_folders_and_keeps_the_rest(tmp_path: Path) -> None:
    site = SiteWriter(tmp_path, tmp_path)
    site.write("records/a/index.html", b"a")
    site.write("records/b/index.html", b"b")
    site.write("records/b/record.json", b"b")
    site.remove("records/a/index.html")
    site.remove("records/b/index.html")
    assert not (tmp_path / "records/a").exists()
    assert (tmp_path / "records/b/record.json").is_file()
    site.remove("records/b/record.json")
    assert not (tmp_path / "records").exists() and tmp_path.is_dir()
    site.write("records/a/index.html", b"again")
    assert (tmp_path / "records/a/index.html").read_bytes() == b"again"


def recorded(root: Path, *names: str) -> dict[str, tuple[bytes, int, int, int]]:
    """The states a build recorded for files ``names`` below ``root``, as they are now."""
    found = {name: os.stat(root / name) for name in names}
    return {name: (b"", s.st_size, s.st_mtime_ns, s.st_ino) for name, s in found.items()}


def refreshed_pair(tmp_path: Path) -> tuple[Path, Path]:
    """A published site and a spare tree made of its files (each linked), as a rebuild finds them."""
    site, spare = tmp_path / "site", tmp_path / "spare"
    for name in ("a/index.html", "a/record.json", "b/index.html"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(name)
        (spare / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(site / name, spare / name)
    return site, spare


def test_in_a_refreshed_tree_groups_of_the_very_files_recorded_are_already_in_place(tmp_path: Path) -> None:
    site, spare = refreshed_pair(tmp_path)
    groups = [recorded(spare, "a/index.html", "a/record.json"), recorded(spare, "b/index.html")]
    assert SiteWriter(spare, site, refresh=True).already_in_place(groups) == [True, True]


def test_a_group_with_one_file_changed_since_it_was_recorded_is_not_already_in_place(tmp_path: Path) -> None:
    site, spare = refreshed_pair(tmp_path)
    groups = [recorded(spare, "a/index.html", "a/record.json"), recorded(spare, "b/index.html")]
    (spare / "a" / "record.json").unlink()
    (spare / "a" / "record.json").write_text("a/record.json")  # the same bytes, another file
    assert SiteWriter(spare, site, refresh=True).already_in_place(groups) == [False, True]


def test_outside_a_refreshed_tree_no_group_counts_as_already_in_place(tmp_path: Path) -> None:
    site, spare = refreshed_pair(tmp_path)
    groups = [recorded(spare, "b/index.html")]
    assert SiteWriter(spare, site).already_in_place(groups) == [False]


def test_a_record_folder_linked_in_a_spare_tree_is_not_already_in_place(tmp_path: Path) -> None:
    site, spare = tmp_path / "site", tmp_path / "spare"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("a")
    spare.mkdir()
    (spare / "a").symlink_to(site / "a", target_is_directory=True)  # the live site's own files, through a link
    group = recorded(site, "a/index.html")
    assert SiteWriter(spare, site, refresh=True).already_in_place([group]) == [False]


def test_reusing_a_file_below_a_linked_folder_of_a_spare_tree_links_a_file_of_its_own(tmp_path: Path) -> None:
    site, spare = tmp_path / "site", tmp_path / "spare"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("a")
    spare.mkdir()
    (spare / "a").symlink_to(site / "a", target_is_directory=True)
    state = recorded(site, "a/index.html")["a/index.html"]
    assert SiteWriter(spare, site, refresh=True).reuse("a/index.html", state) == state
    assert not (spare / "a").is_symlink() and (spare / "a" / "index.html").read_text() == "a"
    assert (site / "a" / "index.html").read_text() == "a"
