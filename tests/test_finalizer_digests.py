"""The manifest's file digests: a rebuild re-reads only the files that changed, by stat identity."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from benchmarks import synthetic
from site_builder.build import build_site
from site_builder.config import RegistryConfig, read_config
from site_builder.discovery import filedigests
from site_builder.discovery.filedigests import MEMO_FILE, DigestMemo, found, read_memo, settled_before, write_memo


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1781049600")


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file written before the memo is opened counts as settled, even in the file system's last tick."""
    monkeypatch.setattr(filedigests, "settled_before", lambda folder: time.time_ns() + 1)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    synthetic.generate(tmp_path / "project", 12)
    return tmp_path / "project"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The site-relative paths of the files the finalizers read to hash them (builds write into a staging folder)."""
    read: list[str] = []
    real = filedigests.file_sha256

    def recording(path: str) -> str:
        read.append(re.sub(r"^.*/\.site-staging-\d+/", "", path))
        return real(path)

    monkeypatch.setattr(filedigests, "file_sha256", recording)
    return read


def config(root: Path, **overrides: object) -> RegistryConfig:
    return read_config(root / "mkdocs.yml", **overrides)


def edit_title(root: Path) -> str:
    record = sorted((root / "records").glob("*.md"))[5]
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")
    return record.stem


def inodes(site: Path) -> dict[str, int]:
    """Site-relative path -> inode of every file outside the search bundle."""
    return {
        p.relative_to(site).as_posix(): p.stat().st_ino
        for p in site.rglob("*")
        if p.is_file() and "pagefind" not in p.relative_to(site).parts
    }


def test_a_rebuild_reads_none_of_the_registry_outputs_again(
    project: Path, reads: list[str], settled_at_once: None
) -> None:
    build_site(config(project))
    edit_title(project)
    reads.clear()
    build_site(config(project))
    assert [p for p in reads if not p.startswith("/")] == []  # not the Pagefind binary: digests from the build


def test_a_cold_build_reads_none_of_the_registry_outputs_to_hash_them(
    project: Path, reads: list[str], settled_at_once: None
) -> None:
    build_site(config(project))
    assert [p for p in reads if not p.startswith("/")] == []  # the engine took their SHA-256 as it wrote them


def test_the_manifest_digests_are_the_sha256_of_the_published_files(project: Path) -> None:
    import hashlib
    import json

    build_site(config(project))
    site = project / "site"
    urls = json.loads((site / "manifest.json").read_text(encoding="utf-8"))["urls"]
    for url, entry in urls.items():
        relative = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
        assert entry["sha256"] == hashlib.sha256((site / relative).read_bytes()).hexdigest(), url


def test_a_build_without_the_cache_neither_reads_nor_writes_the_memo(
    project: Path, reads: list[str], settled_at_once: None
) -> None:
    build_site(config(project))
    memo = project / ".cache" / MEMO_FILE
    assert memo.is_file()
    memo.unlink()
    edit_title(project)
    reads.clear()
    build_site(config(project, use_cache=False))
    assert not memo.exists()
    assert DigestMemo.open(config(project, use_cache=False), project / "site").path is None


def test_a_corrupt_memo_is_ignored(project: Path, settled_at_once: None, tmp_path: Path) -> None:
    build_site(config(project))
    memo = project / ".cache" / MEMO_FILE
    data = bytearray(memo.read_bytes())
    data[-40] ^= 0xFF
    memo.write_bytes(bytes(data))
    assert read_memo(memo) == {}
    edit_title(project)
    build_site(config(project))
    cold = config(project, site_dir=str(tmp_path / "cold"), use_cache=False)
    build_site(cold)
    assert (project / "site" / "manifest.json").read_bytes() == (tmp_path / "cold" / "manifest.json").read_bytes()


@pytest.mark.parametrize("damage", [b"", b"not a memo", b"site-builder file digests 2\n" + b"\0" * 24 + b"x"])
def test_a_memo_that_is_not_one_reads_as_empty(tmp_path: Path, damage: bytes) -> None:
    (tmp_path / "memo").write_bytes(damage)
    assert read_memo(tmp_path / "memo") == {}


def test_a_remembered_digest_is_used_only_for_the_exact_size_mtime_and_inode(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b"first")
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    memo = DigestMemo(tmp_path / "memo", {})
    first = memo.sha256([found("page.html", str(page))])
    memo.save()
    with open(page, "r+b") as handle:  # same size, same inode: only the mtime tells
        handle.write(b"fresh")
    os.utime(page, ns=(1_000_000_001, 1_000_000_001))
    again = DigestMemo(tmp_path / "memo", read_memo(tmp_path / "memo"))
    assert again.sha256([found("page.html", str(page))]) != first
    assert again.hashed == 1


def test_a_file_modified_in_the_timestamp_tick_the_memo_was_opened_in_is_not_remembered(tmp_path: Path) -> None:
    """Within one tick a rewrite in place keeps the mtime: such a digest is not trusted next time."""
    clock = settled_before(tmp_path)
    old, new = tmp_path / "old.html", tmp_path / "new.html"
    old.write_bytes(b"old")
    new.write_bytes(b"new")
    os.utime(old, ns=(clock - 1, clock - 1))
    os.utime(new, ns=(clock, clock))
    memo = DigestMemo(tmp_path / "memo", {}, clock)
    memo.sha256([found("old.html", str(old)), found("new.html", str(new))])
    memo.save()
    assert [key.split("\0")[0] for key in read_memo(tmp_path / "memo")] == ["old.html"]


def test_the_settling_clock_is_the_file_systems_and_leaves_no_probe_behind(tmp_path: Path) -> None:
    written = tmp_path / "page.html"
    written.write_bytes(b"page")
    assert written.stat().st_mtime_ns <= settled_before(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_a_memo_round_trips_through_its_file(tmp_path: Path) -> None:
    entries = {f"records/{n}/index.html\0{n}\0{n * 7}\0{n * 11}": f"{n:064x}" for n in range(5)}
    write_memo(tmp_path / "memo", entries)
    assert read_memo(tmp_path / "memo") == entries
