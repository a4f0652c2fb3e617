"""The build's loaded state is kept out of the garbage collector's way, and given back to it afterwards."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from generated_project import config, generated_project

from site_builder.build import build_site
from site_builder.heap import LoadedState
from site_builder.problems import ProblemsFound


def test_the_collector_is_paused_from_the_start_of_the_block_until_the_state_is_frozen() -> None:
    with LoadedState() as loaded:
        assert not gc.isenabled()
        loaded.freeze()
        assert gc.isenabled()
    assert gc.isenabled()


def test_a_block_left_before_freezing_enables_the_collector_again() -> None:
    with LoadedState():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_collector_disabled_before_stays_disabled_after() -> None:
    gc.disable()
    try:
        with LoadedState() as loaded:
            loaded.freeze()
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_is_frozen_in_the_block_is_unfrozen_at_its_end_even_on_error() -> None:
    try:
        with LoadedState() as loaded:
            loaded.freeze()
            assert gc.get_freeze_count() > 0
            raise KeyError("a failed build")
    except KeyError:
        pass
    assert gc.get_freeze_count() == 0


def test_a_rebuild_leaves_nothing_frozen_and_the_collector_on(tmp_path: Path) -> None:
    project = generated_project(tmp_path, 3)
    build_site(config(project))
    (project / "records" / sorted(p.name for p in (project / "records").glob("*.md"))[0]).write_text(
        "---\nid: broken\n---\n", encoding="utf-8"
    )
    with pytest.raises(ProblemsFound):
        build_site(config(project))
    assert gc.get_freeze_count() == 0 and gc.isenabled()
