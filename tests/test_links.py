"""Every link of the built site leads somewhere, and every internal link is relative."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitecheck import REPO, Link, build_site, links, project_copy, resolve

from site_builder.config import RegistryConfig
from site_builder.model import Record
from site_builder.recordtext import record_text
from site_builder.scaffold import scaffold_record

EXTRA_RECORDS = 60
PAGE_SIZE = 20  # so that listings have several pages


def generated(record_id: str, tier: str, config: RegistryConfig) -> str:
    record = scaffold_record(record_id, config, title=f"Generated record {record_id}")
    assert isinstance(record, Record), record
    basis = config.tier(tier).description
    return record_text(
        record.model_copy(update={"tier": record.tier.model_copy(update={"name": tier, "basis": basis})})
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's records plus enough generated ones to paginate, built through MkDocs."""
    tmp = tmp_path_factory.mktemp("links")
    records = tmp / "records"
    shutil.copytree(REPO / "records", records)
    config = RegistryConfig()
    for n in range(EXTRA_RECORDS):
        tier = config.tier_names[n % 4 == 0]
        (records / f"gen-{n:03d}.md").write_text(generated(f"gen-{n:03d}", tier, config), encoding="utf-8")
    build_site(records, tmp / "site", config=project_copy(tmp, records, page_size=PAGE_SIZE))
    return tmp / "site"


@pytest.fixture(scope="module")
def all_links(site: Path) -> list[Link]:
    return list(links(site))


def test_the_site_has_listing_pages_beyond_the_first(site: Path) -> None:
    assert list(site.glob("tiers/*/page/2/index.html"))


def test_every_internal_link_leads_to_a_file_of_the_site(site: Path, all_links: list[Link]) -> None:
    internal = [link for link in all_links if link.internal and link.page != "404.html"]
    assert internal
    broken = [
        f"{link.page}: <{link.tag} {link.attribute}={link.url!r}>" for link in internal if not resolve(site, link)
    ]
    assert broken == []


def test_internal_links_are_relative(all_links: list[Link]) -> None:
    rooted = [f"{link.page}: {link.url}" for link in all_links if link.url.startswith("/") and link.page != "404.html"]
    assert rooted == []


def test_the_404_page_links_through_the_site_url(site: Path, all_links: list[Link]) -> None:
    site_url = "https://assignee-research.github.io/site_builder/"
    own = [link.url for link in all_links if link.page == "404.html" and link.tag in ("a", "link", "script")]
    assert own
    assert [u for u in own if not (u.startswith(site_url) or u.startswith("#") or "://" in u)] == []
