"""Citation exports: BibTeX, RIS and CSL-JSON beside each record page, linked from "Cite this record"."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
from discovery_fixtures import html, module_site

from site_builder.discovery.citation import bibtex_escape


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return module_site(tmp_path_factory)


def test_the_bibtex_entry_parses_with_its_fields(site: Path) -> None:
    library = bibtexparser.parse_string((site / "records/corrected/cite.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    (entry,) = library.entries
    assert (entry.entry_type, entry.key) == ("misc", "corrected")
    assert entry["title"] == "Corrected record on sparse experts"
    assert entry["author"] == "{Assignee Research}"
    assert entry["year"] == "2025"
    assert entry["url"] == "https://example.org/registry/records/corrected/"


def test_bibtex_special_characters_are_escaped(site: Path) -> None:
    library = bibtexparser.parse_string((site / "records/hostile/cite.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    abstract = library.entries[0]["abstract"]
    assert abstract == (
        r"Braces \{x\} and 50\% \& \$5 \#1 a\_b \textasciitilde{} \textasciicircum{} \textbackslash{} in text."
    )


def test_bibtex_escape_leaves_no_unbalanced_brace() -> None:
    escaped = bibtex_escape("}{ a } b {")
    depth = 0
    for index, char in enumerate(escaped):
        if char in "{}" and (index == 0 or escaped[index - 1] != "\\"):
            depth += 1 if char == "{" else -1
            assert depth >= 0
    assert depth == 0


def test_the_ris_record_has_type_title_author_and_end(site: Path) -> None:
    lines = (site / "records/plain/cite.ris").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "TY  - GEN"
    assert "TI  - Plain record about contrastive pretraining" in lines
    assert "AU  - Assignee Research" in lines
    assert lines[-1] == "ER  -"


def test_the_csl_json_is_one_item_with_issued_date(site: Path) -> None:
    (item,) = json.loads((site / "records/plain/cite.json").read_text(encoding="utf-8"))
    assert item["issued"] == {"date-parts": [[2026, 1, 10]]}
    assert item["author"] == [{"literal": "Assignee Research"}]


def test_the_cite_box_links_the_three_formats(site: Path) -> None:
    doc = html(site, "records/plain/")
    assert doc.xpath("//section[@aria-labelledby='cite']//a[@download]/@href") == ["cite.bib", "cite.ris", "cite.json"]
