"""The review made unreadable, or replaced by a folder, a pipe or a link while open (issue 24): the
header says NOT SAVED, q asks (retry, save a copy, quit knowingly) instead of crashing, nothing hangs,
and nothing is written through a link."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from tests.tui.conftest import settle
from workbook.tui.screens.dialogs import ChoiceDialog
from workbook.tui.widgets.header import ReviewHeader


def unreadable(review: Path, monkeypatch) -> None:
    """chmod 000; root reads through that, so as root every open of the review is refused instead."""
    os.chmod(review, 0)
    if os.geteuid() != 0:
        return
    real = os.path.realpath(review)
    real_open, real_os_open = builtins.open, os.open

    def denied(file) -> bool:
        return isinstance(file, (str, bytes, os.PathLike)) and os.path.realpath(file) == real

    def guarded_open(file, *args, **kwargs):
        if denied(file):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    def guarded_os_open(file, *args, **kwargs):
        if denied(file):
            raise PermissionError(13, "Permission denied", str(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)


def to_folder(review: Path, monkeypatch) -> None:
    review.unlink()
    review.mkdir()


def to_fifo(review: Path, monkeypatch) -> None:
    review.unlink()
    os.mkfifo(review)


def dialog_body(app) -> str:
    return str(app.screen.query_one("#body").render())


def asking(app) -> bool:
    return isinstance(app.screen, ChoiceDialog) and bool(app.screen.query("#body"))


@pytest.mark.parametrize("replace, said", [
    (unreadable, "Permission denied"),
    (to_folder, "folder"),
    (to_fifo, "pipe"),
], ids=["chmod-000", "folder", "fifo"])
async def test_q_after_the_review_became_unsavable_asks_and_keeps_the_edit(
        mini: Path, open_app, monkeypatch, replace, said: str) -> None:
    app = open_app(mini, autosave_delay=0.01)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            replace(mini, monkeypatch)
            await pilot.press("u", "enter")  # an edit, autosaved a moment later: it fails
            header = app.screen.query_one(ReviewHeader)
            assert await settle(pilot, lambda: header.save_state.startswith("NOT SAVED"))
            await pilot.press("q")
            assert await settle(pilot, lambda: asking(app))
            assert said in dialog_body(app)  # why, in the same dialog as a full disk
            assert {b.id for b in app.screen.query("Button")} >= {"retry", "copy", "discard"}
            assert app.is_running and app.session.dirty
            assert app.session.review.answers["owner"].status.value == "unknown"
            await pilot.click("#stay")
    finally:
        monkeypatch.undo()
        if to_fifo is replace and mini.exists():  # should a read still be waiting on the pipe, free it
            try:
                os.close(os.open(mini, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass


async def test_retry_after_the_cause_is_fixed_saves_and_quits(mini: Path, open_app) -> None:
    original = mini.read_bytes()
    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        to_folder(mini, None)
        await pilot.press("u", "enter", "q")
        assert await settle(pilot, lambda: asking(app))
        mini.rmdir()
        mini.write_bytes(original)  # the file is back, as it was
        await pilot.click("#retry")
        assert await settle(pilot, lambda: not app.is_running)
    assert 'status = "unknown"' in mini.read_text()


async def test_save_now_failing_says_why_in_the_dialog(mini: Path, open_app) -> None:
    app = open_app(mini, autosave_delay=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        to_folder(mini, None)
        await pilot.press("u", "enter")
        await app.action_save_now()
        assert await settle(pilot, lambda: asking(app))
        assert "folder" in dialog_body(app) and "Save a copy" in str(app.screen.query_one("#copy").label)


async def test_keep_mine_after_a_link_was_swapped_in_never_writes_its_target(
        mini: Path, open_app, tmp_path: Path) -> None:
    victim = tmp_path / "bashrc"
    victim.write_text("export PATH=$HOME/bin:$PATH\n")
    app = open_app(mini, autosave_delay=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        mini.unlink()
        mini.symlink_to(victim)  # the review swapped for a link to a file of the user's
        await pilot.press("u", "enter")
        await app.action_save_now()
        assert await settle(pilot, lambda: asking(app))
        if app.screen.query("#mine"):  # asked whether to keep mine over the "changed" file: keep mine
            await pilot.click("#mine")
            await pilot.pause()
        assert victim.read_text() == "export PATH=$HOME/bin:$PATH\n"
        assert await settle(pilot, lambda: asking(app) and "replaced by a link" in dialog_body(app))
    assert victim.read_text() == "export PATH=$HOME/bin:$PATH\n"
