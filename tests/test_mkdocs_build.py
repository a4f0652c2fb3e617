"""`mkdocs build` (and `properdocs build`, `site-builder build`) publish the whole site, or nothing."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import html5lib
import pytest
import yaml
from sitecheck import MKDOCS_YML, REPO, Link, project_copy, resolve, run_cli

RECORD_IDS = sorted(p.stem for p in (REPO / "records").glob("*.md"))
CONTRACT_PAGES = ("paper-manifest-v1-1", "correction-record-v1", "source-provenance-v1")
EPOCH = "1781049600"  # 2026-06-10: the same publication dates in every build of this module


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's site, built with the `mkdocs build` command a user runs."""
    tmp = tmp_path_factory.mktemp("mkdocs")
    config = project_copy(tmp, REPO / "records")
    result = run_cli(
        "mkdocs", "build", "--config-file", config, "--site-dir", tmp / "site", env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def broken_records(tmp: Path) -> Path:
    """The repository's records, one of them with a tier outside the vocabulary."""
    records = tmp / "records"
    shutil.copytree(REPO / "records", records)
    victim = records / f"{RECORD_IDS[0]}.md"
    text = victim.read_text(encoding="utf-8")
    assert "name: DOI grade" in text or "name: Watchlist" in text
    victim.write_text(text.replace("name: DOI grade", "name: Gold").replace("name: Watchlist", "name: Gold"), "utf-8")
    return records


def old_site(tmp: Path) -> Path:
    site = tmp / "site"
    site.mkdir()
    (site / "index.html").write_text("the site as published before", encoding="utf-8")
    return site


def header(site: Path, page: str) -> list[tuple[str, str, Path | None]]:
    """The site header of ``page`` as (tag, text, file each link leads to): comparable across depths."""
    document = html5lib.parse((site / page).read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
    head = document.find(".//header")
    assert head is not None, f"{page} has no <header>"
    items = []
    for element in head.iter():
        href = element.get("href")
        text = "".join(element.itertext()).strip()
        target = resolve(site, Link(page, element.tag, "href", href)) if href is not None else None
        items.append((element.tag, text if href is not None else "", target))
    return items


def test_record_pages_are_published_for_every_record(built: Path) -> None:
    assert RECORD_IDS, "the repository has no records to build"
    missing = [i for i in RECORD_IDS if not (built / "records" / i / "index.html").is_file()]
    assert missing == []


@pytest.mark.parametrize(
    "page",
    ["index.html", "404.html", "tiers/index.html", "verdicts/index.html", "schema/record.schema.json"],
)
def test_home_listings_404_and_schema_are_published(built: Path, page: str) -> None:
    assert (built / page).is_file()


@pytest.mark.parametrize(
    "page", ["about", "quality-guide", "record-format", "contracts", *(f"contracts/{c}" for c in CONTRACT_PAGES)]
)
def test_docs_pages_are_published_at_their_urls(built: Path, page: str) -> None:
    assert (built / page / "index.html").is_file()


def test_docs_pages_have_the_header_and_navigation_of_record_pages(built: Path) -> None:
    record = header(built, f"records/{RECORD_IDS[0]}/index.html")
    for page in ("about/index.html", "quality-guide/index.html", "contracts/paper-manifest-v1-1/index.html"):
        assert header(built, page) == record, page


def test_docs_pages_use_the_stylesheet_of_record_pages(built: Path) -> None:
    assert (built / "assets" / "style.css").read_bytes() == (REPO / "templates" / "assets" / "style.css").read_bytes()
    page = (built / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="../assets/style.css"' in page


def test_templates_are_not_published_as_files(built: Path) -> None:
    assert not (built / "base.html").exists()
    assert not (built / "main.html").exists()
    assert not (built / "partials").exists()


def test_mkdocs_build_refuses_bad_records_with_the_check_messages_and_keeps_the_old_site(tmp_path: Path) -> None:
    records = broken_records(tmp_path)
    site = old_site(tmp_path)
    config = project_copy(tmp_path, records)
    check = run_cli("site-builder", "check", "--records", records, "--config", config, cwd=tmp_path)
    assert check.returncode == 1 and check.stderr.strip()

    result = run_cli("mkdocs", "build", "--config-file", config, "--site-dir", site, cwd=tmp_path)

    assert result.returncode == 1
    for line in check.stderr.strip().splitlines():
        assert line in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "the site as published before"
    assert not list(tmp_path.glob(".site-*")), "a staging directory was left behind"


def test_site_builder_build_refuses_bad_records_with_the_check_messages_and_keeps_the_old_site(tmp_path: Path) -> None:
    records = broken_records(tmp_path)
    site = old_site(tmp_path)
    check = run_cli("site-builder", "check", "--records", records, "--config", MKDOCS_YML, cwd=tmp_path)
    assert check.returncode == 1 and check.stderr.strip()

    result = run_cli(
        "site-builder", "build", "--records", records, "--site-dir", site, "--config", MKDOCS_YML, cwd=tmp_path
    )

    assert result.returncode == 1
    for line in check.stderr.strip().splitlines():
        assert line in result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "the site as published before"
    assert not list(tmp_path.glob(".site-*")), "a staging directory was left behind"


def test_site_builder_build_prints_one_summary_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    config = project_copy(tmp_path, REPO / "records")
    result = run_cli("site-builder", "build", "--site-dir", site, "--config", config, "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1 and f"built {len(RECORD_IDS)} records" in result.stdout
    assert (site / "records" / RECORD_IDS[0] / "index.html").is_file()


def test_site_builder_build_with_a_missing_config_is_bad_usage(tmp_path: Path) -> None:
    result = run_cli("site-builder", "build", "--config", tmp_path / "nope.yml", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.yml" in result.stderr


def test_a_configured_contract_without_a_docs_page_fails_the_build(tmp_path: Path) -> None:
    config = project_copy(tmp_path, REPO / "records")
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["plugins"][0]["registry"]["contracts"].append("audit-trail-v2")
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    result = run_cli("mkdocs", "build", "--config-file", config, "--site-dir", tmp_path / "site", cwd=tmp_path)

    assert result.returncode == 1
    assert "contract 'audit-trail-v2' links to 'contracts/audit-trail-v2/'" in result.stderr
    assert not (tmp_path / "site").exists()


def test_properdocs_builds_the_same_site_as_mkdocs(built: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    config = project_copy(tmp_path, REPO / "records")
    result = run_cli(
        "properdocs", "build", "--config-file", config, "--site-dir", site, env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    assert result.returncode == 0, result.stderr
    assert different_files(built, site) == []


def different_files(left: Path, right: Path) -> list[str]:
    """Files only in one tree, or with different bytes."""
    names = {p.relative_to(left).as_posix() for p in left.rglob("*") if p.is_file()}
    names ^= {p.relative_to(right).as_posix() for p in right.rglob("*") if p.is_file()}
    common = {p.relative_to(left).as_posix() for p in left.rglob("*") if p.is_file()} - names
    changed = {n for n in common if not filecmp.cmp(left / n, right / n, shallow=False)}
    return sorted(names | changed)
