"""Permanent URLs: alias redirects, tombstones, the Withdrawn listing and the previous-manifest check."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from discovery_fixtures import build_site_for, html, load_json, module_site, records
from site_fixtures import make_record

from site_builder.alongside import Alongside
from site_builder.discovery import search
from site_builder.discovery.background import BackgroundIndex, IndexJob, indexing_in_background
from site_builder.problems import ProblemsFound


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return module_site(tmp_path_factory)


def test_an_alias_id_redirects_to_the_record_with_meta_refresh_canonical_and_a_link(site: Path) -> None:
    doc = html(site, "records/old-name/")
    assert doc.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=../../records/renamed/"]
    assert doc.xpath("//link[@rel='canonical']/@href") == ["https://example.org/registry/records/renamed/"]
    assert doc.xpath("//a/@href") == ["../../records/renamed/"]


def test_an_alias_path_redirects_relative_to_its_own_folder(site: Path) -> None:
    doc = html(site, "papers/renamed.html")
    assert doc.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=../records/renamed/"]


def test_a_withdrawn_record_keeps_its_url_as_a_tombstone(site: Path) -> None:
    doc = html(site, "records/gone/")
    text = " ".join(doc.text_content().split())
    assert doc.findtext(".//title").startswith("Withdrawn: Withdrawn record on tokenizers")
    for fact in ("2026-02-15", "Duplicate of record plain.", "gone", "DOI grade", "Unverified"):
        assert fact in text


def test_a_tombstone_is_not_in_the_listings(site: Path) -> None:
    for listing in ("tiers/doi-grade/", "verdicts/unverified/", ""):
        assert "records/gone/" not in (site / listing / "index.html").read_text(encoding="utf-8")


def test_a_tombstone_is_in_the_withdrawn_listing(site: Path) -> None:
    doc = html(site, "withdrawn/")
    assert doc.xpath("//main//a[@href='../records/gone/']")
    assert "Duplicate of record plain." in doc.text_content()


def test_a_tombstone_is_not_in_the_feeds(site: Path) -> None:
    for feed in site.rglob("feed.xml"):
        assert "records/gone/" not in feed.read_text(encoding="utf-8"), feed


def test_a_tombstone_is_not_in_the_search_index(site: Path) -> None:
    assert "data-pagefind-body" not in (site / "records/gone/index.html").read_text(encoding="utf-8")
    shards = sorted(site.glob("pagefind/shards/*/pagefind-entry.json"))
    entries = [load_json(site, p.relative_to(site).as_posix()) for p in shards]
    assert entries  # one per shard of the index
    assert sum(lang["page_count"] for e in entries for lang in e["languages"].values()) == len(records()) - 1


def test_a_tombstone_stays_in_the_data_files_as_withdrawn(site: Path) -> None:
    rows = {row["id"]: row for row in load_json(site, "api/records.json")["records"]}
    assert rows["gone"]["status"] == "withdrawn"
    assert rows["gone"]["withdrawn"] == "2026-02-15"
    assert rows["plain"]["status"] == "current"
    assert load_json(site, "records/gone/record.json")["withdrawn"]["reason"] == "Duplicate of record plain."


def _first_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site_dir = build_site_for(tmp_path, monkeypatch, records())
    manifest = tmp_path / "published-manifest.json"
    shutil.copy(site_dir / "manifest.json", manifest)
    return manifest


def test_deleting_a_published_record_refuses_the_build_naming_its_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = _first_build(tmp_path, monkeypatch)
    (tmp_path / "records" / "plain.md").unlink()
    before = (tmp_path / "site" / "manifest.json").read_bytes()
    with pytest.raises(ProblemsFound) as error:
        build_site_for(tmp_path, monkeypatch, [], previous_manifest=manifest)
    message = str(error.value)
    assert "/records/plain/" in message and "withdrawn" in message
    assert "/records/plain/cite.bib" not in message  # a record's files are named through its page
    assert (tmp_path / "site" / "manifest.json").read_bytes() == before  # site untouched


def test_renaming_a_record_without_an_alias_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = _first_build(tmp_path, monkeypatch)
    (tmp_path / "records" / "plain.md").unlink()
    with pytest.raises(ProblemsFound, match="/records/plain/"):
        build_site_for(tmp_path, monkeypatch, [make_record("plain-2")], previous_manifest=manifest)


def test_renaming_a_record_with_an_alias_passes_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = _first_build(tmp_path, monkeypatch)
    (tmp_path / "records" / "plain.md").unlink()
    site_dir = build_site_for(
        tmp_path, monkeypatch, [make_record("plain-2", aliases=["plain"])], previous_manifest=manifest
    )
    assert (site_dir / "records/plain/index.html").is_file()


def test_withdrawing_a_record_passes_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = _first_build(tmp_path, monkeypatch)
    withdrawn = make_record("plain", withdrawn={"date": "2026-03-01", "reason": "Superseded."})
    site_dir = build_site_for(tmp_path, monkeypatch, [withdrawn], previous_manifest=manifest)
    assert "Superseded." in (site_dir / "records/plain/index.html").read_text(encoding="utf-8")


def test_a_named_previous_manifest_that_does_not_exist_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ProblemsFound, match="previous manifest does not exist"):
        build_site_for(tmp_path, monkeypatch, records(), previous_manifest=tmp_path / "missing.json")


def test_the_build_command_exits_1_and_names_the_vanished_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from site_builder import buildcmd

    manifest = _first_build(tmp_path, monkeypatch)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["urls"]["/records/deleted-long-ago/"] = data["urls"]["/records/plain/"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    repo = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(repo)
    site_dir = tmp_path / "cli-site"
    parser = argparse.ArgumentParser()
    buildcmd.register(parser.add_subparsers())
    args = parser.parse_args(
        [
            *("build", "--records", str(tmp_path / "records"), "--site-dir", str(site_dir)),
            *("--previous-manifest", str(manifest), "--quiet"),
        ]
    )
    code = args.run(args)
    assert code == 1
    assert "/records/deleted-long-ago/" in capsys.readouterr().err
    assert not site_dir.exists()


def never_ending_pagefind(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[str]]:
    """From now on, Pagefind is a process that would still be running long after the build ends; those started."""
    started: list[subprocess.Popen[str]] = []
    real = subprocess.Popen

    def never_done(command: list[str], **options: Any) -> subprocess.Popen[str]:
        if "--site" in command:
            command = [sys.executable, "-c", "import time; time.sleep(600)"]
        process = real(command, **options)
        started.append(process)
        return process

    monkeypatch.setattr(search.subprocess, "Popen", never_done)
    return started


def stopped(processes: list[subprocess.Popen[str]]) -> bool:
    """Whether some processes were started, and each was terminated rather than waited for."""
    return bool(processes) and all(process.returncode == -signal.SIGTERM for process in processes)


def _refused_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[subprocess.Popen[str]]]:
    """A published site whose next build (the manifest given) will be refused, and Pagefind never ending from now on."""
    manifest = _first_build(tmp_path, monkeypatch)
    (tmp_path / "records" / "plain.md").unlink()
    return manifest, never_ending_pagefind(monkeypatch)


def test_a_refused_build_stops_the_search_index_it_started_alongside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest, started = _refused_next(tmp_path, monkeypatch)
    with pytest.raises(ProblemsFound, match="/records/plain/"):
        build_site_for(tmp_path, monkeypatch, [make_record("plain-2")], previous_manifest=manifest)
    assert stopped(started)
    assert [thread for thread in threading.enumerate() if thread.name == "index_site"] == []


def test_an_interrupted_build_stops_the_search_index_it_started_alongside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site_for(tmp_path, monkeypatch, records())
    started = never_ending_pagefind(monkeypatch)

    def interrupted(self: Alongside) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the build waits for the index

    monkeypatch.setattr(Alongside, "result", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_site_for(tmp_path, monkeypatch, [make_record("plain", title="Retitled"), *records()[1:]])
    assert stopped(started)
    assert [thread for thread in threading.enumerate() if thread.name == "index_site"] == []


def test_a_refused_rebuild_in_serve_cancels_the_search_job_it_handed_to_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest, started = _refused_next(tmp_path, monkeypatch)
    index = BackgroundIndex()
    submit = index.submit

    def submit_and_let_it_start(job: IndexJob) -> None:
        submit(job)
        deadline = time.monotonic() + 30  # the refusal comes after a Pagefind process runs, not before it starts
        while not started and time.monotonic() < deadline:
            time.sleep(0.01)

    monkeypatch.setattr(index, "submit", submit_and_let_it_start)
    with indexing_in_background(index), pytest.raises(ProblemsFound, match="/records/plain/"):
        build_site_for(tmp_path, monkeypatch, [make_record("plain-2")], previous_manifest=manifest)
    assert index.wait(0)  # nothing left running: the job was cancelled, not left to swap its bundles in
    assert stopped(started)
