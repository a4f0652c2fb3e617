"""Front matter loading: exactly ``yaml.safe_load``'s values (types included) and errors, whatever the YAML holds."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yamlvalues import outcome, safe_load

from site_builder import frontmatter


def assert_same_as_safe_load(text: str) -> None:
    expected = outcome(safe_load, text)
    assert outcome(frontmatter.load, text) == expected


SAMPLES = {
    "record fields": "id: rec-1\ntitle: 'A: title'\ntier:\n  name: DOI grade\n  score: 12\n",
    "lists of mappings": "artifacts:\n- title: proof\n  url: https://example.org/p\n- {title: log, path: a.txt}\n",
    "dates, times and numbers": "published: 2026-06-10\nat: 2026-06-10T12:30:00Z\nn: 0x1f\nf: 1.5e3\ninf: .inf\n",
    "booleans and nulls": "a: yes\nb: off\nc: ~\nd:\ne: null\nf: TRUE\n",
    "quoted look-alikes stay strings": "a: '2026-06-10'\nb: \"12\"\nc: 'yes'\nd: '~'\n",
    "block scalars": "abstract: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
    "explicit tags": "a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!binary aGVsbG8=\n",
    "merge keys": "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n",
    "anchors shared": "a: &x [1, 2]\nb: *x\n",
    "complex key": "? [a, b]\n: c\n",
    "mapping key": "? {a: 1}\n: c\n",
    "seq tag on a mapping": "a: !!seq {x: 1}\n",
    "map tag on a list": "a: !!map [1, 2]\n",
    "unknown tag": "a: !thing 1\n",
    "set and omap": "s: !!set {a, b}\no: !!omap [{a: 1}, {b: 2}]\n",
    "invalid date": "published: 2026-13-45\n",
    "invalid int tag": "n: !!int abc\n",
    "duplicate keys, last wins": "a: 1\na: 2\n",
    "empty document": "",
    "a bare scalar": "just text\n",
    "a top-level list": "- a\n- b\n",
    "non-string keys": "1: one\ntrue: yes\n2026-01-01: day\nnull: nothing\n",
    "value indicator": "a: =\n",
    "value key": "=: 1\n",
    "malformed": "a: [1, 2\n",
    "tabs": "a:\n\t- b\n",
}


@pytest.mark.parametrize("text", SAMPLES.values(), ids=SAMPLES.keys())
def test_front_matter_loads_as_safe_load_does(text: str) -> None:
    assert_same_as_safe_load(text)


def test_a_recursive_alias_is_built_as_safe_load_builds_it() -> None:
    value = frontmatter.load("a: &x\n  self: *x\n")
    assert value["a"]["self"] is value["a"]


def test_a_list_inside_itself_is_built_as_safe_load_builds_it() -> None:
    value = frontmatter.load("&x [1, *x]\n")
    assert value[1] is value


def test_an_anchor_used_again_gives_the_same_object_as_safe_load_does() -> None:
    value = frontmatter.load("a: &x [1, 2]\nb: *x\n")
    assert value == {"a": [1, 2], "b": [1, 2]}
    assert value["a"] is value["b"]


def test_a_tagged_collection_inside_itself_is_built_as_safe_load_builds_it() -> None:
    value = frontmatter.load("&a [!!omap [{k: *a}]]\n")
    assert value[0][0][1] is value


def test_aliases_nested_many_levels_deep_are_built_once_each_not_copied() -> None:
    levels = ["a: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 6)]
    value = frontmatter.load("\n".join(levels).replace("a: &a0", "a0: &a0") + "\n")  # 10**6 leaves if copied
    assert value["a5"][0] is value["a4"]


def test_a_nest_deeper_than_the_fast_path_goes_loads_as_safe_load_does() -> None:
    assert_same_as_safe_load("[" * 600 + "]" * 600 + "\n")


def test_of_several_bad_values_the_same_one_is_reported() -> None:
    assert_same_as_safe_load("a: {b: !x 1}\nc: !y 2\n")
    assert_same_as_safe_load("a: [!!int abc]\nb: 2026-13-45\n")


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
    st.dates(),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([None, False, True]))
def test_any_dumped_document_loads_as_safe_load_does(document: Any, flow: bool | None) -> None:
    assert_same_as_safe_load(yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True))
