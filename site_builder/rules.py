"""Registry rules: what a structurally valid record must also satisfy.

Each rule is a function ``(record, config) -> [(field path, message, expected)]``;
:func:`check_record` runs them all and places each finding on its line.
Cross-record rules (unique ids, aliases that shadow ids) are in :func:`check_library`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .config import RegistryConfig
from .model import Record
from .problems import Problem, closest

Finding = tuple[tuple[str | int, ...], str, str]
Rule = Callable[[Record, RegistryConfig, Path], Iterable[Finding]]


def _unknown(loc: tuple[str | int, ...], value: str, known: Sequence[str], what: str) -> Finding:
    choices = ", ".join(repr(k) for k in known)
    return loc, f"unknown {what} {value!r}", f"did you mean {closest(value, known)!r}? known: {choices}"


def vocabularies(record: Record, config: RegistryConfig, _: Path) -> Iterable[Finding]:
    """Tier, gate status, dimension levels, correction status and contracts come from the configuration."""
    if record.tier.name not in config.tier_names:
        yield _unknown(("tier", "name"), record.tier.name, config.tier_names, "tier")
    if record.gate.status not in config.gate_status_names:
        yield _unknown(("gate", "status"), record.gate.status, config.gate_status_names, "gate status")
    for name, level in record.dimensions.model_dump().items():
        if level not in config.dimension_levels:
            yield _unknown(("dimensions", name), level, config.dimension_levels, "level")
    if record.correction.status not in config.correction_statuses:
        yield _unknown(("correction", "status"), record.correction.status, config.correction_statuses, "status")
    contracts = (
        (("correction", "manifest_contract"), record.correction.manifest_contract),
        (("correction", "correction_contract"), record.correction.correction_contract),
        (("provenance", "provenance_contract"), record.provenance.provenance_contract),
    )
    for loc, contract in contracts:
        if contract not in config.contracts:
            yield _unknown(loc, contract, config.contracts, "contract")


def verified_needs_artifact(record: Record, config: RegistryConfig, _: Path) -> Iterable[Finding]:
    """A status such as Verified can only be set with a reproducible artifact attached."""
    status = record.gate.status
    if status in config.gate_status_names and config.gate_status(status).requires_artifact and not record.artifacts:
        yield (
            ("gate", "status"),
            f"status {status!r} requires an attached artifact, and the record has none",
            "an 'artifacts' entry: Lean4 proof source, or repro script and results",
        )


def correction_count(record: Record, config: RegistryConfig, _: Path) -> Iterable[Finding]:
    """The published count is the number of (additive) correction entries."""
    entries = len(record.correction.entries)
    if record.correction.count != entries:
        yield (
            ("correction", "count"),
            f"correction count is {record.correction.count} but {entries} correction "
            f"{'entry is' if entries == 1 else 'entries are'} listed",
            f"count: {entries}",
        )


def id_matches_file(record: Record, config: RegistryConfig, path: Path) -> Iterable[Finding]:
    """The id is the permanent key and the file is named by it."""
    if path.stem != record.id:
        yield ("id",), f"id {record.id!r} does not match the file name {path.name!r}", f"file {record.id}.md"


def artifacts_exist(record: Record, config: RegistryConfig, path: Path) -> Iterable[Finding]:
    """An attached file must be there, beside the record in ``records/<id>/``."""
    folder = path.parent / record.id
    for index, artifact in enumerate(record.artifacts):
        if artifact.path is not None and (folder / artifact.path).is_file():
            if folder.resolve() not in (folder / artifact.path).resolve().parents:  # a symbolic link leading out
                yield (
                    ("artifacts", index, "path"),
                    f"attached file {artifact.path!r} links outside {folder.name}/",
                    f"the file itself at {folder.name}/{artifact.path}, not a link",
                )
        elif artifact.path is not None:
            yield (
                ("artifacts", index, "path"),
                f"attached file {artifact.path!r} does not exist",
                f"a file at {folder.name}/{artifact.path} beside the record",
            )


def aliases_are_not_ids(record: Record, config: RegistryConfig, _: Path) -> Iterable[Finding]:
    for index, alias in enumerate(record.aliases):
        if alias.strip("/") in (record.id, f"records/{record.id}"):
            yield ("aliases", index), f"alias {alias!r} is the record's own address", "a former id or path"


RULES: tuple[Rule, ...] = (
    id_matches_file,
    vocabularies,
    verified_needs_artifact,
    correction_count,
    artifacts_exist,
    aliases_are_not_ids,
)


# Where a field is in a record file: (display path, field path such as ("aliases", 1)) -> its line.
Locate = Callable[[str, tuple[str | int, ...]], int]


def check_library(records: Sequence[tuple[Record, str]], locate: Locate) -> list[Problem]:
    """Rules across records: ids unique (also ignoring case), no alias shadowing another address.

    ``records`` holds (record, display path).  ``locate`` finds the line of
    the field a problem is about; it is asked only when there is a problem.
    """
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for record, path in records:
        key = record.id.lower()
        if key in seen:
            message = f"id {record.id!r} is already used by {seen[key]}"
            problems.append(Problem(path, locate(path, ("id",)), "id", message, "unique ids"))
        else:
            seen[key] = path
    claimed: dict[str, str] = {}
    for record, path in records:
        for index, alias in enumerate(record.aliases):
            key = alias.strip("/").lower().removeprefix("records/")  # case-insensitive, "records/" included
            owner, first = seen.get(key), claimed.setdefault(key, path)
            if owner is not None:
                message, expected = f"alias {alias!r} is the id of {owner}", "a free address"
            elif first != path:
                message, expected = f"alias {alias!r} is also claimed by {first}", "one owner per alias"
            else:
                continue
            line = locate(path, ("aliases", index))
            problems.append(Problem(path, line, f"aliases[{index}]", message, expected))
    return problems
