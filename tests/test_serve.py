"""``mkdocs serve`` previews the site and rebuilds it when a record changes.

Runs the real ``mkdocs serve`` on a free loopback port against a copy of the
records; every wait is bounded, and the server is stopped at the end. (Not
with ``--no-livereload``: MkDocs then watches nothing at all.)
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from sitecheck import BIN, REPO, project_copy

RECORD = "9d868d69f2b01361"


def served_path() -> str:
    """The path of ``site_url`` (``site_builder/`` for https://…/site_builder/), where serve puts the site."""
    site_url = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    return urlsplit(site_url).path.lstrip("/")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    records = tmp_path / "records"
    shutil.copytree(REPO / "records", records)
    config = project_copy(tmp_path, records)
    address = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--config-file", str(config), "--dev-addr", address],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield f"http://{address}/", records
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_serve_shows_an_edited_record_without_a_restart(served: tuple[str, Path]) -> None:
    root, records = served
    page = f"{root}{served_path()}records/{RECORD}/"  # the dev server serves under site_url's path
    assert wait_for(lambda: RECORD in fetch(page), 60), "mkdocs serve never served the record page"
    record = records / f"{RECORD}.md"
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")
    assert wait_for(lambda: "Edited Scalability" in fetch(page), 60), "the edit never reached the preview"
