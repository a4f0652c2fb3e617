"""What loading YAML gives, spelled out so that equal-looking values of other types differ."""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # what the front matter's loaders stand in for


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with libyaml, as the build's loaders would read ``text`` without their fast paths."""
    return yaml.load(text, Loader=SAFE_LOADER)


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
