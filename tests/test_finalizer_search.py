"""The search index is rebuilt only when what Pagefind reads changed; otherwise the last bundle is reused."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from generated_project import config, generated_project

from site_builder.build import build_site, render_registry
from site_builder.discovery import search
from site_builder.discovery.background import BackgroundIndex, IndexJob
from site_builder.discovery.filedigests import DigestMemo
from site_builder.discovery.search import STATE_FILE, bundle_key

pytestmark = pytest.mark.usefixtures("fixed_build_date")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 12)


@pytest.fixture
def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The Pagefind command lines run (they still run)."""
    runs: list[list[str]] = []
    real = subprocess.run

    def recording(command: list[str], **options: Any) -> Any:
        runs.append(command)
        return real(command, **options)

    monkeypatch.setattr(search.subprocess, "run", recording)
    return runs


def bundle(site: Path) -> dict[str, tuple[int, bytes]]:
    """The search bundle: file -> (inode, bytes)."""
    root = site / "pagefind"
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.read_bytes()) for p in root.rglob("*") if p.is_file()}


def edit_home_template(root: Path) -> None:
    """A change that rebuilds the site but leaves every record page as it was."""
    template = root / "templates" / "home.html"
    template.write_text(template.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")


def edit_title(root: Path) -> None:
    record = sorted((root / "records").glob("*.md"))[5]
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")


def test_a_rebuild_whose_record_pages_did_not_change_links_the_last_bundle_without_running_pagefind(
    project: Path, pagefind_runs: list[list[str]]
) -> None:
    build_site(config(project))
    before = bundle(project / "site")
    edit_home_template(project)
    pagefind_runs.clear()
    report = build_site(config(project))
    assert report.written_files > 0  # the build did run, and wrote the home page
    assert pagefind_runs == []
    assert bundle(project / "site") == before  # the very same files: hard links of the last bundle


def test_a_changed_record_page_runs_pagefind_again(project: Path, pagefind_runs: list[list[str]]) -> None:
    build_site(config(project))
    before = bundle(project / "site")
    edit_title(project)
    pagefind_runs.clear()
    build_site(config(project))
    assert len(pagefind_runs) == 1
    after = bundle(project / "site")
    assert {inode for inode, _ in after.values()}.isdisjoint(inode for inode, _ in before.values())


def test_a_reused_bundle_is_the_one_pagefind_would_write(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    edit_title(project)
    build_site(config(project))
    edit_home_template(project)
    build_site(config(project))  # reuses the bundle made for the edited record
    build_site(config(project, site_dir=str(tmp_path / "cold"), use_cache=False))
    assert {n: b for n, (_, b) in bundle(project / "site").items()} == {
        n: b for n, (_, b) in bundle(tmp_path / "cold").items()
    }


def test_a_bundle_altered_since_it_was_written_is_not_reused(project: Path, pagefind_runs: list[list[str]]) -> None:
    build_site(config(project))
    entry = project / "site" / "pagefind" / "pagefind-entry.json"
    content = entry.read_bytes()
    entry.unlink()
    entry.write_bytes(content)  # same bytes, but not the file the last build recorded
    edit_home_template(project)
    pagefind_runs.clear()
    build_site(config(project))
    assert len(pagefind_runs) == 1


def test_a_lost_bundle_state_runs_pagefind(project: Path, pagefind_runs: list[list[str]]) -> None:
    build_site(config(project))
    (project / ".cache" / STATE_FILE).write_text("not a state\n", encoding="ascii")
    edit_home_template(project)
    pagefind_runs.clear()
    build_site(config(project))
    assert len(pagefind_runs) == 1


def test_without_the_cache_pagefind_always_runs_and_nothing_is_remembered(
    project: Path, pagefind_runs: list[list[str]]
) -> None:
    build_site(config(project, use_cache=False))
    edit_home_template(project)
    build_site(config(project, use_cache=False))
    assert len(pagefind_runs) == 2
    assert not (project / ".cache" / STATE_FILE).exists()


def test_an_in_place_rebuild_with_unchanged_record_pages_leaves_the_bundle_alone(
    project: Path, pagefind_runs: list[list[str]]
) -> None:
    site = config(project).site_dir
    render_registry(config(project), site)
    before = bundle(site)
    edit_home_template(project)
    pagefind_runs.clear()
    render_registry(config(project), site)
    assert pagefind_runs == []
    assert bundle(site) == before


def test_an_in_place_rebuild_with_a_changed_record_page_replaces_the_whole_bundle(
    project: Path, pagefind_runs: list[list[str]]
) -> None:
    site = config(project).site_dir
    render_registry(config(project), site)
    stale = site / "pagefind" / "fragment" / "stale.pf_fragment"
    stale.write_bytes(b"left over")
    edit_title(project)
    render_registry(config(project), site)
    assert not stale.exists()


def key_for(site: Path, executable: Path, tmp_path: Path) -> str:
    return bundle_key(executable, site, DigestMemo(tmp_path / "memo", {}))


def test_the_bundle_key_follows_the_pagefind_binary_its_settings_and_the_record_pages(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(config(project))
    site = project / "site"
    binary = tmp_path / "pagefind"
    binary.write_bytes(b"pagefind 1")
    first = key_for(site, binary, tmp_path)
    assert key_for(site, binary, tmp_path) == first
    binary.write_bytes(b"pagefind 2")
    assert key_for(site, binary, tmp_path) != first
    binary.write_bytes(b"pagefind 1")
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "h1")
    assert key_for(site, binary, tmp_path) != first
    monkeypatch.delenv("PAGEFIND_EXCLUDE_SELECTORS")
    page = next((site / "records").glob("*/index.html"))
    content = page.read_bytes()
    page.unlink()
    page.write_bytes(content.replace(b"<h1", b"<h1 class=x", 1))
    assert key_for(site, binary, tmp_path) != first
    shutil.rmtree(page.parent)
    assert key_for(site, binary, tmp_path) != first


def test_a_background_run_that_fails_keeps_the_previous_bundle_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bundle = tmp_path / "pagefind"
    bundle.mkdir()
    (bundle / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    staging = tmp_path / ".pagefind-next"
    done: list[bool] = []
    index = BackgroundIndex()
    command = [sys.executable, "-c", "import sys; sys.exit('Error: no pages')"]
    index.submit(IndexJob(command, staging, bundle, lambda: done.append(True)))
    assert index.wait(30)
    assert (bundle / "pagefind-entry.json").read_text(encoding="utf-8") == "{}"
    assert not staging.exists() and done == []
    assert "Pagefind failed" in caplog.text and "no pages" in caplog.text
