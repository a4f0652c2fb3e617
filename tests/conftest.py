"""Shared test fixtures: a throwaway project with the default configuration, and valid records to break."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from generated_project import BUILD_DAY

from site_builder.config import RegistryConfig, read_config
from site_builder.model import BODY_SECTIONS, Record
from site_builder.recordtext import front_matter, record_text
from site_builder.scaffold import scaffold_record


@pytest.fixture
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build of the test has the same build date (SOURCE_DATE_EPOCH)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository's root directory."""
    return Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory (no mkdocs.yml: default configuration), made the working directory."""
    (tmp_path / "records").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def config(project: Path) -> RegistryConfig:
    """The default configuration of ``project``; its records_dir is ``project/records``."""
    return read_config(project / "mkdocs.yml")


def _valid_record(record_id: str, config: RegistryConfig) -> Record:
    record = scaffold_record(record_id, config)
    assert isinstance(record, Record), record
    return record


@pytest.fixture
def make_record() -> Callable[..., Record]:
    """``make_record(id="rec-1", config=None)``: a record that passes check, with placeholder values."""

    def make(record_id: str = "rec-1", config: RegistryConfig | None = None) -> Record:
        return _valid_record(record_id, config or RegistryConfig())

    return make


def record_data(record: Record) -> dict[str, Any]:
    """A record's file content as plain data: front matter fields plus the body sections."""
    data = front_matter(record)
    data.update({name: getattr(record, name) for name in BODY_SECTIONS.values()})
    return data


def file_text(data: dict[str, Any]) -> str:
    """A record file from plain data (see :func:`record_data`); any data, valid or not."""
    body = "".join(f"\n## {heading}\n\n{data[name]}\n" for heading, name in BODY_SECTIONS.items() if name in data)
    front = {k: v for k, v in data.items() if k not in BODY_SECTIONS.values()}
    dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10_000) if front else ""
    return f"---\n{dumped}---\n{body}"


WriteRecord = Callable[..., Path]


@pytest.fixture
def write_record(config: RegistryConfig) -> WriteRecord:
    """``write_record(id, change=None, name=None)``: write a valid record, changed by ``change(data)`` first.

    ``change`` edits the plain data of the file in place; ``name`` is the file name (default ``<id>.md``).
    """

    def write(record_id: str = "rec-1", change: Callable[[dict[str, Any]], None] | None = None, name: str = "") -> Path:
        record = _valid_record(record_id, config)
        path = config.records_dir / (name or f"{record_id}.md")
        if change is None:
            path.write_text(record_text(record), encoding="utf-8")
        else:
            data = record_data(record)
            change(data)
            path.write_text(file_text(data), encoding="utf-8")
        return path

    return write
