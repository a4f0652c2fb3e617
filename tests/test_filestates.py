"""Published files' states held compactly: a record's states packed, and every state seen through one view."""

from __future__ import annotations

import pickle

import pytest

from site_builder.filestates import (
    FileState,
    PackedStates,
    Published,
    folder_names,
    pack_identities,
    unpack_paths,
    unpack_stats,
)

PAGE: FileState = (b"\x01" * 32, 13_800, 1_764_000_000_123_456_789, 2**63 + 5)
DATA: FileState = (b"\x02" * 32, 2_100, 1_764_000_000_000_000_001, 42)
STATES = {"records/a/index.html": PAGE, "records/a/record.json": DATA}


def test_packed_states_give_back_each_state_as_it_was_given() -> None:
    packed = PackedStates.of(STATES)
    assert packed["records/a/index.html"] == PAGE and packed["records/a/record.json"] == DATA
    assert dict(packed.items()) == STATES and list(packed) == list(STATES)
    assert list(packed.values()) == [PAGE, DATA] and len(packed) == 2


def test_packed_states_know_which_paths_they_hold() -> None:
    packed = PackedStates.of(STATES)
    assert "records/a/record.json" in packed and "records/b/index.html" not in packed
    assert packed.get("records/b/index.html") is None
    with pytest.raises(KeyError):
        packed["records/b/index.html"]


def test_packed_states_equal_the_mapping_they_were_packed_from() -> None:
    assert PackedStates.of(STATES) == STATES and PackedStates.of(STATES) != {"records/a/index.html": PAGE}


def test_packed_states_survive_pickling_as_one_bytes_object() -> None:
    packed = PackedStates.of(STATES)
    again = pickle.loads(pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL))
    assert isinstance(again, PackedStates) and again == packed and again.packed == packed.packed


def test_packed_states_refuse_bytes_that_do_not_match_their_paths() -> None:
    packed = PackedStates.of(STATES)
    with pytest.raises(ValueError, match="2 paths"):
        PackedStates(packed.folders, packed.packed[:-1])


def test_packed_identities_come_back_in_order_with_their_paths() -> None:
    identities = [state[1:] for state in STATES.values()]
    paths, packed = pack_identities(PackedStates.of(STATES))
    assert unpack_paths(paths) == [path.encode() for path in STATES] and list(unpack_stats(packed)) == identities


def test_packed_identities_keep_a_file_name_that_is_not_utf8_as_the_file_system_spells_it() -> None:
    name = b"records/a/files/caf\xe9.pdf".decode("utf-8", "surrogateescape")
    paths, _ = pack_identities({name: PAGE})
    assert unpack_paths(paths) == [b"records/a/files/caf\xe9.pdf"]


def test_records_with_outputs_of_the_same_names_share_one_table_of_names() -> None:
    known: dict[object, object] = {}
    first = PackedStates.of(STATES).share_names(known)
    second = PackedStates.of({"records/b/index.html": PAGE, "records/b/record.json": DATA}).share_names(known)
    assert first.folders[0][1] is second.folders[0][1]
    assert second["records/b/record.json"] == DATA and "records/a/index.html" not in second


def test_packed_states_hold_files_in_several_folders_in_their_order() -> None:
    states = {"records/a/index.html": PAGE, "records/old-a/index.html": DATA, "records/a/files/x.pdf": DATA}
    packed = PackedStates.of(states)
    assert list(packed.items()) == list(states.items()) and len(packed) == 3
    assert packed["records/old-a/index.html"] == DATA and packed["records/a/files/x.pdf"] == DATA
    assert "records/a/x.pdf" not in packed and "records/old-a/record.json" not in packed


def test_published_files_are_looked_up_in_the_owner_that_made_them() -> None:
    record = PackedStates.of(STATES)
    group = {"index.html": DATA}
    published = Published([record, group])
    assert published["records/a/index.html"] == PAGE and published["index.html"] == DATA
    assert len(published) == 3 and set(published) == {"index.html", *STATES}
    assert dict(published.items()) == {**STATES, "index.html": DATA}
    assert sorted(published.values()) == sorted([PAGE, DATA, DATA])


def test_a_path_two_owners_name_counts_once_with_the_later_state() -> None:
    published = Published([PackedStates.of(STATES), {"records/a/index.html": DATA}])
    assert published["records/a/index.html"] == DATA
    assert list(published.items()) == [("records/a/record.json", DATA), ("records/a/index.html", DATA)]
    assert len(list(published.values())) == 2


def test_owners_sharing_a_folder_are_each_found_with_their_own_files() -> None:
    record = PackedStates.of(STATES)
    group = {"records/a/extra.txt": DATA, "index.html": PAGE}
    later = PackedStates.of({"records/a/other.json": PAGE})
    published = Published([record, group, later])
    assert published["records/a/index.html"] == PAGE and published["records/a/extra.txt"] == DATA
    assert published["records/a/other.json"] == PAGE and "records/a/missing.json" not in published
    assert len(published) == 5 and published.get("records/b/index.html") is None


def test_a_path_two_record_owners_name_counts_once_with_the_later_state() -> None:
    published = Published([PackedStates.of(STATES), PackedStates.of({"records/a/index.html": DATA})])
    assert published["records/a/index.html"] == DATA
    assert list(published.items()) == [("records/a/record.json", DATA), ("records/a/index.html", DATA)]


def test_a_record_file_in_the_site_root_shares_that_folder_with_the_groups() -> None:
    record = PackedStates.of({**STATES, "legacy.html": DATA})
    groups = {"index.html": PAGE, "404.html": DATA}
    published = Published([record, groups])
    assert "legacy.html" in published and "index.html" in published and "missing.html" not in published
    assert published["legacy.html"] == DATA and published["index.html"] == PAGE
    assert len(published) == 5 and list(published) == [*STATES, "legacy.html", "index.html", "404.html"]
    assert dict(published.items()) == {**STATES, "legacy.html": DATA, **groups}


def test_a_key_that_is_not_a_path_is_not_found() -> None:
    packed = PackedStates.of(STATES)
    published = Published([packed])
    for mapping in (packed, published):
        assert 3 not in mapping and mapping.get(3) is None  # type: ignore[operator, call-overload]
        with pytest.raises(KeyError):
            mapping[3]  # type: ignore[index]


def test_published_names_by_folder_are_each_records_own_table() -> None:
    record = PackedStates.of(STATES)
    groups = {"index.html": PAGE, "tiers/doi/index.html": DATA}
    layout = folder_names(Published([record, groups]))
    assert set(layout) == {"records/a/", "", "tiers/doi/"}
    assert layout["records/a/"] is record.folders[0][1]  # not copied: a prune runs this for every record
    assert set(layout[""]) == {"index.html"} and set(layout["tiers/doi/"]) == {"index.html"}


def test_owners_sharing_a_folder_have_their_names_together() -> None:
    first = PackedStates.of({"records/a/index.html": PAGE})
    second = {"records/a/extra.txt": DATA}
    assert set(folder_names(Published([first, second]))["records/a/"]) == {"index.html", "extra.txt"}


def test_any_paths_can_be_told_by_folder() -> None:
    assert folder_names(["a/b/c.txt", "a/b/d.txt", "top.txt"]) == {"a/b/": {"c.txt", "d.txt"}, "": {"top.txt"}}
