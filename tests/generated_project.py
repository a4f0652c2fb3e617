"""A generated registry project (``benchmarks.synthetic``) for build tests, and the trees they compare."""

from __future__ import annotations

from pathlib import Path

from benchmarks import synthetic
from site_builder.build import build_site
from site_builder.config import RegistryConfig, read_config

BUILD_DAY = "1781049600"  # SOURCE_DATE_EPOCH of 2026-06-10: every build of a test has the same build date


def generated_project(tmp_path: Path, count: int) -> Path:
    """A project of ``count`` synthetic records, with the repository's templates, docs and a mkdocs.yml."""
    synthetic.generate(tmp_path / "project", count)
    return tmp_path / "project"


def config(root: Path, **overrides: object) -> RegistryConfig:
    return read_config(root / "mkdocs.yml", **overrides)


def tree(root: Path) -> dict[str, bytes]:
    """Every file's bytes, the search index included (it is reproducible)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def cold_tree(root: Path, tmp_path: Path, **overrides: object) -> dict[str, bytes]:
    """What a cold build of ``root`` publishes (built beside, without the cache)."""
    build_site(config(root, site_dir=str(tmp_path / "cold-site"), use_cache=False, **overrides))
    return tree(tmp_path / "cold-site")


def edit_template(root: Path, name: str) -> None:
    """A visible change to template ``name``: a comment at the start of its content block."""
    template = root / "templates" / name
    text = template.read_text(encoding="utf-8")
    edited = text.replace("{% block content %}", "{% block content %}<!-- edited -->", 1)
    assert edited != text, f"{name} has no content block"
    template.write_text(edited, encoding="utf-8")
