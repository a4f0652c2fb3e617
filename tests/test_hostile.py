"""Hostile record text is shown as written and can never become markup, script or a dangerous link.

The corpus is ``tests/hostile_records/``: ``records/`` must build, ``rejected/`` must be refused with a
located message.  The pages are parsed as a browser parses them (html5lib); the browser suite
(``tests/browser/test_hostile_pages.py``) checks that no script runs.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))

import sitekit

from site_builder.config import RegistryConfig
from site_builder.load import read_record
from site_builder.model import Record

CORPUS = Path(__file__).parent / "hostile_records"
HOSTILE_IDS = sorted(p.stem for p in (CORPUS / "records").glob("*.md"))
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href", "background")
UNSAFE_URL = re.compile(r"^[\s\x00-\x20]*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
# Elements record text could use to run code, load a page or restyle the site; none belongs in a record's content.
FOREIGN_ELEMENTS = {"script", "iframe", "object", "embed", "frame", "frameset", "base", "form", "svg", "math", "style"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> sitekit.BuiltSite:
    return sitekit.build_test_site(tmp_path_factory.mktemp("hostile"), sitekit.PLACEHOLDER_URL, include_hostile=True)


def hostile_record(record_id: str) -> Record:
    result = read_record(CORPUS / "records" / f"{record_id}.md", RegistryConfig())
    assert isinstance(result, Record), result
    return result


def parse(path: Path) -> Element:
    return html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)


def text_of(element: Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def elements(site: sitekit.BuiltSite) -> Iterator[tuple[Path, Element]]:
    for path in site.html_files():
        for element in parse(path).iter():
            yield path, element


def test_every_hostile_record_builds(site: sitekit.BuiltSite) -> None:
    for record_id in HOSTILE_IDS:
        assert (site.site_dir / "records" / record_id / "index.html").is_file(), record_id


def test_no_page_has_an_event_handler_attribute(site: sitekit.BuiltSite) -> None:
    found = [
        f"{path.relative_to(site.site_dir)}: <{el.tag} {name}=...>"
        for path, el in elements(site)
        for name in el.attrib
        if name.lower().startswith("on")
    ]
    assert not found, "\n".join(found)


def test_no_page_has_a_javascript_data_or_vbscript_link(site: sitekit.BuiltSite) -> None:
    found = [
        f"{path.relative_to(site.site_dir)}: <{el.tag} {name}={value!r}>"
        for path, el in elements(site)
        for name, value in el.attrib.items()
        if name.lower() in URL_ATTRIBUTES and any(UNSAFE_URL.match(part) for part in value.split(","))
    ]
    assert not found, "\n".join(found)


def test_record_text_never_becomes_an_element_on_its_page(site: sitekit.BuiltSite) -> None:
    """No script carries a payload, and the content of a hostile record page holds no frame, form, svg ..."""
    found = []
    for record_id in HOSTILE_IDS:
        tree = parse(site.site_dir / "records" / record_id / "index.html")
        for el in tree.iter("script"):
            data = el.get("type") == "application/ld+json"  # JSON text, checked below
            if (not data and "alert(" in text_of(el)) or "alert(" in el.get("src", ""):
                found.append(f"{record_id}: <script {dict(el.attrib)}>{text_of(el)[:80]}")
        main = tree.find(".//main")
        assert main is not None
        for el in main.iter():
            if str(el.tag).lower() in FOREIGN_ELEMENTS:
                found.append(f"{record_id}: <{el.tag} {dict(el.attrib)}> in the page content")
    assert not found, "\n".join(found)


def test_structured_data_in_a_script_element_stays_valid_json(site: sitekit.BuiltSite) -> None:
    for _, el in elements(site):
        if str(el.tag).lower() == "script" and el.get("type") == "application/ld+json":
            json.loads(text_of(el))  # a '</script>' in a title would have cut it short


@pytest.mark.parametrize("record_id", HOSTILE_IDS)
def test_the_title_is_shown_as_written(site: sitekit.BuiltSite, record_id: str) -> None:
    record = hostile_record(record_id)
    tree = parse(site.site_dir / "records" / record_id / "index.html")
    assert text_of(tree.find(".//h1")).strip() == record.title
    assert text_of(tree.find(".//title")).startswith(record.title)


@pytest.mark.parametrize("record_id", HOSTILE_IDS)
def test_table_values_are_shown_as_written(site: sitekit.BuiltSite, record_id: str) -> None:
    record = hostile_record(record_id)
    shown = {text_of(td).strip() for td in parse(site.site_dir / "records" / record_id / "index.html").iter("td")}
    for value in (record.provenance.publisher, record.provenance.note, record.gate.reason):
        assert value in shown, f"{value[:60]!r} is not shown as a table value"


def test_raw_html_in_prose_is_shown_as_text(site: sitekit.BuiltSite) -> None:
    main = text_of(parse(site.site_dir / "records" / "hostile-script" / "index.html").find(".//main"))
    assert '<script>alert("abstract")</script>' in main
    assert '<img src=x onerror=alert("img")>' in main
    assert '</title></head><body onload=alert("question")>' in main


def test_template_syntax_in_records_is_shown_literally(site: sitekit.BuiltSite) -> None:
    main = text_of(parse(site.site_dir / "records" / "hostile-jinja" / "index.html").find(".//main"))
    assert "{{ 7*7 }}" in main
    assert "{% raw %}" in main
    assert "{% for x in range(3) %}loop{% endfor %}" in main
    assert "49" not in main
    assert "looploop" not in main


def test_unicode_text_is_kept_exactly(site: sitekit.BuiltSite) -> None:
    record = hostile_record("hostile-unicode")
    main = text_of(parse(site.site_dir / "records" / "hostile-unicode" / "index.html").find(".//main"))
    assert record.title in main
    assert record.provenance.note in main  # a 1,800-letter word, unbroken
    assert "Z̸̢͉a̴̛l̵͎g̷̣o̶͔" in main


def rejected_expectations() -> list[tuple[str, str]]:
    lines = (CORPUS / "rejected" / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split(":", 1)) for line in lines if line and not line.startswith("#")]  # type: ignore[misc]


def test_every_rejected_file_has_an_expected_message() -> None:
    files = sorted(p.name for p in (CORPUS / "rejected").glob("*.md"))
    assert files == sorted(name for name, _ in rejected_expectations())


@pytest.mark.parametrize(("name", "expected"), rejected_expectations())
def test_characters_a_page_cannot_show_are_refused_with_a_located_message(
    tmp_path: Path, name: str, expected: str
) -> None:
    records = tmp_path / "records"
    records.mkdir()
    shutil.copy2(CORPUS / "rejected" / name, records / name)
    done = sitekit.cli("check", "--records", str(records), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"records/{name}:{expected}" in done.stderr, done.stderr
