"""What loading YAML gives, spelled out so that equal-looking values of other types differ."""

from __future__ import annotations

from typing import Any


def typed(value: Any) -> Any:
    """``value`` with every type spelled out and every order kept: ``1`` is not ``True``, nor a date a datetime."""
    if isinstance(value, dict):
        return ("dict", [(typed(key), typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def outcome(load: Any, text: str) -> tuple[str, Any]:
    """What loading gives: the value, typed, or the error's class and message."""
    try:
        return "value", typed(load(text))
    except Exception as error:
        return "error", (type(error).__name__, str(error))
