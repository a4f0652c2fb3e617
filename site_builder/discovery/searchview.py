"""What Pagefind reads of a page: the page without its elements marked ``data-pagefind-ignore="all"``.

Pagefind leaves such an element out entirely — its text, and the filters,
metadata and images in it (its documentation's meaning of ``"all"``, against a
bare ``data-pagefind-ignore``, which still reads them).  So a page without those
elements indexes to the same bundle, and Pagefind spends its time on what it
keeps: the record page's fact tables and cite box (marked so in
``record.html``) are most of its elements, and removing them before a shard's
run takes ~35 % off Pagefind's CPU time a page (0.60 -> 0.38 s of user time
for 625 record pages at 10k records).  A test checks that the bundles are the
same.

The markup is the build's own, so the element's end is found by counting the
start and end tags of its name.  Whatever does not read as expected (no end
tag, an unclosed start tag) leaves the page as it is: the original is always a
correct view of itself.
"""

from __future__ import annotations

import re
from functools import cache

MARK = b'data-pagefind-ignore="all"'
_TAG_NAME = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)")
# Elements without content: the element is its start tag.
VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())


def search_view(page: bytes) -> bytes:
    """``page`` without its ``data-pagefind-ignore="all"`` elements; ``page`` itself when it has none."""
    if MARK not in page:
        return page
    kept: list[bytes] = []
    done = 0  # page[:done] is decided
    at = page.find(MARK)
    while at != -1:
        span = _element_at(page, at)
        if span is None:
            return page
        start, end = span
        if start >= done:  # else it is inside an element already left out
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
    return re.compile(rb"<(/?)" + re.escape(name) + rb"[\s/>]")


def _element_at(page: bytes, mark: int) -> tuple[int, int] | None:
    """(start, end) of the element whose start tag holds the attribute at ``mark``; None if unsure."""
    start = page.rfind(b"<", 0, mark)
    name = _TAG_NAME.match(page, start) if start != -1 else None
    if name is None or page.find(b">", start, mark) != -1:
        return None  # the mark is not inside a start tag
    opened = page.find(b">", mark)
    if opened == -1:
        return None
    tag = name.group(1)
    if tag.lower() in VOID:
        return start, opened + 1
    return _end_of(page, tag, opened + 1, start)


def _end_of(page: bytes, tag: bytes, at: int, start: int) -> tuple[int, int] | None:
    """The span from ``start`` to just after the end tag that closes the ``tag`` element open at ``at``."""
    depth = 1
    for found in _tags(tag).finditer(page, at):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            close = page.find(b">", found.start())
            return (start, close + 1) if close != -1 else None
    return None
