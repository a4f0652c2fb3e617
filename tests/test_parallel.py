"""Parallel builds: the same site as one process, every problem reported, nothing published on failure."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest
from generated_project import BUILD_DAY, generated_project, tree

from site_builder import engine, library, parallel
from site_builder.build import build_site
from site_builder.config import read_config
from site_builder.library import RecordSummary
from site_builder.problems import ProblemsFound


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_DAY)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 2)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return generated_project(tmp_path, 120)


def test_two_workers_publish_the_same_bytes_as_one(project: Path, tmp_path: Path) -> None:
    build_site(read_config(project / "mkdocs.yml", workers=2, use_cache=False))
    build_site(read_config(project / "mkdocs.yml", workers=1, use_cache=False, site_dir=str(tmp_path / "one")))
    assert tree(project / "site") == tree(tmp_path / "one")


def test_problems_in_several_workers_are_all_reported_and_nothing_is_swapped(project: Path) -> None:
    build_site(read_config(project / "mkdocs.yml", workers=2))
    before = tree(project / "site")
    records = sorted((project / "records").glob("*.md"))
    for bad in (records[1], records[-2]):
        bad.write_text(
            bad.read_text(encoding="utf-8").replace("evidence_strength: ", "evidence_strength: X"), encoding="utf-8"
        )
    with pytest.raises(ProblemsFound) as raised:
        build_site(read_config(project / "mkdocs.yml", workers=2, use_cache=False))
    messages = [str(p) for p in raised.value.problems]
    assert messages == sorted(messages)
    assert any(records[1].name in m for m in messages) and any(records[-2].name in m for m in messages)
    assert tree(project / "site") == before


def test_chunks_are_several_per_worker_and_near_equal() -> None:
    chunks = parallel.chunked(list(range(1000)), 2)
    assert len(chunks) == 2 * parallel.CHUNKS_PER_WORKER
    assert max(map(len, chunks)) - min(map(len, chunks)) <= 1
    assert [i for c in chunks for i in c] == list(range(1000))


def test_a_chunk_holds_at_most_chunk_records_however_many_records_there_are() -> None:
    chunks = parallel.chunked(list(range(20 * parallel.CHUNK_RECORDS + 1)), 2)
    assert max(map(len, chunks)) <= parallel.CHUNK_RECORDS
    assert max(map(len, chunks)) - min(map(len, chunks)) <= 1
    assert [i for c in chunks for i in c] == list(range(20 * parallel.CHUNK_RECORDS + 1))


def test_the_report_counts_the_workers_time_creating_files_and_none_when_nothing_is_written(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_builder import writer

    clock = iter(range(10**6))
    monkeypatch.setattr(writer, "perf_counter", lambda: float(next(clock)))  # each timed span lasts 1 "second"
    report = build_site(read_config(project / "mkdocs.yml", workers=2))
    assert report.creating_seconds == report.written_files
    assert build_site(read_config(project / "mkdocs.yml", workers=2)).creating_seconds == 0


def test_summaries_received_from_workers_share_one_object_per_recurring_value(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[RecordSummary] = []
    real = library.share_values

    def recording(summary: RecordSummary, known: dict[object, object]) -> RecordSummary:
        received.append(real(summary, known))
        return received[-1]

    monkeypatch.setattr(engine, "share_values", recording)
    build_site(read_config(project / "mkdocs.yml"))
    for name in library.RECURRING:
        values = [getattr(summary, name) for summary in received]
        assert len({id(value) for value in values}) == len(set(values)), name


def test_a_summary_crosses_to_another_process_with_every_field_and_its_digest_as_computed() -> None:
    first = RecordSummary("a", "A", "DOI grade", "Verified", (("rigor", "High"),), "none", 0, "P", None, None)
    marked = replace(first, digest=b"computed once".ljust(16, b"."))
    copy = pickle.loads(pickle.dumps(marked))
    assert copy == first and repr(copy) == repr(first) and copy.digest == marked.digest


def test_sharing_a_summarys_values_changes_neither_them_nor_its_digest() -> None:
    first = RecordSummary("a", "A", "DOI grade", "Verified", (("rigor", "High"),), "none", 0, "P", None, None)
    copy = pickle.loads(pickle.dumps(first))
    known: dict[object, object] = {}
    library.share_values(first, known)
    shared = library.share_values(copy, known)
    assert shared == first and shared.digest == first.digest
    assert shared.tier is first.tier and shared.dimensions is first.dimensions


def test_the_cache_keeps_the_scans_record_names_not_copies_from_the_workers(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[engine.Engine] = []
    real = engine.Engine.save

    def saving(self: engine.Engine, complete_site: Path | None) -> None:
        built.append(self)
        real(self, complete_site)

    monkeypatch.setattr(engine.Engine, "save", saving)
    build_site(read_config(project / "mkdocs.yml"))
    (done,) = built
    names = {source.name: source.name for source in done.sources}
    assert done.new_cache.records and all(name is names[name] for name in done.new_cache.records)
