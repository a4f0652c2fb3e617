"""Compiled templates are kept in the cache folder: compiled once per template version, not per build."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from generated_project import config, generated_project

from site_builder.render import make_environment


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 1)


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the templates compiled from source."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: object) -> object:
        names.append(name or "")
        return real(self, source, name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def test_a_second_build_loads_compiled_templates_instead_of_compiling_them(project: Path, compiled: list[str]) -> None:
    make_environment(config(project)).get_template("record.html")
    assert "record.html" in compiled
    compiled.clear()
    make_environment(config(project)).get_template("record.html")
    assert compiled == []


def test_an_edited_template_is_compiled_again(project: Path, compiled: list[str]) -> None:
    make_environment(config(project)).get_template("404.html")
    template = project / "templates" / "404.html"
    template.write_text(template.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")
    compiled.clear()
    make_environment(config(project)).get_template("404.html")
    assert compiled == ["404.html"]


def test_without_the_cache_no_compiled_template_is_kept(project: Path) -> None:
    make_environment(config(project, use_cache=False)).get_template("record.html")
    assert not (project / ".cache" / "templates").exists()
