"""The typed record: what a registry record is, field by field.

Each section and field carries the label the public page shows (its pydantic
``title``), so the page layout, the importer and the validator all read the
same declaration.  Vocabulary checks (tiers, statuses, levels) need the
configuration and live in :mod:`site_builder.rules`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, NonNegativeInt, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
SCHEMA_VERSION = "1.0"
_ID_RE = re.compile(ID_PATTERN)


# Control characters (but tab and newline) and lone surrogates cannot be shown on a page or written as UTF-8.
_UNSHOWABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    bad = _UNSHOWABLE.search(value)
    if bad:
        raise ValueError(f"contains the control character U+{ord(bad.group()):04X}, which a page cannot show")
    return value


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must include a time zone, e.g. 2026-06-10T06:30:49+00:00")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
RecordId = Annotated[str, Field(pattern=ID_PATTERN, description="Permanent key; lowercase letters, digits, - and _")]
AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Verification(Section):
    """Verification Level."""

    model_config = ConfigDict(title="Verification Level")

    paper_level: Text = Field(title="Paper level")
    source_grounded_claims: NonNegativeInt = Field(title="Source-grounded claims")
    claim_record_source: Text = Field(title="Claim record source")


class Gate(Section):
    """Truth-Engine Gate Verdict."""

    model_config = ConfigDict(title="Truth-Engine Gate Verdict")

    status: Text = Field(title="Status")
    name: Text = Field(title="Gate")
    reason: Text = Field(title="Reason")
    evaluated: AwareDatetime | None = Field(default=None, title="Evaluated")


class Tier(Section):
    """Quality Tier."""

    model_config = ConfigDict(title="Quality Tier")

    name: Text = Field(title="Tier")
    basis: Text = Field(title="Basis")


class Dimensions(Section):
    """Quality Dimensions: automated triage signals."""

    model_config = ConfigDict(title="Quality Dimensions")

    evidence_strength: Text = Field(title="Evidence strength")
    citation_grounding: Text = Field(title="Citation grounding")
    uncertainty_disclosure: Text = Field(title="Uncertainty disclosure")
    reproducibility_status: Text = Field(title="Reproducibility status")


class CorrectionEntry(Section):
    """One additive public correction: when, and what changed."""

    date: date
    change: Text


class Correction(Section):
    """Correction Record."""

    model_config = ConfigDict(title="Correction Record")

    status: Text = Field(title="Status")
    count: NonNegativeInt = Field(title="Correction count")
    manifest_contract: Text = Field(title="Manifest contract")
    correction_contract: Text = Field(title="Correction contract")
    entries: list[CorrectionEntry] = Field(
        default_factory=list, title="Corrections", description="Additive: entries are never removed"
    )


class Provenance(Section):
    """Provenance."""

    model_config = ConfigDict(title="Provenance")

    publisher: Text = Field(title="Publisher")
    public_provenance: Text = Field(title="Public provenance")
    report_artifact: Text = Field(title="Report artifact")
    external_record: Text = Field(title="External record")
    claim_lineage: Text = Field(title="Claim lineage")
    review_method: Text = Field(title="Review method")
    quality_guide: Text = Field(title="Quality guide")
    provenance_contract: Text = Field(title="Provenance contract")
    note: Text = Field(title="Note")


_SAFE_PATH = re.compile(r"^(?!.*(^|/)\.\.?(/|$))[A-Za-z0-9_][A-Za-z0-9_.\-/]*$")
_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


def _safe_alias(value: str) -> str:
    """An alias becomes a folder of the site: no '.' or '..' segment may lead it elsewhere."""
    if any(part in (".", "..") for part in value.split("/")):
        raise ValueError(f"alias {value!r} must be a former id or path inside the site, without '.' or '..'")
    return value


Alias = Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$"), AfterValidator(_safe_alias)]


class Artifact(Section):
    """Evidence attached to a record: a file in ``records/<id>/`` or a URL."""

    title: Text
    path: str | None = Field(default=None, description="File under records/<id>/, relative")
    url: str | None = Field(default=None, description="http(s) URL")

    @model_validator(mode="after")
    def _one_location(self) -> Artifact:
        if (self.path is None) == (self.url is None):
            raise ValueError("give exactly one of path (a file in records/<id>/) or url")
        if self.path is not None and not _SAFE_PATH.match(self.path):
            raise ValueError(f"path {self.path!r} must be relative, inside records/<id>/, without '..'")
        if self.url is not None and not _URL.match(self.url):
            raise ValueError(f"url {self.url!r} must start with http:// or https://")
        return self


class Withdrawal(Section):
    """A withdrawn record keeps its URL as a tombstone."""

    date: date
    reason: Text


class Record(Section):
    """One registry record: front matter fields plus the two prose sections of the body."""

    model_config = ConfigDict(title="Record")

    id: RecordId
    title: Text
    abstract: Text = Field(title="Abstract", description="Markdown, from the body section '## Abstract'")
    research_question: Text = Field(
        title="Research Question", description="Markdown, from the body section '## Research question'"
    )
    published: date | None = Field(default=None, description="Date first published, when known")
    verification: Verification
    gate: Gate
    tier: Tier
    dimensions: Dimensions
    correction: Correction
    provenance: Provenance
    artifacts: list[Artifact] = Field(default_factory=list)
    aliases: list[Alias] = Field(default_factory=list, description="Former ids or paths that redirect to this record")
    withdrawn: Withdrawal | None = None


# The sections of a record page, in the published order.
TABLE_SECTIONS: tuple[tuple[str, type[Section]], ...] = (
    ("verification", Verification),
    ("gate", Gate),
    ("tier", Tier),
    ("dimensions", Dimensions),
    ("correction", Correction),
    ("provenance", Provenance),
)
# Body sections: heading in the record file -> field.
BODY_SECTIONS: dict[str, str] = {"Abstract": "abstract", "Research question": "research_question"}


def section_title(model: type[Section]) -> str:
    return str(model.model_config.get("title", model.__name__))


def section_rows(model: type[Section]) -> list[tuple[str, str]]:
    """(field name, page label) of the label/value rows of a table section."""
    return [(name, info.title or name) for name, info in model.model_fields.items() if name != "entries"]


def is_valid_id(value: str) -> bool:
    return bool(_ID_RE.match(value))


def record_json(record: Record) -> dict[str, Any]:
    """The record as JSON-ready data, with the schema version inside."""
    data = record.model_dump(mode="json", exclude_none=True)
    if record.gate.evaluated is not None:  # as the page shows it: +00:00, not pydantic's Z
        data["gate"]["evaluated"] = record.gate.evaluated.isoformat()
    return {"schema_version": SCHEMA_VERSION, **data}
