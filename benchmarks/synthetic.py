"""A deterministic synthetic registry in our record format: seeded, field lengths and value mixes like the seeds."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from site_builder.model import (
    Artifact,
    Correction,
    CorrectionEntry,
    Dimensions,
    Gate,
    Provenance,
    Record,
    Tier,
    Verification,
)
from site_builder.recordtext import record_text

from .retired import retire

GENERATOR_VERSION = "1"
REPO = Path(__file__).resolve().parent.parent
WORDS = [
    "model",
    "expert",
    "scaling",
    "retrieval",
    "vision",
    "language",
    "latency",
    "accuracy",
    "benchmark",
    "dataset",
    "transfer",
    "robustness",
    "sparse",
    "mixture",
    "attention",
    "calibration",
    "uncertainty",
    "protein",
    "graph",
    "causal",
    "inference",
    "reinforcement",
    "policy",
    "reward",
    "alignment",
    "contrastive",
    "embedding",
    "federated",
    "privacy",
    "compression",
    "quantization",
    "distillation",
    "token",
    "throughput",
    "memory",
    "kernel",
    "optimizer",
    "convergence",
    "generalization",
    "evaluation",
    "annotation",
    "synthetic",
    "domain",
    "shift",
]
LEVELS = ("LOW", "MEDIUM", "HIGH")
TIERS = (
    ("DOI grade", "Review score and verified-claim count meet DOI-grade public quality thresholds."),
    ("Watchlist", "Review score or public verified-claim signal is below DOI-grade threshold."),
)

MKDOCS_YML = """site_name: Research Registry
site_url: https://example.org/registry/
docs_dir: docs
site_dir: site
use_directory_urls: true
theme:
  name: null
  custom_dir: templates
plugins:
  - registry:
      records_dir: records
      templates_dir: templates
"""


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize()


def make_record(index: int, rng: random.Random) -> Record:
    verified = rng.random() < 0.15
    corrections = [
        CorrectionEntry(date=date(2026, 1, 1) + timedelta(days=rng.randint(0, 300)), change=sentence(rng, 6, 14) + ".")
        for _ in range(1 if rng.random() < 0.1 else 0)
    ]
    tier = TIERS[0] if rng.random() < 0.3 else TIERS[1]
    title = sentence(rng, 10, 20)
    return Record(
        id=f"{rng.getrandbits(64):016x}",
        title=title,
        abstract="Abstract: " + " ".join(sentence(rng, 8, 20) + "." for _ in range(rng.randint(4, 8))),
        research_question=title + "?",
        published=date(2025, 1, 1) + timedelta(days=rng.randint(0, 600)) if rng.random() < 0.8 else None,
        verification=Verification(
            paper_level=rng.choice(("L1, Abstract only", "L2, Source-grounded claims", "L3, Full text")),
            source_grounded_claims=rng.randint(0, 40),
            claim_record_source="parsed source sections",
        ),
        gate=Gate(
            status="Verified" if verified else "Unverified",
            name="Gate 2 — Verification (formal proof or sandbox reproduction)",
            reason=sentence(rng, 12, 30) + ".",
            evaluated=datetime(2026, 6, 10, 6, 30, 49, tzinfo=UTC) - timedelta(minutes=rng.randint(0, 10**6)),
        ),
        tier=Tier(name=tier[0], basis=tier[1]),
        dimensions=Dimensions(
            evidence_strength=rng.choice(LEVELS),
            citation_grounding=rng.choice(LEVELS),
            uncertainty_disclosure=rng.choice(LEVELS),
            reproducibility_status=rng.choice(LEVELS),
        ),
        correction=Correction(
            status="CORRECTED" if corrections else "CURRENT",
            count=len(corrections),
            manifest_contract="paper-manifest-v1.1",
            correction_contract="correction-record-v1",
            entries=corrections,
        ),
        provenance=Provenance(
            publisher="Assignee Research",
            public_provenance="L3, Claim aggregate record",
            report_artifact="Available",
            external_record="Not registered",
            claim_lineage=f"{rng.randint(1, 40)} aggregate source-grounded claims",
            review_method="Automated multi-reviewer assessment",
            quality_guide="How to read scores, claims, manifests, and evidence links",
            provenance_contract="source-provenance-v1",
            note="Machine-generated synthesis of existing literature. Not primary research.",
        ),
        artifacts=[Artifact(title="Sandbox reproduction", url=f"https://example.org/repro/{index}")][: int(verified)],
    )


def generate(root: Path, count: int, seed: int = 1) -> list[Record]:
    """Write ``count`` records under ``root`` (kept while the generator, count and seed are the same), and
    fresh copies of the repository's templates/, docs/ and mkdocs.yml (always: they change with the code)."""
    stamp = root / ".generated"
    rng = random.Random(seed)
    records = [make_record(i, rng) for i in range(count)]
    wanted = f"{GENERATOR_VERSION} {count} {seed}"
    if not (stamp.exists() and stamp.read_text() == wanted):
        retire(root)
        (root / "records").mkdir(parents=True)
        for record in records:
            (root / "records" / f"{record.id}.md").write_text(record_text(record), encoding="utf-8")
        stamp.write_text(wanted)
    for folder in ("templates", "docs"):
        retire(root / folder)
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return records
