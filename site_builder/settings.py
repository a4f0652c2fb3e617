"""Settings: fields of a frozen dataclass, each declaring the check its value must pass.

The configuration is a couple of dozen plain values (texts, paths, counts, lists of names), so its
fields are checked here, from a declaration beside each (:func:`setting`), and not by pydantic,
which validates the records: every command reads the configuration, a no-op rebuild included, and
importing pydantic and building its models took 0.15-0.18 s of that rebuild's 0.6 s at 10k records.
The messages are worded as pydantic words them, so a setting reads as a record's field does.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import MISSING, Field, field, fields
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Check = Callable[[Any], Any]
Where = tuple[str | int, ...]


class Invalid(ValueError):
    """A value a check refuses: what is wrong, and where below the setting (list positions, keys)."""

    def __init__(self, message: str, where: Where = ()) -> None:
        super().__init__(message)
        self.message, self.where = message, where


class SettingsInvalid(ValueError):
    """Every setting refused by :func:`checked`: (where, from the setting's name down; message)."""

    def __init__(self, errors: list[tuple[Where, str]]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, where))}: {message}" for where, message in errors))
        self.errors = errors


def setting(default: T, check: Check) -> T:
    """A dataclass field with ``default``, whose value must pass ``check`` (which may convert it)."""
    return field(default=default, metadata={"check": check})


def required(check: Check) -> Any:
    """A dataclass field without a default, whose value must pass ``check``."""
    return field(metadata={"check": check})


def checked(kind: type[T], values: Mapping[str, Any]) -> T:
    """An instance of the dataclass ``kind`` from ``values``, each passing its field's check; raises SettingsInvalid.

    A name ``kind`` has no field for is refused; a field not given takes its default.
    """
    declared = {f.name: f for f in fields(kind)}  # type: ignore[arg-type]
    errors: list[tuple[Where, str]] = []
    accepted: dict[str, Any] = {}
    for name, value in values.items():
        if name not in declared:
            errors.append(((name,), "Extra inputs are not permitted"))
            continue
        try:
            accepted[name] = _check_of(declared[name])(value)
        except Invalid as invalid:
            errors.append(((name, *invalid.where), invalid.message))
        except SettingsInvalid as nested:
            errors.extend(((name, *where), message) for where, message in nested.errors)
    errors.extend(((f.name,), "Field required") for f in _without_default(declared.values()) if f.name not in values)
    if errors:
        raise SettingsInvalid(errors)
    return kind(**accepted)


def _check_of(declared: Field[Any]) -> Check:
    check: Check = declared.metadata["check"]
    return check


def _without_default(declared: Iterable[Field[Any]]) -> list[Field[Any]]:
    return [f for f in declared if f.default is MISSING and f.default_factory is MISSING]


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("Input should be a valid string")
    return value


def nonempty_text(value: Any) -> str:
    """A text of at least one character."""
    if not text(value):
        raise Invalid("String should have at least 1 character")
    return str(value)


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("Input should be a valid boolean")
    return value


def path(value: Any) -> Path:
    if not isinstance(value, str | os.PathLike):
        raise Invalid("Input should be a valid path")
    return Path(value)


def optional_path(value: Any) -> Path | None:
    return None if value is None else path(value)


def count(minimum: int) -> Check:
    """A whole number of at least ``minimum``."""

    def check(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise Invalid("Input should be a valid integer")
        if value < minimum:
            raise Invalid(f"Input should be greater than or equal to {minimum}")
        return value

    return check


def entries(kind: type[Any]) -> Check:
    """A mapping checked as the dataclass ``kind`` (:func:`checked`), or an instance of it already."""

    def check(value: Any) -> Any:
        if isinstance(value, kind):
            return value
        if not isinstance(value, Mapping):
            raise Invalid(f"Input should be a mapping of {', '.join(f.name for f in fields(kind))}")
        return checked(kind, value)

    return check


def distinct_list(item: Check) -> Check:
    """A non-empty list (as a tuple) of values passing ``item``, no name twice (an entry's name is its ``name``)."""

    def check(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise Invalid("Input should be a valid list")
        items: list[Any] = []
        errors: list[tuple[Where, str]] = []  # every refused item, not only the first
        for position, each in enumerate(value):
            try:
                items.append(item(each))
            except Invalid as invalid:
                errors.append(((position, *invalid.where), invalid.message))
            except SettingsInvalid as nested:
                errors.extend(((position, *where), message) for where, message in nested.errors)
        if errors:
            raise SettingsInvalid(errors)
        names = [each if isinstance(each, str) else each.name for each in items]
        if not names:
            raise Invalid("must list at least one value")
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise Invalid(f"lists {', '.join(twice)} more than once")
        return tuple(items)

    return check
