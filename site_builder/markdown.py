"""Markdown for record prose: CommonMark, raw HTML off, unsafe link schemes dropped."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_UNSAFE_SCHEME = re.compile(r"^[\s\x00-\x1f]*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


def _safe_link(url: str) -> bool:
    return not _UNSAFE_SCHEME.match(url)


def markdown_renderer() -> MarkdownIt:
    """A renderer that never emits raw HTML or a javascript:/data:/vbscript: link."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _safe_link  # type: ignore[method-assign]
    return md


def render_markdown(md: MarkdownIt, text: str) -> str:
    """HTML for ``text``; headings are shifted below the page's own h1/h2."""
    html = md.render(text)
    return re.sub(r"<(/?)h([1-4])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}>", html)
