"""Companion files (another tool's pages, published beside the registry's): which are published, and their inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.companion import Companion, companion_pages, read_companion, taken_by


def companion(folder: Path, files: dict[str, bytes]) -> Companion:
    for relative, data in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    return read_companion(folder)


def test_every_file_below_the_folder_is_read_by_its_site_path(tmp_path: Path) -> None:
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_bytes(b"<p>about</p>")
    (tmp_path / "robots.txt").write_bytes(b"User-agent: *")

    found = read_companion(tmp_path)

    assert found.files == {"about/index.html": tmp_path / "about" / "index.html", "robots.txt": tmp_path / "robots.txt"}


def test_the_digest_changes_with_any_files_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(b"one")
    before = read_companion(tmp_path).digest
    (tmp_path / "a.html").write_bytes(b"two")
    assert read_companion(tmp_path).digest != before


def test_a_file_at_a_taken_path_is_left_out(tmp_path: Path) -> None:
    files = {"about/index.html": b"about", "tiers/index.html": b"not the listing"}

    _, pages = companion_pages(companion(tmp_path, files), lambda path: path == "tiers/index.html")

    assert list(pages) == [("about/index.html", b"about")]


def test_the_inputs_change_when_a_path_stops_being_taken(tmp_path: Path) -> None:
    files = companion(tmp_path, {"about/index.html": b"about", "tiers/index.html": b"docs page"})
    taken, _ = companion_pages(files, lambda path: path == "tiers/index.html")
    free, pages = companion_pages(files, lambda path: False)

    assert taken != free
    assert [path for path, _ in pages] == ["about/index.html", "tiers/index.html"]


REGISTRY = {"index.html", "tiers/index.html", "tiers/watchlist/index.html", "records/a1/index.html", "robots.txt"}
FOLDERS = {"", "tiers/", "tiers/watchlist/", "records/a1/"}


def owned(path: str) -> bool:
    return path.startswith("pagefind/") or path == "manifest.json"


@pytest.mark.parametrize(
    "path",
    [
        "tiers/index.html",  # a registry file
        "tiers",  # a registry folder
        "records",  # a folder above the registry's folders only
        "robots.txt/index.html",  # below a registry file
        "manifest.json",  # a finalizer's file
        "manifest.json/x.html",  # below it
        "pagefind",  # a finalizer's folder
        "pagefind/ui.js",
    ],
)
def test_a_path_the_registry_or_a_finalizer_needs_is_taken(path: str) -> None:
    assert taken_by(REGISTRY, FOLDERS, owned)(path)


@pytest.mark.parametrize("path", ["about/index.html", "tier", "tiers-old/index.html", "records.html", "robots"])
def test_a_path_beside_them_is_free(path: str) -> None:
    assert not taken_by(REGISTRY, FOLDERS, owned)(path)
