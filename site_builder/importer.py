"""Importing published record pages: page text -> :class:`~site_builder.model.Record`.

A published page is plain text: the title on the first line, then ``Abstract``
and ``Research Question`` with their prose, then one block per table section
(:data:`site_builder.model.TABLE_SECTIONS`): the section title, its
``| Label | Value |`` rows, and the section's fixed explanatory note.  Labels
map to fields through the model's field titles (:func:`~site_builder.model.section_rows`);
the notes are template text and are dropped, but only when they are the known
note of their section.

The importer refuses rather than guesses: a page it cannot map completely, or
whose record would not pass ``site-builder check``, gives problems located on
the page (path, line, field).  A record it returns shows every label and value
of the page unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .config import RegistryConfig
from .load import read_record
from .model import BODY_SECTIONS, TABLE_SECTIONS, Record, Section, is_valid_id, section_rows, section_title
from .problems import Problem, closest
from .recordfile import decode
from .recordtext import dump_yaml, record_text

# The explanatory note printed under each table section of a published page
# (the site renders them from templates/notes/<section>.html).  A page may show
# any note of its section, or none; other text in a section is refused.
SECTION_NOTES: dict[str, tuple[str, ...]] = {
    "verification": (
        "Descriptive public verification status only; aggregate claim counts are public, "
        "but individual claim records are not exposed here.",
    ),
    "gate": (
        "This record has not completed Gate 2 of the verification pipeline (a type-checked Lean4 proof for "
        "mathematical claims, or a sealed-sandbox reproduction for empirical claims). It is a literature synthesis "
        "only. VERIFIED requires an attached reproducible artifact (Lean4 proof source, or repro script and results) "
        "before this status can be set; it is not derived from review score or claim count.",
        "This record has completed Gate 2 of the verification pipeline: a reproducible artifact (a type-checked "
        "Lean4 proof for mathematical claims, or a sealed-sandbox reproduction for empirical claims) is attached "
        "below. The status is set from that artifact; it is not derived from review score or claim count.",
    ),
    "tier": ("Descriptive public triage only; this tier does not alter current publication or DOI behavior.",),
    "dimensions": (
        "Automated triage signals derived from public fields; not human peer review or independent validation.",
    ),
    "correction": (
        "Public corrections are additive records. Current status does not claim the synthesis is error-free.",
    ),
    "provenance": (),
}

PAGE_SUFFIX = ".txt"
_PAGE_NAME = re.compile(r"^(?:[0-9]+_)?(?P<id>.+)\.txt$")
_PROSE_FIELDS = tuple(BODY_SECTIONS.values())  # abstract, research_question
_PAGE_FORMAT = "title line, 'Abstract', 'Research Question', then the table sections"


def page_heading(name: str) -> str:
    """The heading line of a page section: a prose field of the record or a table section."""
    sections = dict(TABLE_SECTIONS)
    if name in sections:
        return section_title(sections[name])
    return str(Record.model_fields[name].title)


# Every section of a page, in the published order: record field name -> heading line.
PAGE_SECTIONS: dict[str, str] = {name: page_heading(name) for name in (*_PROSE_FIELDS, *dict(TABLE_SECTIONS))}


def page_id(page: Path | str) -> str | None:
    """The record id a page file name carries: ``NNN_<id>.txt`` or ``<id>.txt``; None when it has none."""
    match = _PAGE_NAME.match(Path(page).name)
    return match.group("id") if match else None


def display_value(value: Any) -> str:
    """A field value as the published page shows it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def page_rows(record: Record) -> Iterator[tuple[str, str, str, str]]:
    """(section, field, label, value) of every row a page of ``record`` shows, in the published order."""
    for name, model in TABLE_SECTIONS:
        section = getattr(record, name)
        for field_name, label in section_rows(model):
            value = getattr(section, field_name)
            if value is not None:
                yield name, field_name, label, display_value(value)


