"""A build never writes or deletes outside its output folder, whatever a record or the configuration says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "browser"))

import sitekit
from sitecheck import tree_digests

from site_builder.writer import SiteWriter, UnsafePath, plain_relative


@pytest.mark.parametrize(
    "relative",
    ["../x.html", "records/../../x.html", "a/../../../etc/passwd", "/etc/passwd", "", ".", "a\\..\\b", "a\x00b"],
)
def test_the_writer_refuses_a_path_that_leaves_the_output_folder(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UnsafePath):
        SiteWriter(tmp_path / "site").target(relative)


@given(st.lists(st.sampled_from(["", ".", "..", "a", "b.html", "...", ".a", "a."]), max_size=5))
def test_a_relative_path_is_plain_exactly_when_none_of_its_parts_is_empty_or_a_dot_or_two(parts: list[str]) -> None:
    relative = "/".join(parts)
    expected = bool(relative) and not any(part in ("", ".", "..") for part in relative.split("/"))
    assert plain_relative(relative) == expected


def test_the_writer_places_a_plain_path_inside_the_output_folder(tmp_path: Path) -> None:
    assert SiteWriter(tmp_path / "site").target("records/a/index.html") == (tmp_path / "site/records/a/index.html")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project (configuration, docs, templates, one record) inside a folder that holds other files too."""
    (tmp_path / "outside.txt").write_text("a file beside the project\n", encoding="utf-8")
    root = tmp_path / "project"
    shutil.copytree(sitekit.REPO / "docs", root / "docs")
    shutil.copytree(sitekit.REPO / "templates", root / "templates")
    shutil.copy2(sitekit.REPO / "mkdocs.yml", root / "mkdocs.yml")
    sitekit.write_record(root / "records", sitekit.record_data("rec-1"))
    return root


def build(project: Path, *args: str) -> tuple[int, str]:
    done = sitekit.cli("build", "--config", "mkdocs.yml", "-q", *args, cwd=project)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stderr


@pytest.mark.parametrize("site_dir", [".", "records", "records/site", "templates", "..", "/"])
def test_an_output_folder_that_holds_the_project_or_its_records_is_refused(project: Path, site_dir: str) -> None:
    everything = project.parent
    before = tree_digests(everything)
    code, stderr = build(project, "--site-dir", site_dir)
    assert code == 1, stderr
    assert "site_dir" in stderr, stderr  # MkDocs or the registry configuration names the setting
    assert tree_digests(everything) == before, "a refused build changed files"
    assert not [p for p in Path("/").iterdir() if p.name.startswith(".-staging")]


def test_a_site_dir_beside_the_project_is_built(project: Path) -> None:
    code, stderr = build(project, "--site-dir", "../public")
    assert code == 0, stderr
    assert (project.parent / "public" / "records" / "rec-1" / "index.html").is_file()
    assert (project.parent / "outside.txt").read_text(encoding="utf-8") == "a file beside the project\n"


@pytest.mark.parametrize("alias", ["../../etc", "old/../../../etc", "old/../../outside.txt", "/etc/passwd", "a/./b"])
def test_an_alias_that_climbs_out_is_refused_with_a_located_message(project: Path, alias: str) -> None:
    sitekit.write_record(project / "records", sitekit.record_data("rec-1", aliases=["fine-old-id"]))
    path = project / "records" / "rec-1.md"
    path.write_text(path.read_text(encoding="utf-8").replace("fine-old-id", alias), encoding="utf-8")
    everything = project.parent
    before = tree_digests(everything)
    code, stderr = build(project)
    assert code == 1, stderr
    assert "records/rec-1.md:" in stderr and ": aliases[0]: " in stderr, stderr
    assert tree_digests(everything) == before


@pytest.mark.parametrize("artifact", ["../secret.txt", "../../outside.txt", "/etc/passwd", "sub/../../secret.txt"])
def test_an_artifact_path_that_climbs_out_is_refused(project: Path, artifact: str) -> None:
    (project / "records" / "secret.txt").write_text("not to be published\n", encoding="utf-8")
    data = sitekit.record_data("rec-2", artifacts=[{"title": "Proof", "path": "placeholder.txt"}])
    sitekit.write_record(project / "records", data, {"placeholder.txt": b"x"})
    path = project / "records" / "rec-2.md"
    path.write_text(path.read_text(encoding="utf-8").replace("placeholder.txt", artifact), encoding="utf-8")
    before = tree_digests(project.parent)
    code, stderr = build(project)
    assert code == 1, stderr
    assert "records/rec-2.md:" in stderr and "artifacts[0]" in stderr, stderr
    assert tree_digests(project.parent) == before


def test_an_attached_file_that_links_outside_its_record_folder_is_refused(project: Path) -> None:
    secret = project.parent / "outside.txt"
    data = sitekit.record_data("rec-2", artifacts=[{"title": "Proof", "path": "proof.txt"}])
    sitekit.write_record(project / "records", data)
    (project / "records" / "rec-2").mkdir()
    (project / "records" / "rec-2" / "proof.txt").symlink_to(secret)
    code, stderr = build(project, "--site-dir", "site")
    assert code == 1, stderr
    assert "records/rec-2.md:" in stderr and "artifacts[0].path" in stderr, stderr
    assert not (project / "site").exists()


def test_commit_swaps_the_new_tree_in_and_removes_the_old_one(tmp_path: Path) -> None:
    from site_builder.writer import commit_staging, prepare_staging

    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old")
    staging = prepare_staging(site)
    (staging / "new.html").write_text("new")
    commit_staging(staging, site)
    assert sorted(p.name for p in site.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_staging_left_by_a_killed_build_is_removed_by_the_next_one(tmp_path: Path) -> None:
    from site_builder.writer import prepare_staging

    site = tmp_path / "site"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = tmp_path / f".site-staging-{dead.stdout.strip()}"
    abandoned.mkdir()
    (abandoned / "half.html").write_text("half")
    prepare_staging(site)
    assert not abandoned.exists()
