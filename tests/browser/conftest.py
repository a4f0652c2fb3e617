"""The browser suite's fixtures: a built site served like GitHub Pages, and a watched Chromium page.

- ``site_url_base``: the served site root (``http://127.0.0.1:<port>/site-builder-test/``), ending in '/';
  the site is built once per session from the repository's records plus a few varied ones
  (a Verified record with attachments, a corrected one, an undated one, a very long title, a withdrawn one),
  with ``search_shard_records`` small enough that its search index has several shards.
- ``page``: a Playwright page in Debian's Chromium whose console errors, uncaught exceptions, dialogs
  (alert/confirm/prompt) and requests to any other host are recorded and asserted empty at teardown.
- ``page_log``: that record, for tests that expect something (``page_log.allow_console("404")``).

A missing Chromium, Playwright, or npm package FAILS every test here with how to install it;
nothing skips.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import sitekit

NEEDED = ("playwright", "chromium", "axe")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def tools() -> None:
    problems = sitekit.missing_tools(*NEEDED)
    if problems:
        pytest.fail("the browser tests need tools that are missing:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sitekit.BuiltSite]:
    """The test site, built once and served under a project path for the whole session."""
    work = tmp_path_factory.mktemp("browser-site")
    server = sitekit.serve(work / "site")
    try:
        yield sitekit.build_test_site(work, server.url, search_shard_records=sitekit.SEARCH_SHARD_RECORDS)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def site_url_base(built_site: sitekit.BuiltSite) -> str:
    return built_site.site_url


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sitekit.BuiltSite]:
    """A second site whose records also include the hostile corpus (tests/hostile_records/records)."""
    work = tmp_path_factory.mktemp("hostile-site")
    server = sitekit.serve(work / "site")
    try:
        yield sitekit.build_test_site(work, server.url, include_hostile=True)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(tools: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(sitekit.CHROMIUM), headless=True, args=sitekit.CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageLog:
    """What a page did that a reader must never see: errors, dialogs, requests leaving the site."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow_console(self, pattern: str) -> None:
        """Expect console errors matching ``pattern`` (e.g. the 404 a test asked for)."""
        self.allowed.append(re.compile(pattern))

    def problems(self) -> list[str]:
        console = [m for m in self.console_errors if not any(p.search(m) for p in self.allowed)]
        failed = [m for m in self.failed_responses if not any(p.search(m) for p in self.allowed)]
        return (
            [f"console error: {m}" for m in console]
            + [f"uncaught exception: {m}" for m in self.page_errors]
            + [f"dialog opened: {m}" for m in self.dialogs]
            + [f"request to another host (blocked): {m}" for m in self.foreign_requests]
            + [f"failed response: {m}" for m in failed]
        )


def watch(page: Any, log: PageLog) -> None:
    """Record everything in ``log``; block every request that does not go to a local test server."""

    def on_dialog(dialog: Any) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_route(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            log.foreign_requests.append(url)
            route.abort()

    def on_response(response: Any) -> None:
        if response.status >= 400:
            log.failed_responses.append(f"{response.status} {response.url}")

    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("dialog", on_dialog)
    page.on("response", on_response)
    page.route("**/*", on_route)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def new_page(browser: Any, page_log: PageLog) -> Iterator[Callable[..., Any]]:
    """Open further watched pages (own context: viewport, color scheme ...); all are checked at teardown."""
    contexts: list[Any] = []

    def open_page(**context_options: Any) -> Any:
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        watch(page, page_log)
        return page

    yield open_page
    for context in contexts:
        context.close()
    problems = page_log.problems()
    assert not problems, "the pages reported problems:\n  " + "\n  ".join(problems)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A watched page at desktop size; console errors and dialogs fail the test at teardown."""
    return new_page(viewport={"width": 1280, "height": 900})