def page_text(record: Record) -> str:
    """The published page text of ``record``, in the layout :func:`parse_page` reads.

    A page shows neither artifacts, correction entries, aliases, the publication
    date nor a withdrawal; each section carries its first known note.
    """
    lines = [record.title]
    for name in _PROSE_FIELDS:
        lines += [PAGE_SECTIONS[name], getattr(record, name)]
    current = ""
    for section, _, label, value in page_rows(record):
        if section != current:
            if current:
                lines += SECTION_NOTES[current][:1]
            lines.append(PAGE_SECTIONS[section])
            current = section
        lines.append(f"| {label} | {value} |")
    lines += SECTION_NOTES[current][:1]
    return "\n".join(lines) + "\n"


@dataclass
class _Row:
    label: str
    value: str
    line: int


@dataclass
class _Block:
    """The lines under one heading of the page."""

    name: str
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Page:
    """What was read off the page, with the line each value came from."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # "title", "gate", "gate.status", ... -> page line
    rows: list[tuple[str, str, _Row]] = field(default_factory=list)  # (section, field, row)

    def problem(self, line: int, name: str, message: str, expected: str = "") -> None:
        self.problems.append(Problem(self.source, line, name, message, expected))

    def line_of(self, name: str) -> int:
        """The page line of a record field such as ``gate.status``: its row, else its section, else line 1."""
        while name:
            if name in self.lines:
                return self.lines[name]
            name = name.rpartition(".")[0]
        return 1


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _excerpt(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


_KNOWN_NOTES = {name: {_collapse(note) for note in notes} for name, notes in SECTION_NOTES.items()}


def _split(text: str, page: _Page) -> tuple[tuple[int, str] | None, list[_Block]]:
    """The title line and the blocks under each section heading; structural problems go to ``page``."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = [(number, line.strip()) for number, line in enumerate(lines, start=1)]
    order = list(PAGE_SECTIONS)
    by_heading = {heading: name for name, heading in PAGE_SECTIONS.items()}
    title: tuple[int, str] | None = None
    blocks: list[_Block] = []
    seen: dict[str, int] = {}
    for number, line in numbered:
        name = by_heading.get(line)
        if name is not None:
            if name in seen:
                page.problem(number, name, f"section {line!r} appears twice (first on line {seen[name]})", "once")
                blocks.append(_Block("", number))  # its lines are not read
                continue
            if blocks and blocks[-1].name and order.index(name) < order.index(blocks[-1].name):
                page.problem(
                    number,
                    name,
                    f"section {line!r} comes after {PAGE_SECTIONS[blocks[-1].name]!r}",
                    "sections in the order " + ", ".join(PAGE_SECTIONS.values()),
                )
            seen[name] = number
            blocks.append(_Block(name, number))
        elif blocks:
            blocks[-1].lines.append((number, line))
        elif title is None:
            if line:
                title = (number, line)
        elif line:
            page.problem(
                number,
                "title",
                f"text between the title and {PAGE_SECTIONS['abstract']!r} cannot be placed: {_excerpt(line)}",
                f"the title on one line, then the line {PAGE_SECTIONS['abstract']!r}",
            )
    last_line = len(numbered)
    for index, name in enumerate(order):
        if name not in seen:
            following = [seen[n] for n in order[index + 1 :] if n in seen]
            where = f"it belongs before line {min(following)}" if following else "it belongs at the end of the page"
            page.problem(
                min(following) if following else last_line,
                name,
                f"missing section {PAGE_SECTIONS[name]!r}: {where}",
                "sections in the order " + ", ".join(PAGE_SECTIONS.values()),
            )
    return title, [b for b in blocks if b.name]


