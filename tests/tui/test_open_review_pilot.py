"""The open review's controller: every way out saves and lets go of the file the same way, and the
save thread hands back what it wrote instead of changing the review file itself."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.tui.conftest import focused_question, settle
from workbook.core.lock import lock_file
from workbook.core.store import ReviewFile
from workbook.core.userstate import last_position
from workbook.tui.open_review import OpenReview


@pytest.mark.parametrize("way_out", ["q", "closed without q"])
async def test_every_way_out_saves_remembers_the_place_and_lets_go_of_the_file(
        mini: Path, open_app, monkeypatch, way_out: str) -> None:
    calls: list[bool] = []
    real = OpenReview.save_and_leave

    async def spy(self: OpenReview, *, unattended: bool = False) -> Any:
        calls.append(unattended)
        return await real(self, unattended=unattended)

    monkeypatch.setattr(OpenReview, "save_and_leave", spy)
    app = open_app(mini, autosave_delay=3600)  # nothing is saved before leaving
    async with app.run_test(size=(80, 24)) as pilot:
        assert lock_file(mini).exists()
        await pilot.press("right_square_bracket", "j")
        assert await settle(pilot, lambda: focused_question(app) == "good-enough")
        await pilot.press("u", "enter")  # (enter: yes, replace the answer) an unsaved change
        assert await settle(pilot, lambda: app.session is not None and app.session.dirty)
        if way_out == "q":
            await pilot.press("q")
        else:
            app.exit()  # a browser tab closing, the server stopping, SIGTERM
    # q leaves through it, then the app's exit passes through it again (nothing left to do by then).
    assert calls == ([False, True] if way_out == "q" else [True])
    assert tomllib.loads(mini.read_text())["answers"]["good-enough"]["status"] == "unknown"
    assert last_position(mini) == ("cost", "good-enough")
    assert not lock_file(mini).exists()


async def test_the_save_thread_changes_nothing_the_ui_thread_reads(mini: Path, open_app, monkeypatch) -> None:
    """The file's fingerprint (digest, base of the next merge) is recorded on the app's thread only."""
    writes: list[tuple[str, bool]] = []
    real_setattr = ReviewFile.__setattr__

    def watched(self: ReviewFile, name: str, value: Any) -> None:
        writes.append((name, threading.current_thread() is threading.main_thread()))
        real_setattr(self, name, value)

    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.session is not None
        rf = app.session.file
        before = rf.disk_digest
        monkeypatch.setattr(ReviewFile, "__setattr__", watched)
        await pilot.press("u", "enter")  # (enter: yes, replace the answer) a change the autosave writes
        assert await settle(pilot, lambda: not app.session.dirty and rf.disk_digest != before)
    assert ("disk_digest", True) in writes
    assert all(on_ui_thread for _, on_ui_thread in writes), writes
