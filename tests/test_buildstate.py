"""The build state: a rebuild that would change nothing is recognised from file identities alone, and only then."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import pytest
from generated_project import config, generated_project, tree

from site_builder import build, buildstate, engine, forked
from site_builder.build import BuildReport, build_site
from site_builder.buildstate import (
    BuildState,
    SourceStat,
    nothing_changed,
    read_state,
    state_file,
    still_current,
    trusted_digest,
)
from site_builder.load import record_file_names

TODAY = "2026-06-10"  # generated_project.BUILD_DAY
MANIFEST = "manifest.json"


pytestmark = pytest.mark.usefixtures("fixed_build_date")


@pytest.fixture
def no_racy_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test itself a moment before the build count as settled."""
    monkeypatch.setattr(buildstate, "RACY_NS", 0)


@pytest.fixture
def every_record_too_recent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every record file counts as modified too close to a build's scan for its identity to vouch for it."""
    monkeypatch.setattr(buildstate, "RACY_NS", 10**15)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 12)


def stage_names(report: BuildReport) -> list[str]:
    return [stage.name for stage in report.stages]


def a_record(root: Path) -> Path:
    return sorted((root / "records").glob("*.md"))[3]


@pytest.mark.usefixtures("no_racy_margin")
def test_a_rebuild_with_nothing_changed_runs_no_build_stage(project: Path) -> None:
    first = build_site(config(project))
    again = build_site(config(project))
    assert stage_names(again) == ["unchanged"]  # the quick check, and no build stage
    assert (again.records, again.files, again.bytes) == (first.records, first.files, first.bytes)
    assert again.written_files == 0


def same_size_edit(record: Path) -> None:
    """Change one letter of the title, then put the modification time back: only ctime shows the edit."""
    before = record.stat()
    text = record.read_text(encoding="utf-8")
    start = text.index("\ntitle: ") + len("\ntitle: ")
    letter = "Q" if text[start] != "Q" else "Z"
    record.write_text(text[:start] + letter + text[start + 1 :], encoding="utf-8")
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert record.stat().st_size == before.st_size


@pytest.mark.usefixtures("no_racy_margin")
def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(project: Path, tmp_path: Path) -> None:
    build_site(config(project))
    same_size_edit(a_record(project))
    assert nothing_changed(config(project), TODAY, MANIFEST) is None
    report = build_site(config(project))
    assert report.rendered_records == 1
    cold = config(project, site_dir=str(tmp_path / "cold"), use_cache=False)
    build_site(cold)
    assert tree(project / "site") == tree(tmp_path / "cold")


def test_a_record_modified_just_before_the_scan_is_read_again(project: Path) -> None:
    build_site(config(project))
    state = read_state(config(project))
    assert state is not None
    name, (stat, digest) = next(iter(state.sources.items()))
    assert trusted_digest(state, name, tuple(stat)) is None  # written by the test a moment before the build
    settled = (stat[0], stat[1] - 10**10, stat[2] - 10**10, stat[3])
    state.sources[name] = (settled, digest)
    assert trusted_digest(state, name, settled) == digest


@pytest.mark.usefixtures("every_record_too_recent")
def test_a_record_too_recent_to_trust_by_its_identity_is_read_and_a_noop_still_runs_no_build_stage(
    project: Path,
) -> None:
    first = build_site(config(project))
    state = read_state(config(project))
    assert state is not None and trusted_digest(state, *_first_source(state)) is None
    assert nothing_changed(config(project), TODAY, MANIFEST) is not None  # read, and found as they were
    again = build_site(config(project))
    assert stage_names(again) == ["unchanged"] and again.written_files == 0 and again.files == first.files