def _read_prose(block: _Block, page: _Page) -> None:
    lines = [(n, line) for n, line in block.lines]
    while lines and not lines[0][1]:
        lines.pop(0)
    while lines and not lines[-1][1]:
        lines.pop()
    heading = PAGE_SECTIONS[block.name]
    if not lines:
        page.problem(
            block.line, block.name, f"the {heading!r} section is empty", f"its text after the line {heading!r}"
        )
        return
    for number, line in lines:
        if line.startswith("## "):
            page.problem(
                number,
                block.name,
                f"a line starting with '## ' cannot be stored: it would start a section of the record file: "
                f"{_excerpt(line)}",
                "prose without a line starting with '## '",
            )
    page.values[block.name] = "\n".join(line for _, line in lines)
    page.lines[block.name] = lines[0][0]


def _row_cells(line: str) -> list[str] | None:
    """The cells of ``| a | b |`` or ``| a | b | |``; None when the line is not such a row."""
    if len(line) < 2 or not line.endswith("|"):
        return None
    cells = [cell.strip() for cell in line[1:-1].split("|")]
    if len(cells) == 3 and not cells[2]:
        cells.pop()
    return cells if len(cells) == 2 else None


def _read_table(block: _Block, model: type[Section], page: _Page) -> None:
    name = block.name
    title = section_title(model)
    labels = {label: field_name for field_name, label in section_rows(model)}
    rows: dict[str, _Row] = {}
    unreadable: set[str] = set()  # labels of rows reported as malformed or unknown: not also "missing"
    note: list[tuple[int, str]] = []
    for number, line in block.lines:
        if not line:
            continue
        if not line.startswith("|"):
            note.append((number, line))
            continue
        if note:
            page.problem(
                number,
                name,
                f"a row after the note of section {title!r} cannot be placed: {_excerpt(line)}",
                "all rows of a section before its note",
            )
            continue
        cells = _row_cells(line)
        if cells is None:
            page.problem(
                number,
                name,
                f"malformed row in section {title!r}: {_excerpt(line)}",
                "'| Label | Value |'; a third cell may follow only if empty, and a value cannot contain '|'",
            )
            unreadable.add(line[1:].partition("|")[0].strip())
            continue
        label, value = cells
        if label not in labels:
            guess = closest(label, list(labels))
            page.problem(
                number,
                name,
                f"unknown row {label!r} in section {title!r}",
                f"did you mean {guess!r}? rows: {', '.join(labels)}",
            )
            unreadable.add(guess)
        elif label in rows:
            page.problem(
                number,
                f"{name}.{labels[label]}",
                f"row {label!r} appears twice in section {title!r} (first on line {rows[label].line})",
                "each row once",
            )
        else:
            rows[label] = _Row(label, value, number)
    if note:
        text = _collapse(" ".join(line for _, line in note))
        if text not in _KNOWN_NOTES[name]:
            expected = (
                "only '| Label | Value |' rows and the section's standard note"
                if _KNOWN_NOTES[name]
                else f"only '| Label | Value |' rows; section {title!r} has no note"
            )
            page.problem(note[0][0], name, f"unexpected text in section {title!r}: {_excerpt(text)}", expected)
    for field_name, label in section_rows(model):
        if label not in rows and label not in unreadable and model.model_fields[field_name].is_required():
            page.problem(
                block.line,
                f"{name}.{field_name}",
                f"missing row {label!r} in section {title!r}",
                f"a row '| {label} | <value> |'",
            )
    page.lines[name] = block.line
    page.values[name] = {labels[label]: row.value for label, row in rows.items()}
    for label, row in rows.items():
        page.lines[f"{name}.{labels[label]}"] = row.line
        page.rows.append((name, labels[label], row))


def _draft(values: Mapping[str, Any]) -> str:
    """A record file of the page's values as read (text), for the loader to validate and convert."""
    body = "".join(f"\n## {heading}\n\n{values[name]}\n" for heading, name in BODY_SECTIONS.items())
    front = {k: v for k, v in values.items() if k not in BODY_SECTIONS.values()}
    return f"---\n{dump_yaml(front)}---\n{body}"


