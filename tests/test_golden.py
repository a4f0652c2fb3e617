"""Golden test: a seed page, imported and built, shows every label and value of the seed in the seed's order."""

from __future__ import annotations

from pathlib import Path

import pytest
from site_fixtures import SEEDS, build, main_text, page

from site_builder.importer import page_id, parse_page
from site_builder.model import Record

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def collapse(text: str) -> str:
    return " ".join(text.split())


def seed_items(text: str) -> list[str]:
    """Every piece of text the seed shows, in order: title, headings, prose, each row's cells, the notes."""
    items = []
    for line in text.splitlines():
        if line.strip().startswith("|"):
            items.extend(collapse(cell) for cell in line.strip().strip("|").split("|") if cell.strip())
        elif line.strip():
            items.append(collapse(line))
    return items


def seed_rows(text: str) -> list[tuple[str, str]]:
    rows = []
    for line in text.splitlines():
        if line.strip().startswith("|"):
            cells = [collapse(c) for c in line.strip().strip("|").split("|") if c.strip()]
            rows.append((cells[0], cells[1]))
    return rows


def imported(seed: Path) -> Record:
    record_id = page_id(seed)
    assert record_id is not None
    record = parse_page(seed.read_text(encoding="utf-8"), record_id, source=str(seed))
    assert isinstance(record, Record), record
    return record


def test_the_seed_pages_are_there() -> None:
    assert len(SEED_FILES) >= 2, f"expected the seed pages in {SEEDS}"


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name)
def test_record_page_shows_every_seed_item_in_the_seed_order(seed: Path, tmp_path: Path) -> None:
    record = imported(seed)
    text = main_text(page(build(tmp_path, [record]), f"records/{record.id}/"))
    position = 0
    for item in seed_items(seed.read_text(encoding="utf-8")):
        found = text.find(item, position)
        assert found >= 0, f"{item!r} missing, or not after the item before it: ...{text[position : position + 200]!r}"
        position = found + len(item)


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name)
def test_record_page_tables_have_exactly_the_seed_rows_in_order(seed: Path, tmp_path: Path) -> None:
    record = imported(seed)
    doc = page(build(tmp_path, [record]), f"records/{record.id}/")
    shown = [
        (collapse(tr.xpath("./th")[0].text_content()), collapse(tr.xpath("./td")[0].text_content()))
        for tr in doc.xpath("//main//section[contains(@class, 'facts')]//tr")
    ]
    assert shown == seed_rows(seed.read_text(encoding="utf-8"))
