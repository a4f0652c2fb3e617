"""Review of the template-dependency, earlier-outputs and manifest-rows commits: each test fails on a real bug."""

from __future__ import annotations

from pathlib import Path

import pytest
from generated_project import cold_tree, config, generated_project, tree

from site_builder import engine
from site_builder.build import build_site

pytestmark = pytest.mark.usefixtures("fixed_build_date")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 24)


def edit_title(root: Path, index: int = 5) -> None:
    record = sorted((root / "records").glob("*.md"))[index]
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited ", 1), encoding="utf-8")


def edit_base(root: Path) -> None:
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body", "<body data-edited", 1), encoding="utf-8")


def test_a_template_edited_between_the_scan_and_the_render_leaves_no_stale_listing_page(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library group's templates are {**old, **read}: the digest of base.html as the renderer read it now
    replaces the one the lazy listing pages reused unrendered were made with, so the next build reuses them."""
    build_site(config(project))
    edit_title(project)  # the listings' inputs change: the group renders, its unchanged listing pages are reused
    render = engine.Engine.render

    def edited_meanwhile(self: engine.Engine, *args: object, **kwargs: object) -> object:
        edit_base(project)  # saved in the editor while the build runs (after the scan)
        return render(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.Engine, "render", edited_meanwhile)
    build_site(config(project))
    monkeypatch.setattr(engine.Engine, "render", render)
    build_site(config(project))  # nothing edited since: publishes base.html as it is now, everywhere
    site = tree(project / "site")
    stale = sorted(p for p, b in site.items() if p.endswith(".html") and b"<body" in b and b"data-edited" not in b)
    assert stale == []
    assert site == cold_tree(project, tmp_path)