def _relocated(problems: list[Problem], page: _Page) -> list[Problem]:
    """Problems of the would-be record file, placed on the page lines their fields came from."""
    return sorted({Problem(page.source, page.line_of(p.field), p.field, p.message, p.expected) for p in problems})


def parse_page(
    text: str, id: str, *, source: str = "<page>", config: RegistryConfig | None = None
) -> Record | list[Problem]:
    """The record a published page describes, or every problem that stops the import.

    ``id`` is the record id (see :func:`page_id`); ``source`` names the page in
    problems.  The record is validated as the file ``<records_dir>/<id>.md`` by
    the loader, with the same rules as ``site-builder check``.
    """
    config = config or RegistryConfig()
    if not text.strip():
        return [Problem(source, 1, "(file)", "the page is empty", _PAGE_FORMAT)]
    page = _Page(source)
    if not is_valid_id(id):
        page.problem(
            1,
            "id",
            f"record id {id!r} is not valid",
            "1-64 lowercase letters, digits, - and _, starting with a letter or digit; "
            "pages are named NNN_<id>.txt or <id>.txt",
        )
    title, blocks = _split(text, page)
    if page.problems:  # sections missing or out of place: what follows would only repeat that
        return sorted(set(page.problems))
    if title is None:
        page.problem(1, "title", "the page is empty or has no title line", _PAGE_FORMAT)
    else:
        page.values["title"], page.lines["title"] = title[1], title[0]
    tables = dict(TABLE_SECTIONS)
    for block in blocks:
        if block.name in tables:
            _read_table(block, tables[block.name], page)
        else:
            _read_prose(block, page)
    if page.problems:
        return sorted(set(page.problems))

    target = config.records_dir / f"{id}.md"
    values = {"id": id, **{k: page.values[k] for k in ("title", *PAGE_SECTIONS)}}
    draft = read_record(target, config, raw=_draft(values).encode("utf-8"))
    if not isinstance(draft, Record):
        return _relocated(draft, page)
    # The record file as it will be written must itself pass check, exactly as `check` reads it.
    record = read_record(target, config, raw=record_text(draft).encode("utf-8"))
    if not isinstance(record, Record):
        return _relocated(record, page)
    return _lost_values(record, page) or record


def _lost_values(record: Record, page: _Page) -> list[Problem]:
    """Values the record would show differently from the page (e.g. ``007`` stored as 7)."""
    shown = {(section, name): value for section, name, _, value in page_rows(record)}
    problems = [
        Problem(
            page.source,
            row.line,
            f"{section}.{name}",
            f"{row.value!r} would be stored and published as {shown.get((section, name), '')!r}",
            f"write it as {shown.get((section, name), '')!r}",
        )
        for section, name, row in page.rows
        if shown.get((section, name)) != row.value
    ]
    for name in ("title", *_PROSE_FIELDS):
        if getattr(record, name) != page.values[name]:
            problems.append(
                Problem(page.source, page.lines[name], name, "the text would not be stored unchanged", "plain text")
            )
    return sorted(problems)


def import_page(
    path: Path, config: RegistryConfig, shown: str | None = None, raw: bytes | None = None
) -> Record | list[Problem]:
    """The record of the page file at ``path`` (id from its name), or every problem found.

    ``shown`` names the page in problems (default: ``path``); ``raw`` is its content when already read.
    """
    source = shown or str(path)
    record_id = page_id(path)
    if record_id is None:
        return [
            Problem(
                source,
                1,
                "id",
                f"cannot take a record id from the file name {Path(path).name!r}",
                "a page file named NNN_<id>.txt or <id>.txt",
            )
        ]
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as error:
            return [Problem(source, 1, "(file)", f"cannot read the page: {error.strerror}")]
    if not raw.strip():
        return [Problem(source, 1, "(file)", "the page is empty", _PAGE_FORMAT)]
    text = decode(raw, source)
    if isinstance(text, Problem):
        return [text]
    return parse_page(text, record_id, source=source, config=config)
