"""Record prose is Markdown: rendered without raw HTML and without script-bearing links."""

from __future__ import annotations

import lxml.html
import pytest

from site_builder.markdown import markdown_renderer, render_markdown, safe_link


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
