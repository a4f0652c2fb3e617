"""The manifest a build wrote is kept beside its cache: the next build reads its entries there, not the JSON."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from discovery_fixtures import SITE_URL, build_site_for, load_json, records
from site_fixtures import REPO, make_record

from site_builder.config import RegistryConfig
from site_builder.discovery import dates
from site_builder.discovery.keptmanifest import (
    KeptManifestWriter,
    kept_manifest_path,
    kept_while_written,
    read_kept_manifest,
)
from site_builder.discovery.manifest import Entry, ManifestFields, Row, entry_rows, parse_manifest

DAY = date(2026, 3, 1)
ENTRIES = [
    ("/", Entry("a" * 64, DAY, DAY)),
    ("/records/x/", Entry("b" * 64, date(2025, 1, 7), DAY)),
    ("/records/é/", Entry("c" * 64, DAY, date(2026, 4, 1))),
]
ROWS = list(entry_rows(ENTRIES))


def config(tmp_path: Path) -> RegistryConfig:
    """The configuration ``build_site_for(tmp_path, ...)`` builds with."""
    settings = {"project_dir": REPO, "records_dir": tmp_path / "records", "site_dir": tmp_path / "site"}
    return RegistryConfig.from_settings({**settings, "cache_dir": tmp_path / "cache", "site_url": SITE_URL})


def kept(tmp_path: Path, rows: list[Row], manifest: bytes = b"{}") -> Path:
    """``rows`` written through a kept-manifest writer while ``manifest`` is written as the manifest file."""
    writer = KeptManifestWriter(tmp_path / "cache" / "kept.bin")
    assert list(writer.passing(rows)) == rows  # what passes is untouched
    (tmp_path / "manifest.json").write_bytes(b"".join(writer.hashing([manifest[:1], manifest[1:]])))
    writer.commit()
    return writer.path


def test_kept_entries_read_back_as_they_were_written_while_the_manifests_bytes_are_the_same(tmp_path: Path) -> None:
    entries = read_kept_manifest(kept(tmp_path, ROWS), tmp_path / "manifest.json")
    assert entries is not None
    assert list(entries) == [url for url, _ in ENTRIES] and dict(entries) == dict(ENTRIES)
    assert entries.get("/missing/") is None and len(entries) == 3


def test_kept_entries_are_not_read_for_other_bytes_of_the_same_size_and_time(tmp_path: Path) -> None:
    path = kept(tmp_path, ROWS, b'{"a": 1}')
    manifest = tmp_path / "manifest.json"
    before = manifest.stat()
    manifest.write_bytes(b'{"a": 2}')  # rewritten in place, as a checkout within one clock tick could
    os.utime(manifest, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert read_kept_manifest(path, manifest) is None


def test_a_url_kept_twice_counts_once_with_its_later_entry_as_in_json() -> None:
    fields = ["/a", "1" * 64, "2026-03-01", "2026-03-01", "/a", "2" * 64, "2025-01-01", "2026-03-01"]
    assert dict(ManifestFields(fields)) == {"/a": Entry("2" * 64, date(2025, 1, 1), DAY)}


def test_a_damaged_or_missing_kept_file_is_not_read(tmp_path: Path) -> None:
    path = kept(tmp_path, ROWS)
    data = bytearray(path.read_bytes())
    data[-3] ^= 1
    path.write_bytes(bytes(data))
    assert read_kept_manifest(path, tmp_path / "manifest.json") is None
    assert read_kept_manifest(tmp_path / "none.bin", tmp_path / "manifest.json") is None


def test_a_writer_discarded_leaves_no_file(tmp_path: Path) -> None:
    writer = KeptManifestWriter(tmp_path / "kept.bin")
    list(writer.passing(ROWS))
    writer.discard()
    assert list(tmp_path.iterdir()) == []


def test_the_kept_entries_of_a_built_site_are_its_manifests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_site_for(tmp_path, monkeypatch, records())
    path = site / "manifest.json"
    found = read_kept_manifest(kept_manifest_path(config(tmp_path)), path)
    assert found is not None and found == parse_manifest(path.read_text(encoding="utf-8"))


def test_a_rebuild_takes_its_dates_from_the_kept_entries_without_parsing_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site_for(tmp_path, monkeypatch, records())

    def never(path: Path) -> None:
        raise AssertionError(f"{path} parsed")

    monkeypatch.setattr(dates, "read_manifest", never)
    changed = [make_record("plain", title="Plain record, retitled", published="2026-01-10"), *records()[1:]]
    site = build_site_for(tmp_path, monkeypatch, changed)
    assert load_json(site, "manifest.json")["urls"]["/records/plain/"]["first_published"] == "2026-03-01"


def test_a_manifest_rewritten_since_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_site_for(tmp_path, monkeypatch, records())
    manifest = site / "manifest.json"
    text = manifest.read_bytes().replace(b'"2026-03-01"', b'"2025-06-30"')  # the same size
    manifest.unlink()
    manifest.write_bytes(text)
    changed = [make_record("plain", title="Plain record, retitled", published="2026-01-10"), *records()[1:]]
    site = build_site_for(tmp_path, monkeypatch, changed)
    assert load_json(site, "manifest.json")["urls"]["/records/plain/"]["first_published"] == "2025-06-30"


def test_a_manifest_restored_byte_for_byte_is_still_read_from_the_kept_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = build_site_for(tmp_path, monkeypatch, records())
    manifest = site / "manifest.json"
    text = manifest.read_bytes()
    manifest.unlink()
    manifest.write_bytes(text)  # another file, the same bytes (a checkout of what was deployed)
    assert read_kept_manifest(kept_manifest_path(config(tmp_path)), manifest) is not None


def test_entries_are_kept_only_when_the_manifest_was_written(tmp_path: Path) -> None:
    def fails(parts: object) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        kept_while_written(tmp_path / "kept.bin", ROWS, lambda rows: [b"{}"], fails)
    assert list(tmp_path.iterdir()) == []
    written = kept_while_written(tmp_path / "kept.bin", ROWS, lambda rows: [str(len(list(rows))).encode()], b"".join)
    assert written == b"3" and [path.name for path in tmp_path.iterdir()] == ["kept.bin"]
