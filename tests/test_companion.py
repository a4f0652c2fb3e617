"""Companion files (another tool's pages, published beside the registry's): which are published, and their inputs."""

from __future__ import annotations

from pathlib import Path

from site_builder.companion import Companion, companion_pages, read_companion


def companion(files: dict[str, bytes]) -> Companion:
    return Companion(files, b"digest of " + ",".join(sorted(files)).encode())


def test_every_file_below_the_folder_is_read_by_its_site_path(tmp_path: Path) -> None:
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_bytes(b"<p>about</p>")
    (tmp_path / "robots.txt").write_bytes(b"User-agent: *")

    found = read_companion(tmp_path)

    assert found.files == {"about/index.html": b"<p>about</p>", "robots.txt": b"User-agent: *"}


def test_the_digest_changes_with_any_files_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(b"one")
    before = read_companion(tmp_path).digest
    (tmp_path / "a.html").write_bytes(b"two")
    assert read_companion(tmp_path).digest != before


def test_a_file_at_a_taken_path_is_left_out() -> None:
    files = {"about/index.html": b"about", "tiers/index.html": b"not the listing"}

    _, pages = companion_pages(companion(files), lambda path: path == "tiers/index.html")

    assert pages == [("about/index.html", b"about")]


def test_the_inputs_change_when_a_path_stops_being_taken() -> None:
    files = {"about/index.html": b"about", "tiers/index.html": b"docs page"}
    taken, _ = companion_pages(companion(files), lambda path: path == "tiers/index.html")
    free, pages = companion_pages(companion(files), lambda path: False)

    assert taken != free
    assert [path for path, _ in pages] == ["about/index.html", "tiers/index.html"]
