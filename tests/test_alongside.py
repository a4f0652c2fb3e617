"""Work alongside the build (the search index): it has the interpreter until it detaches, and stops when abandoned."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context

import pytest

from site_builder.alongside import Alongside, abandoned, detach, on_abandon, wait_for_turn, within


def test_the_build_thread_goes_on_only_once_the_work_detaches() -> None:
    steps: list[str] = []
    release = threading.Event()

    def work() -> None:
        steps.append("prepared")
        detach()
        release.wait()
        steps.append("finished")

    started = Alongside("work", work)
    steps.append("build goes on")
    release.set()
    started.result()
    assert steps == ["prepared", "build goes on", "finished"]


def test_work_that_never_detaches_is_over_when_the_build_thread_goes_on() -> None:
    steps: list[str] = []
    started = Alongside("work", lambda: steps.append("done"))
    assert steps == ["done"]
    assert started.result().name == "work"


def test_the_stage_is_the_works_own_time_on_the_monotonic_clock() -> None:
    release = threading.Event()
    started = Alongside("index", lambda: (detach(), release.wait(0.05)))
    release.set()
    stage = started.result()
    assert stage.name == "index" and stage.seconds >= 0 and stage.started > 0 and stage.peak_resident == 0


def test_what_the_work_raised_is_raised_when_its_result_is_asked_for() -> None:
    def work() -> None:
        raise ValueError("Pagefind failed")

    started = Alongside("work", work)
    with pytest.raises(ValueError, match="Pagefind failed"):
        started.result()


def test_abandoning_runs_what_the_work_registered_and_waits_for_it_to_end() -> None:
    stopped = threading.Event()
    seen: list[bool] = []

    def work() -> None:
        assert on_abandon(stopped.set)
        detach()
        stopped.wait()
        seen.append(abandoned())

    started = Alongside("work", work)
    started.abandon()
    assert stopped.is_set() and seen == [True]


def test_after_abandonment_nothing_more_is_registered_and_the_work_is_told_to_stop_now() -> None:
    answers: list[bool] = []
    go_on = threading.Event()

    def work() -> None:
        on_abandon(go_on.set)  # run by abandon(), once the work is marked abandoned
        detach()
        go_on.wait()
        answers.append(on_abandon(lambda: None))

    Alongside("work", work).abandon()
    assert answers == [False]


def test_a_pool_thread_started_within_the_work_sees_whose_work_it_is() -> None:
    seen: list[bool] = []
    release = threading.Event()

    def in_pool(_: int) -> bool:
        release.wait()
        return abandoned()

    def work() -> None:
        on_abandon(release.set)
        context = copy_context()
        with ThreadPoolExecutor(2) as pool:
            detach()
            seen.extend(pool.map(within(context, in_pool), [1, 2]))

    Alongside("work", work).abandon()
    assert seen == [True, True]


def test_outside_such_work_nothing_is_registered_and_nothing_is_abandoned() -> None:
    assert on_abandon(lambda: None) is True
    assert abandoned() is False
    detach()  # nothing to let go on: no error


def test_work_that_waits_for_its_turn_goes_on_only_once_the_build_waits_for_it() -> None:
    steps: list[str] = []

    def work() -> None:
        steps.append("prepared")
        wait_for_turn()
        steps.append("indexed")

    started = Alongside("work", work)
    steps.append("listings")
    started.result()
    assert steps == ["prepared", "listings", "indexed"]


def test_work_waiting_for_its_turn_is_let_go_when_the_build_gives_up() -> None:
    seen: list[bool] = []

    def work() -> None:
        wait_for_turn()
        seen.append(abandoned())

    Alongside("work", work).abandon()
    assert seen == [True]
