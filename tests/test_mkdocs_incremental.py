"""`site-builder build` (and `mkdocs build`) rebuild incrementally: MkDocs' docs pages are published
beside the registry as the core's companion files (site_builder.companion), so a rebuild redoes only
what changed, and one where nothing changed writes nothing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sitecheck import REPO, project_copy, run_cli, tree_digests
from test_mkdocs_build import different_files

from site_builder import build as build_module
from site_builder import forked
from site_builder.buildcmd import build
from site_builder.report import BuildReport

EPOCH = "1781049600"  # one build date for every build here


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with docs, records and templates of its own (copies of the repository's) to edit; its mkdocs.yml."""
    for folder in ("docs", "records", "templates"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    config = project_copy(tmp_path, tmp_path / "records")
    text = config.read_text(encoding="utf-8")
    for folder in ("docs", "templates"):
        text = text.replace(str(REPO / folder), str(tmp_path / folder))
    config.write_text(text, encoding="utf-8")
    return config


def site_of(config: Path) -> Path:
    return config.parent / "site"


def rebuild(config: Path, **options: object) -> BuildReport:
    return build(config, site_dir=site_of(config), **options)  # type: ignore[arg-type]


def identities(site: Path) -> dict[str, tuple[int, int]]:
    """Each file of ``site`` (site-relative) -> its inode and modification time."""
    found = {}
    for path in site.rglob("*"):
        if path.is_file():
            status = path.stat()
            found[path.relative_to(site).as_posix()] = (status.st_ino, status.st_mtime_ns)
    return found


def test_a_rebuild_with_nothing_changed_writes_nothing_and_touches_no_file(project: Path) -> None:
    rebuild(project)
    before = identities(site_of(project))

    report = rebuild(project)

    assert (report.written_files, report.rendered_records) == (0, 0)
    assert identities(site_of(project)) == before


def test_a_noop_rebuild_reports_what_the_build_before_it_published(project: Path) -> None:
    first = rebuild(project)
    again = rebuild(project)
    assert (again.records, again.files, again.bytes) == (first.records, first.files, first.bytes)


def test_a_docs_page_edit_publishes_that_page_and_renders_no_record(project: Path) -> None:
    rebuild(project)
    about = project.parent / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA sentence added by a maintainer.\n", encoding="utf-8")

    report = rebuild(project)

    assert report.rendered_records == 0
    assert report.written_files == 1
    assert "A sentence added by a maintainer." in (site_of(project) / "about" / "index.html").read_text("utf-8")


def test_a_docs_page_removed_from_docs_is_removed_from_the_site(project: Path) -> None:
    extra = project.parent / "docs" / "extra.md"
    extra.write_text("# Extra\n\nFor a while.\n", encoding="utf-8")
    rebuild(project)
    assert (site_of(project) / "extra" / "index.html").is_file()

    extra.unlink()
    rebuild(project)

    assert not (site_of(project) / "extra").exists()


def test_a_docs_page_at_a_registry_path_gives_way_to_the_registry_output(project: Path) -> None:
    tiers = project.parent / "docs" / "tiers.md"
    tiers.write_text("# Not the tiers listing\n", encoding="utf-8")

    rebuild(project)

    assert "Not the tiers listing" not in (site_of(project) / "tiers" / "index.html").read_text("utf-8")
    assert rebuild(project).written_files == 0


def test_mkdocs_own_sitemap_is_never_published_beside_the_registrys(project: Path) -> None:
    rebuild(project)
    rebuild(project)
    site = site_of(project)
    assert not (site / "sitemap.xml.gz").exists()
    assert "/records/" in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_the_folder_mkdocs_writes_into_is_gone_after_the_build(project: Path) -> None:
    rebuild(project)
    assert sorted(p.name for p in project.parent.glob(".site-*")) == []


def test_an_incremental_site_is_the_cold_build_of_the_same_sources(project: Path, tmp_path: Path) -> None:
    rebuild(project)
    about = project.parent / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nEdited once.\n", encoding="utf-8")
    rebuild(project)
    (project.parent / "docs" / "extra.md").write_text("# Extra\n", encoding="utf-8")
    rebuild(project)
    os.utime(about)  # touched, not changed
    rebuild(project)

    cold = tmp_path / "cold"
    build(project, site_dir=cold, no_cache=True)

    assert different_files(site_of(project), cold) == []


def touch_a_record(root: Path) -> None:
    """Same bytes, a new identity (a checkout, a `touch`), not within the last scan's clock tick."""
    record = sorted((root / "records").glob("*.md"))[0]
    status = record.stat()
    os.utime(record, ns=(status.st_atime_ns, status.st_mtime_ns - 10**9))


def add_an_unused_template(root: Path) -> None:
    """A template no output uses: the environment key changes, no output does."""
    (root / "templates" / "notes" / "unused.html").write_text("<p>not used</p>\n", encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(touch_a_record, id="a record file touched"),
        pytest.param(add_an_unused_template, id="an unused template added"),
    ],
)
def test_a_rebuild_that_changes_nothing_after_the_fast_check_failed_is_still_a_noop(
    project: Path, change: Callable[[Path], None]
) -> None:
    """The build's second no-op check (Engine.unchanged, once the quick one has not held) holds with docs pages."""
    rebuild(project)
    site = site_of(project)
    before, folder = identities(site), site.stat().st_ino
    change(project.parent)

    report = rebuild(project)

    assert [stage.name for stage in report.stages] == ["scan"]  # Engine.unchanged_report: nothing rendered
    assert identities(site) == before  # manifest.json and sitemap.xml were written again
    assert site.stat().st_ino == folder  # no staging tree swapped in


