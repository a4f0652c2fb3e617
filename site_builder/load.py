"""Loading records: a directory of record files -> typed, validated records, or every problem found.

``read_record`` handles one file and never raises for bad input; ``load_records``
scans a directory, reads every record and applies the cross-record rules.
"""

from __future__ import annotations

import os
import re
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .config import RegistryConfig
from .model import BODY_SECTIONS, Record, is_valid_id
from .problems import Problem, closest, display_path
from .recordfile import Locator, ParsedFile, decode, parse_record_text
from .rules import RULES, check_library

RECORD_SUFFIX = ".md"
_BODY_HEADINGS = {name: heading for heading, name in BODY_SECTIONS.items()}


@dataclass
class LoadedRecords:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_record(path: Path, config: RegistryConfig, raw: bytes | None = None) -> Record | list[Problem]:
    """Read and validate one record file: a record, or all of its problems."""
    shown = display_path(path)
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as error:
            return [Problem(shown, 1, "(file)", f"cannot read the file: {error.strerror}")]
    text = decode(raw, shown)
    if isinstance(text, Problem):
        return [text]
    return validate_text(text, path, config)


def validate_text(text: str, path: Path, config: RegistryConfig) -> Record | list[Problem]:
    """Validate record text as if it were the file at ``path``."""
    shown = display_path(path)
    parsed = parse_record_text(text, shown)
    if not isinstance(parsed, ParsedFile):
        return parsed
    try:
        record = Record.model_validate(parsed.data)
    except ValidationError as error:
        found = [_problem(shown, parsed.locator, e) for e in error.errors()]
        return sorted(set(parsed.problems + [p for p in found if not _reported(p, parsed.problems)]))
    if parsed.problems:
        return sorted(parsed.problems)
    problems = [
        Problem(shown, parsed.locator.line(loc), _field(loc), message, expected)
        for rule in RULES
        for loc, message, expected in rule(record, config, path)
    ]
    return sorted(problems) if problems else record


def _reported(problem: Problem, body_problems: list[Problem]) -> bool:
    """A missing body section is already explained by a problem with the body's headings."""
    return problem.field in _BODY_HEADINGS and any(p.field in ("(body)", problem.field) for p in body_problems)


def _field(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, str) and not (part.isprintable() and part.strip() == part and part):
            part = repr(part)  # a key such as "\n" or " " must not break the one-line problem format
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(front matter)"


# Values quoted in messages: bounded in length and depth (a deeply nested value must not break repr()).
_QUOTE = reprlib.Repr()
_QUOTE.maxlevel, _QUOTE.maxstring, _QUOTE.maxother = 3, 80, 80


# Parts of a pydantic error location that name a union member, e.g. "function-after[_aware(), datetime]".
_UNION_TAG = re.compile(r"[a-z][a-z-]*\[.*\]", re.S)


def _problem(path: str, locator: Locator, error: Any) -> Problem:
    raw = tuple(error["loc"])
    # The last part of an unknown field's location is the key as written, whatever it looks like ("[", "a[b]").
    last = len(raw) - 1 if error["type"] == "extra_forbidden" else len(raw)
    loc = tuple(p for i, p in enumerate(raw) if i == last or not (isinstance(p, str) and _UNION_TAG.fullmatch(p)))
    kind, value = error["type"], _QUOTE.repr(error.get("input"))
    line = locator.line(loc)
    name = _field(loc)
    if kind == "missing":
        if loc and loc[0] in _BODY_HEADINGS:
            return Problem(path, line, name, f"missing section '## {_BODY_HEADINGS[str(loc[0])]}'", "required")
        return Problem(path, line, name, "missing", "required field")
    if kind == "extra_forbidden":
        known = _known_fields(loc[:-1])
        hint = f"did you mean {closest(str(loc[-1]), known)!r}? " if known else ""
        return Problem(path, line, name, "unknown field", f"{hint}known: {', '.join(known)}")
    if kind == "string_pattern_mismatch":
        return Problem(path, line, name, f"{value} is not allowed", f"matching {error['ctx']['pattern']}")
    if kind in (
        "string_type",
        "int_type",
        "int_parsing",
        "int_from_float",
        "model_type",
        "list_type",
        "date_type",
        "date_from_datetime_parsing",
        "date_parsing",
        "datetime_type",
        "datetime_from_date_parsing",
        "datetime_parsing",
        "bool_type",
        "greater_than_equal",
        "date_from_datetime_inexact",
    ):
        return Problem(path, line, name, f"{value} is the wrong type or value", _EXPECTED.get(kind, error["msg"]))
    message = str(error["msg"]).removeprefix("Value error, ")
    return Problem(path, line, name, message)


