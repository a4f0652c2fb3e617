"""Plain block YAML read line by line: ``yaml.safe_load``'s values, or the document handed back to PyYAML."""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yamlvalues import outcome, safe_load, typed

from site_builder import frontmatter, plainyaml
from site_builder.plainyaml import NotPlain, load_plain

ROOT = Path(__file__).resolve().parent.parent


def front_matter_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n") + "\n"


def test_a_record_s_front_matter_is_read_without_pyyaml_and_as_safe_load_reads_it() -> None:
    paths = sorted((ROOT / "records").glob("*.md")) + sorted((ROOT / "tests" / "data").rglob("*.md"))
    assert paths
    for path in paths:
        text = front_matter_of(path)
        assert typed(load_plain(text)) == typed(safe_load(text)), path


PLAIN = {
    "nested mappings": "a: 1\nb:\n  c: x\n  d:\n    e: y\nf: z\n",
    "every plain scalar type": "d: 2026-06-10\nt: 2026-06-10T12:30:00+02:00\ni: 12\nx: 0x1f\nf: 1.5\n"
    "inf: .inf\nn: ~\nb: yes\no: Off\ne:\ns: 12 angry men\nh: '#'\n",
    "lists, indented and at their key's column": "a:\n- x\n- 2\nb:\n  - y\n  -\n  - z\n",
    "lists of mappings": "entries:\n  - date: 2026-01-02\n    note: fixed\n  - date: 2026-01-03\n    note: again\n",
    "a list inside a list item's mapping": "a:\n- k:\n  - 1\n  - 2\n  m: 3\n- k:\n- n\n",
    "empty collections": "a: []\nb: {}\nc: []  \n",
    "quoted scalars": "a: 'it''s: a # value'\nb: \"2026-06-10\"\nc: ''\nd: \"\"\ne: 'yes'  \n"
    "f: ' padded '\ng: \" padded \"\n",
    "punctuation inside plain scalars": "a: L2, Source-grounded (claims) [x] {y}\nb: a:b#c\nc: x - y ? z\n",
    "comments on lines of their own": "# head\na: 1\n  # indented\nb:\n# between\n  c: 2\n",
    "Unicode": "gate: Gate 2 — Verification\nnote: café ü 漢字 😀\n",
    "blank lines and trailing spaces": "\n\na: x   \n\nb:    y\n\n",
    "an indented document": "  a: 1\n  b: 2\n",
    "duplicate keys, last wins": "a: 1\na: 2\n",
    "nothing": "",
    "only a comment": "# nothing here\n",
}


@pytest.mark.parametrize("text", PLAIN.values(), ids=PLAIN.keys())
def test_plain_block_yaml_is_read_as_safe_load_reads_it(text: str) -> None:
    assert typed(load_plain(text)) == typed(safe_load(text))


def test_timestamps_keep_their_offset() -> None:
    value = load_plain("a: 2026-06-10T12:30:00+02:00\nb: 2026-06-10\n")
    assert value == {"a": datetime(2026, 6, 10, 12, 30, tzinfo=timezone(timedelta(hours=2))), "b": date(2026, 6, 10)}


NOT_PLAIN = {
    "a tab": "a:\n\tb: 1\n",
    "a carriage return": "a: 1\r\nb: 2\n",
    "a byte-order mark": "a: \ufeffx\n",
    "a Unicode line break": "a: x\u2028y\n",
    "a next-line character": "a: x\x85y\n",
    "a control character": "a: x\x07\n",
    "a flow list": "a: [1, 2]\n",
    "a flow mapping": "a: {b: 1}\n",
    "a literal block scalar": "a: |\n  text\n",
    "a folded block scalar": "a: >\n  text\n",
    "a plain scalar over two lines": "a: one\n  two\n",
    "a quoted scalar over two lines": "a: 'one\n  two'\n",
    "a scalar on a line of its own": "a:\n  text\n",
    "an anchor": "a: &x 1\nb: *x\n",
    "a tag": "a: !!str 1\n",
    "a comment after a value": "a: 1 # one\n",
    "a comment after a key": "a: # one\n  b: 1\n",
    "a quoted key": "'a': 1\n",
    "a key with a space": "a b: 1\n",
    "a space before the colon": "a : 1\n",
    "a key read as a boolean": "yes: 1\n",
    "a key read as a null": "null: 1\n",
    "a numeric key": "1: one\n",
    "an escape in a double-quoted scalar": 'a: "x\\ty"\n',
    "text after a closing quote": "a: 'x' y\n",
    "a plain scalar holding ': '": "a: b: c\n",
    "a plain scalar ending in a colon": "a: b:\n",
    "a plain scalar starting with an indicator": "a: -1\n",
    "a merge key's value": "a: <<\n",
    "a value key's value": "a: =\n",
    "an impossible date": "a: 2026-13-45\n",
    "a document marker": "a: 1\n---\nb: 2\n",
    "a directive": "%YAML 1.1\n---\na: 1\n",
    "a list item holding a list": "- - a\n",
    "a list item after a scalar value": "a: 1\n- b\n",
    "a deeper line after a key's value": "a: 1\n  b: 2\n",
    "a key one column off": "a:\n  b: 1\n c: 2\n",
    "a list item's key one column off": "- a: 1\n   b: 2\n",
    "a bare scalar": "text\n",
    "a key without a space after its colon": "a:b\n",
}


