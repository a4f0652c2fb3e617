"""Writing a record file: the inverse of :mod:`site_builder.recordfile`.

Keys come in the model's order, one value a line, so that a correction shows
up in a diff as the lines it changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml

from .model import BODY_SECTIONS, Record


class _Dumper(yaml.SafeDumper):
    pass


def _datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(datetime, _datetime)
_Dumper.add_representer(str, _text)


def front_matter(record: Record) -> dict[str, Any]:
    """The front matter mapping of a record: everything but the body sections, empty optionals left out."""
    data = record.model_dump(mode="python", exclude_none=True, exclude=set(BODY_SECTIONS.values()))
    return {k: v for k, v in data.items() if v != []}


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)


def record_text(record: Record) -> str:
    """The record file for ``record``: YAML front matter, then the Markdown body."""
    body = "".join(f"\n## {heading}\n\n{getattr(record, name).strip()}\n" for heading, name in BODY_SECTIONS.items())
    return f"---\n{dump_yaml(front_matter(record))}---\n{body}"
