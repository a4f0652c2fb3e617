"""Markdown for record prose: CommonMark, raw HTML off, links limited to safe schemes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

# Browsers ignore ASCII tabs, newlines and control characters inside a URL's scheme.
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# What makes prose more than plain paragraphs to CommonMark (html, linkify and typographer off): a
# character an inline rule acts on or HTML escapes (but '"'), a control character, white space other
# than a space or a line break (what str.isspace takes, and markdown-it-py's trim; C1 controls too); or
# a line that starts a block (a list, heading, setext underline, indented code) or has a space at an end
# (a hard break, a trim).
_MARKED = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\xa0&<>*_\[\]\\`~|\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_BLOCK_START = "-+#= "
_ORDERED_ITEM = re.compile(r"[0-9]+[.)]")
_PARAGRAPH_BREAK = re.compile(r"\n\n+")


def safe_link(url: str) -> bool:
    """True for relative URLs and http(s)/mailto; never javascript:, vbscript:, data:, file: and the like.

    The test runs on the URL as a browser would read it: percent-escapes decoded
    and ignored characters removed, so ``jav%09ascript:`` is refused too.
    """
    plain = _IGNORED.sub("", unquote(url))
    scheme = _SCHEME.match(plain)
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


def image_as_link(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """An image in record prose becomes a link to it: a record page never loads anything from another host."""
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env) or str(token.attrGet("src"))
    return f'<a href="{escapeHtml(str(token.attrGet("src")))}" rel="nofollow noopener">{escapeHtml(alt)}</a>'


def markdown_renderer() -> MarkdownIt:
    """A renderer that never emits raw HTML, an image, or a link outside :data:`SAFE_SCHEMES`."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = safe_link  # type: ignore[method-assign]
    md.add_render_rule("image", image_as_link)
    return md


def plain_paragraphs(text: str) -> str | None:
    """The HTML markdown-it gives for ``text`` when it is plain paragraphs (its lines in ``<p>``s, with
    ``"`` escaped), made without parsing it; None when it is anything else."""
    text = text.strip("\n")
    if not text or _MARKED.search(text):
        return None
    for line in text.split("\n"):
        if line and (line[0] in _BLOCK_START or line[-1] == " " or _ORDERED_ITEM.match(line)):
            return None
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in _PARAGRAPH_BREAK.split(text.replace('"', "&quot;")))


def render_markdown(md: MarkdownIt, text: str) -> str:
    """HTML for ``text`` by ``md``, a :func:`markdown_renderer` (plain prose is made as it makes it); headings
    are shifted below the page's own h1/h2."""
    plain = plain_paragraphs(text)
    if plain is not None:  # most record prose: markdown-it's parse and render are ~0.05 ms a record
        return plain
    html = md.render(text).strip()
    return re.sub(r"<(/?)h([1-4])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", html)
