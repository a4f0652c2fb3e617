"""Helpers for the page tests: records made by hand, a site built from them, pages parsed from it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import html5lib
import lxml.html

from site_builder.build import build_site
from site_builder.config import RegistryConfig
from site_builder.model import Record
from site_builder.recordtext import record_text

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")

BASE: dict[str, Any] = {
    "title": "A record",
    "abstract": "An abstract.",
    "research_question": "A question?",
    "verification": {
        "paper_level": "L2, Source-grounded claims",
        "source_grounded_claims": 20,
        "claim_record_source": "parsed source sections",
    },
    "gate": {
        "status": "Unverified",
        "name": "Gate 2 — Verification (formal proof or sandbox reproduction)",
        "reason": "No formal proof or sandbox reproduction has been attempted for this record.",
    },
    "tier": {"name": "DOI grade", "basis": "Review score and verified-claim count meet DOI-grade thresholds."},
    "dimensions": {
        "evidence_strength": "MEDIUM",
        "citation_grounding": "MEDIUM",
        "uncertainty_disclosure": "LOW",
        "reproducibility_status": "HIGH",
    },
    "correction": {
        "status": "CURRENT",
        "count": 0,
        "manifest_contract": "paper-manifest-v1.1",
        "correction_contract": "correction-record-v1",
    },
    "provenance": {
        "publisher": "Assignee Research",
        "public_provenance": "L3, Claim aggregate record",
        "report_artifact": "Available",
        "external_record": "Not registered",
        "claim_lineage": "20 aggregate source-grounded claims",
        "review_method": "Automated multi-reviewer assessment",
        "quality_guide": "How to read scores, claims, manifests, and evidence links",
        "provenance_contract": "source-provenance-v1",
        "note": "Machine-generated synthesis of existing literature. Not primary research.",
    },
}


def make_record(record_id: str, **changes: Any) -> Record:
    """A valid record; a dict value for a section updates only the fields it names."""
    data = copy.deepcopy(BASE)
    data["id"] = record_id
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    return Record.model_validate(data)


def verified(record_id: str, **changes: Any) -> Record:
    """A Verified record with an attached proof file (``proof.lean``) and an external artifact."""
    return make_record(
        record_id,
        gate={"status": "Verified", "reason": "Lean4 proof type-checked."},
        artifacts=[
            {"title": "Lean4 proof source", "path": "proof.lean"},
            {"title": "Sandbox results", "url": "https://example.org/results"},
        ],
        **changes,
    )


def build(tmp_path: Path, records: list[Record], **settings: Any) -> Path:
    """Write ``records`` as record files (with their attached files) and build the site; return site_dir."""
    records_dir = tmp_path / "records"
    records_dir.mkdir(exist_ok=True)
    for record in records:
        (records_dir / f"{record.id}.md").write_text(record_text(record), encoding="utf-8")
        for artifact in record.artifacts:
            if artifact.path is not None:
                target = records_dir / record.id / artifact.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(f"-- attached to {record.id}\n", encoding="utf-8")
    config = RegistryConfig.from_settings(
        {
            "project_dir": REPO,
            "records_dir": records_dir,
            "site_dir": tmp_path / "site",
            "cache_dir": tmp_path / "cache",
            **settings,
        }
    )
    build_site(config)
    return tmp_path / "site"


def page(site: Path, url: str) -> lxml.html.HtmlElement:
    """The parsed page at site-relative ``url`` (``records/x/``)."""
    path = site / (url + "index.html" if url.endswith("/") or not url else url)
    return lxml.html.fromstring(path.read_bytes())


def main_text(doc: lxml.html.HtmlElement) -> str:
    """The visible text of ``<main>``, whitespace collapsed."""
    return " ".join(doc.xpath("//main")[0].text_content().split())


def html_errors(content: bytes) -> list[Any]:
    """Parse errors of an HTML document, by the HTML5 parsing algorithm."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(content)
    return list(parser.errors)
