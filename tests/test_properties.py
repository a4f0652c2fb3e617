"""Properties: whatever the input, the importer and the loader give a record or located problems, never raise."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from site_builder.config import RegistryConfig
from site_builder.importer import import_page, page_rows, page_text, parse_page
from site_builder.load import read_record
from site_builder.model import BODY_SECTIONS, Record
from site_builder.problems import Problem
from site_builder.recordtext import front_matter, record_text
from site_builder.scaffold import scaffold_record

CONFIG = RegistryConfig()
RECORD_PATH = Path("records/rec-1.md")
PAGE_PATH = Path("001_rec-1.txt")
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_BASE = scaffold_record("rec-1", CONFIG)
assert isinstance(_BASE, Record)
BASE: Record = _BASE


def outcome_is_record_or_problems(result: object, path: str) -> None:
    """The only outcomes: a Record, or a non-empty list of Problems located in ``path``."""
    if isinstance(result, Record):
        return
    assert isinstance(result, list), f"neither a record nor problems: {result!r}"
    assert result, "a refusal without any problem"
    for problem in result:
        assert isinstance(problem, Problem)
        assert problem.path == path
        assert problem.line >= 1
        assert problem.field
        assert problem.message
        assert "\n" not in str(problem)


# --- strategies ----------------------------------------------------------------------------------

KNOWN_KEYS = [
    "id", "title", "published", "verification", "gate", "tier", "dimensions", "correction", "provenance",
    "artifacts", "aliases", "withdrawn", "status", "name", "count", "entries", "date", "change", "path", "url",
    "evaluated", "basis", "abstract", "research_question",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, UTC, timezone(timedelta(hours=-5))])),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=10))
yaml_data = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=25,
)
# Text a record may hold: no control characters (the model refuses them), every other character.
record_text_values = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), st.sampled_from("\n\t")),
    max_size=40,
)
# Text as pages and records hold it: lines of printable text, the characters tables and YAML care about.
line_text = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8", exclude_categories=["Cs"]), st.sampled_from("|#:-'\"\t ")),
    max_size=40,
)


def as_shown(text: str) -> str:
    """Text as a plain-text page shows it: its lines, each without surrounding white space."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def base_data() -> dict[str, Any]:
    data = front_matter(BASE)
    data.update({name: getattr(BASE, name) for name in BODY_SECTIONS.values()})
    return data


def file_from(data: dict[str, Any]) -> str:
    body = "".join(f"\n## {h}\n\n{data.pop(n)}\n" for h, n in BODY_SECTIONS.items() if n in data)
    return f"---\n{dump(data)}---\n{body}"


# --- the importer --------------------------------------------------------------------------------


@PROPERTY
@given(st.text())
def test_importer_on_any_text_gives_a_record_or_problems(text: str) -> None:
    outcome_is_record_or_problems(parse_page(text, "rec-1", source="p.txt", config=CONFIG), "p.txt")


@PROPERTY
@given(st.binary())
def test_importer_on_any_bytes_gives_a_record_or_problems(raw: bytes) -> None:
    outcome_is_record_or_problems(import_page(PAGE_PATH, CONFIG, "p.txt", raw=raw), "p.txt")


@PROPERTY
@given(st.lists(st.one_of(line_text, st.sampled_from(page_text(BASE).split("\n"))), max_size=60))
def test_importer_on_page_like_lines_gives_a_record_or_problems(lines: list[str]) -> None:
    outcome_is_record_or_problems(parse_page("\n".join(lines), "rec-1", source="p.txt", config=CONFIG), "p.txt")


@PROPERTY
@given(st.data())
def test_importer_keeps_any_value_it_accepts_unchanged(data: st.DataObject) -> None:
    """Replace one row's value of a valid page by anything: refused, or imported with that exact value."""
    rows = list(page_rows(BASE))
    section, field, label, old = data.draw(st.sampled_from(rows))
    new = data.draw(line_text.filter(lambda v: "|" not in v))  # a '|' in a value makes a page row ambiguous
    text = page_text(BASE).replace(f"| {label} | {old} |", f"| {label} | {new} |", 1)
    result = parse_page(text, "rec-1", source="p.txt", config=CONFIG)
    outcome_is_record_or_problems(result, "p.txt")
    if isinstance(result, Record):
        shown = {(s, f): v for s, f, _, v in page_rows(result)}
        assert shown[(section, field)] == new.strip()


