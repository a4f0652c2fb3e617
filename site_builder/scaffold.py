"""A new record file to fill in: valid from the start, with placeholders to replace.

Every vocabulary value comes from the configuration, so the scaffold passes
``site-builder check`` as written; the prose and free-text values say what to
write instead of them.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from .config import RegistryConfig
from .model import Record, is_valid_id
from .problems import Problem

TODO = "TODO: "


def new_id() -> str:
    """A random, unguessable 16-hex-digit record id, like the ids of the public registry."""
    return secrets.token_hex(8)


def _contract(contracts: Sequence[str], word: str) -> str:
    """The configured contract whose name mentions ``word`` (e.g. 'manifest'), else the first one."""
    return next((c for c in contracts if word in c.lower()), contracts[0])


def scaffold_record(record_id: str, config: RegistryConfig, title: str | None = None) -> Record | list[Problem]:
    """A placeholder record with id ``record_id``, or the problems that stop one being made."""
    source = f"{record_id}.md"
    problems: list[Problem] = []
    if not is_valid_id(record_id):
        problems.append(
            Problem(
                source,
                1,
                "id",
                f"record id {record_id!r} is not valid",
                "1-64 lowercase letters, digits, - and _, starting with a letter or digit",
            )
        )
    if title is not None and not title.strip():
        problems.append(Problem(source, 1, "title", "the title is empty", "--title with some text"))
    status = next((s for s in config.gate_statuses if not s.requires_artifact), None)
    if status is None:
        problems.append(
            Problem(
                source,
                1,
                "gate.status",
                "every configured gate status requires an attached artifact, so a new record cannot be valid",
                "a gate status without requires_artifact in plugins.registry.gate_statuses",
            )
        )
    if problems or status is None:
        return problems
    tier = config.tiers[0]
    level = config.dimension_levels[0]
    return Record.model_validate(
        {
            "id": record_id,
            "title": title.strip() if title else TODO + "the record's title",
            "abstract": TODO + "the abstract, in Markdown.",
            "research_question": TODO + "the research question, in Markdown.",
            "verification": {
                "paper_level": TODO + "paper level",
                "source_grounded_claims": 0,
                "claim_record_source": TODO + "claim record source",
            },
            "gate": {
                "status": status.name,
                "name": TODO + "gate name",
                "reason": TODO + "why the gate has this status",
            },
            "tier": {"name": tier.name, "basis": tier.description or TODO + "basis of the tier"},
            "dimensions": {
                "evidence_strength": level,
                "citation_grounding": level,
                "uncertainty_disclosure": level,
                "reproducibility_status": level,
            },
            "correction": {
                "status": config.correction_statuses[0],
                "count": 0,
                "manifest_contract": _contract(config.contracts, "manifest"),
                "correction_contract": _contract(config.contracts, "correction"),
            },
            "provenance": {
                "publisher": TODO + "publisher",
                "public_provenance": TODO + "public provenance",
                "report_artifact": TODO + "report artifact",
                "external_record": TODO + "external record",
                "claim_lineage": TODO + "claim lineage",
                "review_method": TODO + "review method",
                "quality_guide": TODO + "quality guide",
                "provenance_contract": _contract(config.contracts, "provenance"),
                "note": TODO + "note",
            },
        }
    )