@pytest.mark.usefixtures("every_record_too_recent")
def test_a_noop_that_read_records_too_recent_to_trust_saves_the_state_vouching_for_them_from_then_on(
    project: Path,
) -> None:
    build_site(config(project))
    first = read_state(config(project))
    entered: list[int] = []

    def timed_check(*args: Any, **kwargs: Any) -> bool:
        entered.append(time.time_ns())
        return still_current(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(build, "still_current", timed_check)
        assert stage_names(build_site(config(project))) == ["unchanged"]
    second = read_state(config(project))
    assert first is not None and second is not None
    assert first.scanned_ns < second.scanned_ns <= entered[0]  # vouched from before the check looked
    assert replace(second, scanned_ns=first.scanned_ns) == first


@pytest.mark.usefixtures("every_record_too_recent")
def test_a_noop_that_cannot_save_the_state_still_succeeds(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(config(project))

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build, "write_state", full_disk)
    assert stage_names(build_site(config(project))) == ["unchanged"]


@pytest.mark.usefixtures("no_racy_margin")
def test_a_noop_that_trusted_every_record_by_its_identity_leaves_the_state_file_alone(project: Path) -> None:
    build_site(config(project))
    before = os.stat(state_file(config(project)))
    assert stage_names(build_site(config(project))) == ["unchanged"]
    after = os.stat(state_file(config(project)))
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.usefixtures("every_record_too_recent")
def test_a_record_too_recent_to_trust_whose_content_differs_is_not_a_noop(project: Path) -> None:
    build_site(config(project))
    state = read_state(config(project))
    assert state is not None and still_current(state, config(project), TODAY, MANIFEST)
    name, stat = _first_source(state)
    state.sources[name] = (stat, bytes(16))  # as if the file changed after the scan, in the same clock tick
    assert not still_current(state, config(project), TODAY, MANIFEST)


def _first_source(state: BuildState) -> tuple[str, SourceStat]:
    name, (stat, _) = next(iter(state.sources.items()))
    return name, cast(SourceStat, tuple(stat))


def test_a_noop_rebuild_that_had_to_read_a_touched_record_saves_the_state_for_the_next(project: Path) -> None:
    build_site(config(project))
    record = a_record(project)
    os.utime(record, ns=(record.stat().st_atime_ns, record.stat().st_mtime_ns - 10**9))  # same bytes, new identity
    first = read_state(config(project))
    assert first is not None and nothing_changed(config(project), TODAY, MANIFEST) is None
    again = build_site(config(project))  # reads it, finds nothing changed
    assert again.written_files == 0 and [stage.name for stage in again.stages] == ["scan"]
    second = read_state(config(project))
    assert second is not None and second.scanned_ns > first.scanned_ns
    assert second.sources[record.name] != first.sources[record.name]
    assert (second.output_paths, second.output_stats) == (first.output_paths, first.output_stats)
    assert nothing_changed(config(project), TODAY, MANIFEST) is not None


@pytest.mark.usefixtures("no_racy_margin")
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda root: (root / "site" / "index.html").write_bytes(b"tampered"), id="an output edited"),
        pytest.param(lambda root: (root / "site" / MANIFEST).write_text("{}"), id="the manifest edited"),
        pytest.param(lambda root: (root / "site" / "404.html").unlink(), id="an output deleted"),
        pytest.param(lambda root: a_record(root).unlink(), id="a record deleted"),
        pytest.param(
            lambda root: (root / "records" / "zz-new.md").write_bytes(a_record(root).read_bytes()), id="a record added"
        ),
        pytest.param(lambda root: (root / "records" / "notes.txt").write_text("x"), id="a stray file in records"),
        pytest.param(
            lambda root: (root / "templates" / "record.html").write_text(
                (root / "templates" / "record.html").read_text(encoding="utf-8") + "\n", encoding="utf-8"
            ),
            id="a template edited",
        ),
    ],
)
def test_anything_changed_sends_the_build_down_the_full_path(project: Path, change: object) -> None:
    build_site(config(project))
    assert nothing_changed(config(project), TODAY, MANIFEST) is not None
    change(project)  # type: ignore[operator]
    assert nothing_changed(config(project), TODAY, MANIFEST) is None


