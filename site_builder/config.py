"""Registry configuration: vocabularies and build settings.

The configuration lives in the ``registry`` plugin section of ``mkdocs.yml``
(with ``site_name``, ``site_url`` and friends from its top level).  The core
reads it without MkDocs (:func:`read_config`), and the MkDocs plugin hands its
validated section to :meth:`RegistryConfig.from_settings`, so the defaults and
the rules live here only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .problems import Problem, ProblemsFound
from .yamlnodes import child, line_of


class Term(BaseModel):
    """One value of a vocabulary, with the sentence that tells a reader what it means."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    description: str = ""


class GateStatus(Term):
    """A gate verdict status; ``requires_artifact`` marks statuses that need proof attached."""

    requires_artifact: bool = False


DEFAULT_TIERS = (
    Term(
        name="DOI grade",
        description="Review score and verified-claim count meet DOI-grade public quality thresholds.",
    ),
    Term(
        name="Watchlist",
        description="Review score or public verified-claim signal is below DOI-grade threshold.",
    ),
)
DEFAULT_GATE_STATUSES = (
    GateStatus(
        name="Verified",
        description=(
            "Gate 2 completed: a type-checked Lean4 proof or a sealed-sandbox reproduction is attached to the record."
        ),
        requires_artifact=True,
    ),
    GateStatus(
        name="Unverified",
        description=(
            "Gate 2 not completed: no formal proof or sandbox reproduction is attached. "
            "The record is a literature synthesis only."
        ),
    ),
)
DEFAULT_DIMENSION_LEVELS = ("LOW", "MEDIUM", "HIGH")
DEFAULT_CORRECTION_STATUSES = ("CURRENT", "CORRECTED")
DEFAULT_CONTRACTS = ("paper-manifest-v1.1", "correction-record-v1", "source-provenance-v1")


class RegistryConfig(BaseModel):
    """Everything the core needs to know, validated; paths are absolute."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    site_name: str = "Research Registry"
    site_url: str = ""
    site_description: str = ""
    project_dir: Path = Path(".")
    records_dir: Path = Path("records")
    templates_dir: Path = Path("templates")
    site_dir: Path = Path("site")
    cache_dir: Path = Path(".cache")
    tiers: tuple[Term, ...] = DEFAULT_TIERS
    gate_statuses: tuple[GateStatus, ...] = DEFAULT_GATE_STATUSES
    dimension_levels: tuple[str, ...] = DEFAULT_DIMENSION_LEVELS
    correction_statuses: tuple[str, ...] = DEFAULT_CORRECTION_STATUSES
    contracts: tuple[str, ...] = DEFAULT_CONTRACTS
    quality_guide_page: str = "quality-guide/"
    contracts_page: str = "contracts/"
    page_size: int = Field(default=50, ge=1)
    recent_records: int = Field(default=10, ge=0)
    feed_entries: int = Field(default=50, ge=1)
    search_shard_records: int = Field(
        default=1000,
        ge=1,
        description=(
            "Records per search index shard: current records are split by a hash of their id into the"
            " smallest power-of-two number of Pagefind bundles that holds them at this size, so an edit"
            " re-indexes one shard (see site_builder.discovery.search)."
        ),
    )
    previous_manifest: Path | None = None
    workers: int = Field(default=0, ge=0)  # build processes; 0 = all cores
    use_cache: bool = True  # incremental builds from cache_dir; False (--no-cache) builds cold

    @field_validator("tiers", "gate_statuses", "dimension_levels", "correction_statuses", "contracts")
    @classmethod
    def _unique_nonempty(cls, values: tuple[Any, ...]) -> tuple[Any, ...]:
        names = [v.name if isinstance(v, Term) else v for v in values]
        if not names:
            raise ValueError("must list at least one value")
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"lists {', '.join(duplicates)} more than once")
        return values

    @property
    def tier_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.tiers)

    @property
    def gate_status_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.gate_statuses)

    def gate_status(self, name: str) -> GateStatus:
        return next(s for s in self.gate_statuses if s.name == name)

    def tier(self, name: str) -> Term:
        return next(t for t in self.tiers if t.name == name)

    @classmethod
    def from_settings(cls, settings: dict[str, Any], *, source: str = "mkdocs.yml") -> RegistryConfig:
        """Validate a settings mapping; relative paths are taken from ``project_dir``."""
        try:
            config = cls.model_validate(settings)
        except ValidationError as error:
            raise ProblemsFound(
                [
                    Problem(source, 1, "plugins.registry." + ".".join(str(p) for p in e["loc"]), e["msg"])
                    for e in error.errors()
                ]
            ) from None
        base = config.project_dir.resolve()
        resolved = config.model_copy(
            update={
                "project_dir": base,
                "records_dir": base / config.records_dir,
                "templates_dir": base / config.templates_dir,
                "site_dir": base / config.site_dir,
                "cache_dir": base / config.cache_dir,
                "previous_manifest": base / config.previous_manifest if config.previous_manifest else None,
            }
        )
        unsafe = unsafe_site_dir(resolved)
        if unsafe:
            raise ProblemsFound([Problem(source, 1, "site_dir", unsafe, "a folder of its own, such as site/")])
        return resolved


def unsafe_site_dir(config: RegistryConfig) -> str | None:
    """Why ``site_dir`` must not be built into (a build replaces the whole folder), or None when it is safe."""
    site = config.site_dir.resolve()
    for what, folder in (
        ("the project", config.project_dir),
        ("the records folder", config.records_dir),
        ("the templates folder", config.templates_dir),
    ):
        folder = folder.resolve()
        if site == folder or site in folder.parents:
            return f"the output folder {site} is or contains {what} ({folder}); a build replaces its output folder"
        if what != "the project" and folder in site.parents:
            return f"the output folder {site} is inside {what} ({folder})"
    return None


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml while ignoring MkDocs-specific tags such as ``!ENV``."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)

TOP_LEVEL_KEYS = ("site_name", "site_url", "site_description", "site_dir")


def registry_settings(mkdocs_config: dict[str, Any]) -> dict[str, Any]:
    """The core's settings from a parsed mkdocs.yml: the plugin section plus a few top-level keys."""
    settings: dict[str, Any] = {k: mkdocs_config[k] for k in TOP_LEVEL_KEYS if mkdocs_config.get(k) is not None}
    for plugin in mkdocs_config.get("plugins") or []:
        if isinstance(plugin, dict) and "registry" in plugin:
            settings.update(plugin["registry"] or {})
    return settings