@pytest.mark.parametrize("text", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_yaml_outside_the_plain_subset_is_handed_back(text: str) -> None:
    with pytest.raises(NotPlain):
        load_plain(text)


@pytest.mark.parametrize("text", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_yaml_outside_the_plain_subset_loads_as_safe_load_loads_it(text: str) -> None:
    assert outcome(frontmatter.load, text) == outcome(safe_load, text)


def test_a_nest_deeper_than_python_recurses_is_handed_back() -> None:
    text = "".join(f"{' ' * depth}k:\n" for depth in range(2000))
    with pytest.raises(NotPlain):
        load_plain(text)


@pytest.mark.parametrize("line", ["{} k:\n", "{}-\n", "{}- k:\n"], ids=["mappings", "lists", "lists of mappings"])
def test_a_nest_deeper_than_libyaml_takes_is_handed_back_whatever_python_s_recursion_limit(line: str) -> None:
    text = "".join(line.format(" " * depth) for depth in range(1000))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20000)
    try:
        with pytest.raises(NotPlain):
            load_plain(text)
    finally:
        sys.setrecursionlimit(limit)
    assert outcome(frontmatter.load, text) == outcome(safe_load, text)


def test_a_line_indented_64_columns_is_read_and_one_more_is_handed_back() -> None:
    assert load_plain(f"a:\n{' ' * 64}b: 1\n") == {"a": {"b": 1}}
    with pytest.raises(NotPlain):
        load_plain(f"a:\n{' ' * 65}b: 1\n")


@pytest.mark.parametrize("where", ["{}: v\n", "title: x\n{}: v\n", "- {}: 1\n", "k:\n  {}: 1\n"])
def test_a_key_is_read_up_to_libyaml_s_1024_characters_and_a_longer_one_handed_back(where: str) -> None:
    text = where.format("k" * 1024)
    assert typed(load_plain(text)) == typed(safe_load(text))
    longer = where.format("k" * 1025)
    with pytest.raises(NotPlain):
        load_plain(longer)
    assert outcome(frontmatter.load, longer) == outcome(safe_load, longer)


# Pieces of lines, tricky ones included: documents made of them are plain, or not, in every way above.
INDENTS = st.sampled_from(["", " ", "  ", "    "])
KEYS = st.sampled_from(["a", "b_c", "k-1", "yes", "on", "null", "n", "Title", "'q'", "a b", "1", "<<", "? a", ""])
SEPARATORS = st.sampled_from([": ", ":", ":  ", " : ", ":\t"])
VALUES = st.sampled_from(
    [
        "",
        "text",
        "two words ",
        "2025-01-07",
        "2024-09-11T06:28:49+00:00",
        "2026-13-45",
        "12",
        "-3",
        "0x1f",
        "1_000",
        "1.5",
        ".inf",
        ".nan",
        "~",
        "null",
        "Yes",
        "off",
        "y",
        "'it''s'",
        "'open",
        '"dq"',
        '"a\\"b"',
        "[]",
        "{}",
        "[1, 2]",
        "a: b",
        "a:b",
        "a #c",
        "a#b",
        "x:",
        "&a x",
        "*a",
        "!!str x",
        "|",
        ">",
        "é — ü",
        "x\u2028y",
        "- x",
        "-x",
        "(p), [q] {r}",
        "#c",
        "%x",
        "@x",
        "`x`",
    ]
)
LINES = st.one_of(
    st.tuples(INDENTS, KEYS, SEPARATORS, VALUES).map("".join),
    st.tuples(INDENTS, st.sampled_from(["- ", "-", "-  "]), VALUES).map("".join),
    st.tuples(INDENTS, st.sampled_from(["- "]), KEYS, SEPARATORS, VALUES).map("".join),
    st.tuples(INDENTS, st.sampled_from(["# c", "", "---", "...", "continued text"])).map("".join),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(LINES, max_size=10))
def test_any_document_of_such_lines_is_read_as_safe_load_reads_it_or_handed_back(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    try:
        value = load_plain(text)
    except NotPlain:
        return
    assert typed(value) == typed(safe_load(text))


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.dates(), st.datetimes()),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
        max_leaves=20,
    )
)
def test_any_block_document_pyyaml_writes_is_read_as_safe_load_reads_it_or_handed_back(document: Any) -> None:
    text = yaml.safe_dump(document, default_flow_style=False, allow_unicode=True)
    try:
        value = load_plain(text)
    except NotPlain:
        return
    assert typed(value) == typed(safe_load(text))


def test_nothing_is_read_here_when_the_loader_has_path_or_wildcard_resolvers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plainyaml, "PLAIN_ONLY", False)
    with pytest.raises(NotPlain):
        load_plain("a: 1\n")
    assert frontmatter.load("a: 1\n") == {"a": 1}
