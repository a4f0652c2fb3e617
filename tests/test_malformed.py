"""``site-builder build`` on each broken-record case: the messages of ``site-builder check``, exit 1, nothing changed.

Each case folder of ``tests/bad_records/`` holds ``records/`` (and maybe ``mkdocs.yml``) and
``expected.txt``, the exact problems (paths relative to the case folder).  The build runs in a copy of
the case with the project's docs and templates beside it and a previous site in place; afterwards the
whole folder must be byte-identical (the cache aside), with no staging folder left behind.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))

import sitekit
from sitecheck import tree_digests

CASES = Path(__file__).parent / "bad_records"
PROBLEM_LINE = re.compile(r"^\S.*?:\d+: ")


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "expected.txt").is_file()) if CASES.is_dir() else []


def project_copy(case: Path, work: Path) -> Path:
    """The case's records (and configuration, if it has one) in a project with the real docs and templates."""
    shutil.copytree(case / "records", work / "records")
    shutil.copytree(sitekit.REPO / "docs", work / "docs")
    shutil.copytree(sitekit.REPO / "templates", work / "templates")
    shutil.copy2(case / "mkdocs.yml" if (case / "mkdocs.yml").is_file() else sitekit.REPO / "mkdocs.yml", work)
    site = work / "site"
    (site / "records" / "old").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>previous site</title>\n", encoding="utf-8")
    (site / "records" / "old" / "index.html").write_text("previous record page\n", encoding="utf-8")
    (site / "sentinel.txt").write_bytes(b"left by the test; must survive a failed build\n")
    return work


def test_there_are_broken_record_cases() -> None:
    assert len(case_names()) >= 10, f"expected the tests/bad_records corpus, found {case_names()}"


@pytest.mark.parametrize("name", case_names())
def test_a_build_of_broken_records_prints_the_check_messages_exits_1_and_changes_nothing(
    tmp_path: Path, name: str
) -> None:
    expected = (CASES / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    work = project_copy(CASES / name, tmp_path / name)
    before = tree_digests(work)

    done = sitekit.cli("build", "--records", "records", "--site-dir", "site", "--config", "mkdocs.yml", cwd=work)

    assert done.returncode == 1, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    problems = [line for line in done.stderr.splitlines() if PROBLEM_LINE.match(line)]
    assert problems == expected, done.stderr
    assert tree_digests(work) == before, "the failed build changed the project or the previous site"
    leftovers = [p.name for p in work.iterdir() if p.name.startswith(".site")]
    assert not leftovers, f"staging folders left behind: {leftovers}"
