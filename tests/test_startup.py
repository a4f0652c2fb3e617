"""What a command loads before it works: a no-op rebuild and MkDocs' docs pages need no record model (pydantic)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generated_project import generated_project

from site_builder.config import RegistryConfig
from site_builder.siteglobals import site_globals

HEAVY = ("pydantic", "site_builder.model", "markdown_it")


def loaded_after(code: str) -> list[str]:
    """The modules of :data:`HEAVY` a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()


def test_the_command_line_and_the_mkdocs_plugin_start_without_the_record_model() -> None:
    code = (
        "import site_builder.cli, site_builder.mkdocs_plugin\n"
        "from site_builder.config import RegistryConfig\n"
        "from site_builder.siteglobals import site_globals\n"
        "site_globals(RegistryConfig()).nav"
    )
    assert loaded_after(code) == []


def test_a_noop_rebuild_loads_no_record_model(tmp_path: Path) -> None:
    project = generated_project(tmp_path, 12)
    build = (
        "from pathlib import Path\n"
        "from site_builder.build import build_site\n"
        "from site_builder.config import read_config\n"
        f"report = build_site(read_config(Path({str(project / 'mkdocs.yml')!r})))\n"
    )
    subprocess.run([sys.executable, "-c", build], check=True, capture_output=True)  # the first build
    assert loaded_after(build + "assert report.written_files == 0, report") == []


def test_the_dimension_labels_are_the_record_models_field_titles() -> None:
    assert site_globals(RegistryConfig()).dimension_labels == {
        "evidence_strength": "Evidence strength",
        "citation_grounding": "Citation grounding",
        "uncertainty_disclosure": "Uncertainty disclosure",
        "reproducibility_status": "Reproducibility status",
    }
