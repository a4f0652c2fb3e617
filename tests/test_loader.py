"""Reading record files: every way a file can be broken gives located problems, never an exception."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from site_builder.config import RegistryConfig
from site_builder.load import load_records, read_record
from site_builder.model import Record
from site_builder.problems import Problem
from site_builder.recordtext import record_text

WriteRecord = Callable[..., Path]


def problems(path: Path, config: RegistryConfig) -> list[str]:
    result = read_record(path, config)
    assert isinstance(result, list), "the record was read as valid"
    assert result, "problems expected"
    return [str(p) for p in result]


def write(config: RegistryConfig, text: str | bytes, name: str = "rec-1.md") -> Path:
    path = config.records_dir / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def text(make_record: Callable[..., Record]) -> str:
    """The text of a valid record file, rec-1.md."""
    return record_text(make_record("rec-1"))


# --- valid files ---------------------------------------------------------------------------------


def test_valid_record_is_read(config: RegistryConfig, text: str, make_record: Callable[..., Record]) -> None:
    assert read_record(write(config, text), config) == make_record("rec-1")


def test_crlf_line_endings_are_read_as_lf(config: RegistryConfig, text: str) -> None:
    assert read_record(write(config, text.replace("\n", "\r\n")), config) == read_record(write(config, text), config)


def test_byte_order_mark_is_ignored(config: RegistryConfig, text: str) -> None:
    assert isinstance(read_record(write(config, b"\xef\xbb\xbf" + text.encode()), config), Record)


def test_record_file_round_trips_through_record_text(config: RegistryConfig, text: str) -> None:
    record = read_record(write(config, text), config)
    assert isinstance(record, Record)
    assert record_text(record) == text


def test_records_are_loaded_sorted_by_id(config: RegistryConfig, write_record: WriteRecord) -> None:
    for record_id in ("b", "c", "a"):
        write_record(record_id)
    loaded = load_records(config)
    assert (loaded.ok, [r.id for r in loaded.records]) == (True, ["a", "b", "c"])
    assert loaded.paths["a"] == config.records_dir / "a.md"


def test_readme_in_the_records_folder_is_allowed(config: RegistryConfig, write_record: WriteRecord) -> None:
    write_record("a")
    (config.records_dir / "README").write_text("Record files.\n", encoding="utf-8")
    assert load_records(config).ok


def test_attachment_folder_beside_its_record_is_allowed(config: RegistryConfig, write_record: WriteRecord) -> None:
    write_record("a")
    (config.records_dir / "a").mkdir()
    (config.records_dir / "a" / "notes.txt").write_text("x\n", encoding="utf-8")
    assert load_records(config).ok


# --- broken files --------------------------------------------------------------------------------


def test_empty_file(config: RegistryConfig) -> None:
    assert problems(write(config, ""), config) == [
        "records/rec-1.md:1: (file): the file is empty (YAML front matter between '---' lines, then the body)"
    ]


def test_whitespace_only_file_is_empty(config: RegistryConfig) -> None:
    assert problems(write(config, " \n\t\n"), config)[0].startswith("records/rec-1.md:1: (file): the file is empty")


def test_binary_file_names_the_line_of_the_nul_byte(config: RegistryConfig) -> None:
    assert problems(write(config, b"---\nid: a\n\x00"), config) == [
        "records/rec-1.md:3: (file): binary file: contains a NUL byte (a UTF-8 text file)"
    ]


def test_non_utf8_file_names_the_line_and_byte(config: RegistryConfig) -> None:
    assert problems(write(config, b"---\nid: a\ntitle: caf\xe9\n---\n"), config) == [
        "records/rec-1.md:3: (file): not UTF-8: byte 0xe9 cannot be decoded (a UTF-8 text file)"
    ]


def test_file_without_front_matter(config: RegistryConfig) -> None:
    assert problems(write(config, "# A title\n"), config) == [
        "records/rec-1.md:1: (front matter): the file does not start with '---' (YAML front matter first)"
    ]


def test_truncated_file_has_unclosed_front_matter(config: RegistryConfig, text: str) -> None:
    assert problems(write(config, text[: text.index("tier:")]), config) == [
        "records/rec-1.md:1: (front matter): the front matter is not closed (a second '---' line)"
    ]


def test_truncated_body_misses_a_section(config: RegistryConfig, text: str) -> None:
    cut = text[: text.index("## Research question")]
    assert problems(write(config, cut), config) == [
        "records/rec-1.md:37: research_question: missing section '## Research question' (required)"
    ]


def test_malformed_yaml_names_its_line(config: RegistryConfig, text: str) -> None:
    broken = text.replace("tier:\n", "tier: [\n")
    (problem,) = problems(write(config, broken), config)
    # the wording is libyaml's or PyYAML's, whichever parses; the place is the same
    assert problem.startswith("records/rec-1.md:14: (front matter): malformed YAML: ")
    assert problem.endswith(" (valid YAML)")


def test_front_matter_that_is_not_a_mapping(config: RegistryConfig) -> None:
    assert problems(write(config, "---\n- a\n- b\n---\n"), config) == [
        "records/rec-1.md:2: (front matter): the front matter is not a mapping ('key: value' lines)"
    ]


def test_date_that_does_not_exist_names_its_line(config: RegistryConfig, text: str) -> None:
    broken = text.replace("title:", "published: 2026-13-45\ntitle:")
    assert problems(write(config, broken), config) == [
        "records/rec-1.md:3: (front matter): invalid date '2026-13-45' (a real date such as 2026-06-10)"
    ]


def test_explicit_tag_with_an_impossible_value(config: RegistryConfig, text: str) -> None:
    broken = text.replace("source_grounded_claims: 0", "source_grounded_claims: !!int many")
    assert problems(write(config, broken), config) == [
        "records/rec-1.md:6: (front matter): invalid whole number 'many' (a valid whole number, or quote the text)"
    ]


def test_deeply_nested_value_is_a_problem_not_a_crash(config: RegistryConfig, text: str) -> None:
    broken = text.replace("title: 'TODO: the record''s title'", "title: " + "[" * 5000 + "]" * 5000)
    assert problems(write(config, broken), config) == [
        "records/rec-1.md:3: (front matter): malformed YAML: exceeded maximum nesting depth (valid YAML)"
    ]


def test_unknown_field_names_the_closest_known_field(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["gate"].update(reasn="why"))
    assert problems(path, config) == [
        "records/rec-1.md:12: gate.reasn: unknown field (did you mean 'reason'? known: status, name, reason, evaluated)"
    ]


def test_missing_field_names_its_section_line(config: RegistryConfig, write_record: WriteRecord) -> None:
    path = write_record("rec-1", lambda d: d["correction"].pop("manifest_contract"))
    assert problems(path, config) == ["records/rec-1.md:20: correction.manifest_contract: missing (required field)"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["verification"].update(source_grounded_claims="many"),
            "records/rec-1.md:6: verification.source_grounded_claims: 'many' is the wrong type or value "
            "(a whole number)",
        ),
        (
            lambda d: d["verification"].update(source_grounded_claims=2.5),
            "records/rec-1.md:6: verification.source_grounded_claims: 2.5 is the wrong type or value (a whole number)",
        ),
        (
            lambda d: d["correction"].update(count=-1),
            "records/rec-1.md:22: correction.count: -1 is the wrong type or value (a number >= 0)",
        ),
        (
            lambda d: d.update(title=True),
            "records/rec-1.md:3: title: True is the wrong type or value (text; quote values such as yes, no, 1.0 or "
            "dates)",
        ),
        (
            lambda d: d.update(published="soon"),
            "records/rec-1.md:36: published: 'soon' is the wrong type or value (a date such as 2026-06-10)",
        ),
        (
            lambda d: d.update(aliases="old"),
            "records/rec-1.md:36: aliases: 'old' is the wrong type or value (a list of '- ' items)",
        ),
        (
            lambda d: d.update(gate="Unverified"),
            "records/rec-1.md:8: gate: 'Unverified' is the wrong type or value (a mapping of 'key: value' lines)",
        ),
        (
            lambda d: d["tier"].update(basis="   "),
            "records/rec-1.md:14: tier.basis: must not be empty",
        ),
    ],
    ids=[
        "text-for-number",
        "fraction",
        "negative",
        "bool-for-text",
        "bad-date",
        "text-for-list",
        "text-for-mapping",
        "blank",
    ],
)
def test_wrong_type_or_value(
    config: RegistryConfig, write_record: WriteRecord, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    assert problems(write_record("rec-1", change), config) == [expected]


def test_body_section_given_in_the_front_matter(config: RegistryConfig, text: str) -> None:
    broken = text.replace("title:", "abstract: In the wrong place.\ntitle:")
    assert problems(write(config, broken), config) == [
        "records/rec-1.md:3: abstract: given in the front matter (a body section instead)"
    ]


def test_unknown_body_section(config: RegistryConfig, text: str) -> None:
    broken = text.replace("## Research question", "## Methods")
    assert problems(write(config, broken), config) == [
        "records/rec-1.md:42: (body): unknown section '## Methods' (sections: '## Abstract', '## Research question')"
    ]


def test_body_section_given_twice(config: RegistryConfig, text: str) -> None:
    assert problems(write(config, text + "\n## Abstract\n\nAgain.\n"), config) == [
        "records/rec-1.md:46: abstract: section '## Abstract' appears twice (once)"
    ]


def test_text_outside_a_body_section(config: RegistryConfig, text: str) -> None:
    broken = text.replace("---\n\n## Abstract", "---\nStray text.\n\n## Abstract")
    assert problems(write(config, broken), config) == [
        "records/rec-1.md:37: (body): text outside a section ('## Abstract' before the text)"
    ]


def test_every_problem_of_a_file_is_reported(config: RegistryConfig, write_record: WriteRecord) -> None:
    def break_three(data: dict[str, Any]) -> None:
        data["tier"]["name"] = "Gold"
        data["dimensions"]["citation_grounding"] = "SOME"
        data["correction"]["count"] = 3

    assert [p.split(": ")[1] for p in problems(write_record("rec-1", break_three), config)] == [
        "tier.name",
        "dimensions.citation_grounding",
        "correction.count",
    ]


def test_unreadable_path_is_a_problem(config: RegistryConfig) -> None:
    assert read_record(config.records_dir, config) == [
        Problem("records", 1, "(file)", "cannot read the file: Is a directory")
    ]


# --- the records folder --------------------------------------------------------------------------


def test_missing_records_folder(tmp_path: Path) -> None:
    loaded = load_records(RegistryConfig(records_dir=tmp_path / "none"))
    assert [p.message for p in loaded.problems] == ["the records directory does not exist"]


def test_problems_of_all_files_are_collected(config: RegistryConfig, write_record: WriteRecord) -> None:
    write_record("a", lambda d: d.pop("title"))
    write_record("b")
    write(config, "", "c.md")
    loaded = load_records(config)
    assert [r.id for r in loaded.records] == ["b"]
    assert [(p.path, p.field) for p in loaded.problems] == [("records/a.md", "title"), ("records/c.md", "(file)")]


# --- the documentation ---------------------------------------------------------------------------


def test_full_example_of_the_record_format_page_passes_check(repo: Path, config: RegistryConfig) -> None:
    doc = (repo / "docs" / "record-format.md").read_text(encoding="utf-8")
    example = re.search(r"```markdown\n(.*?)```", doc, re.S)
    assert example is not None
    record_id = re.search(r"^id: (\S+)$", example.group(1), re.M)
    assert record_id is not None
    assert isinstance(read_record(write(config, example.group(1), f"{record_id.group(1)}.md"), config), Record)


def test_yaml_examples_of_the_record_format_page_pass_check(
    repo: Path, config: RegistryConfig, write_record: WriteRecord
) -> None:
    import yaml

    doc = (repo / "docs" / "record-format.md").read_text(encoding="utf-8")
    snippets = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", doc, re.S)]
    record_snippets = [s for s in snippets if "plugins" not in s]
    assert len(record_snippets) == 2
    (config.records_dir / "rec-1").mkdir()
    (config.records_dir / "rec-1" / "proof.lean").write_text("theorem t : True := trivial\n", encoding="utf-8")

    def apply(data: dict[str, Any]) -> None:
        for snippet in record_snippets:
            for key, value in snippet.items():
                if isinstance(value, dict) and isinstance(data.get(key), dict):
                    data[key].update(value)
                else:
                    data[key] = value

    assert isinstance(read_record(write_record("rec-1", apply), config), Record)


# --- found by the property tests -----------------------------------------------------------------


def test_key_with_a_bracket_is_an_unknown_field(config: RegistryConfig, text: str) -> None:
    broken = text.replace("title:", "'[': 1\ntitle:")
    (problem,) = problems(write(config, broken), config)
    assert problem.startswith("records/rec-1.md:3: [: unknown field (did you mean ")


def test_key_with_a_line_break_stays_on_one_problem_line(config: RegistryConfig, text: str) -> None:
    broken = text.replace("title:", '"a\\nb": 1\ntitle:')
    (problem,) = problems(write(config, broken), config)
    assert problem.startswith("records/rec-1.md:3: 'a\\nb': unknown field (did you mean ")


def test_last_value_ending_in_a_line_break_reads_back_unchanged(
    config: RegistryConfig, make_record: Callable[..., Record]
) -> None:
    record = make_record("rec-1")
    record = record.model_copy(
        update={"provenance": record.provenance.model_copy(update={"note": "Two lines,\nend.\n"})}
    )
    assert record_text(record).count("note: |") == 1
    assert read_record(write(config, record_text(record)), config) == record
