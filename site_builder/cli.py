"""The ``site-builder`` command line.

One function per subcommand, ``(args) -> exit code``, and one line per
subcommand in :data:`SUBCOMMANDS` naming it and its options (``build`` lives
in :mod:`site_builder.buildcmd`).  Exit codes: 0
done, 1 bad input (every problem is printed to stderr, one a line, as
``path:line: field: message (expected)``), 2 bad usage.  A short summary goes
to stdout; ``--quiet`` silences it.

The installed command (:func:`console`) exits as soon as :func:`main` returns,
its output flushed, without tearing the interpreter down
(:func:`~site_builder.exiting.exit_now`): every subcommand has finished its work
when it returns.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import buildcmd
from .config import SCHEMA_FILE, RegistryConfig, read_config
from .exiting import exit_now
from .problems import Problem, ProblemsFound, display_path

if TYPE_CHECKING:  # each subcommand imports what it uses: `site-builder build` needs no record model (pydantic)
    from .model import Record

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


class BadInput(Exception):
    """Stops a subcommand: the problems are printed and the exit code is 1."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problems")


# --- shared plumbing ---------------------------------------------------------------------------


def summary(args: argparse.Namespace, text: str) -> None:
    """A summary line on stdout, unless --quiet."""
    if not getattr(args, "quiet", False):
        print(text)


def report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def configuration(args: argparse.Namespace) -> RegistryConfig:
    """The registry configuration, with --records (relative to the working directory) applied."""
    records = getattr(args, "records", None)
    try:
        return read_config(Path(args.config), records_dir=Path(records).absolute() if records else None)
    except ProblemsFound as error:
        raise BadInput(error.problems) from None


def shown_dir(path: Path) -> str:
    return display_path(path).rstrip("/") + "/"


def _file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_files(contents: dict[Path, str]) -> None:
    """Write every file, or none as far as the file system allows.

    Each file is written to a temporary file beside its target first; only when all are written does
    each replace its target (os.replace, atomic per file), so a reader never sees a half-written file.
    """
    staged: list[tuple[Path, Path]] = []
    target, mode = Path("."), _file_mode()
    try:
        for target, text in contents.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            staged.append((Path(name), target))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            os.chmod(name, mode)  # mkstemp makes private (0600) files; these are ordinary project files
        for temporary, target in staged:
            os.replace(temporary, target)
    except OSError as error:
        problem = Problem(display_path(target), 1, "(file)", f"cannot write the file: {error.strerror or error}")
        raise BadInput([problem]) from None
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- subcommands -------------------------------------------------------------------------------


def check(args: argparse.Namespace) -> int:
    """Validate every record file; print every problem found."""
    from .load import load_records, record_files

    config = configuration(args)
    loaded = load_records(config)
    files = len(record_files(config.records_dir)[0])
    where = shown_dir(config.records_dir)
    if loaded.problems:
        report(loaded.problems)
        broken = len({p.path for p in loaded.problems})
        summary(
            args,
            f"checked {plural(files, 'record')} in {where}: "
            f"{plural(len(loaded.problems), 'problem')} in {plural(broken, 'file')}",
        )
        return EXIT_BAD_INPUT
    summary(args, f"checked {plural(files, 'record')} in {where}: all valid")
    return EXIT_OK


def import_pages(args: argparse.Namespace) -> int:
    """Import published record pages (NNN_<id>.txt) as record files; all of them or none."""
    from .importer import import_page
    from .recordtext import record_text

    config = configuration(args)
    problems: list[Problem] = []
    imported: dict[Path, Record] = {}
    sources: dict[Path, str] = {}
    for page in map(Path, args.pages):
        shown = display_path(page)
        result = import_page(page, config, shown)
        if isinstance(result, list):
            problems.extend(result)
            continue
        target = config.records_dir / f"{result.id}.md"
        if target in imported:
            problems.append(
                Problem(
                    shown,
                    1,
                    "id",
                    f"record {result.id!r} is also imported from {sources[target]}",
                    "one page per record",
                )
            )
        elif target.exists() and not args.force:
            problems.append(
                Problem(
                    shown,
                    1,
                    "id",
                    f"{display_path(target)} already exists",
                    "--force to overwrite it, or a page for a new record",
                )
            )
        else:
            imported[target] = result
            sources[target] = shown
    if not problems:
        problems.extend(_library_problems(config, imported, sources))
    if problems:
        raise BadInput(problems)
    replaced = sum(target.exists() for target in imported)
    write_files({target: record_text(record) for target, record in imported.items()})
    note = f" ({replaced} replaced)" if replaced else ""
    summary(args, f"imported {plural(len(imported), 'record')} into {shown_dir(config.records_dir)}{note}")
    return EXIT_OK