_EXPECTED = {
    "string_type": "text; quote values such as yes, no, 1.0 or dates",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "greater_than_equal": "a number >= 0",
    "model_type": "a mapping of 'key: value' lines",
    "list_type": "a list of '- ' items",
    "date_type": "a date such as 2026-06-10",
    "date_parsing": "a date such as 2026-06-10",
    "date_from_datetime_parsing": "a date such as 2026-06-10",
    "date_from_datetime_inexact": "a date such as 2026-06-10",
    "datetime_type": "a date and time such as 2026-06-10T06:30:49+00:00",
    "datetime_parsing": "a date and time such as 2026-06-10T06:30:49+00:00",
    "datetime_from_date_parsing": "a date and time such as 2026-06-10T06:30:49+00:00",
    "bool_type": "true or false",
}


def _known_fields(loc: tuple[str | int, ...]) -> list[str]:
    model: Any = Record
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(model, "model_fields", {}).get(part)
        if info is None:
            return []
        model = _model_of(info.annotation)
    fields = getattr(model, "model_fields", {})
    return [f for f in fields if f not in _BODY_HEADINGS] if model is Record else list(fields)


def _model_of(annotation: Any) -> Any:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if hasattr(candidate, "model_fields"):
            return candidate
        for inner in getattr(candidate, "__args__", ()):
            if hasattr(inner, "model_fields"):
                return inner
    return None


def record_files(records_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The record files of a directory, and problems with anything else found there."""
    names, problems = record_file_names(records_dir)
    return [records_dir / name for name in names], problems


def record_file_names(records_dir: Path) -> tuple[list[str], list[Problem]]:
    """The names of the record files of a directory, sorted, and problems with anything else found there.

    Names, not paths: a build scans every record file, and a ``Path`` each costs more than the scan.
    """
    shown = display_path(records_dir)
    if not records_dir.is_dir():
        return [], [
            Problem(shown, 1, "(records)", "the records directory does not exist", "a directory of <id>.md files")
        ]
    names: list[str] = []
    problems: list[Problem] = []
    entries = sorted(os.scandir(records_dir), key=lambda e: e.name)
    stems = {e.name[: -len(RECORD_SUFFIX)] for e in entries if e.name.endswith(RECORD_SUFFIX)}
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        if entry.is_dir():
            if name not in stems:
                problems.append(
                    Problem(
                        shown_in(shown, name),
                        1,
                        "(attachments)",
                        "folder without a record",
                        f"a record file {name}.md beside it",
                    )
                )
        elif name.endswith(RECORD_SUFFIX):
            if not is_valid_id(name[: -len(RECORD_SUFFIX)]):
                problems.append(
                    Problem(
                        shown_in(shown, name),
                        1,
                        "(file name)",
                        f"{name!r} is not a valid record file name",
                        "<id>.md with an id of lowercase letters, digits, - and _",
                    )
                )
            names.append(name)
        elif name.lower() not in ("readme", "readme.txt"):
            problems.append(Problem(shown_in(shown, name), 1, "(file name)", "not a record file", "<id>.md"))
    return names, problems


def field_line(path: str, loc: tuple[str | int, ...]) -> int:
    """The line of field ``loc`` in the record file at display path ``path``; 1 when it cannot be read as one.

    For problems found across records (:func:`~.rules.check_library`): the file is read again, which
    is rare and cheap, rather than every record's locations kept for the case.
    """
    try:
        text = decode(Path(path).read_bytes(), path)
    except OSError:
        return 1
    parsed = parse_record_text(text, path) if isinstance(text, str) else None
    return parsed.locator.line(loc, body=False) if isinstance(parsed, ParsedFile) else 1


def shown_in(folder: str, name: str) -> str:
    """:func:`display_path` of file ``name`` in a folder shown as ``folder`` (its own display path)."""
    return name if folder == "." else os.path.join(folder, name)


def load_records(config: RegistryConfig) -> LoadedRecords:
    """Every record of ``config.records_dir``, validated, sorted by id; or all problems found."""
    files, problems = record_files(config.records_dir)
    loaded = LoadedRecords(problems=problems)
    located: list[tuple[Record, str]] = []
    for path in files:
        result = read_record(path, config)
        if isinstance(result, Record):
            loaded.records.append(result)
            loaded.paths[result.id] = path
            located.append((result, display_path(path)))
        else:
            loaded.problems.extend(result)
    loaded.problems.extend(check_library(located, field_line))
    loaded.problems.sort()
    loaded.records.sort(key=lambda r: r.id)
    return loaded
