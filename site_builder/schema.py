"""The JSON Schema of a published record (:func:`site_builder.model.record_json`).

Generated from the pydantic model, then tightened with what the model checks in
code and the configuration holds: the vocabularies as ``enum``s, non-blank text,
the artifact location rules, and "a status that requires an artifact has one".
``site-builder schema`` writes it to ``schema/record.schema.json``.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .config import SCHEMA_FILE, RegistryConfig
from .model import _SAFE_PATH, SCHEMA_VERSION, Record, Text

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Pattern of non-blank text; the model's Text type rejects empty and whitespace-only values.
NOT_BLANK = r"\S"
# The model's URL rule (case-insensitive there); JSON Schema patterns have no flags.
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/]+"
_TEXT_METADATA = typing.get_args(Text)[1:]
# "format" is only an annotation in draft 2020-12 validators; these patterns make dates checkable everywhere.
# Every date-time of the model must carry a time zone (AwareDatetime).
FORMAT_PATTERNS = {
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "date-time": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$",
}


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """``model`` and every model its fields use, each once."""
    seen: set[type[BaseModel]] = set()
    pending: list[Any] = [model]
    while pending:
        candidate = pending.pop()
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            if candidate in seen:
                continue
            seen.add(candidate)
            yield candidate
            pending.extend(info.annotation for info in candidate.model_fields.values())
        else:
            pending.extend(typing.get_args(candidate))


def _add_format_patterns(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("format") in FORMAT_PATTERNS and node.get("type") == "string":
            node["pattern"] = FORMAT_PATTERNS[node["format"]]
        for value in node.values():
            _add_format_patterns(value)
    elif isinstance(node, list):
        for item in node:
            _add_format_patterns(item)


def _is_text(metadata: list[Any]) -> bool:
    return all(item in metadata for item in _TEXT_METADATA)


def schema_id(config: RegistryConfig) -> str:
    """Where the schema is published: under the site's URL, or a URN when the site has none."""
    if config.site_url:
        return f"{config.site_url.rstrip('/')}/{SCHEMA_FILE}"
    return f"urn:site-builder:{SCHEMA_FILE.removesuffix('.json')}:{SCHEMA_VERSION}"


def record_schema(config: RegistryConfig) -> dict[str, Any]:
    """The JSON Schema that every published record (``record_json``) of this configuration validates against."""
    schema = Record.model_json_schema()
    defs: dict[str, Any] = schema["$defs"]

    for model in _models(Record):
        target = schema if model is Record else defs[model.__name__]
        for name, info in model.model_fields.items():
            if _is_text(info.metadata):
                target["properties"][name].update(minLength=1, pattern=NOT_BLANK)

    _add_format_patterns(schema)

    def enum(definition: str, prop: str, values: tuple[str, ...]) -> None:
        defs[definition]["properties"][prop]["enum"] = list(values)

    enum("Tier", "name", config.tier_names)
    enum("Gate", "status", config.gate_status_names)
    for name in defs["Dimensions"]["properties"]:
        enum("Dimensions", name, config.dimension_levels)
    enum("Correction", "status", config.correction_statuses)
    enum("Correction", "manifest_contract", config.contracts)
    enum("Correction", "correction_contract", config.contracts)
    enum("Provenance", "provenance_contract", config.contracts)

    artifact = defs["Artifact"]
    artifact["properties"]["path"]["anyOf"][0]["pattern"] = _SAFE_PATH.pattern
    artifact["properties"]["url"]["anyOf"][0]["pattern"] = URL_PATTERN
    artifact["oneOf"] = [
        {"required": ["path"], "not": {"required": ["url"]}},
        {"required": ["url"], "not": {"required": ["path"]}},
    ]

    needs_artifact = [s.name for s in config.gate_statuses if s.requires_artifact]
    if needs_artifact:
        schema["allOf"] = [
            {
                "if": {
                    "properties": {"gate": {"properties": {"status": {"enum": needs_artifact}}}},
                    "required": ["gate"],
                },
                "then": {"properties": {"artifacts": {"minItems": 1}}, "required": ["artifacts"]},
            }
        ]

    schema["properties"] = {
        "schema_version": {
            "const": SCHEMA_VERSION,
            "description": "Version of this record format",
            "title": "Schema version",
            "type": "string",
        },
        **schema["properties"],
    }
    schema["required"] = ["schema_version", *schema["required"]]
    schema["title"] = f"{config.site_name} record"
    return {"$schema": SCHEMA_DIALECT, "$id": schema_id(config), **schema}


def schema_text(config: RegistryConfig) -> str:
    """The schema file's text: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(record_schema(config), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
