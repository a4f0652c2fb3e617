"""Deferred work: in serve, the manifest and sitemap are written after the rebuild returns, before the next."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from generated_project import config, generated_project, tree

from site_builder.build import render_registry
from site_builder.deferred import DeferredWork, deferring
from site_builder.discovery import publish

pytestmark = pytest.mark.usefixtures("fixed_build_date")


def test_deferred_actions_run_once_started_in_the_order_submitted_and_wait_returns_when_all_are_done() -> None:
    work, done = DeferredWork(), []
    gate = threading.Event()
    work.submit("first", lambda: (gate.wait(5), done.append(1)))
    work.submit("second", lambda: done.append(2))
    assert work.wait(5) and done == []  # queued, not started
    work.start()
    work.submit("third", lambda: done.append(3))
    work.start()
    assert done == []
    gate.set()
    assert work.wait(5)
    assert done == [1, 2, 3]


def test_discarded_actions_never_run() -> None:
    work, done = DeferredWork(), []
    work.submit("the manifest", lambda: done.append(1))
    work.discard()
    work.start()
    assert work.wait(5) and done == []


def test_a_failed_deferred_action_is_logged_and_the_next_still_runs(caplog: pytest.LogCaptureFixture) -> None:
    work, done = DeferredWork(), []

    def failing() -> None:
        raise OSError("disk full")

    work.submit("the manifest", failing)
    work.submit("the sitemap", lambda: done.append("sitemap"))
    work.start()
    with caplog.at_level(logging.WARNING):
        assert work.wait(5)
    assert done == ["sitemap"]
    assert "the manifest was not updated: disk full" in caplog.text


def test_within_deferring_the_manifest_is_written_after_the_build_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = generated_project(tmp_path, 6)
    served = project / "served"
    gate = threading.Event()
    real = publish.publish

    def gated(*args: object) -> None:
        assert gate.wait(30)
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(publish, "publish", gated)
    work = DeferredWork()
    with deferring(work):
        render_registry(config(project, site_dir=str(served)), served)
    assert (served / "records").is_dir() and not (served / "manifest.json").exists()
    work.start()
    gate.set()
    assert work.wait(30)
    fresh = tmp_path / "fresh"
    render_registry(config(project, site_dir=str(fresh), use_cache=False), fresh)
    assert tree(served) == tree(fresh)
