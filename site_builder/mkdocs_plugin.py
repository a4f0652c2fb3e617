"""The MkDocs (or ProperDocs) driver: ``plugins: [registry]`` in ``mkdocs.yml``.

MkDocs renders the narrative pages of ``docs/`` with ``templates/main.html``;
this plugin adds everything else through the core's entry points
(:mod:`site_builder.build`): ``build_site`` for a build, ``render_registry``
for a serve session's rebuild.

- ``mkdocs build`` (and ``site-builder build``): MkDocs writes the docs pages
  into a folder of their own beside ``site_dir``; the core's
  :func:`~site_builder.build.build_site` then builds the registry, those pages
  beside it (:mod:`site_builder.companion`), in a staging tree that is swapped
  into place at the very end, so bad records (or a strict-mode warning) leave
  the published ``site/`` untouched.  It is the core's incremental build: the
  tree the last swap replaced is refreshed rather than written anew, and a
  rebuild where nothing changed writes nothing.  Whether the registry changed
  is checked while MkDocs makes the docs pages (:func:`~site_builder.build.check_early`,
  in a forked process): only the pages' digest is left to compare after them.
- ``mkdocs serve``: the registry is rendered in place into the served
  directory, so a rebuild redoes only what an edit affects, and records and
  templates are watched, so editing either reloads the page.  MkDocs cleans
  the folder it builds into on every rebuild, so it is pointed at a hidden
  folder inside the served one and its pages are hard-linked from there
  (:class:`DocsMirror`); the search index is made in the background and
  swapped in when complete (:mod:`site_builder.discovery.background`); the
  build cache stays in memory between rebuilds (:class:`~.buildstate.BuildMemory`), and the
  manifest and sitemap are written after the reload (:mod:`site_builder.deferred`).

The plugin section only *mirrors* :class:`~site_builder.config.RegistryConfig`:
every option is optional, and the defaults and the rules live in the core.
This is the only module besides :mod:`site_builder.buildcmd` that imports MkDocs.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.utils import CountHandler

from .build import BuildReport, EarlyCheck, Progress, build_site, check_early, render_registry
from .buildstate import BuildMemory
from .companion import read_companion
from .config import RegistryConfig, config_from
from .deferred import DeferredWork, deferring
from .discovery.background import BackgroundIndex, indexing_in_background
from .problems import ProblemsFound, display_path
from .siteglobals import site_globals
from .slug import slugify
from .writer import pages_dir_for, remove_abandoned, remove_path

log = get_plugin_logger(__name__)

DOCS_PAGES = ".mkdocs-pages"  # serve: where MkDocs builds (and cleans), inside the served folder
# Where the running tool logs the warnings a strict build counts: MkDocs on "mkdocs", ProperDocs on
# "properdocs" (its "mkdocs" logger, kept for plugins, hands its records up to it).
TOOL_LOGGERS = ("mkdocs", "properdocs")


class TermConfig(base.Config):  # type: ignore[no-untyped-call]
    name = c.Type(str)
    description = c.Optional(c.Type(str))


class GateStatusConfig(TermConfig):  # type: ignore[no-untyped-call]
    requires_artifact = c.Optional(c.Type(bool))


class RegistryPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    """The ``registry`` plugin section; each option is a field of ``RegistryConfig``."""

    records_dir = c.Optional(c.Type(str))
    templates_dir = c.Optional(c.Type(str))
    cache_dir = c.Optional(c.Type(str))
    tiers = c.Optional(c.ListOfItems(c.SubConfig(TermConfig)))
    gate_statuses = c.Optional(c.ListOfItems(c.SubConfig(GateStatusConfig)))
    dimension_levels = c.Optional(c.ListOfItems(c.Type(str)))
    correction_statuses = c.Optional(c.ListOfItems(c.Type(str)))
    contracts = c.Optional(c.ListOfItems(c.Type(str)))
    quality_guide_page = c.Optional(c.Type(str))
    contracts_page = c.Optional(c.Type(str))
    page_size = c.Optional(c.Type(int))
    recent_records = c.Optional(c.Type(int))
    feed_entries = c.Optional(c.Type(int))
    search_shard_records = c.Optional(c.Type(int))
    previous_manifest = c.Optional(c.Type(str))
    workers = c.Optional(c.Type(int))
    use_cache = c.Optional(c.Type(bool))


def _without_none(value: Any) -> Any:
    """Plain data from a plugin config, leaving out options that were not set (the core's defaults apply)."""
    if isinstance(value, dict | base.Config):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def core_settings(plugin_options: Any, mkdocs_config: Any) -> dict[str, Any]:
    """The settings for ``RegistryConfig.from_settings``: the plugin section plus MkDocs' site keys."""
    settings: dict[str, Any] = _without_none(plugin_options)
    for key in ("site_name", "site_url", "site_description", "site_dir"):
        if mkdocs_config.get(key) is not None:
            settings[key] = mkdocs_config[key]
    settings["project_dir"] = str(Path(mkdocs_config["config_file_path"] or "mkdocs.yml").resolve().parent)
    return settings


def missing_docs_pages(core: RegistryConfig, page_urls: set[str]) -> list[str]:
    """The configured docs pages (quality guide, one page per contract) that ``docs/`` does not provide."""
    wanted = [("quality_guide_page", core.quality_guide_page)]
    wanted += [(f"contract {name!r}", f"{core.contracts_page}{slugify(name)}/") for name in core.contracts]
    return [
        f"{what} links to '{url}', but no page of docs/ has that URL" for what, url in wanted if url not in page_urls
    ]


def files_below(root: Path) -> dict[str, str]:
    """Site-relative POSIX path -> absolute path of every file below ``root``."""
    found: dict[str, str] = {}
    if not root.is_dir():
        return found
    folders = [("", str(root))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((prefix + entry.name + "/", entry.path))
                else:
                    found[prefix + entry.name] = entry.path
    return found


def inode(path: Path) -> int | None:
    try:
        return os.lstat(path).st_ino
    except OSError:
        return None


def link_over(source: str, target: Path) -> int:
    """Hard-link ``source`` at ``target`` (replacing what is there); the inode now at ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    os.link(source, target)
    return os.lstat(target).st_ino


@dataclass
class DocsMirror:
    """``mkdocs serve``: MkDocs' output, hard-linked into the served folder the registry is rendered into.

    The served folder then keeps the registry's files from one rebuild to the
    next (MkDocs cleans only its own folder), and it has what a build would
    publish: where a registry output and a MkDocs file share a path, the
    registry's file wins, as in a build where it is written last.
    """

    linked: dict[str, int] = field(default_factory=dict)  # site-relative path -> inode of the link made
    held_back: dict[str, str] = field(default_factory=dict)  # MkDocs files not linked: the registry's were there

    def ours(self, relative: str, served: Path) -> bool:
        """Whether ``served/relative`` is still the link this mirror made (not a registry output)."""
        found = inode(served / relative)
        return found is not None and self.linked.get(relative) == found

    def sync(self, pages: Path, served: Path) -> None:
        """Before the registry: link MkDocs' new output, unlink what it no longer writes."""
        current = files_below(pages)
        for relative in self.linked.keys() - current.keys():
            if self.ours(relative, served):
                (served / relative).unlink()
        linked, held_back = {}, {}
        for relative, source in current.items():
            if self.ours(relative, served) or inode(served / relative) is None:
                linked[relative] = link_over(source, served / relative)
            else:
                held_back[relative] = source
        self.linked, self.held_back = linked, held_back

    def fill(self, served: Path) -> None:
        """After the registry: link the MkDocs files held back where the registry no longer publishes a file."""
        for relative, source in self.held_back.items():
            if inode(served / relative) is None:
                self.linked[relative] = link_over(source, served / relative)
        self.held_back = {}


class RegistryPlugin(BasePlugin[RegistryPluginConfig]):  # type: ignore[no-untyped-call]
    """Adds the registry (records, listings, home, 404, assets, schema ...) to a MkDocs build."""

    def __init__(self) -> None:
        self.command = "build"
        self.core: RegistryConfig | None = None
        self.site_dir: Path | None = None  # where the finished site goes
        self.pages: Path | None = None  # build only: where MkDocs writes the docs pages for this build
        self.progress: Progress | None = None  # set by ``site-builder build`` on a terminal
        self.report: BuildReport | None = None
        self.early: EarlyCheck | None = None  # build only: the registry's no-op check, beside the docs pages
        self.offered_early: EarlyCheck | None = None  # one ``site-builder build`` started before MkDocs
        self.docs = DocsMirror()  # serve only
        self.search = BackgroundIndex()  # serve only
        self.memory = BuildMemory()  # serve only: the last rebuild's cache and state, kept in memory
        self.later = DeferredWork()  # serve only: the manifest and sitemap, written after the reload
        self._warnings = CountHandler()
        self._warnings.setLevel(logging.WARNING)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: Any) -> Any:
        try:
            file = Path(config.get("config_file_path") or "mkdocs.yml")
            self.core = config_from(core_settings(self.config, config), self._source(config), file)
        except ProblemsFound as problems:
            raise PluginError(str(problems)) from None
        self.site_dir = Path(config.site_dir).resolve()
        self.report = None
        self._warnings = CountHandler()
        self._warnings.setLevel(logging.WARNING)
        if self.command == "serve":
            config.site_dir = str(self.site_dir / DOCS_PAGES)
            return config
        remove_abandoned(self.site_dir)
        self.pages = pages_dir_for(self.site_dir)
        remove_path(str(self.pages))
        config.site_dir = str(self.pages)
        if config.strict:
            for name in TOOL_LOGGERS:
                logging.getLogger(name).addHandler(self._warnings)
        offered, self.offered_early = self.offered_early, None
        self._stop_early()
        if offered is not None and offered.config == self.core:
            self.early = offered
        else:
            if offered is not None:
                offered.stop()
            self.early = check_early(self.core)  # while MkDocs makes the docs pages
        return config

    def on_pre_build(self, *, config: Any) -> None:
        """Nothing of a previous rebuild may still write into the served folder (its search index, in serve)."""
        self.search.cancel()
        self.later.wait()  # the manifest this rebuild reads publication dates from

    def on_files(self, files: Any, *, config: Any) -> Any:
        assert self.core is not None
        urls = {f.url for f in files.documentation_pages()}
        missing = missing_docs_pages(self.core, urls)
        if missing:
            raise PluginError("\n".join(f"{self._source(config)}: plugins.registry: {m}" for m in missing))
        return files

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """Docs pages get the same ``site`` global and whitespace handling as the core's pages."""
        assert self.core is not None
        env.globals["site"] = site_globals(self.core)
        env.trim_blocks = env.lstrip_blocks = env.keep_trailing_newline = True
        return env

    @event_priority(-100)  # last, after any other plugin's output, so the finalizers see the whole site
    def on_post_build(self, *, config: Any) -> None:
        assert self.core is not None and self.site_dir is not None
        if self.command == "serve":
            self._serve_build(Path(config.site_dir))
            return
        self._stop_counting()
        early, self.early = self.early, None
        if self._warnings.get_counts():  # MkDocs aborts this strict build next; on_build_error removes the pages
            if early is not None:
                early.stop()
            from .load import load_records  # not before: a build that goes on never needs it here

            problems = load_records(self.core).problems  # bad records are told in the same run, as `check` does
            if problems:
                raise PluginError(str(ProblemsFound(problems)))
            return
        assert self.pages is not None
        try:
            self.report = build_site(self.core, self.progress, read_companion(self.pages), early)
        except ProblemsFound as problems:
            raise PluginError(str(problems)) from None
        finally:
            if early is not None:
                early.stop()  # answered already, unless the build failed before it asked
            self._drop_pages()
        config.site_dir = str(self.site_dir)

    def _serve_build(self, pages: Path) -> None:
        """Render the registry in place into the served folder, beside MkDocs' pages linked from ``pages``."""
        assert self.core is not None and self.site_dir is not None
        self.docs.sync(pages, self.site_dir)
        built = False
        try:
            with indexing_in_background(self.search), deferring(self.later):
                self.report = render_registry(self.core, self.site_dir, self.progress, self.memory)
            built = True
        except ProblemsFound as problems:
            raise PluginError(str(problems)) from None
        finally:
            if not built:
                self.later.discard()
        self.docs.fill(self.site_dir)
        self.later.start()  # the manifest and sitemap, of the finished folder

    def _stop_counting(self) -> None:
        for name in TOOL_LOGGERS:
            logging.getLogger(name).removeHandler(self._warnings)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_counting()
        self._stop_early()
        self._drop_pages()

    def _stop_early(self) -> None:
        for early in (self.early, self.offered_early):
            if early is not None:
                early.stop()
        self.early = self.offered_early = None

    def _drop_pages(self) -> None:
        if self.pages is not None:
            remove_path(str(self.pages))
            self.pages = None

    def on_shutdown(self) -> None:
        self.search.cancel()
        self.later.wait()
        self.on_build_error(error=Exception("shutdown"))

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        """Editing a record or a template rebuilds and reloads, like editing a docs page."""
        assert self.core is not None
        for folder in (self.core.records_dir, self.core.templates_dir):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    @staticmethod
    def _source(config: Any) -> str:
        return display_path(Path(config.get("config_file_path") or "mkdocs.yml"))
