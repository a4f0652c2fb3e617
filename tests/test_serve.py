"""``mkdocs serve`` previews the site and rebuilds it when a record changes.

Runs the real ``mkdocs serve`` on a free loopback port against a copy of the
records; every wait is bounded, and the server is stopped at the end. (Not
with ``--no-livereload``: MkDocs then watches nothing at all.)
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import pytest
import yaml
from sitecheck import BIN, REPO, project_copy

from site_builder.mkdocs_plugin import RegistryPlugin

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
        server.send_signal(signal.SIGINT)  # Ctrl-C, as a maintainer stops it: MkDocs removes its temporary site
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def test_serve_shows_an_edited_record_without_a_restart(served: tuple[str, Path]) -> None:
    root, records = served
    page = f"{root}{served_path()}records/{RECORD}/"  # the dev server serves under site_url's path
    assert wait_for(lambda: RECORD in fetch(page), 60), "mkdocs serve never served the record page"
    record = records / f"{RECORD}.md"
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")
    assert wait_for(lambda: "Edited Scalability" in fetch(page), 60), "the edit never reached the preview"


# -- rebuilds in serve, in process ---------------------------------------------------------------------------------
# MkDocs' own serve loop, minus the HTTP server: the same plugin instance builds the served folder again and again.

SERVE_URL = "http://127.0.0.1:8000/registry/"


class Serve:
    """``mkdocs serve``'s builds of ``project`` into ``served`` (MkDocs keeps the plugin across rebuilds)."""

    def __init__(self, project: Path, served: Path) -> None:
        from mkdocs.config import load_config

        self.project, self.served = project, served
        served.mkdir(parents=True, exist_ok=True)
        self.config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(served))
        self.config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = cast(RegistryPlugin, self.config.plugins["registry"])

    def build(self) -> None:
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        config = load_config(config_file=str(self.project / "mkdocs.yml"), site_dir=str(self.served))
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL)

    def settle(self) -> None:
        """Wait for the search index being made in the background, and the manifest and sitemap."""
        assert self.plugin.search.wait(120)
        assert self.plugin.later.wait(120)

    def stop(self) -> None:
        self.config.plugins.on_shutdown()


def served_tree(served: Path) -> dict[str, bytes]:
    """What the dev server publishes: every file but the hidden ones."""
    return {
        p.relative_to(served).as_posix(): p.read_bytes()
        for p in sorted(served.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(served).parts)
    }


def fresh_serve_tree(project: Path, served: Path) -> dict[str, bytes]:
    """What a first serve build of ``project`` into ``served`` publishes, without the cache."""
    shutil.rmtree(project / ".cache")
    fresh = Serve(project, served)
    try:
        fresh.build()
        fresh.settle()
    finally:
        fresh.stop()
    return served_tree(served)


def edit_title(project: Path, index: int = 5, prefix: str = "Edited ") -> str:
    record = sorted((project / "records").glob("*.md"))[index]
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\ntitle: ", f"\ntitle: {prefix}", 1), encoding="utf-8")
    return record.stem


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from benchmarks import synthetic

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1781049600")
    synthetic.generate(tmp_path / "project", 12)
    return tmp_path / "project"


