"""How the pages look: no sideways scrolling on a phone, a real dark mode; screenshots for the record."""

from __future__ import annotations

from typing import Any

import pytest
from sitekit import open_ok, screenshot

from site_builder.slug import slugify

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def pages(built_site: Any) -> dict[str, str]:
    return {
        "home": "",
        "listing": f"verdicts/{slugify('Unverified')}/",
        "record": f"records/{built_site.ids['verified']}/",
        "record-long-title": f"records/{built_site.ids['long']}/",
        "record-corrected": f"records/{built_site.ids['corrected']}/",
        "tiers": "tiers/",
        "quality-guide": "quality-guide/",
        "search": "search/",
    }


@pytest.mark.parametrize(
    "name", ["home", "listing", "record", "record-long-title", "record-corrected", "tiers", "quality-guide", "search"]
)
def test_a_page_at_phone_width_does_not_scroll_sideways(new_page: Any, built_site: Any, name: str) -> None:
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    open_ok(page, built_site.site_url + pages(built_site)[name])
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 375px; too wide: {wide}"


def colours(page: Any) -> tuple[str, str]:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.body);
                   const h = getComputedStyle(document.documentElement);
                   const bg = s.backgroundColor === 'rgba(0, 0, 0, 0)' ? h.backgroundColor : s.backgroundColor;
                   return [bg, s.color]; }"""
    )


@pytest.mark.parametrize("name", ["home", "listing", "record"])
def test_dark_mode_follows_the_readers_colour_scheme(new_page: Any, built_site: Any, name: str) -> None:
    url = built_site.site_url + pages(built_site)[name]
    light = new_page(viewport=DESKTOP, color_scheme="light")
    open_ok(light, url)
    dark = new_page(viewport=DESKTOP, color_scheme="dark")
    open_ok(dark, url)
    light_bg, light_fg = colours(light)
    dark_bg, dark_fg = colours(dark)
    assert light_bg != dark_bg, f"{name}: background {light_bg} is the same in dark mode"
    assert light_fg != dark_fg, f"{name}: text colour {light_fg} is the same in dark mode"


@pytest.mark.parametrize("name", ["home", "listing", "record"])
def test_screenshots_of_each_page_type_light_dark_and_phone(new_page: Any, built_site: Any, name: str) -> None:
    url = built_site.site_url + pages(built_site)[name]
    for mode, options in (
        ("light", {"viewport": DESKTOP, "color_scheme": "light"}),
        ("dark", {"viewport": DESKTOP, "color_scheme": "dark"}),
        ("phone", {"viewport": PHONE, "is_mobile": True, "color_scheme": "light"}),
    ):
        page = new_page(**options)
        open_ok(page, url)
        path = screenshot(page, f"{name}-{mode}")
        assert path.stat().st_size > 1000
