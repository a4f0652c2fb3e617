"""Every page type of the built site is valid HTML, by the Nu Html Checker (vnu.jar, run once over all pages).

Needs Java and the npm package vnu-jar; when either is missing the test fails and says how to install it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))

import sitekit


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> sitekit.BuiltSite:
    problems = sitekit.missing_tools("java", "vnu")
    if problems:
        pytest.fail("the HTML validity test needs:\n  " + "\n  ".join(problems), pytrace=False)
    return sitekit.build_test_site(tmp_path_factory.mktemp("valid"), sitekit.PLACEHOLDER_URL, include_hostile=True)


def vnu_errors(files: list[Path]) -> list[dict[str, object]]:
    done = subprocess.run(
        ["java", "-jar", str(sitekit.VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(done.stderr or done.stdout)
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def page_types(site: sitekit.BuiltSite) -> dict[str, str]:
    return {
        "home": "index.html",
        "404": "404.html",
        "record": f"records/{site.ids['verified']}/index.html",
        "corrected record": f"records/{site.ids['corrected']}/index.html",
        "withdrawn record": f"records/{site.ids['withdrawn']}/index.html",
        "hostile record": "records/hostile-script/index.html",
        "tier index": "tiers/index.html",
        "tier listing": "tiers/watchlist/index.html",
        "verdict index": "verdicts/index.html",
        "verdict listing": "verdicts/unverified/index.html",
        "search": "search/index.html",
        "docs page": "quality-guide/index.html",
        "about": "about/index.html",
        "contracts": "contracts/index.html",
    }


def test_the_site_has_every_page_type(site: sitekit.BuiltSite) -> None:
    missing = [f"{kind}: {path}" for kind, path in page_types(site).items() if not (site.site_dir / path).is_file()]
    assert not missing, "page types missing from the built site:\n  " + "\n  ".join(missing)


def test_every_page_of_the_site_is_valid_html(site: sitekit.BuiltSite) -> None:
    files = site.html_files()
    assert len(files) > 10
    errors = vnu_errors(files)
    shown = [
        f"{Path(str(m.get('url', ''))).as_posix().split(site.site_dir.as_posix())[-1]}:{m.get('lastLine')}: "
        f"{m.get('message')} [{str(m.get('extract', ''))[:80]!r}]"
        for m in errors
    ]
    assert not errors, f"{len(errors)} HTML errors:\n  " + "\n  ".join(shown[:60])
