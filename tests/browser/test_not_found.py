"""An unknown address answers as GitHub Pages does: status 404 and the site's own 404 page, styled and usable."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("path", ["no-such-page/", "records/no-such-record/", "tiers/x/verdicts/y/z/deep/", "x.html"])
def test_an_unknown_address_shows_the_404_page_with_a_working_way_home(
    page: Any, page_log: Any, site_url_base: str, path: str
) -> None:
    page_log.allow_console(r"status of 404")
    page_log.allow_console(r"^404 ")
    response = page.goto(site_url_base + path)
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    styled = page.evaluate("() => Array.from(document.styleSheets).some(s => s.cssRules.length > 0)")
    assert styled, "the 404 page's stylesheet did not load (links on it must not be relative)"
    page.get_by_role("link", name="Go to the home page").click()
    page.wait_for_load_state("load")
    assert page.url == site_url_base
    assert page.locator("table.matrix").is_visible()
