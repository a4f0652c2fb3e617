"""Registry configuration: vocabularies and build settings.

The configuration lives in the ``registry`` plugin section of ``mkdocs.yml``
(with ``site_name``, ``site_url`` and friends from its top level).  The core
reads it without MkDocs (:func:`read_config`), and the MkDocs plugin hands its
validated section to :meth:`RegistryConfig.from_settings`, so the defaults and
the rules live here only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem, ProblemsFound
from .settings import (
    SettingsInvalid,
    checked,
    count,
    distinct_list,
    entries,
    flag,
    nonempty_text,
    optional_path,
    path,
    required,
    setting,
    text,
)
from .yamlnodes import child, line_of


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary, with the sentence that tells a reader what it means."""

    name: str = required(nonempty_text)
    description: str = setting("", text)


@dataclass(frozen=True)
class GateStatus(Term):
    """A gate verdict status; ``requires_artifact`` marks statuses that need proof attached."""

    requires_artifact: bool = setting(False, flag)


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
SCHEMA_FILE = "schema/record.schema.json"  # the record schema, in the site and where `site-builder schema` writes it
RESOLVED_PATHS = ("records_dir", "templates_dir", "site_dir", "cache_dir")  # taken from project_dir when relative


@dataclass(frozen=True)
class RegistryConfig:
    """Everything the core needs to know; :meth:`from_settings` checks each setting and makes paths absolute."""

    site_name: str = setting("Research Registry", text)
    site_url: str = setting("", text)
    site_description: str = setting("", text)
    project_dir: Path = setting(Path("."), path)
    records_dir: Path = setting(Path("records"), path)
    templates_dir: Path = setting(Path("templates"), path)
    site_dir: Path = setting(Path("site"), path)
    cache_dir: Path = setting(Path(".cache"), path)
    tiers: tuple[Term, ...] = setting(DEFAULT_TIERS, distinct_list(entries(Term)))
    gate_statuses: tuple[GateStatus, ...] = setting(DEFAULT_GATE_STATUSES, distinct_list(entries(GateStatus)))
    dimension_levels: tuple[str, ...] = setting(DEFAULT_DIMENSION_LEVELS, distinct_list(text))
    correction_statuses: tuple[str, ...] = setting(DEFAULT_CORRECTION_STATUSES, distinct_list(text))
    contracts: tuple[str, ...] = setting(DEFAULT_CONTRACTS, distinct_list(text))
    quality_guide_page: str = setting("quality-guide/", text)
    contracts_page: str = setting("contracts/", text)
    page_size: int = setting(50, count(1))
    recent_records: int = setting(10, count(0))
    feed_entries: int = setting(50, count(1))
    # Records per search index shard: current records are split by a hash of their id into the smallest
    # power-of-two number of Pagefind bundles that holds them at this size, so an edit re-indexes one
    # shard (see site_builder.discovery.search).
    search_shard_records: int = setting(1000, count(1))
    previous_manifest: Path | None = setting(None, optional_path)
    workers: int = setting(0, count(0))  # build processes; 0 = all cores
    use_cache: bool = setting(True, flag)  # incremental builds from cache_dir; False (--no-cache) builds cold

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

    def settings(self, *, without: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The settings as plain data (paths as texts, terms as mappings), in field order; ``without`` left out."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name not in without}

    @classmethod
    def from_settings(cls, settings: dict[str, Any], *, source: str = "mkdocs.yml") -> RegistryConfig:
        """Check a settings mapping; relative paths are taken from ``project_dir``."""
        try:
            config = checked(cls, settings)
        except SettingsInvalid as invalid:
            raise ProblemsFound(
                [
                    Problem(source, 1, "plugins.registry." + ".".join(map(str, where)), message)
                    for where, message in invalid.errors
                ]
            ) from None
        base = config.project_dir.resolve()
        resolved = replace(
            config,
            project_dir=base,
            previous_manifest=base / config.previous_manifest if config.previous_manifest else None,
            **{key: base / getattr(config, key) for key in RESOLVED_PATHS},
        )
        unsafe = unsafe_site_dir(resolved)
        if unsafe:
            raise ProblemsFound([Problem(source, 1, "site_dir", unsafe, "a folder of its own, such as site/")])
        return resolved


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(each) for each in value]
    if isinstance(value, Term):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    return str(value) if isinstance(value, Path) else value


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
