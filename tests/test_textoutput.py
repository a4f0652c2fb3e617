"""Template values written as escaped text: the characters ``markupsafe.escape`` gives, on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from site_fixtures import build, make_record, verified

from site_builder import render
from site_builder.config import RegistryConfig
from site_builder.load import read_record
from site_builder.model import Record
from site_builder.render import make_environment
from site_builder.textoutput import TextOutputTemplate, escape_output

HOSTILE = Path(__file__).parent / "hostile_records" / "records"


class Shown:
    """A value that is not a string: written as its ``str``, escaped."""

    def __str__(self) -> str:
        return "<b>&'\"</b>"


class Html:
    """A value that gives its own HTML (``__html__``): written as that, not escaped."""

    def __html__(self) -> str:
        return "<i>kept</i>"


@given(st.text())
def test_a_string_is_written_as_markupsafe_escapes_it(text: str) -> None:
    assert escape_output(text) == str(markupsafe.escape(text))


@pytest.mark.parametrize("value", [markupsafe.Markup("<em>safe</em>"), Html(), Shown(), 12, 1.5, None, True], ids=type)
def test_any_value_but_a_string_is_written_as_markupsafe_escapes_it(value: Any) -> None:
    assert escape_output(value) == markupsafe.escape(value)


def test_markup_is_written_as_it_is() -> None:
    safe = markupsafe.Markup("<em>safe</em>")
    assert escape_output(safe) is safe


def test_a_value_is_written_as_escaped_text_not_as_markup() -> None:
    written = escape_output("<a>")
    assert written == "&lt;a&gt;"
    assert type(written) is str


def test_the_core_s_templates_write_their_values_with_escape_output() -> None:
    env = make_environment(RegistryConfig(use_cache=False))
    template = env.get_template("record.html")
    assert isinstance(template, TextOutputTemplate)
    assert template.root_render_func.__globals__["escape"] is escape_output


def test_a_template_of_another_environment_keeps_markupsafe_s_escape() -> None:
    template = jinja2.Environment(autoescape=True).from_string("{{ x }}")
    assert template.root_render_func.__globals__["escape"] is markupsafe.escape


def test_macros_and_blocks_still_give_markup_that_is_not_escaped_again() -> None:
    env = jinja2.Environment(autoescape=True)
    env.template_class = TextOutputTemplate
    template = env.from_string(
        "{% macro m(v) %}<p>{{ v }}</p>{% endmacro %}{% set b %}<q>{{ x }}</q>{% endset %}"
        "{{ m(x) }}{{ b }}{% filter upper %}{{ x }}{% endfilter %}{{ x ~ '<' }}"
    )
    assert template.render(x="<&>") == "<p>&lt;&amp;&gt;</p><q>&lt;&amp;&gt;</q>&LT;&AMP;&GT;&lt;&amp;&gt;&lt;"


def hostile_records() -> list[Record]:
    records = []
    for path in sorted(HOSTILE.glob("*.md")):
        record = read_record(path, RegistryConfig())
        assert isinstance(record, Record), record
        records.append(record)
    return records


def test_every_file_of_a_site_of_hostile_records_is_the_same_as_with_jinja_s_own_template_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quoting = make_record("quoting-record", title='It\'s "quoted" & <tagged>', research_question="Why 'x' & \"y\"?")
    records = [*hostile_records(), quoting, verified("verified-record")]
    for name in ("ours", "stock"):
        (tmp_path / name).mkdir()
    ours = build(tmp_path / "ours", records)
    monkeypatch.setattr(render, "TextOutputTemplate", jinja2.Template)
    stock = build(tmp_path / "stock", records)
    files = sorted(p.relative_to(ours) for p in ours.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(stock) for p in stock.rglob("*") if p.is_file())
    assert len(files) > 50
    assert [f for f in files if (ours / f).read_bytes() != (stock / f).read_bytes()] == []
