"""Every internal link a reader can follow, from the home page, leads somewhere."""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag

from sitekit import open_ok

LINKS = """() => Array.from(document.querySelectorAll('a[href], link[href]'))
    .filter(e => e.tagName === 'A' || ['stylesheet', 'icon', 'alternate', 'canonical'].includes(e.rel))
    .map(e => e.href)"""


def test_a_crawl_from_the_home_page_finds_no_broken_link_and_no_console_error(page: Any, built_site: Any) -> None:
    base = built_site.site_url
    queue, seen, visited_pages = [base], {base}, set()
    anchors: list[tuple[str, str, str]] = []  # (page, fragment, linked from)
    fragments: dict[str, set[str]] = {}
    broken: list[str] = []
    while queue:
        url = queue.pop(0)
        response = page.request.get(url)
        if response.status != 200:
            broken.append(f"{response.status} {url}")
            continue
        if not (response.headers.get("content-type") or "").startswith("text/html"):
            continue
        open_ok(page, url)
        visited_pages.add(url)
        ids = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        fragments[url] = ids
        for href in page.evaluate(LINKS):
            target, fragment = urldefrag(href)
            if not target.startswith(base):
                continue
            if fragment:
                anchors.append((target, fragment, url))
            if target not in seen:
                seen.add(target)
                queue.append(target)
    unresolved = [f"{t}#{f} (from {src})" for t, f, src in anchors if t in fragments and f not in fragments[t]]
    assert not broken, "broken internal links:\n  " + "\n  ".join(broken)
    assert not unresolved, "links to anchors that do not exist:\n  " + "\n  ".join(unresolved)
    current = [i for role, i in built_site.ids.items() if role != "withdrawn"] + built_site.repo_ids
    unreached = [i for i in current if f"{base}records/{i}/" not in visited_pages]
    assert not unreached, f"records no link leads to: {unreached}"
    for docs_page in ("about/", "quality-guide/", "contracts/"):
        assert base + docs_page in visited_pages, f"no link leads to the docs page {docs_page}"