@pytest.fixture
def serve(project: Path, tmp_path: Path) -> Iterator[Serve]:
    server = Serve(project, tmp_path / "served")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pagefind waits until ``gate/open`` exists; each run appends its pid to ``gate/started``."""
    from site_builder.discovery import search

    real = search.pagefind_executable()
    folder = tmp_path / "gate"
    folder.mkdir()
    script = folder / "pagefind"
    script.write_text(
        f'#!/bin/sh\necho $$ >> "{folder}/started"\n'
        f'while [ ! -e "{folder}/open" ]; do sleep 0.05; done\nexec "{real}" "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_executable", lambda: script)
    return folder


def inodes(served: Path, folder: str) -> dict[str, int]:
    return {p.relative_to(served).as_posix(): p.stat().st_ino for p in (served / folder).rglob("*") if p.is_file()}


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_serve_rebuild_rerenders_only_the_edited_record(serve: Serve, project: Path) -> None:
    serve.build()
    other = serve.served / "records" / sorted((project / "records").glob("*.md"))[0].stem / "index.html"
    before = other.stat().st_ino
    edit_title(project)
    serve.build()
    assert serve.plugin.report is not None and serve.plugin.report.rendered_records == 1
    assert other.stat().st_ino == before


def test_a_serve_rebuild_publishes_what_a_first_serve_build_of_the_same_files_does(
    serve: Serve, project: Path, tmp_path: Path
) -> None:
    serve.build()
    serve.settle()
    edit_title(project)
    (project / "docs" / "extra.md").write_text("# Extra page\n", encoding="utf-8")
    serve.build()
    serve.settle()
    (project / "docs" / "extra.md").unlink()
    (project / "docs" / "later.md").write_text("# Later page\n", encoding="utf-8")
    serve.build()
    serve.settle()
    rebuilt = served_tree(serve.served)
    assert "later/index.html" in rebuilt and "extra/index.html" not in rebuilt
    assert "sitemap.xml.gz" not in rebuilt  # MkDocs writes it, the registry's sitemap replaces it, as in a build
    assert rebuilt == fresh_serve_tree(project, tmp_path / "fresh")


def test_serve_does_not_wait_for_pagefind_and_keeps_the_previous_index_until_the_new_one_is_complete(
    serve: Serve, project: Path, gate: Path
) -> None:
    (gate / "open").touch()
    serve.build()
    serve.settle()
    before = inodes(serve.served, "pagefind")
    (gate / "open").unlink()
    edit_title(project)
    serve.build()  # returns although Pagefind is held at the gate
    assert "Edited " in (
        serve.served / "records" / sorted((project / "records").glob("*.md"))[5].stem / "index.html"
    ).read_text(encoding="utf-8")
    assert inodes(serve.served, "pagefind") == before
    (gate / "open").touch()
    serve.settle()
    after = inodes(serve.served, "pagefind")
    assert after and set(after.values()).isdisjoint(before.values())
    assert not (serve.served / ".pagefind-next").exists()


def test_a_newer_serve_rebuild_cancels_the_index_run_of_the_older_one(
    serve: Serve, project: Path, gate: Path, tmp_path: Path
) -> None:
    (gate / "open").touch()
    serve.build()
    serve.settle()
    (gate / "open").unlink()
    edit_title(project, 5)
    serve.build()
    assert wait_for(lambda: (gate / "started").is_file() and len((gate / "started").read_text().split()) == 2, 10)
    first = int((gate / "started").read_text().split()[-1])
    edit_title(project, 6)
    serve.build()
    assert not pid_alive(first)
    (gate / "open").touch()
    serve.settle()
    assert len((gate / "started").read_text().split()) == 3
    index = served_tree(serve.served)
    fresh = fresh_serve_tree(project, tmp_path / "fresh")
    assert {k: v for k, v in index.items() if k.startswith("pagefind/")} == {
        k: v for k, v in fresh.items() if k.startswith("pagefind/")
    }


def test_stopping_serve_stops_the_index_run(serve: Serve, project: Path, gate: Path) -> None:
    serve.build()
    assert wait_for(lambda: (gate / "started").is_file(), 10)
    pid = int((gate / "started").read_text().split()[0])
    serve.stop()
    assert not pid_alive(pid)
    assert not (serve.served / ".pagefind-next").exists()


def test_a_serve_rebuild_reindexes_only_the_edited_records_shards_and_swaps_them_in_together(
    project: Path, tmp_path: Path, gate: Path
) -> None:
    from site_builder.discovery.searchshards import shard_name, shard_of

    config = project / "mkdocs.yml"  # the plugin's setting: 12 records in 4 shards
    config.write_text(config.read_text(encoding="utf-8") + "      search_shard_records: 4\n", encoding="utf-8")
    ids = sorted(p.stem for p in (project / "records").glob("*.md"))
    first = 0
    second = next(i for i, name in enumerate(ids) if shard_of(name, 4) != shard_of(ids[first], 4))
    edited = {shard_name(shard_of(ids[i], 4), 4) for i in (first, second)}
    serve = Serve(project, tmp_path / "served")
    try:
        (gate / "open").touch()
        serve.build()
        serve.settle()
        shards = sorted(p.name for p in (serve.served / "pagefind" / "shards").iterdir())
        assert len(shards) > len(edited)
        before = {name: inodes(serve.served, f"pagefind/shards/{name}") for name in shards}
        runs = len((gate / "started").read_text().split())
        (gate / "open").unlink()
        edit_title(project, first)
        edit_title(project, second)
        serve.build()  # returns while both shards' Pagefind runs are held at the gate
        assert {name: inodes(serve.served, f"pagefind/shards/{name}") for name in shards} == before
        (gate / "open").touch()
        serve.settle()
        assert len((gate / "started").read_text().split()) == runs + len(edited)
        for name in shards:
            after = inodes(serve.served, f"pagefind/shards/{name}")
            if name in edited:
                assert after and set(after.values()).isdisjoint(before[name].values())
            else:
                assert after == before[name]
        assert not (serve.served / ".pagefind-next").exists()
    finally:
        serve.stop()
