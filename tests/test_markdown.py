"""Record prose is Markdown: rendered without raw HTML and without script-bearing links."""

from __future__ import annotations

import re

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.markdown import markdown_renderer, plain_paragraphs, render_markdown, safe_link


def render(text: str) -> str:
    return render_markdown(markdown_renderer(), text)


def hrefs(html: str) -> list[str]:
    return [str(v) for v in lxml.html.fragment_fromstring(html, create_parent="div").xpath("//@href | //@src")]


def test_emphasis_lists_and_code_are_rendered() -> None:
    html = render("Some *emphasis*, `code`.\n\n- one\n- two")
    assert "<em>emphasis</em>" in html
    assert "<code>code</code>" in html
    assert "<li>one</li>" in html


def test_raw_html_is_shown_as_text_not_markup() -> None:
    html = render("<script>alert(1)</script> and <b onclick=x>bold</b>")
    assert "<script>" not in html
    assert "<b " not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_links_with_script_schemes_are_dropped(url: str) -> None:
    html = render(f"[click]({url}) ![img]({url}) <{url}>")
    assert not [h for h in hrefs(html) if ":" in h and not h.startswith("http")], html


def test_http_links_are_kept() -> None:
    assert hrefs(render("[paper](https://example.org/p)")) == ["https://example.org/p"]


def test_headings_are_shifted_below_the_page_headings() -> None:
    html = render("# Top\n\n## Next")
    assert "<h3>Top</h3>" in html
    assert "<h4>Next</h4>" in html


def test_template_syntax_is_plain_text() -> None:
    assert "{{ 7*7 }}" in render("{{ 7*7 }}")


@pytest.mark.parametrize("url", ["https://example.org", "mailto:a@example.org", "proof.lean", "#abstract", "../x/"])
def test_safe_link_accepts_web_mail_and_relative_urls(url: str) -> None:
    assert safe_link(url)


@pytest.mark.parametrize("url", ["javascript:x", "file:///etc/passwd", "java\nscript:x", "%6Aavascript:x"])
def test_safe_link_refuses_other_schemes_however_written(url: str) -> None:
    assert not safe_link(url)


def test_an_image_in_record_prose_becomes_a_link_and_loads_nothing() -> None:
    html = render("see ![the figure](https://example.org/fig.png)")
    assert "<img" not in html
    assert '<a href="https://example.org/fig.png" rel="nofollow noopener">the figure</a>' in html


def test_an_image_with_an_unsafe_source_is_not_linked() -> None:
    html = render("![x](javascript:alert(1))")
    assert "<img" not in html and "href=" not in html


PLAIN_PROSE = {
    "one line": "Plain prose, with (parentheses), digits 2024 and a question?",
    "paragraphs": "First paragraph\nwith a second line.\n\nSecond paragraph.\n\n\nThird, after two blank lines.",
    "quotes": 'It\'s "quoted" here.',
    "punctuation a block needs at the start of a line, elsewhere": "a - b + c # d = e 1. f 2) g: h! i% j@ k$ l^ m{n}",
    "Unicode": "Gate 2 — Verification é ü 漢字 😀",
    "surrounding line breaks": "\n\nText.\n",
}


@pytest.mark.parametrize("text", PLAIN_PROSE.values(), ids=PLAIN_PROSE.keys())
def test_plain_prose_is_made_without_markdown_it_as_markdown_it_makes_it(text: str) -> None:
    plain = plain_paragraphs(text)
    assert plain is not None
    assert plain == markdown_renderer().render(text).strip()


NOT_PLAIN_PROSE = {
    "emphasis": "some *emphasis*",
    "underscores": "snake_case",
    "code": "`code`",
    "a link": "[a](https://example.org)",
    "an autolink": "<https://example.org>",
    "an entity": "&amp; &copy;",
    "a hard break with a backslash": "a\\\nb",
    "a hard break with spaces": "a  \nb",
    "a trailing space": "a \nb",
    "a list": "- one\n- two",
    "an ordered list": "text\n1. one",
    "an ordered list with a parenthesis": "1) one",
    "a plus list": "+ one",
    "a heading": "# Heading",
    "a setext underline": "Heading\n===",
    "indented code": "    code",
    "a tab": "a\tb",
    "a no-break space": "a\u00a0b",
    "a line separator": "a\u2028b",
    "a control character": "a\x07b",
    "a table": "a | b\n--|--\n1 | 2",
    "a block quote": "> quoted",
    "a strikethrough": "~~gone~~",
    "nothing": "",
    "blank lines only": "\n\n",
}


@pytest.mark.parametrize("text", NOT_PLAIN_PROSE.values(), ids=NOT_PLAIN_PROSE.keys())
def test_prose_with_anything_markdown_acts_on_is_left_to_markdown_it(text: str) -> None:
    assert plain_paragraphs(text) is None


# Mostly letters, spaces and line breaks, with every character CommonMark or HTML treats specially.
PROSE = st.text(
    alphabet=st.one_of(
        st.sampled_from("abc xyz\n"),
        st.sampled_from("0123456789.,;:!?()'\"-+#=/%@$^{}&<>*_[]\\`~|\t\u00a0\u2028\x07é—😀"),
    ),
    max_size=60,
)


@settings(max_examples=2000, deadline=None)
@given(PROSE)
def test_any_prose_renders_as_markdown_it_renders_it(text: str) -> None:
    md = markdown_renderer()
    expected = re.sub(r"<(/?)h([1-4])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", md.render(text).strip())
    assert render_markdown(md, text) == expected
