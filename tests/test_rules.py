"""Registry rules (site_builder.rules and the model's own checks): one bad record for each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from site_builder.config import GateStatus, RegistryConfig, Term
from site_builder.load import load_records, read_record
from site_builder.model import Record
from site_builder.problems import Problem
from site_builder.rules import check_library

WriteRecord = Callable[..., Path]


def problems(path: Path, config: RegistryConfig) -> list[str]:
    result = read_record(path, config)
    assert isinstance(result, list), "the record was read as valid"
    assert result, "problems expected"
    return [str(p) for p in result]


def attach(config: RegistryConfig, record_id: str, name: str) -> None:
    folder = config.records_dir / record_id
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("theorem t : True := trivial\n", encoding="utf-8")


# --- vocabularies --------------------------------------------------------------------------------


def test_unknown_tier_names_the_closest_tier(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["tier"].update(name="watchlist "))
    assert problems(path, config) == [
        "records/rec-1.md:13: tier.name: unknown tier 'watchlist ' (did you mean 'Watchlist'? "
        "known: 'DOI grade', 'Watchlist')"
    ]


def test_unknown_gate_status(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["gate"].update(status="VERIFIED"))
    assert problems(path, config) == [
        "records/rec-1.md:9: gate.status: unknown gate status 'VERIFIED' (did you mean 'Verified'? "
        "known: 'Verified', 'Unverified')"
    ]


def test_unknown_dimension_level(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["dimensions"].update(uncertainty_disclosure="MID"))
    assert problems(path, config) == [
        "records/rec-1.md:18: dimensions.uncertainty_disclosure: unknown level 'MID' (did you mean 'MEDIUM'? "
        "known: 'LOW', 'MEDIUM', 'HIGH')"
    ]


def test_unknown_correction_status(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["correction"].update(status="CORRECT"))
    assert problems(path, config) == [
        "records/rec-1.md:21: correction.status: unknown status 'CORRECT' (did you mean 'CORRECTED'? "
        "known: 'CURRENT', 'CORRECTED')"
    ]


@pytest.mark.parametrize(
    ("section", "field", "line"),
    [
        ("correction", "manifest_contract", 23),
        ("correction", "correction_contract", 24),
        ("provenance", "provenance_contract", 34),
    ],
)
def test_unknown_contract(
    config: RegistryConfig, write_record: WriteRecord, section: str, field: str, line: int
) -> None:
    path = write_record("rec-1", lambda d: d[section].update({field: "paper-manifest-v2"}))
    assert problems(path, config) == [
        f"records/rec-1.md:{line}: {section}.{field}: unknown contract 'paper-manifest-v2' "
        "(did you mean 'paper-manifest-v1.1'? known: 'paper-manifest-v1.1', 'correction-record-v1', "
        "'source-provenance-v1')"
    ]


def test_vocabularies_come_from_the_configuration(project: Path, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["tier"].update(name="Gold"))
    config = RegistryConfig(records_dir=project / "records", tiers=(Term(name="Gold"),))
    assert isinstance(read_record(path, config), Record)


# --- gate status and artifacts -------------------------------------------------------------------


def test_verified_without_artifact(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["gate"].update(status="Verified"))
    assert problems(path, config) == [
        "records/rec-1.md:9: gate.status: status 'Verified' requires an attached artifact, and the record has none "
        "(an 'artifacts' entry: Lean4 proof source, or repro script and results)"
    ]


def test_verified_with_an_attached_file_is_valid(config: RegistryConfig, write_record: WriteRecord) -> None:
    def verified(data: dict[str, Any]) -> None:
        data["gate"]["status"] = "Verified"
        data["artifacts"] = [{"title": "Lean4 proof", "path": "proofs/main.lean"}]

    attach(config, "rec-1", "proofs/main.lean")
    assert isinstance(read_record(write_record("rec-1", verified), config), Record)


def test_verified_with_a_url_artifact_is_valid(config: RegistryConfig, write_record: WriteRecord) -> None:
    def verified(data: dict[str, Any]) -> None:
        data["gate"]["status"] = "Verified"
        data["artifacts"] = [{"title": "Sandbox run", "url": "https://example.org/runs/1"}]

    assert isinstance(read_record(write_record("rec-1", verified), config), Record)


def test_which_statuses_require_an_artifact_is_configuration(project: Path, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["gate"].update(status="Verified"))
    config = RegistryConfig(
        records_dir=project / "records",
        gate_statuses=(GateStatus(name="Verified"), GateStatus(name="Unverified")),
    )
    assert isinstance(read_record(path, config), Record)


def test_missing_artifact_file(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d.update(artifacts=[{"title": "Proof", "path": "proof.lean"}]))
    assert problems(path, config) == [
        "records/rec-1.md:38: artifacts[0].path: attached file 'proof.lean' does not exist "
        "(a file at rec-1/proof.lean beside the record)"
    ]


def test_artifact_folder_is_not_a_file(config: RegistryConfig, write_record: WriteRecord) -> None:
    (config.records_dir / "rec-1" / "proof.lean").mkdir(parents=True)
    path = write_record("rec-1", lambda d: d.update(artifacts=[{"title": "Proof", "path": "proof.lean"}]))
    assert problems(path, config)[0].startswith("records/rec-1.md:38: artifacts[0].path: attached file 'proof.lean'")


@pytest.mark.parametrize(
    ("artifact", "message"),
    [
        ({"title": "x", "path": "../other/proof.lean"}, "path '../other/proof.lean' must be relative, inside "),
        ({"title": "x", "path": "/etc/passwd"}, "path '/etc/passwd' must be relative, inside "),
        ({"title": "x", "path": "a/./b"}, "path 'a/./b' must be relative, inside "),
        ({"title": "x", "url": "javascript:alert(1)"}, "url 'javascript:alert(1)' must start with http:// or https://"),
        ({"title": "x"}, "give exactly one of path (a file in records/<id>/) or url"),
        ({"title": "x", "path": "a", "url": "https://example.org"}, "give exactly one of path"),
    ],
    ids=["parent", "absolute", "dot", "javascript-url", "neither", "both"],
)
def test_artifact_location_is_checked(
    config: RegistryConfig, write_record: WriteRecord, artifact: dict[str, str], message: str
) -> None:
    path = write_record("rec-1", lambda d: d.update(artifacts=[artifact]))
    (problem,) = problems(path, config)
    assert problem.startswith(f"records/rec-1.md:37: artifacts[0]: {message}")


# --- corrections ---------------------------------------------------------------------------------


def test_correction_count_must_equal_the_entries(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["correction"].update(count=1))
    assert problems(path, config) == [
        "records/rec-1.md:22: correction.count: correction count is 1 but 0 correction entries are listed (count: 0)"
    ]


def test_correction_entries_counted_are_valid(config: RegistryConfig, write_record: WriteRecord) -> None:
    entries = [{"date": date(2026, 7, 1), "change": "Fixed a count."}, {"date": date(2026, 8, 1), "change": "More."}]
    path = write_record("rec-1", lambda d: d["correction"].update(status="CORRECTED", count=2, entries=entries))
    record = read_record(path, config)
    assert isinstance(record, Record)
    assert [e.change for e in record.correction.entries] == ["Fixed a count.", "More."]


def test_correction_entry_needs_a_date_and_a_change(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["correction"].update(count=1, entries=[{"change": "No date."}]))
    assert problems(path, config) == ["records/rec-1.md:26: correction.entries[0].date: missing (required field)"]


# --- ids -----------------------------------------------------------------------------------------


def test_id_must_match_the_file_name(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-2", name="rec-1.md")
    assert problems(path, config) == [
        "records/rec-1.md:2: id: id 'rec-2' does not match the file name 'rec-1.md' (file rec-2.md)"
    ]


@pytest.mark.parametrize("bad_id", ["../x", "a/b", "ABC", "-a", "", "a" * 65, "a b", "é"])
def test_unsafe_or_malformed_id_is_refused(config: RegistryConfig, write_record: WriteRecord, bad_id: str) -> None:
    path = write_record("rec-1", lambda d: d.update(id=bad_id))
    (problem,) = problems(path, config)
    assert problem.startswith("records/rec-1.md:2: id: ")
    assert problem.endswith(" is not allowed (matching ^[a-z0-9][a-z0-9_-]{0,63}$)")


def test_record_file_name_must_be_a_valid_id(config: RegistryConfig, write_record: WriteRecord) -> None:
    write_record("rec-1", name="Rec 1.md")
    assert str(load_records(config).problems[0]) == (
        "records/Rec 1.md:1: (file name): 'Rec 1.md' is not a valid record file name "
        "(<id>.md with an id of lowercase letters, digits, - and _)"
    )


def test_duplicate_ids_differing_in_case_are_refused(make_record: Callable[..., Record]) -> None:
    lower = make_record("abc")
    upper = lower.model_copy(update={"id": "ABC"})  # not a valid id: only check_library sees it here
    assert check_library([(lower, "records/abc.md"), (upper, "records/ABC.md")], lambda path, loc: 7) == [
        Problem("records/ABC.md", 7, "id", "id 'ABC' is already used by records/abc.md", "unique ids")
    ]


def test_duplicate_ids_are_refused(make_record: Callable[..., Record]) -> None:
    record = make_record("abc")
    assert check_library([(record, "records/abc.md"), (record, "records/abc-2.md")], lambda path, loc: 7) == [
        Problem("records/abc-2.md", 7, "id", "id 'abc' is already used by records/abc.md", "unique ids")
    ]


# --- aliases -------------------------------------------------------------------------------------


def test_alias_that_is_the_records_own_address(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d.update(aliases=["old-name", "rec-1"]))
    assert problems(path, config) == [
        "records/rec-1.md:38: aliases[1]: alias 'rec-1' is the record's own address (a former id or path)"
    ]


def test_alias_that_is_another_records_id(config: RegistryConfig, write_record: WriteRecord) -> None:
    write_record("rec-1", lambda d: d.update(aliases=["Records/REC-2/"]))
    write_record("rec-2")
    assert [str(p) for p in load_records(config).problems] == [
        "records/rec-1.md:37: aliases[0]: alias 'Records/REC-2/' is the id of records/rec-2.md (a free address)"
    ]


def test_alias_claimed_by_two_records(config: RegistryConfig, write_record: WriteRecord) -> None:
    write_record("rec-1", lambda d: d.update(aliases=["old"]))
    write_record("rec-2", lambda d: d.update(aliases=["records/old"]))
    assert [str(p) for p in load_records(config).problems] == [
        "records/rec-2.md:37: aliases[0]: alias 'records/old' is also claimed by records/rec-1.md (one owner per alias)"
    ]


def test_alias_with_unsafe_characters_is_refused(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d.update(aliases=["<script>"]))
    (problem,) = problems(path, config)
    assert problem.startswith("records/rec-1.md:37: aliases[0]: '<script>' is not allowed (matching ")


# --- the model -----------------------------------------------------------------------------------


def test_unknown_field(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d.update(summary="x"))
    (problem,) = problems(path, config)
    assert problem.startswith("records/rec-1.md:36: summary: unknown field (did you mean ")


def test_missing_field(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["provenance"].pop("publisher"))
    assert problems(path, config) == ["records/rec-1.md:26: provenance.publisher: missing (required field)"]


def test_wrong_type(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["verification"].update(source_grounded_claims="20 claims"))
    assert problems(path, config) == [
        "records/rec-1.md:6: verification.source_grounded_claims: '20 claims' is the wrong type or value "
        "(a whole number)"
    ]


def test_evaluated_time_needs_a_time_zone(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["gate"].update(evaluated="2026-06-10T06:30:49"))
    assert problems(path, config) == [
        "records/rec-1.md:12: gate.evaluated: must include a time zone, e.g. 2026-06-10T06:30:49+00:00"
    ]


def test_withdrawal_needs_a_reason(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d.update(withdrawn={"date": date(2026, 7, 1), "reason": ""}))
    assert problems(path, config) == ["records/rec-1.md:38: withdrawn.reason: must not be empty"]


def test_every_rule_of_a_record_is_reported_at_once(config: RegistryConfig, write_record: WriteRecord) -> None:
    def break_rules(data: dict[str, Any]) -> None:
        data["gate"]["status"] = "Verified"
        data["tier"]["name"] = "Gold"
        data["correction"]["count"] = 4

    path = write_record("rec-2", break_rules, name="rec-1.md")
    assert [p.split(": ")[1] for p in problems(path, config)] == ["id", "gate.status", "tier.name", "correction.count"]
