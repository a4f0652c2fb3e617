"""A build is all or nothing: killed part-way, it leaves the previous site byte-identical.

3,000 generated records make the build take long enough to be interrupted once its staging folder
(a sibling of the output folder) has appeared; it is then killed with SIGKILL, which no cleanup can catch.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))

import sitekit

RECORDS = 3000


def tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        for path in sorted(root.rglob("*"))
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("atomic") / "project"
    shutil.copytree(sitekit.REPO / "docs", root / "docs")
    shutil.copytree(sitekit.REPO / "templates", root / "templates")
    shutil.copy2(sitekit.REPO / "mkdocs.yml", root / "mkdocs.yml")
    sitekit.write_record(root / "records", sitekit.record_data("rec-0000"))
    return root


def build_command(project: Path) -> list[str]:
    command = sitekit.cli_command("build", "--config", "mkdocs.yml", "--site-dir", "site", "--no-cache", "-q")
    return command


def test_a_build_killed_part_way_leaves_the_previous_site_byte_identical(project: Path) -> None:
    done = subprocess.run(build_command(project), cwd=project, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    site = project / "site"
    previous = tree(site)
    assert "records/rec-0000/index.html" in previous

    template = (project / "records" / "rec-0000.md").read_text(encoding="utf-8")
    for number in range(1, RECORDS):
        record_id = f"rec-{number:04d}"
        text = template.replace("rec-0000", record_id).replace("Test record", f"Generated record {number}")
        (project / "records" / f"{record_id}.md").write_text(text, encoding="utf-8")

    process = subprocess.Popen(build_command(project), cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    staging = project / f".site-staging-{process.pid}"
    deadline = time.monotonic() + 120
    while not staging.exists():
        assert process.poll() is None, f"the build ended ({process.returncode}) before its staging folder appeared"
        assert time.monotonic() < deadline, "no staging folder appeared"
        time.sleep(0.01)
    while not any(staging.rglob("index.html")) and process.poll() is None:
        time.sleep(0.01)  # killed while it writes pages
    assert process.poll() is None, "the build finished before it could be interrupted; add records"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    assert tree(site) == previous, "the interrupted build changed the published site"
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site-old")]
    assert not leftovers, f"the published site was moved aside: {leftovers}"


def test_the_next_build_after_a_killed_one_publishes_everything(project: Path) -> None:
    done = subprocess.run(build_command(project), cwd=project, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    pages = list((project / "site" / "records").glob("*/index.html"))
    assert len(pages) == RECORDS
