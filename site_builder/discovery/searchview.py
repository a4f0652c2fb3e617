"""What Pagefind reads of a page: the page without its elements marked ``data-pagefind-ignore="all"``.

Pagefind leaves such an element out entirely — its text, and the filters,
metadata and images in it (its documentation's meaning of ``"all"``, against a
bare ``data-pagefind-ignore``, which still reads them).  So a page without those
elements indexes to the same bundle, and Pagefind spends its time on what it
keeps: the record page's fact tables and cite box (marked so in
``record.html``) are most of its elements, and removing them before a shard's
run takes ~35-40 % off Pagefind's CPU time a page (for 625 record pages at 10k
records, written into a fresh folder as the runs write: 0.75-0.83 -> 0.46-0.49 s
of user time).  A test checks that the bundles are the same.

The markup is the build's own, so the element's start tag is read attribute
by attribute, and its end is found by counting the start and end tags of its
name.  Whatever does not read as expected, or may read otherwise to Pagefind,
leaves the page as it is: a start tag cut short, no end tag, a mark within a
comment; a comment, script or foreign content inside the element, its tags
spelled in two cases, the indexed element (``data-pagefind-body``) in it.  The
original is always a correct view of itself.  The mark's text elsewhere (in
the page's text, or in another attribute's value) is no mark.
"""

from __future__ import annotations

import re
from functools import cache

IGNORE, ALL = b"data-pagefind-ignore", b'"all"'
BODY = b"data-pagefind-body"
MARK = IGNORE + b"=" + ALL  # as the build writes it: an element marked otherwise is left to Pagefind
_TAG_NAME = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)")
# HTML's white space is [ \t\n\f\r] (Python's \s also takes a vertical tab).
_ATTRIBUTE = re.compile(
    rb"""[ \t\n\f\r]+ ([^ \t\n\f\r"'>/=]+)  # white space, then the name
    (?: [ \t\n\f\r]*=[ \t\n\f\r]* ("[^"]*"|'[^']*'|[^ \t\n\f\r"'=<>`]+) )?  # and its value, if any
    """,
    re.VERBOSE,
)
_TAG_END = re.compile(rb"[ \t\n\f\r]*/?>")
# What an element's end cannot be found in by counting tags: a comment, text that is not markup, foreign content.
# Searched in lower case.
_OPAQUE = re.compile(rb"<!--|<!\[cdata\[|<(?:script|style|textarea|title|svg|math)[ \t\n\f\r/>]")
# Elements without content: the element is its start tag.
VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())


def search_view(page: bytes) -> bytes:
    """``page`` without its ``data-pagefind-ignore="all"`` elements; ``page`` itself when it has none."""
    if MARK not in page:
        return page
    kept: list[bytes] = []
    done = 0  # page[:done] is decided
    at, comments = page.find(MARK), b"<!--" in page
    while at != -1:
        span = _element_at(page, at, comments)
        if span is None:
            return page
        start, end = span
        if start >= done and end > start:  # else it is inside an element already left out, or no element
            kept.append(page[done:start])
            done = end
        at = page.find(MARK, max(end, at + len(MARK)))
    kept.append(page[done:])
    return b"".join(kept)


@cache
def _tags(name: bytes) -> re.Pattern[bytes]:
    """The start and end tags of elements ``name``, spelled as the element's own start tag is.

    HTML's tag names ignore case, but the build writes them in lower case, and a
    search in one case is several times faster.  A tag spelled otherwise is not
    seen, start or end alike: an element whose end tag is spelled otherwise is
    not found to end, and its page is kept whole.
    """
    return re.compile(rb"<(/?)" + re.escape(name) + rb"[ \t\n\f\r/>]")


def _element_at(page: bytes, mark: int, comments: bool) -> tuple[int, int] | None:
    """The span of the element ignored entirely whose start tag has the attribute at ``mark``.

    An empty span (``mark``, ``mark``) when the text there is no such attribute
    (it is in the page's text, or in another attribute's value); None when unsure.
    ``comments``: whether the page has any.
    """
    start = page.rfind(b"<", 0, mark)
    if start == -1 or (comments and _in_comment(page, start)):
        return None
    tag = _start_tag(page, start)
    if tag is None:
        return None
    name, opened, ignored = tag
    if opened <= mark or not ignored:
        return mark, mark
    if name.lower() in VOID:
        return start, opened
    return _end_of(page, name, opened, start)


def _in_comment(page: bytes, at: int) -> bool:
    """Whether ``page[at]`` is within a comment (or starts one)."""
    return page.rfind(b"<!--", 0, at + 4) > page.rfind(b"-->", 0, at)


def _start_tag(page: bytes, start: int) -> tuple[bytes, int, bool] | None:
    """The start tag at ``start``: its name, where it ends, and whether it marks its element ignored entirely.

    Of an attribute given twice the first counts, as in HTML.
    """
    name = _TAG_NAME.match(page, start)
    if name is None:
        return None
    at, seen, ignored = name.end(), set(), False
    while (attribute := _ATTRIBUTE.match(page, at)) is not None:
        key = attribute.group(1).lower()
        if key not in seen:
            seen.add(key)
            ignored = ignored or (key == IGNORE and attribute.group(2) == ALL)
        at = attribute.end()
    end = _TAG_END.match(page, at)
    return None if end is None else (name.group(1), end.end(), ignored)


def _end_of(page: bytes, tag: bytes, at: int, start: int) -> tuple[int, int] | None:
    """The span from ``start`` to just after the end tag that closes the ``tag`` element open at ``at``.

    None when the span may not be what Pagefind reads as the element: when it holds what tags
    cannot be counted in (:data:`_OPAQUE`), a tag of the same name spelled in another case, or
    the element Pagefind indexes (the mark has no effect on it, or its ancestors, for Pagefind).
    """
    depth = 1
    for found in _tags(tag).finditer(page, at):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            close = page.find(b">", found.start())
            if close == -1:
                return None
            span = page[start : close + 1]
            lowered = span.lower()
            if BODY in span or _OPAQUE.search(lowered) or not _one_spelling(span, lowered, tag):
                return None
            return start, close + 1
    return None


def _one_spelling(span: bytes, lowered: bytes, tag: bytes) -> bool:
    """Whether every tag named ``tag`` (in any case) in ``span`` (``lowered``: in lower case) is spelled as it is."""
    name = tag.lower()
    return span.count(b"<" + tag) == lowered.count(b"<" + name) and span.count(b"</" + tag) == lowered.count(
        b"</" + name
    )
