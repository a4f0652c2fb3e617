"""Two builds of the same input publish byte-identical trees, the search index included.

(Pagefind alone writes its filter indexes in hash-map order, upstream
Pagefind/pagefind#638; ``site_builder.discovery.pagefind_order`` makes them
reproducible, and this test holds it to that.)
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from sitecheck import REPO, build_site, project_copy


def tree(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def differences(left: Path, right: Path) -> list[str]:
    """Files in one tree only, or with other bytes."""
    a, b = tree(left), tree(right)
    changed = [n for n in a.keys() & b.keys() if not filecmp.cmp(a[n], b[n], shallow=False)]
    return sorted(set(a) ^ set(b) | set(changed))


@pytest.fixture
def same_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1781049600")


@pytest.mark.usefixtures("same_day")
def test_two_cold_builds_of_the_same_records_are_byte_identical(tmp_path: Path) -> None:
    config = project_copy(tmp_path, REPO / "records")
    build_site(REPO / "records", tmp_path / "one" / "site", config=config, no_cache=True)
    build_site(REPO / "records", tmp_path / "two" / "site", config=config, no_cache=True)
    assert differences(tmp_path / "one" / "site", tmp_path / "two" / "site") == []


@pytest.mark.usefixtures("same_day")
def test_a_rebuild_in_place_is_byte_identical_to_the_first_build(tmp_path: Path) -> None:
    config = project_copy(tmp_path, REPO / "records")
    site = tmp_path / "site"
    build_site(REPO / "records", site, config=config)
    first = tmp_path / "first"
    first.mkdir()
    for name, path in tree(site).items():
        (first / name).parent.mkdir(parents=True, exist_ok=True)
        (first / name).write_bytes(path.read_bytes())
    build_site(REPO / "records", site, config=config)
    assert differences(first, site) == []
