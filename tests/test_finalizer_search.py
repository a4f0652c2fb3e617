"""The search index: shards of the current records, each rebuilt only when what Pagefind reads of it changed."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from generated_project import config, edit_template, generated_project

from site_builder.build import build_site, render_registry
from site_builder.discovery import search, searchshards
from site_builder.discovery.background import BackgroundIndex, IndexJob, ShardRun
from site_builder.discovery.filedigests import DigestMemo
from site_builder.discovery.search import bundle_key, key_base
from site_builder.discovery.searchbundles import state_path, update_bundle
from site_builder.discovery.searchshards import (
    Scratch,
    assign,
    record_page,
    shard_count,
    shard_name,
    shard_of,
    shard_pages,
)

pytestmark = pytest.mark.usefixtures("fixed_build_date")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 12)


@pytest.fixture
def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The Pagefind command lines run (they still run)."""
    runs: list[list[str]] = []
    real = subprocess.Popen

    def recording(command: list[str], **options: Any) -> Any:
        runs.append(command)
        return real(command, **options)

    monkeypatch.setattr(search.subprocess, "Popen", recording)
    return runs


def bundle(site: Path, folder: str = "pagefind") -> dict[str, tuple[int, bytes]]:
    """The search index (or one shard's bundle): file -> (inode, bytes)."""
    root = site / folder
    return {p.relative_to(root).as_posix(): (p.stat().st_ino, p.read_bytes()) for p in root.rglob("*") if p.is_file()}


def shards(site: Path) -> list[str]:
    return sorted(p.name for p in (site / "pagefind" / "shards").iterdir())


def indexed_urls(site: Path, shard: str) -> list[str]:
    """The URLs of the pages shard ``shard`` indexes (its fragments: gzip, a signature, then JSON)."""
    fragments = (site / "pagefind" / "shards" / shard / "fragment").glob("*.pf_fragment")
    return sorted(json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))["url"] for f in fragments)


def option(command: list[str], name: str) -> Path:
    """The folder a Pagefind command line gives for option ``name`` (``--site``, ``--output-path``)."""
    return Path(command[command.index(name) + 1])


def output_shard(command: list[str]) -> str:
    """The shard a Pagefind command line indexes: from the last folder of its --output-path (the shard's
    own, or in memory ``<pid>-<token>-<shard>-bundle``)."""
    name = option(command, "--output-path").name
    return name.removesuffix("-bundle").rsplit("-", 1)[-1]


def record_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "records").glob("*.md"))


def edit_home_template(root: Path) -> None:
    """A change that rebuilds the site but leaves every record page as it was."""
    edit_template(root, "home.html")


def edit_title(root: Path, index: int = 5) -> str:
    record = sorted((root / "records").glob("*.md"))[index]
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")
    return record.stem


def withdraw(root: Path, index: int) -> str:
    record = sorted((root / "records").glob("*.md"))[index]
    withdrawal = "\nwithdrawn:\n  date: 2026-06-01\n  reason: Duplicate of another record.\ntitle: "
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", withdrawal, 1), encoding="utf-8")
    return record.stem


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
    entry = project / "site" / "pagefind" / "shards" / "00" / "pagefind-entry.json"
    content = entry.read_bytes()
    entry.unlink()
    entry.write_bytes(content)  # same bytes, but not the file the last build recorded
    edit_home_template(project)
    pagefind_runs.clear()
    build_site(config(project))
    assert len(pagefind_runs) == 1


def test_a_lost_bundle_state_runs_pagefind(project: Path, pagefind_runs: list[list[str]]) -> None:
    build_site(config(project))
    state = state_path(config(project))
    assert state is not None and state.is_file()
    state.write_text("not a state\n", encoding="ascii")
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
    assert not list((project / ".cache").rglob("pagefind-*"))


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


def test_an_in_place_rebuild_with_a_changed_record_page_leaves_exactly_pagefinds_files_in_its_shard(
    project: Path, pagefind_runs: list[list[str]]
) -> None:
    site = config(project).site_dir
    render_registry(config(project), site)
    stale = site / "pagefind" / "shards" / "00" / "fragment" / "stale.pf_fragment"
    stale.write_bytes(b"left over")
    edit_title(project)
    render_registry(config(project), site)
    assert not stale.exists()


