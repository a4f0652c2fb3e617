"""Building and serving a test site the way users build it and GitHub Pages serves it.

Shared by the browser suite (``conftest.py``) and the suites that read the built
output (``tests/test_html_validity.py``, ``tests/test_hostile.py``).  Nothing here
skips: a missing tool is reported as a failure with the command that installs it.
"""

from __future__ import annotations

import mimetypes
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path(os.environ.get("SITE_BUILDER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PROJECT_PATH = "/site-builder-test/"  # served like a GitHub Pages project site: https://<owner>.github.io/<repo>/
HOSTILE = REPO / "tests" / "hostile_records"
# The browser site's search shard size: its 6 current records in 4 shards (3 of them with records), so that
# search results come from several Pagefind bundles merged in the browser.
SEARCH_SHARD_RECORDS = 2
# site_url for builds that are read, not served (no server listens there).
PLACEHOLDER_URL = "http://127.0.0.1:9/site-builder-test/"

INSTALL_HINT = {
    "chromium": "install Debian's Chromium: sudo bash .ci/system-packages.sh (or: apt-get install chromium)",
    "playwright": "install the test extra: .venv/bin/pip install -e '.[test]' (never run `playwright install`)",
    "node_modules": "install the pinned npm packages: npm ci (in the repository root)",
    "java": "install Java: sudo bash .ci/system-packages.sh (or: apt-get install default-jre-headless)",
}


def missing_tools(*needed: str) -> list[str]:
    """Messages for each needed tool that is not installed (empty when everything is there)."""
    problems = []
    if "chromium" in needed and not os.access(CHROMIUM, os.X_OK):
        problems.append(f"Chromium not found at {CHROMIUM}: {INSTALL_HINT['chromium']}")
    if "playwright" in needed:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problems.append(f"Playwright for Python is not installed: {INSTALL_HINT['playwright']}")
    if "axe" in needed and not AXE.is_file():
        problems.append(f"axe-core not found at {AXE}: {INSTALL_HINT['node_modules']}")
    if "vnu" in needed and not VNU.is_file():
        problems.append(f"vnu.jar not found at {VNU}: {INSTALL_HINT['node_modules']}")
    if "java" in needed and shutil.which("java") is None:
        problems.append(f"java not found on PATH: {INSTALL_HINT['java']}")
    return problems


# --- records -------------------------------------------------------------------------------------


def record_data(record_id: str, **changes: Any) -> dict[str, Any]:
    """A valid record as data (the default vocabularies), with ``changes`` merged in section by section."""
    data: dict[str, Any] = {
        "id": record_id,
        "title": f"Test record {record_id}",
        "abstract": "An abstract with *emphasis*, a [relative link](https://example.org/paper) and `code`.",
        "research_question": "Does the **registry** show every section of a record?",
        "published": "2026-06-10",
        "verification": {
            "paper_level": "L2, Source-grounded claims",
            "source_grounded_claims": 12,
            "claim_record_source": "parsed source sections",
        },
        "gate": {
            "status": "Unverified",
            "name": "Gate 2 — Verification (formal proof or sandbox reproduction)",
            "reason": "No formal proof or sandbox reproduction has been attempted for this record.",
            "evaluated": "2026-06-10T06:30:49+00:00",
        },
        "tier": {"name": "Watchlist", "basis": "Review score is below the DOI-grade threshold."},
        "dimensions": {
            "evidence_strength": "LOW",
            "citation_grounding": "MEDIUM",
            "uncertainty_disclosure": "HIGH",
            "reproducibility_status": "MEDIUM",
        },
        "correction": {
            "status": "CURRENT",
            "count": 0,
            "manifest_contract": "paper-manifest-v1.1",
            "correction_contract": "correction-record-v1",
        },
        "provenance": {
            "publisher": "Assignee Research",
            "public_provenance": "L3, Claim aggregate record",
            "report_artifact": "Available",
            "external_record": "Not registered",
            "claim_lineage": "12 aggregate source-grounded claims",
            "review_method": "Automated multi-reviewer assessment",
            "quality_guide": "How to read scores, claims, manifests, and evidence links",
            "provenance_contract": "source-provenance-v1",
            "note": "Machine-generated synthesis of existing literature.",
        },
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def write_record(records_dir: Path, data: dict[str, Any], attachments: dict[str, bytes] | None = None) -> Path:
    """Write ``data`` as a record file through the project's own writer (validated on the way)."""
    from site_builder.model import Record
    from site_builder.recordtext import record_text

    records_dir.mkdir(parents=True, exist_ok=True)
    path = records_dir / f"{data['id']}.md"
    path.write_text(record_text(Record.model_validate(data)), encoding="utf-8")
    for name, content in (attachments or {}).items():
        target = records_dir / data["id"] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return path


def varied_records(records_dir: Path) -> dict[str, str]:
    """A few records that exercise every kind of page content; returns {role: id}."""
    write_record(
        records_dir,
        record_data(
            "proof-verified",
            title="A verified record with an attached reproduction",
            tier={"name": "DOI grade", "basis": "Review score meets the DOI-grade thresholds."},
            gate={"status": "Verified", "reason": "A sealed-sandbox reproduction is attached."},
            artifacts=[
                {"title": "Reproduction script", "path": "repro.py"},
                {"title": "Archived results", "url": "https://example.org/results"},
            ],
            dimensions={"evidence_strength": "HIGH", "reproducibility_status": "HIGH"},
        ),
        {"repro.py": b"print('reproduced')\n"},
    )
    write_record(
        records_dir,
        record_data(
            "proof-corrected",
            title="A corrected record",
            published="2025-01-02",
            abstract="First paragraph.\n\n- a list item\n- another item\n\n> a quotation\n\n```\ncode block\n```",
            correction={
                "status": "CORRECTED",
                "count": 2,
                "entries": [
                    {"date": "2026-01-05", "change": "Fixed the claim count."},
                    {"date": "2026-02-06", "change": "Clarified the research question."},
                ],
            },
            aliases=["old-proof-corrected"],
        ),
    )
    write_record(
        records_dir,
        record_data(
            "proof-doi-unverified",
            title="A DOI-grade literature synthesis without a date",
            published=None,
            tier={"name": "DOI grade", "basis": "Review score meets the DOI-grade thresholds."},
        ),
    )
    write_record(
        records_dir,
        record_data(
            "proof-long-title",
            title="An exceptionally long title " + "that keeps going " * 12 + "Supercalifragilistic" * 4,
        ),
    )
    write_record(
        records_dir,
        record_data(
            "proof-withdrawn",
            title="A record taken back by its publisher",
            withdrawn={"date": "2026-03-01", "reason": "Duplicate of proof-corrected."},
        ),
    )
    return {
        "verified": "proof-verified",
        "corrected": "proof-corrected",
        "undated": "proof-doi-unverified",
        "long": "proof-long-title",
        "withdrawn": "proof-withdrawn",
    }


def copy_repo_records(target: Path) -> list[str]:
    """The repository's own records (and their attachment folders) copied into ``target``; their ids."""
    source = REPO / "records"
    target.mkdir(parents=True, exist_ok=True)
    ids = []
    if source.is_dir():
        for path in sorted(source.glob("*.md")):
            shutil.copy2(path, target / path.name)
            ids.append(path.stem)
            if (source / path.stem).is_dir():
                shutil.copytree(source / path.stem, target / path.stem)
    return ids


# --- building ------------------------------------------------------------------------------------


def has_build_command() -> bool:
    """Whether ``site-builder build`` exists yet (the driver's ``buildcmd`` registered in the CLI)."""
    cli_source = REPO / "site_builder" / "cli.py"
    return cli_source.is_file() and "buildcmd" in cli_source.read_text(encoding="utf-8")


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``site-builder`` as users do (this interpreter's entry point), capturing output."""
    return subprocess.run(
        cli_command(*args),
        cwd=cwd or REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def cli_command(*args: str) -> list[str]:
    """The command line that runs ``site-builder`` with ``args``."""
    if args[:1] == ("build",) and not has_build_command():  # until the CLI registers it: the same code, directly
        return [sys.executable, "-c", _BUILD_SHIM, *args]
    return [_entry_point(), *args]


_BUILD_SHIM = """
import argparse, sys
from site_builder import buildcmd
parser = argparse.ArgumentParser(prog="site-builder")
buildcmd.register(parser.add_subparsers(dest="command", required=True))
args = parser.parse_args(sys.argv[1:])
sys.exit(args.run(args))
"""


def _entry_point() -> str:
    candidate = Path(sys.executable).parent / "site-builder"
    return str(candidate) if candidate.exists() else shutil.which("site-builder") or "site-builder"


def build(records_dir: Path, site_dir: Path, site_url: str, work_dir: Path, **registry: Any) -> str:
    """Build a site from ``records_dir`` into ``site_dir`` with ``site_url``; returns the build's output.

    The full MkDocs build (``site-builder build``, or ``mkdocs build -f`` before it exists: both run the
    registry plugin and the docs pages) is used with a configuration that inherits the repository's
    ``mkdocs.yml``, with ``registry`` settings added to its plugin section; before the driver's build
    exists, the core ``build.build_site`` builds the registry pages alone.
    """
    if has_build_command():
        config = derived_config(records_dir, site_dir, site_url, work_dir, registry)
        paths = ("--config", str(config), "--records", str(records_dir), "--site-dir", str(site_dir))
        done = cli("build", *paths, "--site-url", site_url)
        if done.returncode != 0:
            raise AssertionError(f"site-builder build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout + done.stderr
    if (REPO / "mkdocs.yml").is_file() and (REPO / "site_builder" / "mkdocs_plugin.py").is_file():
        config = derived_config(records_dir, site_dir, site_url, work_dir, registry)
        mkdocs = Path(sys.executable).parent / "mkdocs"
        done = subprocess.run(
            [str(mkdocs if mkdocs.exists() else "mkdocs"), "build", "-q", "-f", str(config)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"mkdocs build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout + done.stderr
    return build_core(records_dir, site_dir, site_url, registry)


def derived_config(records_dir: Path, site_dir: Path, site_url: str, work_dir: Path, registry: dict[str, Any]) -> Path:
    """``work_dir/mkdocs.yml``: the repository's, with absolute folders, this site and the ``registry`` settings."""
    import yaml

    settings = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    docs_dir = str(REPO / settings.get("docs_dir", "docs"))
    settings.update(site_url=site_url, site_dir=str(site_dir), docs_dir=docs_dir)
    theme = settings.get("theme") or {}
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(REPO / theme["custom_dir"])
    for plugin in settings.get("plugins") or []:
        if isinstance(plugin, dict) and "registry" in plugin:
            section = plugin["registry"] = dict(plugin["registry"] or {})
            section["records_dir"] = str(records_dir)
            section["templates_dir"] = str(REPO / section.get("templates_dir", "templates"))
            section.update(registry)
    config = work_dir / "mkdocs.yml"
    config.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config


def build_core(records_dir: Path, site_dir: Path, site_url: str, registry: dict[str, Any]) -> str:
    """The registry pages alone, through the core (no MkDocs, so no docs pages)."""
    from site_builder.build import build_site
    from site_builder.config import RegistryConfig

    config_obj = RegistryConfig.from_settings(
        {"project_dir": REPO, "records_dir": records_dir, "site_dir": site_dir, "site_url": site_url, **registry}
    )
    return build_site(config_obj).summary()


# --- serving -------------------------------------------------------------------------------------


class _PagesHandler(BaseHTTPRequestHandler):
    """GitHub Pages for one project site: directory index.html, 301 to the slash, 404.html with status 404."""

    root: Path
    prefix: str
    slow: tuple[re.Pattern[str], float] | None = None  # paths matching it are answered that many seconds late

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if self.slow is not None and self.slow[0].search(path):
            time.sleep(self.slow[1])
        if path + "/" == self.prefix:
            return self._redirect(self.prefix)
        if not path.startswith(self.prefix):
            return self._not_found(body)
        target = (self.root / path[len(self.prefix) :]).resolve()
        if target != self.root and self.root not in target.parents:
            return self._not_found(body)
        if target.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/")
            target = target / "index.html"
        if not target.is_file():
            return self._not_found(body)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml"):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, target.read_bytes(), kind, body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_found(self, body: bool) -> None:
        page = self.root / "404.html"
        content = page.read_bytes() if page.is_file() else b"404 Not Found"
        self._send(HTTPStatus.NOT_FOUND, content, "text/html; charset=utf-8", body)

    def _send(self, status: HTTPStatus, content: bytes, kind: str, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body:
            self.wfile.write(content)


@dataclass
class Server:
    httpd: ThreadingHTTPServer
    thread: threading.Thread
    url: str  # the served site root, ending in '/'

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


def serve(root: Path, prefix: str = PROJECT_PATH, slow: tuple[str, float] | None = None) -> Server:
    """Serve ``root`` (which may not exist yet) at ``http://127.0.0.1:<port><prefix>``.

    ``slow``: (a regular expression, seconds): requests for paths it matches are answered that late.
    """
    late = (re.compile(slow[0]), slow[1]) if slow is not None else None
    handler = type("Handler", (_PagesHandler,), {"root": root.resolve(), "prefix": prefix, "slow": late})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="pages-server", daemon=True)
    thread.start()
    return Server(httpd, thread, f"http://127.0.0.1:{httpd.server_address[1]}{prefix}")


# --- built site ----------------------------------------------------------------------------------


@dataclass
class BuiltSite:
    site_dir: Path
    records_dir: Path
    site_url: str
    ids: dict[str, str]
    repo_ids: list[str]

    def html_files(self) -> list[Path]:
        return sorted(self.site_dir.rglob("*.html"))


def build_test_site(work: Path, site_url: str, include_hostile: bool = False, **registry: Any) -> BuiltSite:
    """The repository's records plus varied (and, if asked, hostile) records, built into ``work/site``.

    ``registry``: settings added to the plugin section of the configuration (e.g. ``search_shard_records``).
    """
    records = work / "records"
    repo_ids = copy_repo_records(records)
    ids = varied_records(records)
    if include_hostile:
        for path in sorted((HOSTILE / "records").glob("*.md")):
            shutil.copy2(path, records / path.name)
            ids[f"hostile:{path.stem}"] = path.stem
    site = work / "site"
    build(records, site, site_url, work, **registry)
    return BuiltSite(site, records, site_url, ids, repo_ids)


# --- browser helpers -----------------------------------------------------------------------------


def open_ok(page: Any, url: str) -> Any:
    """Navigate and require status 200."""
    response = page.goto(url, wait_until="load")
    assert response is not None, f"no response for {url}"
    assert response.status == 200, f"{url} answered {response.status}"
    return response


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artifact (git-ignored test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
