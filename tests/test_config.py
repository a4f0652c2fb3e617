"""The configuration: a setting mkdocs.yml gets wrong is reported on the line that sets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.config import read_config
from site_builder.problems import ProblemsFound

CONFIG = """\
site_name: Registry
site_dir: {site_dir}
plugins:
  - search
  - registry:
      records_dir: records
      page_size: {page_size}
      tiers:
        - name: DOI grade
          description: Good.
        - name: {second_tier}
          description: Again.
"""


def problems_of(tmp_path: Path, **values: object) -> list[str]:
    config = tmp_path / "mkdocs.yml"
    settings = {"site_dir": "site", "page_size": 20, "second_tier": "Watchlist", **values}
    config.write_text(CONFIG.format(**settings), encoding="utf-8")
    with pytest.raises(ProblemsFound) as found:
        read_config(config)
    return [f"{p.line}: {p.field}" for p in found.value.problems]


def test_a_plugin_setting_out_of_range_is_reported_on_its_line(tmp_path: Path) -> None:
    assert "7: plugins.registry.page_size" in problems_of(tmp_path, page_size=0)


def test_a_list_the_plugin_refuses_is_reported_on_the_line_of_its_key(tmp_path: Path) -> None:
    assert problems_of(tmp_path, second_tier="DOI grade") == ["8: plugins.registry.tiers"]  # a tier listed twice


def test_a_top_level_setting_is_reported_on_its_line(tmp_path: Path) -> None:
    assert "2: site_dir" in problems_of(tmp_path, site_dir=".")