def read_config(config_file: Path, **overrides: Any) -> RegistryConfig:
    """Read ``mkdocs.yml`` (or defaults when it does not exist) without importing MkDocs.

    A setting it refuses is reported on the line where the file sets it.
    """
    source = str(config_file)
    raw: dict[str, Any] = {}
    text = ""
    if config_file.exists():
        try:
            text = config_file.read_text(encoding="utf-8")
            raw = yaml.load(text, Loader=_TolerantLoader) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
            raise ProblemsFound([Problem(source, line, "(file)", f"cannot read configuration: {error}")]) from None
        if not isinstance(raw, dict):
            raise ProblemsFound([Problem(source, 1, "(file)", "configuration is not a mapping")])
    settings = registry_settings(raw)
    settings.setdefault("project_dir", config_file.parent)
    settings.update({k: v for k, v in overrides.items() if v is not None})
    return config_from(settings, source, text)


def config_from(settings: dict[str, Any], source: str, text: str | Path | None) -> RegistryConfig:
    """:meth:`RegistryConfig.from_settings`, each problem on the line of the configuration that sets it.

    ``text``: the configuration file's text, or the file (read only when there is a problem).
    """
    try:
        return RegistryConfig.from_settings(settings, source=source)
    except ProblemsFound as found:
        if isinstance(text, Path):
            try:
                text = text.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                raise found from None
        raise ProblemsFound([setting_located(text or "", problem) for problem in found.problems]) from None


def setting_located(text: str, problem: Problem) -> Problem:
    """``problem`` (about a setting, field ``plugins.registry.<key>...`` or a top-level key) on its line in ``text``.

    The plugin's own section is looked in first, then the top level (``site_url`` and the other
    :data:`TOP_LEVEL_KEYS`); a setting not in the file (a default, an override) keeps the line it had.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader) if text else None
    except yaml.YAMLError:
        return problem
    parts = [int(p) if p.isdigit() else p for p in problem.field.removeprefix("plugins.registry.").split(".")]
    for section in (_registry_section(root), root):
        line = line_of(section, parts)
        if line is not None:
            return replace(problem, line=line + 1)
    return problem


def _registry_section(root: yaml.Node | None) -> yaml.Node | None:
    """The value node of ``registry`` in ``plugins``: the plugin's settings."""
    plugins = child(root, "plugins")
    for item in plugins[0].value if plugins is not None and isinstance(plugins[0], yaml.SequenceNode) else []:
        section = child(item, "registry")
        if section is not None:
            return section[0]
    return None
