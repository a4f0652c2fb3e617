"""Reading one record file: bytes -> front matter mapping + body sections, with line numbers.

A record file is YAML front matter between ``---`` lines, then a Markdown body
of ``## Abstract`` and ``## Research question`` sections.  Parsing is fast
(libyaml when present); line numbers are worked out only when a problem needs
one (:class:`Locator`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import frontmatter
from .model import BODY_SECTIONS
from .problems import Problem
from .yamlnodes import line_of

_FENCE = "---"


@dataclass
class Locator:
    """Maps a field path such as ``("tier", "name")`` to its line in the record file."""

    front_matter: str
    first_line: int  # file line of the front matter's first line
    body_lines: dict[str, int] = field(default_factory=dict)
    body_start: int = 1
    _root: yaml.Node | None = None

    def line(self, loc: Sequence[str | int], *, body: bool = True) -> int:
        """The line of ``loc``; a body section's heading unless ``body`` is False (then its front matter key)."""
        if body and loc and loc[0] in BODY_SECTIONS.values():
            return self.body_lines.get(str(loc[0]), self.body_start)
        if self._root is None:
            try:  # libyaml's composer when present: fast, and no recursion limit on deeply nested values
                self._root = yaml.compose(self.front_matter, Loader=frontmatter.FrontMatterLoader)
            except (yaml.YAMLError, RecursionError):  # the pure-Python composer recurses
                return self.first_line
        return self.first_line + (line_of(self._root, loc) or 0)


_KINDS = {"timestamp": "date", "int": "whole number", "float": "number", "bool": "true/false value"}


def _bad_value(front: str, path: str) -> Problem:
    """The problem for the first scalar that YAML resolves but cannot construct, e.g. the date ``2026-13-45``."""
    constructor = yaml.SafeLoader("")
    try:
        pending = [yaml.compose(front, Loader=yaml.SafeLoader)]
    except (yaml.YAMLError, RecursionError):
        pending = []
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except Exception:
                kind = _KINDS.get(str(node.tag).rpartition(":")[2], str(node.tag))
                expected = "a real date such as 2026-06-10" if kind == "date" else f"a valid {kind}, or quote the text"
                line = 2 + node.start_mark.line
                return Problem(path, line, "(front matter)", f"invalid {kind} {node.value!r}", expected)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            pending.extend(item for pair in reversed(node.value) for item in reversed(pair))
    return Problem(path, 2, "(front matter)", "a value cannot be read", "valid YAML")


@dataclass(frozen=True)
class ParsedFile:
    """The file's fields, where they are, and problems of the body (the front matter parsed)."""

    data: dict[str, Any]
    locator: Locator
    problems: list[Problem] = field(default_factory=list)


def decode(raw: bytes, path: str) -> str | Problem:
    """Record text from file bytes, or the problem that stops us reading it at all."""
    if not raw.strip():
        return Problem(path, 1, "(file)", "the file is empty", "YAML front matter between '---' lines, then the body")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return Problem(path, line, "(file)", "binary file: contains a NUL byte", "a UTF-8 text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        return Problem(path, line, "(file)", f"not UTF-8: byte 0x{byte:02x} cannot be decoded", "a UTF-8 text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_record_text(text: str, path: str) -> ParsedFile | list[Problem]:
    """Split a record file into its front matter mapping and body sections."""
    lines = text.split("\n")
    if lines[0].rstrip() != _FENCE:
        return [Problem(path, 1, "(front matter)", "the file does not start with '---'", "YAML front matter first")]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == _FENCE), None)
    if end is None:
        return [Problem(path, 1, "(front matter)", "the front matter is not closed", "a second '---' line")]
    front = "\n".join(lines[1:end]) + "\n"  # with its last line break, as in the file: "key: |" blocks keep it
    locator = Locator(front, first_line=2, body_start=end + 2)
    try:
        data = frontmatter.load(front)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = 2 + (mark.line if mark is not None else 0)
        if isinstance(error, yaml.reader.ReaderError):  # a character YAML cannot carry: no mark, only a position
            line = 2 + front[: error.position].count("\n")
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return [Problem(path, line, "(front matter)", f"malformed YAML: {problem}", "valid YAML")]
    except RecursionError:
        return [Problem(path, 2, "(front matter)", "the YAML is nested too deeply", "'key: value' lines")]
    except Exception:  # a value YAML recognises but cannot build, such as the date 2026-13-45 or `!!int abc`
        return [_bad_value(front, path)]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return [Problem(path, 2, "(front matter)", "the front matter is not a mapping", "'key: value' lines")]
    body, problems = _parse_body(lines, end + 1, path, locator)
    for clash in sorted(set(body) & set(data)):
        line = locator.line((clash,), body=False)
        problems.append(Problem(path, line, clash, "given in the front matter", "a body section instead"))
    return ParsedFile({**data, **body}, locator, problems)


def _parse_body(lines: list[str], start: int, path: str, locator: Locator) -> tuple[dict[str, str], list[Problem]]:
    known = {heading.lower(): name for heading, name in BODY_SECTIONS.items()}
    sections: dict[str, list[str]] = {}
    problems: list[Problem] = []
    current: list[str] | None = None
    for number in range(start, len(lines)):
        line = lines[number]
        if line.startswith("## "):
            heading = line[3:].strip()
            name = known.get(heading.lower())
            if name is None:
                expected = "sections: " + ", ".join(f"'## {h}'" for h in BODY_SECTIONS)
                problems.append(Problem(path, number + 1, "(body)", f"unknown section '## {heading}'", expected))
                current = None
            elif name in sections:
                problems.append(Problem(path, number + 1, name, f"section '## {heading}' appears twice", "once"))
                current = None
            else:
                current = sections[name] = []
                locator.body_lines[name] = number + 1
        elif current is not None:
            current.append(line)
        elif line.strip() and not problems:
            problems.append(
                Problem(path, number + 1, "(body)", "text outside a section", "'## Abstract' before the text")
            )
    return {name: "\n".join(text).strip() for name, text in sections.items()}, problems
