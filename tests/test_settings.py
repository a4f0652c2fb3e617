"""Each setting is checked against its field's declaration, and every refused one is reported together."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from site_builder.config import DEFAULT_TIERS, GateStatus, RegistryConfig, Term
from site_builder.problems import ProblemsFound


def problems(**settings: Any) -> list[str]:
    with pytest.raises(ProblemsFound) as found:
        RegistryConfig.from_settings({"project_dir": "/srv/registry", **settings})
    return [f"{p.field}: {p.message}" for p in found.value.problems]


def test_no_setting_given_gives_the_defaults_with_absolute_paths() -> None:
    config = RegistryConfig.from_settings({"project_dir": "/srv/registry"})
    assert config.tiers == DEFAULT_TIERS and config.page_size == 50
    assert config.records_dir == Path("/srv/registry/records") and config.previous_manifest is None


def test_a_setting_no_field_declares_is_refused() -> None:
    assert problems(page_sise=20) == ["plugins.registry.page_sise: Extra inputs are not permitted"]


def test_a_count_below_its_minimum_is_refused() -> None:
    assert problems(page_size=0) == ["plugins.registry.page_size: Input should be greater than or equal to 1"]


@pytest.mark.parametrize("value", [True, "20", 2.5], ids=["a flag", "a text", "a fraction"])
def test_a_count_must_be_a_whole_number(value: object) -> None:
    assert problems(feed_entries=value) == ["plugins.registry.feed_entries: Input should be a valid integer"]


def test_a_text_setting_refuses_a_number() -> None:
    assert problems(site_name=2026) == ["plugins.registry.site_name: Input should be a valid string"]


def test_a_flag_refuses_anything_but_true_or_false() -> None:
    assert problems(use_cache="yes") == ["plugins.registry.use_cache: Input should be a valid boolean"]


def test_a_vocabulary_entry_is_checked_field_by_field_at_its_position() -> None:
    assert problems(tiers=[{"name": "Gold"}, {"name": "", "colour": "red"}]) == [
        "plugins.registry.tiers.1.colour: Extra inputs are not permitted",
        "plugins.registry.tiers.1.name: String should have at least 1 character",
    ]


def test_a_vocabulary_entry_without_a_name_is_refused() -> None:
    assert problems(gate_statuses=[{"description": "No name."}]) == [
        "plugins.registry.gate_statuses.0.name: Field required"
    ]


def test_a_list_item_of_the_wrong_kind_is_reported_at_its_position() -> None:
    assert problems(contracts=["a", 2]) == ["plugins.registry.contracts.1: Input should be a valid string"]


def test_every_refused_setting_is_reported_together() -> None:
    assert len(problems(page_size=0, site_url=1, dimension_levels=[])) == 3


def test_vocabulary_entries_become_terms() -> None:
    config = RegistryConfig.from_settings(
        {"project_dir": "/srv", "gate_statuses": [{"name": "Proved", "requires_artifact": True}, {"name": "Open"}]}
    )
    assert config.gate_statuses == (GateStatus(name="Proved", requires_artifact=True), GateStatus(name="Open"))


def test_the_settings_as_plain_data_leave_out_what_is_asked() -> None:
    config = RegistryConfig(site_dir=Path("/srv/site"), tiers=(Term(name="Gold", description="Best."),))
    plain = config.settings(without=frozenset({"workers"}))
    assert plain["site_dir"] == "/srv/site" and plain["tiers"] == [{"name": "Gold", "description": "Best."}]
    assert "workers" not in plain and plain["use_cache"] is True


def test_every_refused_entry_of_a_vocabulary_is_reported_together() -> None:
    assert problems(gate_statuses=[{"name": "Open"}, {"name": ""}, {"name": ""}]) == [
        "plugins.registry.gate_statuses.1.name: String should have at least 1 character",
        "plugins.registry.gate_statuses.2.name: String should have at least 1 character",
    ]
