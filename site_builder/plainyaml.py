"""Plain block YAML, read line by line: the subset record front matter is written in, with PyYAML's values.

A record's front matter is ``key: value`` lines nested by indentation, ``- item``
lists and one-line scalars.  libyaml reads such a document into some seventy node
objects that Python then builds values from, the largest part of reading a
record.  :func:`load_plain` reads the subset directly.  Each plain scalar is
resolved by the loader's own implicit resolvers and built by PyYAML's own
constructors (a date, a number, a boolean, a null), so the values are
``yaml.safe_load``'s.  Anything else raises :class:`NotPlain`, and the caller
loads the document with PyYAML, errors included:

- a character YAML reads specially: a tab, a carriage return, a byte-order mark,
  a Unicode line break, a character outside YAML's printable set;
- a flow collection other than ``[]`` and ``{}``, a block scalar (``|``, ``>``),
  a scalar over several lines, an anchor, alias or tag;
- a comment after a value, a quoted or unusual key (not ``[A-Za-z_][A-Za-z0-9_-]*``),
  a key longer than libyaml takes (1,024 characters), a key that resolves to
  anything but a string (``yes:``, ``null:``);
- a line indented more than 64 columns (nesting that deep is no record's);
- a double-quoted scalar with an escape, a plain scalar that starts with an
  indicator or holds ``": "`` or ``" #"``, or one whose tag has no safe constructor;
- any line that does not fit where it is (an error, or YAML this reader does not know).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

__all__ = ["PLAIN_ONLY", "SAFE_LOADER", "STR", "NotPlain", "implicit_tag", "load_plain"]

SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when PyYAML was built with it
STR = "tag:yaml.org,2002:str"
# The loader's implicit resolvers by a plain scalar's first character, and (below) its constructors, as they
# are when this module is imported (the project registers none); reading them so holds when there are no others.
_IMPLICIT: dict[str, tuple[tuple[str, Any], ...]] = {
    first: tuple(resolvers) for first, resolvers in SAFE_LOADER.yaml_implicit_resolvers.items() if first is not None
}
PLAIN_ONLY = not SAFE_LOADER.yaml_path_resolvers and None not in SAFE_LOADER.yaml_implicit_resolvers
# The tags of plain scalars built here, by the loader's own constructors; any other tag (merge, value) is not.
_BUILT = {
    tag: SAFE_LOADER.yaml_constructors[tag]
    for tag in [f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp")]
}
_SCALARS = SafeConstructor()  # what the constructors are called on: they read nothing of it but constants

# Line feed, printable ASCII, and Unicode's printable planes without NEL, LS, PS and the byte-order mark.
_SPECIAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,1023}):(?: +|$)")  # libyaml's simple keys: 1,024 characters at most
# Each level of nesting is deeper than the one before but one (a list at its key's column): lines
# indented this much at most keep the nesting far from libyaml's limit (1,000) and Python's recursion.
_DEEPEST = 64
_SINGLE = re.compile(r"'((?:[^']|'')*)' *")
_DOUBLE = re.compile(r'"([^"\\]*)" *')
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")

Lines = list[tuple[int, str]]  # (indentation, content) of each line that is neither blank nor a comment


class NotPlain(Exception):
    """The document is not in the subset read here: PyYAML reads it."""


def load_plain(text: str) -> Any:
    """The value of one YAML document in the plain block subset, as ``yaml.safe_load`` gives it."""
    if not PLAIN_ONLY or _SPECIAL.search(text):  # a path or wildcard resolver: not read here at all
        raise NotPlain
    lines: Lines = []
    for line in text.split("\n"):
        content = line.lstrip(" ")
        if content and content[0] != "#":
            indent = len(line) - len(content)
            if indent > _DEEPEST:
                raise NotPlain
            lines.append((indent, content))
    try:
        value, end = _node(lines, 0, -1)
    except RecursionError:
        raise NotPlain from None
    if end != len(lines):
        raise NotPlain
    return value


def implicit_tag(value: str) -> str:
    """The tag of the plain scalar ``value``, as the loader's resolver gives it."""
    for tag, pattern in _IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            return str(tag)
    return STR


def _node(lines: Lines, at: int, parent: int) -> tuple[Any, int]:
    """The collection at line ``at``, indented deeper than ``parent`` (None when none is); the line after it."""
    if at == len(lines) or lines[at][0] <= parent:
        return None, at
    indent, content = lines[at]
    if _entry(content):
        return _sequence(lines, at, indent)
    found = _KEY.match(content)
    if found is None:
        raise NotPlain  # a scalar on lines of its own
    return _mapping(lines, at, indent, found)


def _entry(content: str) -> bool:
    return content == "-" or content.startswith("- ")


def _mapping(lines: Lines, at: int, indent: int, found: re.Match[str] | None) -> tuple[dict[Any, Any], int]:
    """The mapping whose keys are at column ``indent``, from line ``at`` (``found``: its first key, matched)."""
    mapping: dict[Any, Any] = {}
    while True:
        if found is None:
            raise NotPlain  # not a key line where a key belongs
        key = found.group(1)
        if key[0] in _IMPLICIT and implicit_tag(key) != STR:  # most keys start where no resolver does
            raise NotPlain
        rest = found.string[found.end() :]
        at += 1
        if rest:
            mapping[key] = _scalar(rest)
        elif at < len(lines) and lines[at][0] == indent and _entry(lines[at][1]):
            mapping[key], at = _sequence(lines, at, indent)  # a list at its key's own column
        else:
            mapping[key], at = _node(lines, at, indent)
        if at == len(lines) or lines[at][0] < indent:
            return mapping, at
        if lines[at][0] > indent:
            raise NotPlain  # a scalar that goes on, or an error
        found = _KEY.match(lines[at][1])


def _sequence(lines: Lines, at: int, indent: int) -> tuple[list[Any], int]:
    """The list whose ``-`` are at column ``indent``, from line ``at``."""
    items: list[Any] = []
    while at < len(lines):
        column, content = lines[at]
        if column != indent or not _entry(content):
            break  # deeper: a scalar that goes on, or an error, which the caller's check finds
        rest = content[1:].lstrip(" ")
        found = _KEY.match(rest)
        if not rest:
            item, at = _node(lines, at + 1, indent)
        elif found is not None:
            item, at = _mapping(lines, at, indent + len(content) - len(rest), found)
        else:
            item, at = _scalar(rest), at + 1
        items.append(item)
    return items, at


def _scalar(text: str) -> Any:
    """The value of a one-line scalar ``text`` (from its first character to the end of the line)."""
    first = text[0]
    if first == "'":
        quoted = _SINGLE.fullmatch(text)
        if quoted is None:
            raise NotPlain
        return quoted.group(1).replace("''", "'")
    if first == '"':
        quoted = _DOUBLE.fullmatch(text)
        if quoted is None:
            raise NotPlain
        return quoted.group(1)
    value = text.rstrip(" ")
    if value == "[]":
        return []
    if value == "{}":
        return {}
    if first in _INDICATORS or ": " in value or " #" in value or value[-1] == ":":
        raise NotPlain
    tag = implicit_tag(value) if first in _IMPLICIT else STR  # most values start where no resolver does
    if tag == STR:
        return value
    build = _BUILT.get(tag)
    if build is None:
        raise NotPlain
    try:
        return build(_SCALARS, ScalarNode(tag, value))
    except Exception:  # a value its resolver takes and its constructor cannot build (2026-13-45): PyYAML's error
        raise NotPlain from None
