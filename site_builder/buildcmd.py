"""``site-builder build``: the whole site (docs pages and registry) through MkDocs, as ``mkdocs build`` does.

Options override ``mkdocs.yml`` for one run (records folder, output folder,
previous manifest, cache).  Bad records print the same messages as
``site-builder check`` and exit 1, leaving the previous site untouched; success
prints one summary line.  Progress is shown on a terminal only.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the engine is imported when a build runs, not by every site-builder command
    from .build import BuildReport, EarlyCheck, Progress

EXIT_OK, EXIT_BAD_INPUT, EXIT_BAD_USAGE = 0, 1, 2


class BuildFailed(Exception):
    """The build stopped; the messages MkDocs and the plugin logged say why."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings and errors (the plugin's check messages among them) in order."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collected(logger_name: str) -> Iterator[_Collect]:
    logger = logging.getLogger(logger_name)
    handler = _Collect()
    saved = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False  # the messages are printed once, by us
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = saved


def build(
    config_file: Path,
    *,
    records_dir: Path | None = None,
    site_dir: Path | None = None,
    site_url: str | None = None,
    previous_manifest: Path | None = None,
    no_cache: bool = False,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the site described by ``config_file`` with MkDocs; raise :class:`BuildFailed` with every message."""
    early = _checked_early(
        config_file,
        records_dir=records_dir.absolute() if records_dir else None,
        site_dir=site_dir.absolute() if site_dir else None,
        site_url=site_url,
        previous_manifest=previous_manifest.absolute() if previous_manifest else None,
        cache_dir=cache_dir.absolute() if cache_dir else None,
        use_cache=False if no_cache else None,
    )
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .mkdocs_plugin import RegistryPlugin

    try:
        with _collected("mkdocs") as log:
            try:
                config = load_config(
                    config_file=str(config_file),
                    site_dir=str(site_dir.absolute()) if site_dir else None,
                    site_url=site_url,
                )
                plugin = config.plugins.get("registry")
                if not isinstance(plugin, RegistryPlugin):
                    raise BuildFailed([f"{config_file}: plugins: the 'registry' plugin is not enabled"])
                for key, path in (
                    ("records_dir", records_dir),
                    ("previous_manifest", previous_manifest),
                    ("cache_dir", cache_dir),
                ):
                    if path is not None:
                        plugin.config[key] = str(path.absolute())
                if no_cache:
                    plugin.config["use_cache"] = False
                plugin.progress = progress
                plugin.offered_early, early = early, None  # the plugin takes it if its configuration is the same
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    mkdocs_build(config)
                finally:
                    config.plugins.on_shutdown()
            except MkDocsException as error:
                messages = log.messages or [str(error)]
                raise BuildFailed([m for m in messages if not m.startswith("Aborted with")] or [str(error)]) from None
            if plugin.report is None:  # pragma: no cover - MkDocs always runs on_post_build on success
                raise BuildFailed(["the registry was not rendered"])
            return plugin.report
    finally:
        if early is not None:  # not handed to the plugin: the build failed before
            early.stop()


def _checked_early(config_file: Path, **overrides: Any) -> EarlyCheck | None:
    """The registry's no-op check, started before MkDocs is even imported (see :func:`~.build.check_early`).

    From ``mkdocs.yml`` as the core reads it; the plugin takes it only if the configuration MkDocs
    gives it is the same (an ``INHERIT`` or ``!ENV`` the core does not resolve makes it start its own).
    A configuration the core refuses starts nothing: MkDocs reports it.
    """
    from .build import check_early
    from .config import read_config
    from .problems import ProblemsFound

    try:
        return check_early(read_config(config_file, **overrides))
    except (ProblemsFound, OSError):
        return None


def _terminal_progress(stream: TextIO) -> Progress:
    def show(stage: str, done: int, total: int) -> None:
        end = "\n" if done == total else ""
        stream.write(f"\r{stage}: {done}/{total}{end}")
        stream.flush()

    return show


def run(args: argparse.Namespace) -> int:
    """Build the whole site (records and docs pages) with MkDocs; the old site stays unless all succeeds.

    Exit codes: 0 built, 1 bad records or configuration, 2 bad usage.
    """
    config_file = Path(args.config)
    if not config_file.is_file():
        print(f"site-builder build: error: configuration file {config_file} not found", file=sys.stderr)
        return EXIT_BAD_USAGE
    if args.records is not None and not Path(args.records).is_dir():
        print(f"site-builder build: error: records folder {args.records} not found", file=sys.stderr)
        return EXIT_BAD_USAGE
    show_progress = not args.quiet and sys.stderr.isatty()
    try:
        report = build(
            config_file,
            records_dir=Path(args.records) if args.records else None,
            site_dir=Path(args.site_dir) if args.site_dir else None,
            site_url=args.site_url,
            previous_manifest=Path(args.previous_manifest) if args.previous_manifest else None,
            no_cache=args.no_cache,
            progress=_terminal_progress(sys.stderr) if show_progress else None,
        )
    except BuildFailed as failure:
        for message in failure.messages:
            print(message, file=sys.stderr)
        print("site-builder build: nothing was published", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        print(report.summary())
    return EXIT_OK


OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("--records",), {"metavar": "DIR", "help": "records folder (default: records_dir of the configuration)"}),
    (("--site-dir",), {"metavar": "DIR", "help": "output folder (default: site_dir of the configuration, site/)"}),
    (("--config",), {"default": "mkdocs.yml", "metavar": "FILE", "help": "configuration (default: %(default)s)"}),
    (
        ("--site-url",),
        {"metavar": "URL", "help": "public address of the site (default: site_url of the configuration)"},
    ),
    (
        ("--previous-manifest",),
        {"metavar": "PATH", "help": "manifest.json of the site as published now, to carry publication dates forward"},
    ),
    (("--no-cache",), {"action": "store_true", "help": "rebuild everything; reuse nothing from the cache"}),
    (("-q", "--quiet"), {"action": "store_true", "help": "no summary or progress; problems are still printed"}),
)
"""The options of ``build`` as (flags, ``add_argument`` settings), for ``site_builder.cli``."""


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``build`` to a command line (``subparsers`` from ``ArgumentParser.add_subparsers``)."""
    help_text = (run.__doc__ or "").strip().splitlines()[0]
    parser: argparse.ArgumentParser = subparsers.add_parser("build", help=help_text, description=help_text)
    for flags, settings in OPTIONS:
        parser.add_argument(*flags, **settings)
    parser.set_defaults(run=run)
    return parser