def key_for(site: Path, executable: Path, tmp_path: Path, count: int = 1, name: str = "00") -> str:
    memo = DigestMemo(tmp_path / "memo", {})
    ids = sorted(p.name for p in (site / "records").iterdir() if (p / "index.html").is_file())
    return bundle_key(key_base(executable, memo), count, name, shard_pages(site, ids), memo)


def test_the_bundle_key_follows_the_pagefind_binary_its_settings_the_shard_and_its_record_pages(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(config(project))
    site = project / "site"
    binary = tmp_path / "pagefind"
    binary.write_bytes(b"pagefind 1")
    first = key_for(site, binary, tmp_path)
    assert key_for(site, binary, tmp_path) == first
    assert key_for(site, binary, tmp_path, count=2) != first
    assert key_for(site, binary, tmp_path, name="01") != first
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


def test_a_shards_scratch_site_holds_its_record_pages_at_their_site_paths(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for record_id in ("a", "b"):
        (site / "records" / record_id).mkdir(parents=True)
        (site / "records" / record_id / "index.html").write_text(f"<h1>{record_id}</h1>", encoding="utf-8")
    searchshards.shard_site(site, ["a"], tmp_path / "scratch")
    pages = sorted(p.relative_to(tmp_path / "scratch").as_posix() for p in (tmp_path / "scratch").rglob("*.html"))
    assert pages == ["records/a/index.html"]
    assert (tmp_path / "scratch" / "records" / "a" / "index.html").read_text(encoding="utf-8") == "<h1>a</h1>"


def test_a_shards_pages_are_looked_up_on_disk_except_those_the_build_engine_says_it_left(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for record_id in ("a", "b"):
        (site / "records" / record_id).mkdir(parents=True)
        (site / "records" / record_id / "index.html").write_text(f"<h1>{record_id}</h1>", encoding="utf-8")
    written = {record_page("a"): (b"\0" * 32, 7, 8, 9)}
    found = shard_pages(site, ["a", "b", "gone"], written)
    stat = (site / record_page("b")).stat()
    assert found == [
        (record_page("a"), str(site / record_page("a")), 7, 8, 9),
        (record_page("b"), str(site / record_page("b")), stat.st_size, stat.st_mtime_ns, stat.st_ino),
    ]


def test_a_shards_pages_are_linked_on_one_file_system_and_copied_across_without_a_link_tried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    (site / "records" / "a").mkdir(parents=True)
    (site / record_page("a")).write_text("<h1>a</h1>", encoding="utf-8")
    searchshards.shard_site(site, ["a"], tmp_path / "near")
    assert (tmp_path / "near" / record_page("a")).stat().st_ino == (site / record_page("a")).stat().st_ino

    def no_link(*args: object) -> None:
        raise AssertionError("a link was tried across file systems")

    monkeypatch.setattr(searchshards, "same_file_system", lambda one, other: False)
    monkeypatch.setattr(os, "link", no_link)
    searchshards.shard_site(site, ["a"], tmp_path / "far")
    assert (tmp_path / "far" / record_page("a")).read_text(encoding="utf-8") == "<h1>a</h1>"


def test_a_shards_page_that_vanished_before_its_run_fails_the_run_not_the_index(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    with pytest.raises(FileNotFoundError):
        searchshards.shard_site(tmp_path / "site", ["gone"], tmp_path / "scratch")


def fake_run(tmp_path: Path, name: str, code: str) -> ShardRun:
    """A background run of shard ``name`` whose "Pagefind" is ``code`` (Python) writing into its output folder."""
    bundle = tmp_path / "pagefind" / "shards" / name
    bundle.mkdir(parents=True)
    (bundle / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    output = tmp_path / ".pagefind-next" / name / "bundle"
    return ShardRun([sys.executable, "-c", code, str(output)], tmp_path, [], output.parent / "site", output, bundle)


def test_a_background_run_that_fails_keeps_the_previous_bundles_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    entry = """pathlib.Path(sys.argv[1], 'pagefind-entry.json').write_text('{"languages": {}}')"""
    write = f"import pathlib, sys; pathlib.Path(sys.argv[1]).mkdir(parents=True); {entry}"  # an empty bundle
    runs = [fake_run(tmp_path, "00", write), fake_run(tmp_path, "01", "import sys; sys.exit('Error: no pages')")]
    done: list[bool] = []
    index = BackgroundIndex()
    index.submit(IndexJob(runs, tmp_path / ".pagefind-next", lambda: done.append(True)))
    assert index.wait(30)
    for run in runs:  # neither the run that failed nor the one that succeeded is swapped in
        assert (run.bundle / "pagefind-entry.json").read_text(encoding="utf-8") == "{}"
    assert not (tmp_path / ".pagefind-next").exists() and done == []
    assert "Pagefind failed" in caplog.text and "no pages" in caplog.text


# -- shards -------------------------------------------------------------------------------------------------------


def test_a_record_is_assigned_to_a_shard_by_a_hash_of_its_id_alone() -> None:
    ids = [f"record-{n}" for n in range(40)]
    for record_id in ids:
        assert shard_of(record_id, 8) == int(hashlib.sha256(record_id.encode()).hexdigest()[:8], 16) % 8
    few, many = assign(ids[:17], 4), assign(ids, 4)  # 5 and 10 shards' worth of 4: K = 8 and 16
    assert len(few) <= 8 and len(many) <= 16
    same_k = assign(ids[:20], 4)  # also K = 8: every record of ``few`` is where it was
    assert all(set(members) <= set(same_k[name]) for name, members in few.items())


@pytest.mark.parametrize(
    ("current", "per_shard", "count"),
    [
        (0, 1000, 1),
        (1, 1000, 1),
        (1000, 1000, 1),
        (1001, 1000, 2),
        (10_000, 1000, 16),
        (100_000, 1000, 128),
        (12, 4, 4),
        (5, 1, 8),
    ],
)
def test_the_number_of_shards_is_the_smallest_power_of_two_that_holds_the_records(
    current: int, per_shard: int, count: int
) -> None:
    assert shard_count(current, per_shard) == count


def test_shard_names_have_one_width_for_all_shards_of_a_build() -> None:
    assert [shard_name(n, 16) for n in (0, 9, 15)] == ["00", "09", "0f"]
    assert {len(shard_name(n, 4096)) for n in (0, 4095)} == {3}


def test_each_current_record_is_indexed_in_its_shard_alone_and_empty_shards_are_not_written(project: Path) -> None:
    build_site(config(project, search_shard_records=1))  # 12 records: 16 shards, some of them empty
    site, ids = project / "site", record_ids(project)
    expected = {shard_name(shard_of(i, 16), 16) for i in ids}
    assert shards(site) == sorted(expected) and len(expected) < 16
    for name in shards(site):
        members = [i for i in ids if shard_name(shard_of(i, 16), 16) == name]
        assert indexed_urls(site, name) == [f"/records/{i}/" for i in members]


def test_pagefinds_ui_files_are_published_once_at_the_top_of_the_index(project: Path) -> None:
    build_site(config(project, search_shard_records=4))
    root = project / "site" / "pagefind"
    first = root / "shards" / shards(project / "site")[0]
    assert (root / "pagefind-ui.js").read_bytes() == (first / "pagefind-ui.js").read_bytes()
    assert (root / "pagefind-ui.css").read_bytes() == (first / "pagefind-ui.css").read_bytes()
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == ["shards"]
    assert not (root / "pagefind-entry.json").exists()


def test_a_withdrawn_record_is_in_no_shard(project: Path) -> None:
    gone = withdraw(project, 3)
    build_site(config(project, search_shard_records=4))
    site = project / "site"
    assert b"data-pagefind-body" not in (site / record_page(gone)).read_bytes()  # its tombstone
    urls = [url for name in shards(site) for url in indexed_urls(site, name)]
    assert f"/records/{gone}/" not in urls and len(urls) == len(record_ids(project)) - 1


def test_editing_one_record_runs_pagefind_for_exactly_its_shard(project: Path, pagefind_runs: list[list[str]]) -> None:
    build_site(config(project, search_shard_records=4))
    site = project / "site"
    assert len(pagefind_runs) == len(shards(site)) >= 2
    before = {name: bundle(site, f"pagefind/shards/{name}") for name in shards(site)}
    pagefind_runs.clear()
    edited = edit_title(project)
    build_site(config(project, search_shard_records=4))
    edited_shard = shard_name(shard_of(edited, 4), 4)
    assert [output_shard(command) for command in pagefind_runs] == [edited_shard]
    for name in shards(site):
        after = bundle(site, f"pagefind/shards/{name}")
        assert (after == before[name]) is (name != edited_shard)  # the others: the very same files


def test_a_cold_and_an_incremental_build_write_the_same_shards_byte_for_byte(project: Path, tmp_path: Path) -> None:
    build_site(config(project, search_shard_records=4))
    edit_title(project, 2)
    withdraw(project, 7)
    build_site(config(project, search_shard_records=4))
    edit_home_template(project)
    build_site(config(project, search_shard_records=4))
    build_site(config(project, site_dir=str(tmp_path / "cold"), use_cache=False, search_shard_records=4))
    assert len(shards(project / "site")) >= 2
    assert {n: b for n, (_, b) in bundle(project / "site").items()} == {
        n: b for n, (_, b) in bundle(tmp_path / "cold").items()
    }


def test_when_the_number_of_shards_changes_the_old_shards_are_removed(project: Path) -> None:
    site = config(project).site_dir
    render_registry(config(project, search_shard_records=4), site)
    assert len(shards(site)) >= 2
    render_registry(config(project), site)  # in place: one shard for 12 records
    assert shards(site) == ["00"]
    assert indexed_urls(site, "00") == sorted(f"/records/{i}/" for i in record_ids(project))


# -- where Pagefind reads a shard's pages ---------------------------------------------------------------------------


@pytest.fixture
def memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the memory file system."""
    folder = tmp_path / "shm"
    folder.mkdir()
    monkeypatch.setattr(searchshards, "MEMORY", folder)
    return folder


def test_pagefind_reads_each_shards_pages_from_this_users_private_folder_in_memory(
    project: Path, memory: Path, pagefind_runs: list[list[str]]
) -> None:
    build_site(config(project))
    private = memory / f"site-builder-{os.getuid()}"
    assert pagefind_runs and all(option(command, "--site").parent == private for command in pagefind_runs)
    assert private.stat().st_mode & 0o777 == 0o700
    assert list(private.iterdir()) == []  # each run's pages are removed when it ends


def test_a_shard_without_a_folder_yet_is_written_straight_into_it_and_one_with_a_folder_in_memory_first(
    project: Path, memory: Path, pagefind_runs: list[list[str]]
) -> None:
    build_site(config(project))
    assert pagefind_runs and all(
        option(command, "--output-path").parts[-3:-1] == ("pagefind", "shards") for command in pagefind_runs
    )
    edit_home_template(project)
    build_site(config(project))  # the spare tree exists from here on: its shard folders are updated
    edit_title(project)
    pagefind_runs.clear()
    build_site(config(project))
    assert pagefind_runs and all(
        option(command, "--output-path").parent == memory / f"site-builder-{os.getuid()}" for command in pagefind_runs
    )


def test_without_a_memory_file_system_the_pages_are_put_below_the_output_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pagefind_runs: list[list[str]]
) -> None:
    monkeypatch.setattr(searchshards, "MEMORY", tmp_path / "absent")
    build_site(config(project))
    assert pagefind_runs and all(".pagefind-next" in option(command, "--site").parts for command in pagefind_runs)


def test_a_private_folder_others_can_enter_is_not_used(memory: Path) -> None:
    private = memory / f"site-builder-{os.getuid()}"
    private.mkdir(mode=0o755)
    private.chmod(0o755)
    assert searchshards.scratch_folders(Path("work"), ["00"]) == {"00": Scratch(Path("work/00/site"), None)}


def test_a_symlink_in_place_of_the_private_folder_is_not_followed(memory: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (memory / f"site-builder-{os.getuid()}").symlink_to(elsewhere)
    assert searchshards.scratch_folders(Path("work"), ["00"]) == {"00": Scratch(Path("work/00/site"), None)}


def test_folders_left_by_a_process_that_is_gone_are_removed_and_others_kept(memory: Path) -> None:
    private = memory / f"site-builder-{os.getuid()}"
    private.mkdir(mode=0o700)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = private / f"{gone.stdout.strip()}-0123456789abcdef-00"
    running = private / f"{os.getppid()}-0123456789abcdef-00"
    for folder in (left, running):
        (folder / "records").mkdir(parents=True)
    scratch = searchshards.scratch_folders(Path("work"), ["00", "01"])
    assert not left.exists() and running.exists()
    folders = [folder for site, bundle in scratch.values() for folder in (site, bundle)]
    assert all(folder is not None and folder.parent == private for folder in folders)
    assert len({folder.name.rsplit("-", 2)[0] for folder in folders if folder is not None}) == 1  # one build


def test_an_edit_leaves_the_files_of_its_shard_that_pagefind_wrote_the_same_untouched(
    project: Path, memory: Path, pagefind_runs: list[list[str]]
) -> None:
    build_site(config(project))
    build_site(config(project))  # the spare tree exists from here on
    edit_home_template(project)
    build_site(config(project))
    site = config(project).site_dir
    before = bundle(site, "pagefind/shards/00")
    edit_title(project)
    build_site(config(project))
    after = bundle(site, "pagefind/shards/00")
    kept = [name for name in after if name in before and after[name] == before[name]]
    assert any(name.startswith("fragment/") for name in kept)  # the other records' fragments: same file
    assert after != before


# -- updating a shard's folder from a bundle made elsewhere ----------------------------------------------------------


def test_a_bundle_update_keeps_same_files_replaces_changed_ones_and_removes_the_rest(tmp_path: Path) -> None:
    made, folder = tmp_path / "made", tmp_path / "bundle"
    for root, files in (
        (made, {"same": b"1", "changed": b"new", "fragment/a": b"a"}),
        (folder, {"same": b"1", "changed": b"old", "extra": b"x", "fragment/b": b"b"}),
    ):
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
    live = tmp_path / "live-changed"
    os.link(folder / "changed", live)  # the old file is also the live site's
    same = (folder / "same").stat().st_ino
    update_bundle(made, folder)
    assert {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == {
        "same": b"1",
        "changed": b"new",
        "fragment/a": b"a",
    }
    assert (folder / "same").stat().st_ino == same
    assert live.read_bytes() == b"old"


def test_a_bundle_update_removes_symlinks_without_following_them(tmp_path: Path) -> None:
    made, folder, outside = tmp_path / "made", tmp_path / "bundle", tmp_path / "outside"
    (made / "fragment").mkdir(parents=True)
    (made / "fragment" / "a").write_bytes(b"a")
    (made / "entry").write_bytes(b"e")
    outside.mkdir()
    (outside / "a").write_bytes(b"kept")
    (outside / "entry").write_bytes(b"e")
    folder.mkdir()
    (folder / "fragment").symlink_to(outside)
    (folder / "entry").symlink_to(outside / "entry")
    update_bundle(made, folder)
    assert not (folder / "fragment").is_symlink() and (folder / "fragment" / "a").read_bytes() == b"a"
    assert not (folder / "entry").is_symlink() and (folder / "entry").read_bytes() == b"e"
    assert (outside / "a").read_bytes() == b"kept"


def _started_at(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When each Pagefind process is started (on the monotonic clock, as the build's stages are)."""
    times: list[float] = []
    real = subprocess.Popen

    def timed(command: list[str], **options: Any) -> Any:
        if "--site" in command:
            times.append(time.monotonic())
        return real(command, **options)

    monkeypatch.setattr(search.subprocess, "Popen", timed)
    return times


def _ended(report: Any, name: str) -> float:
    (stage,) = [stage for stage in report.stages if stage.name == name]
    return float(stage.started + stage.seconds)


def test_an_edits_search_shard_is_indexed_alongside_the_listings(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(config(project, search_shard_records=4))
    edit_title(project)
    started = _started_at(monkeypatch)
    report = build_site(config(project, search_shard_records=4))
    assert len(started) == 1 and started[0] < _ended(report, "listings")


def test_a_whole_index_waits_for_the_listings_when_its_memory_and_theirs_would_not_fit_together(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "workers", lambda runs: min(runs, 2))  # two Pagefind processes at a time
    monkeypatch.setattr(search, "MEMORY_BUDGET", 100 * 2**20)  # less than two processes' own
    started = _started_at(monkeypatch)
    report = build_site(config(project, search_shard_records=4))
    assert len(started) > 2 and min(started) >= _ended(report, "static")


def test_a_whole_index_that_fits_beside_the_listings_runs_alongside_them(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "workers", lambda runs: min(runs, 2))
    started = _started_at(monkeypatch)
    report = build_site(config(project, search_shard_records=4))
    assert len(started) > 2 and min(started) < _ended(report, "listings")


def test_a_whole_index_waits_where_the_build_cannot_tell_its_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "resident", lambda: 0)
    assert not search.fits_beside_listings(10, 2)
