"""Problems a user can hit, as values: a file, a line, a field, what is wrong.

Every check in the project reports :class:`Problem` values instead of raising,
so that ``site-builder check`` can report all of them at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    path: str
    line: int
    field: str
    message: str
    expected: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field}: {self.message}"
        return f"{text} ({self.expected})" if self.expected else text


class ProblemsFound(Exception):
    """Raised at the edge of a stage when it found problems; carries all of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: Iterable[Problem]) -> str:
    """One problem a line, in the order given."""
    return "\n".join(str(p) for p in problems)


def closest(value: str, known: Sequence[str]) -> str:
    """The known value a mistyped ``value`` most likely meant (case-insensitive)."""
    lowered = {k.lower(): k for k in known}
    if value.lower() in lowered:
        return lowered[value.lower()]
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.0)
    return lowered[match[0]] if match else known[0]


def unknown_value(path: str, line: int, field: str, value: str, known: Sequence[str], what: str) -> Problem:
    """The problem for a value outside a vocabulary, naming the closest known value."""
    choices = ", ".join(repr(k) for k in known)
    return Problem(
        path,
        line,
        field,
        f"unknown {what} {value!r}",
        f"did you mean {closest(value, known)!r}? known: {choices}",
    )


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)
