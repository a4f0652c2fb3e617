"""No script in a hostile record runs in a real browser: no dialog, no console error, text shown as written."""

from __future__ import annotations

from typing import Any

import pytest
from sitekit import HOSTILE, open_ok

from site_builder.config import RegistryConfig
from site_builder.load import read_record
from site_builder.model import Record

HOSTILE_IDS = sorted(p.stem for p in (HOSTILE / "records").glob("*.md"))


@pytest.mark.parametrize("record_id", HOSTILE_IDS)
def test_a_hostile_record_page_runs_no_script_and_shows_its_title_as_written(
    page: Any, hostile_site: Any, record_id: str
) -> None:
    record = read_record(HOSTILE / "records" / f"{record_id}.md", RegistryConfig())
    assert isinstance(record, Record)
    open_ok(page, f"{hostile_site.site_url}records/{record_id}/")
    page.wait_for_timeout(300)  # give onload/onerror/onbegin handlers a chance to fire
    for link in page.locator("main a").all():
        link.hover()
    assert page.locator("h1").inner_text() == record.title
    assert page.title().startswith(record.title)
    # page_log (asserted at teardown) records any dialog, console error or request to another host


def test_pages_listing_hostile_records_run_no_script(page: Any, hostile_site: Any) -> None:
    for path in ("", "tiers/", "verdicts/", "tiers/watchlist/", "verdicts/unverified/"):
        open_ok(page, hostile_site.site_url + path)
        page.wait_for_timeout(100)
    # the last one lists the hostile records, by their titles as written
    assert page.locator("main").get_by_text("{{ 7*7 }} and {% raw %}raw{% endraw %} in a title").count() == 1