@pytest.mark.usefixtures("no_racy_margin")
@pytest.mark.parametrize("position", [0, -1], ids=["the first output", "the last output"])
@pytest.mark.parametrize("forking", [True, False], ids=["checked in two processes", "checked in one"])
def test_an_output_edited_in_either_half_of_the_check_sends_the_build_down_the_full_path(
    project: Path, monkeypatch: pytest.MonkeyPatch, position: int, forking: bool
) -> None:
    monkeypatch.setattr(forked, "can_fork", lambda: forking)
    build_site(config(project))
    state = read_state(config(project))
    assert state is not None and nothing_changed(config(project), TODAY, MANIFEST) is not None
    output = project / "site" / os.fsdecode(state.output_paths.split(b"\0")[:-1][position])
    output.write_bytes(output.read_bytes() + b" ")
    assert nothing_changed(config(project), TODAY, MANIFEST) is None


@pytest.mark.usefixtures("no_racy_margin")
def test_a_new_build_date_sends_the_build_down_the_full_path(project: Path) -> None:
    build_site(config(project))
    assert nothing_changed(config(project), "2026-06-11", MANIFEST) is None


@pytest.mark.usefixtures("no_racy_margin")
def test_a_named_previous_manifest_sends_the_build_down_the_full_path(project: Path) -> None:
    build_site(config(project))
    named = config(project, previous_manifest=str(project / "site" / MANIFEST))
    assert nothing_changed(named, TODAY, MANIFEST) is None


@pytest.mark.usefixtures("no_racy_margin")
@pytest.mark.parametrize("damage", [b"", b"garbage", None], ids=["empty", "garbage", "flipped byte"])
def test_a_damaged_state_file_is_ignored(project: Path, damage: bytes | None) -> None:
    build_site(config(project))
    path = state_file(config(project))
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]) if damage is None else damage)
    assert read_state(config(project)) is None
    assert nothing_changed(config(project), TODAY, MANIFEST) is None
    assert build_site(config(project)).written_files == 0  # the cache still knows the site is current


@pytest.mark.usefixtures("no_racy_margin")
def test_a_build_without_the_cache_neither_reads_nor_writes_the_state(project: Path) -> None:
    build_site(config(project, use_cache=False))
    assert not state_file(config(project)).exists()
    build_site(config(project))
    assert nothing_changed(config(project, use_cache=False), TODAY, MANIFEST) is None


@pytest.mark.usefixtures("no_racy_margin")
def test_a_record_file_added_while_the_build_lists_the_records_is_built_by_the_next_build(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(config(project))
    source = a_record(project)
    added = project / "records" / "added-while-listing.md"

    def names_then_a_new_file(records: Path) -> tuple[list[str], list[object]]:
        found = record_file_names(records)
        added.write_text(source.read_text(encoding="utf-8").replace(source.stem, added.stem), encoding="utf-8")
        return found  # type: ignore[return-value]

    source.write_text(source.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")
    with monkeypatch.context() as patched:
        patched.setattr(engine, "record_file_names", names_then_a_new_file)
        build_site(config(project))
    assert nothing_changed(config(project), TODAY, MANIFEST) is None
    build_site(config(project))
    assert (project / "site" / "records" / added.stem / "index.html").is_file()


@pytest.mark.usefixtures("no_racy_margin")
def test_an_early_check_answers_for_its_own_configuration_only(project: Path) -> None:
    build_site(config(project))
    early = build.check_early(config(project))  # would find nothing changed
    assert early is not None

    report = build_site(config(project, page_size=3), early=early)

    assert stage_names(report) != ["unchanged"] and report.written_files > 0


@pytest.mark.usefixtures("no_racy_margin")
def test_an_early_check_that_held_makes_a_noop_of_the_same_configuration(project: Path) -> None:
    build_site(config(project))
    early = build.check_early(config(project))

    report = build_site(config(project), early=early)

    assert stage_names(report) == ["unchanged"] and report.written_files == 0