def test_a_docs_file_named_like_a_registry_folder_gives_way_to_the_registry(project: Path) -> None:
    """A docs file at `tiers` (a plain file) where the registry publishes `tiers/index.html` and more."""
    (project.parent / "docs" / "tiers").write_text("a plain file\n", encoding="utf-8")

    rebuild(project)

    site = site_of(project)
    assert (site / "tiers" / "index.html").is_file()
    assert (site / "tiers" / "watchlist" / "index.html").is_file()
    assert rebuild(project).written_files == 0


def test_a_docs_file_below_a_folder_named_like_a_sitemap_part_is_published(project: Path) -> None:
    """The sitemap files a finalizer writes are at the top of the site: `sitemap-*.xml` is no folder's."""
    folder = project.parent / "docs" / "sitemap-archive"
    folder.mkdir()
    (folder / "2025.xml").write_text("<archive/>\n", encoding="utf-8")

    rebuild(project)

    assert (site_of(project) / "sitemap-archive" / "2025.xml").is_file()


def test_properdocs_strict_warning_keeps_the_old_site(project: Path) -> None:
    """ProperDocs logs its warnings on its own logger ("properdocs"), where the plugin counts them too."""
    site = site_of(project)
    environment = {"SOURCE_DATE_EPOCH": EPOCH}
    first = run_cli("properdocs", "build", "--config-file", project, "--site-dir", site, env=environment)
    assert first.returncode == 0, first.stderr
    before = tree_digests(site)
    about = project.parent / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[A broken link](nowhere.md)\n", encoding="utf-8")

    failed = run_cli("properdocs", "build", "--config-file", project, "--site-dir", site, env=environment)

    assert failed.returncode != 0, "ProperDocs aborts a strict build with a warning"
    assert tree_digests(site) == before


def test_a_strict_build_with_a_docs_warning_still_tells_of_bad_records(project: Path) -> None:
    site = site_of(project)
    rebuild(project)
    before = tree_digests(site)
    about = project.parent / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[A broken link](nowhere.md)\n", encoding="utf-8")
    record = sorted((project.parent / "records").glob("*.md"))[0]
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("name: DOI grade", "name: Gold").replace("name: Watchlist", "name: Gold"), "utf-8")

    failed = run_cli("site-builder", "build", "--config", project, "--site-dir", site, cwd=project.parent)

    assert failed.returncode == 1
    assert "nowhere.md" in failed.stderr  # MkDocs' warning
    assert record.name in failed.stderr and "Gold" in failed.stderr  # and the record's problem
    assert "Traceback" not in failed.stderr
    assert tree_digests(site) == before


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> list[forked.Started | None]:
    """As in `make site`: the registry's no-op check forks beside MkDocs (the test runner may have threads).

    The checks started, as they are started.
    """
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    started: list[forked.Started | None] = []
    start = build_module.start

    def noted(check: forked.Check) -> forked.Started | None:
        started.append(start(check))
        return started[-1]

    monkeypatch.setattr(build_module, "start", noted)
    return started


def test_with_the_registry_checked_beside_the_docs_pages_a_noop_is_still_a_noop(
    project: Path, forking: list[forked.Started | None]
) -> None:
    rebuild(project)
    before = identities(site_of(project))

    report = rebuild(project)

    assert [stage.name for stage in report.stages] == ["unchanged"]
    assert identities(site_of(project)) == before
    (started,) = forking  # the first build had no state to check
    assert started is not None and started.answer is True  # the child's answer decided it


@pytest.mark.usefixtures("forking")
def test_with_the_registry_checked_beside_the_docs_pages_an_edited_record_is_built(project: Path) -> None:
    rebuild(project)
    record = sorted((project.parent / "records").glob("*.md"))[0]
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), "utf-8")

    report = rebuild(project)

    assert report.rendered_records == 1


@pytest.mark.usefixtures("forking")
def test_with_the_registry_checked_beside_the_docs_pages_an_edited_docs_page_is_built(project: Path) -> None:
    rebuild(project)
    about = project.parent / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA sentence added by a maintainer.\n", encoding="utf-8")

    report = rebuild(project)

    assert (report.rendered_records, report.written_files) == (0, 1)
