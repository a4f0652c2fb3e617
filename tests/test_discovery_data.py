"""Data for scripts: record.json per record, api/records.json and api/records.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from discovery_fixtures import load_json, module_site, records


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return module_site(tmp_path_factory)


def test_every_record_json_validates_against_the_published_schema(site: Path) -> None:
    schema = load_json(site, "schema/record.schema.json")
    validator = jsonschema.Draft202012Validator(schema)
    for record in records():
        data = load_json(site, f"records/{record.id}/record.json")
        assert not list(validator.iter_errors(data)), record.id


def test_record_json_carries_the_schema_version(site: Path) -> None:
    assert load_json(site, "records/plain/record.json")["schema_version"]


def test_the_api_lists_every_record_with_its_summary(site: Path) -> None:
    rows = {row["id"]: row for row in load_json(site, "api/records.json")["records"]}
    assert set(rows) == {r.id for r in records()}
    row = rows["corrected"]
    assert row["url"] == "https://example.org/registry/records/corrected/"
    assert (row["tier"], row["verdict"], row["status"]) == ("Watchlist", "Unverified", "current")
    assert row["dimensions"]["reproducibility_status"] == "HIGH"
    assert (row["published"], row["updated"]) == ("2025-12-01", "2026-02-01")


def test_the_jsonl_file_has_the_same_rows_one_a_line(site: Path) -> None:
    lines = (site / "api/records.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == load_json(site, "api/records.json")["records"]


def test_the_api_rows_are_separated_by_commas_in_place_and_commas_inside_a_row_are_kept() -> None:
    from site_builder.discovery.data import _separate_with_commas

    rows = bytearray(b'{"records":[{"a":"x,y\\n"}\n{"b":1}\n')
    _separate_with_commas(rows, len(b'{"records":['))
    assert rows == b'{"records":[{"a":"x,y\\n"},{"b":1}'
    none = bytearray(b'{"records":[')
    _separate_with_commas(none, len(none))
    assert none == b'{"records":['


def test_a_registry_without_records_publishes_an_empty_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from discovery_fixtures import build_site_for

    site = build_site_for(tmp_path, monkeypatch, [])
    assert load_json(site, "api/records.json")["records"] == []
    assert load_json(site, "api/records.json")["count"] == 0
    assert (site / "api/records.jsonl").read_bytes() == b""
