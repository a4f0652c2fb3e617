"""axe-core finds no serious or critical accessibility violation on any page type, light or dark."""

from __future__ import annotations

from typing import Any

import pytest
from sitekit import AXE, open_ok

from site_builder.slug import slugify

SEVERE = ("serious", "critical")


def page_path(built_site: Any, name: str) -> str:
    return {
        "home": "",
        "listing": f"verdicts/{slugify('Unverified')}/",
        "tier listing": f"tiers/{slugify('DOI grade')}/",
        "record": f"records/{built_site.ids['verified']}/",
        "corrected record": f"records/{built_site.ids['corrected']}/",
        "withdrawn record": f"records/{built_site.ids['withdrawn']}/",
        "search": "search/",
        "docs": "quality-guide/",
    }[name]


def severe_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in SEVERE
    ]


@pytest.mark.parametrize(
    "name", ["home", "listing", "tier listing", "record", "corrected record", "withdrawn record", "search", "docs"]
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_page_has_no_serious_accessibility_violation(new_page: Any, built_site: Any, name: str, scheme: str) -> None:
    page = new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    open_ok(page, built_site.site_url + page_path(built_site, name))
    violations = severe_violations(page)
    assert not violations, f"{name} ({scheme}):\n  " + "\n  ".join(violations)