def _library_problems(config: RegistryConfig, imported: dict[Path, Record], sources: dict[Path, str]) -> list[Problem]:
    """Problems across records (ids, aliases) that the imported records would add to the registry."""
    from .load import field_line, load_records
    from .rules import check_library

    if not imported or not config.records_dir.is_dir():
        return []
    existing = load_records(config)
    kept = [(r, display_path(existing.paths[r.id])) for r in existing.records if existing.paths[r.id] not in imported]
    added = [(record, display_path(target)) for target, record in imported.items()]
    before = set(check_library(kept, field_line))
    new = [p for p in check_library(kept + added, field_line) if p not in before]
    by_record = {display_path(target): sources[target] for target in imported}
    return [
        Problem(
            by_record.get(p.path, p.path),
            1 if p.path in by_record else p.line,
            p.field,
            f"after the import: {p.message}",
            p.expected,
        )
        for p in new
    ]


def new(args: argparse.Namespace) -> int:
    """Create a record file with valid placeholder values to fill in; print its path."""
    from .load import read_record
    from .recordtext import record_text
    from .scaffold import new_id, scaffold_record

    config = configuration(args)
    record_id = args.id or new_id()
    target = config.records_dir / f"{record_id}.md"
    record = scaffold_record(record_id, config, args.title)
    if isinstance(record, list):
        raise BadInput([Problem(display_path(target), p.line, p.field, p.message, p.expected) for p in record])
    if target.exists():
        raise BadInput([Problem(display_path(target), 1, "(file)", "the record already exists", "a new id")])
    text = record_text(record)
    checked = read_record(target, config, raw=text.encode("utf-8"))
    if isinstance(checked, list):  # e.g. a --title that is not plain text
        raise BadInput(checked)
    write_files({target: text})
    print(display_path(target))
    return EXIT_OK


def schema(args: argparse.Namespace) -> int:
    """Write the JSON Schema of a published record."""
    from .schema import schema_text

    config = configuration(args)
    output = Path(args.output)
    write_files({output: schema_text(config)})
    summary(args, f"wrote {display_path(output)}")
    return EXIT_OK


# --- options and registrations -----------------------------------------------------------------


class Option(NamedTuple):
    """One argument of a subcommand: ``add_argument(*flags, **settings)``."""

    flags: tuple[str, ...]
    settings: dict[str, Any]


CONFIG = Option(
    ("--config",), {"default": "mkdocs.yml", "metavar": "FILE", "help": "configuration (default: %(default)s)"}
)
RECORDS = Option(
    ("--records",), {"metavar": "DIR", "help": "records directory (default: from the configuration, records/)"}
)
QUIET = Option(("-q", "--quiet"), {"action": "store_true", "help": "no summary; problems are still printed"})


@dataclass(frozen=True)
class Subcommand:
    """A subcommand: its name, the function that runs it (its docstring's first line is the help), its options."""

    name: str
    run: Callable[[argparse.Namespace], int]
    options: Sequence[tuple[tuple[str, ...], dict[str, Any]]]  # Option values, or plain (flags, settings) pairs

    @property
    def help(self) -> str:
        return (self.run.__doc__ or "").strip().splitlines()[0]


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("check", check, (RECORDS, CONFIG, QUIET)),
    Subcommand(
        "import",
        import_pages,
        (
            Option(("pages",), {"nargs": "+", "metavar": "PAGE", "help": "page text file, NNN_<id>.txt or <id>.txt"}),
            RECORDS,
            CONFIG,
            Option(("--force",), {"action": "store_true", "help": "overwrite records that already exist"}),
            QUIET,
        ),
    ),
    Subcommand(
        "new",
        new,
        (
            Option(("id",), {"nargs": "?", "metavar": "ID", "help": "record id (default: 16 random hex digits)"}),
            RECORDS,
            CONFIG,
            Option(("--title",), {"help": "the record's title"}),
        ),
    ),
    Subcommand(
        "schema",
        schema,
        (
            Option(("--output",), {"default": SCHEMA_FILE, "metavar": "FILE", "help": "default: %(default)s"}),
            CONFIG,
            QUIET,
        ),
    ),
    Subcommand("build", buildcmd.run, buildcmd.OPTIONS),
    # A new subcommand: one function (args) -> exit code, and one line here.
)


def parser(subcommands: Sequence[Subcommand] = SUBCOMMANDS) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="site-builder", description="Build and maintain the research-record registry.")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for subcommand in subcommands:
        sub = commands.add_parser(subcommand.name, help=subcommand.help, description=subcommand.help)
        for flags, settings in subcommand.options:
            sub.add_argument(*flags, **settings)
        sub.set_defaults(run=subcommand.run)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # --help (0) or bad usage (2), already printed by argparse
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BadInput as error:
        report(error.problems)
        return EXIT_BAD_INPUT
    except OSError as error:  # e.g. a records directory that cannot be listed
        where = display_path(Path(error.filename)) if error.filename else "site-builder"
        report([Problem(where, 1, "(file)", f"cannot use the file: {error.strerror or error}")])
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("site-builder: interrupted", file=sys.stderr)
        return 130


def console() -> None:
    """The ``site-builder`` command: :func:`main`, then exit at once with its code (see the module docstring)."""
    code = main()
    exit_now(code)


if __name__ == "__main__":
    console()