@PROPERTY
@given(title=line_text, abstract=line_text, question=line_text)
def test_importer_keeps_any_prose_it_accepts_unchanged(title: str, abstract: str, question: str) -> None:
    record = BASE.model_copy(update={"title": title, "abstract": abstract, "research_question": question})
    result = parse_page(page_text(record), "rec-1", source="p.txt", config=CONFIG)
    outcome_is_record_or_problems(result, "p.txt")
    if isinstance(result, Record):  # exactly the text the page shows: lines without surrounding spaces
        assert (result.title, result.abstract, result.research_question) == tuple(
            as_shown(text) for text in (title, abstract, question)
        )


# --- the loader ----------------------------------------------------------------------------------


@PROPERTY
@given(st.binary())
def test_loader_on_any_bytes_gives_a_record_or_problems(raw: bytes) -> None:
    outcome_is_record_or_problems(read_record(RECORD_PATH, CONFIG, raw=raw), "records/rec-1.md")


@PROPERTY
@given(st.text())
def test_loader_on_any_text_after_a_fence_gives_a_record_or_problems(text: str) -> None:
    raw = ("---\n" + text).encode("utf-8")
    outcome_is_record_or_problems(read_record(RECORD_PATH, CONFIG, raw=raw), "records/rec-1.md")


@PROPERTY
@given(yaml_data, st.booleans())
def test_loader_on_any_yaml_front_matter_gives_a_record_or_problems(data: Any, with_body: bool) -> None:
    body = "\n## Abstract\n\nText.\n\n## Research question\n\nWhy?\n" if with_body else ""
    raw = f"---\n{dump(data)}---\n{body}".encode()
    outcome_is_record_or_problems(read_record(RECORD_PATH, CONFIG, raw=raw), "records/rec-1.md")


@PROPERTY
@given(st.data())
def test_loader_on_a_valid_record_with_any_part_replaced_gives_a_record_or_problems(data: st.DataObject) -> None:
    """A valid record whose field (at any depth) holds arbitrary YAML data instead."""
    record = base_data()
    node: Any = record
    while True:
        key = data.draw(st.sampled_from(sorted(node)))
        if not isinstance(node[key], dict) or data.draw(st.booleans()):
            break
        node = node[key]
    node[key] = data.draw(yaml_data)
    raw = file_from(record).encode("utf-8")
    outcome_is_record_or_problems(read_record(RECORD_PATH, CONFIG, raw=raw), "records/rec-1.md")


@PROPERTY
@given(
    title=record_text_values,
    claims=st.integers(min_value=0, max_value=10**12),
    published=st.none() | st.dates(min_value=date(1900, 1, 1)),
    evaluated=st.none()
    | st.datetimes(min_value=datetime(1900, 1, 1), timezones=st.sampled_from([UTC, timezone(timedelta(hours=3))])),
    note=record_text_values,
)
def test_any_record_the_loader_accepts_reads_back_from_its_file(
    title: str, claims: int, published: date | None, evaluated: datetime | None, note: str
) -> None:
    data = BASE.model_dump()
    data.update(title=title, published=published)
    data["verification"]["source_grounded_claims"] = claims
    data["gate"]["evaluated"] = evaluated
    data["provenance"]["note"] = note
    try:
        record = Record.model_validate(data)
    except ValidationError:
        assume(False)  # e.g. a blank title: the model refuses it before any file is written
    result = read_record(RECORD_PATH, CONFIG, raw=record_text(record).encode("utf-8"))
    assert result == record
    assert isinstance(result, Record)
    assert record_text(result) == record_text(record)
