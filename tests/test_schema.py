"""The JSON Schema of a published record: generated, committed, and true to record_json."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from site_builder.config import RegistryConfig, Term, read_config
from site_builder.model import SCHEMA_VERSION, Record, record_json
from site_builder.schema import record_schema, schema_text

CONFIG = RegistryConfig()


def validator(config: RegistryConfig = CONFIG) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(record_schema(config), format_checker=jsonschema.FormatChecker())


def errors(data: dict[str, Any], config: RegistryConfig = CONFIG) -> list[str]:
    return sorted(error.message for error in validator(config).iter_errors(data))


@pytest.fixture
def published(make_record: Callable[..., Record]) -> dict[str, Any]:
    """The published JSON of a valid record."""
    return record_json(make_record())


def test_committed_schema_is_the_generated_one(repo: Path) -> None:
    committed = (repo / "schema" / "record.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(read_config(repo / "mkdocs.yml")), (
        "schema/record.schema.json is out of date: run `site-builder schema` and commit the result"
    )


def test_schema_file_format_is_sorted_two_space_json_with_trailing_newline() -> None:
    text = schema_text(CONFIG)
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(record_schema(CONFIG))


def test_schema_has_an_id_title_and_version() -> None:
    schema = record_schema(RegistryConfig(site_url="https://example.org/registry/"))
    assert schema["$id"] == "https://example.org/registry/schema/record.schema.json"
    assert schema["title"] == "Research Registry record"
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert "schema_version" in schema["required"]


def test_schema_of_a_site_without_url_has_a_urn_id() -> None:
    assert record_schema(CONFIG)["$id"] == f"urn:site-builder:schema/record.schema:{SCHEMA_VERSION}"


def test_published_record_validates(published: dict[str, Any]) -> None:
    assert errors(published) == []


def test_committed_records_validate(repo: Path) -> None:
    from site_builder.load import load_records

    config = read_config(repo / "mkdocs.yml")
    loaded = load_records(config)
    assert loaded.records, "no committed records"
    for record in loaded.records:
        assert errors(record_json(record), config) == [], record.id


def test_schema_version_is_required(published: dict[str, Any]) -> None:
    del published["schema_version"]
    assert errors(published) == ["'schema_version' is a required property"]


@pytest.mark.parametrize(
    ("section", "field", "known"),
    [
        ("tier", "name", ["DOI grade", "Watchlist"]),
        ("gate", "status", ["Verified", "Unverified"]),
        ("dimensions", "evidence_strength", ["LOW", "MEDIUM", "HIGH"]),
        ("dimensions", "reproducibility_status", ["LOW", "MEDIUM", "HIGH"]),
        ("correction", "status", ["CURRENT", "CORRECTED"]),
        ("correction", "manifest_contract", ["paper-manifest-v1.1", "correction-record-v1", "source-provenance-v1"]),
        ("correction", "correction_contract", ["paper-manifest-v1.1", "correction-record-v1", "source-provenance-v1"]),
        ("provenance", "provenance_contract", ["paper-manifest-v1.1", "correction-record-v1", "source-provenance-v1"]),
    ],
)
def test_vocabulary_values_outside_the_configuration_are_invalid(
    published: dict[str, Any], section: str, field: str, known: list[str]
) -> None:
    published[section][field] = "Other"
    assert errors(published) == [f"'Other' is not one of {known!r}"]


def test_vocabularies_come_from_the_configuration(published: dict[str, Any]) -> None:
    config = RegistryConfig(tiers=(Term(name="Gold"), Term(name="Silver")))
    published["tier"]["name"] = "Gold"
    assert errors(published, config) == []
    assert errors(published) == ["'Gold' is not one of ['DOI grade', 'Watchlist']"]


def test_status_requiring_an_artifact_without_one_is_invalid(published: dict[str, Any]) -> None:
    published["gate"]["status"] = "Verified"
    assert errors(published) == ["[] should be non-empty"]
    published["artifacts"] = [{"title": "Lean4 proof", "path": "proof.lean"}]
    assert errors(published) == []


def test_blank_text_is_invalid(published: dict[str, Any]) -> None:
    published["provenance"]["note"] = "  "
    assert errors(published) == ["'  ' does not match '\\\\S'"]


def test_unknown_field_is_invalid(published: dict[str, Any]) -> None:
    published["tier"]["colour"] = "red"
    assert errors(published) == ["Additional properties are not allowed ('colour' was unexpected)"]


@pytest.mark.parametrize(
    "artifact",
    [
        {"title": "Escape", "path": "../secret"},
        {"title": "Both", "path": "a.txt", "url": "https://example.org/a"},
        {"title": "Neither"},
        {"title": "Ftp", "url": "ftp://example.org/a"},
    ],
    ids=["path-outside", "path-and-url", "no-location", "not-http"],
)
def test_artifact_the_model_refuses_is_invalid(published: dict[str, Any], artifact: dict[str, str]) -> None:
    published["artifacts"] = [artifact]
    assert errors(published) != []


def test_artifact_the_model_accepts_is_valid(published: dict[str, Any]) -> None:
    published["artifacts"] = [
        {"title": "Proof", "path": "proofs/main.lean"},
        {"title": "Repro", "url": "HTTPS://example.org/repro"},
    ]
    assert errors(published) == []


def test_time_without_zone_is_invalid(published: dict[str, Any]) -> None:
    published["gate"]["evaluated"] = "2026-06-10T06:30:49"
    assert len(errors(published)) == 1
    published["gate"]["evaluated"] = "2026-06-10T06:30:49Z"
    assert errors(published) == []


def test_record_with_every_optional_field_validates(published: dict[str, Any]) -> None:
    full = copy.deepcopy(published)
    full.update(
        published="2026-06-10",
        aliases=["old-id"],
        withdrawn={"date": "2026-07-01", "reason": "Duplicate of another record."},
        artifacts=[{"title": "Proof", "path": "proof.lean"}],
    )
    full["gate"].update(status="Verified", evaluated="2026-06-10T06:30:49+00:00")
    full["correction"].update(count=1, entries=[{"date": "2026-06-11", "change": "Fixed a number."}])
    assert errors(full) == []
    assert isinstance(Record.model_validate({k: v for k, v in full.items() if k != "schema_version"}), Record)
