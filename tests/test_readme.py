"""The README's record example is a real, valid record: the file it says it is; its settings are the real ones."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from site_builder.config import RegistryConfig, read_config
from site_builder.load import validate_text
from site_builder.model import Record

REPO = Path(__file__).resolve().parent.parent


def readme_example() -> str:
    blocks = re.findall(r"```markdown\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "the README shows one full record example"
    return blocks[0]


def test_the_readme_example_passes_check() -> None:
    path = REPO / "records" / "9d868d69f2b01361.md"
    assert isinstance(validate_text(readme_example(), path, read_config(REPO / "mkdocs.yml")), Record)


def test_the_readme_example_is_the_record_file_it_names() -> None:
    assert readme_example() == (REPO / "records" / "9d868d69f2b01361.md").read_text(encoding="utf-8")


def test_the_readme_documents_every_setting_of_the_configuration() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Configuration") :].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `[^|]*", section, re.M))
    names = {name for row in documented for name in re.findall(r"`(\w+)`", row)}
    assert names == {f.name for f in fields(RegistryConfig)}
