"""The open review: its session, its autosave, its lock, where the user was in it, and the one way out.

The app holds one OpenReview at a time and shows it; everything that outlives a screen lives here.
Every way of leaving (q; the app closing without q: a browser tab closed, the server stopping,
SIGTERM) goes through ``save_and_leave``, so the ways out cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from textual.app import App
from textual.worker import Worker

from workbook.core.lock import Holder, acquire, release
from workbook.core.session import Clock, Edit, ReviewSession
from workbook.core.store import ReviewFile
from workbook.core.userstate import last_position, remember_position
from workbook.tui.autosave import Autosaver, ShowState

Position = tuple[str | None, str | None]
# "saved": the review is on disk and the file let go; "asking": a question about the file on disk is
# up (leave once it is answered); "failed": the last changes could not be saved.
Leaving = Literal["saved", "asking", "failed"]


class OpenReview:
    """One review file open in the app: the ReviewSession that changes it, and what keeps it safe."""

    def __init__(self, app: App[Any], rf: ReviewFile, *, today: dt.date | None, clock: Clock, delay: float,
                 show_state: ShowState, on_unmergeable: Callable[[], None], on_merged: Callable[[int], None],
                 shown_position: Callable[[], Position | None], running_timer: Callable[[], Edit | None],
                 apply: Callable[[Edit], None]) -> None:
        self.session = ReviewSession(rf, today=today, clock=clock)
        self.autosaver = Autosaver(app, self.session, delay=delay, show_state=show_state,
                                   on_unmergeable=on_unmergeable, on_merged=on_merged)
        self._shown_position = shown_position  # where the review screen is now (None: not shown)
        self._running_timer = running_timer  # stops a running countdown; the time it logged, if any
        self._apply = apply  # the app's one way to change the review (refreshes every screen)
        self.other: Holder | None = acquire(rf.path)  # another live workbook with this file open
        self.position: Position = last_position(rf.path)  # where the user was when they last left it
        self.released = False

    @property
    def path(self) -> Path:
        return self.session.file.path

    # ------------------------------------------------------------------ saving

    def changed(self) -> None:
        """The review changed: save it a moment from now."""
        self.autosaver.schedule()

    def worker_done(self, worker: Worker[Any]) -> None:
        self.autosaver.worker_done(worker)

    async def save_now(self) -> None:
        self.autosaver.stop_timer()
        if await self.autosaver.settle():
            self.autosaver.save_now()

    # ------------------------------------------------------------------ leaving

    async def save_and_leave(self, *, unattended: bool = False) -> Leaving:
        """Log a running countdown, save what is unsaved, then let go of the file (position, lock).

        ``unattended``: nobody is left to answer a question (the app is closing without q): where the
        file on disk changed the same question, mine is kept, and everything else from both sides,
        rather than lose every unsaved edit; the file is let go of whether or not that saved.
        """
        logged = self._running_timer()
        if logged is not None:
            self._apply(logged)
        saver = self.autosaver
        saver.stop_timer()
        await saver.settle()  # a failed autosave leaves the session dirty: saved below
        saved = not saver.conflict_open and saver.save_now()
        if not saved and saver.conflict_open:  # the file changed on disk: the merge question is up
            if not unattended:
                return "asking"
            saved = saver.save_keeping_mine()
        if not saved and not unattended:
            return "failed"
        self.release()
        return "saved" if saved else "failed"

    def release(self) -> None:
        """Remember where the user was and let go of the lock (once: later calls do nothing)."""
        if self.released:
            return
        self.released = True
        where = self._shown_position()
        if where is not None:
            self.position = where
            remember_position(self.path, *where)
        release(self.path)

    def switch_file(self, rf: ReviewFile) -> None:
        """Go on editing another file (a copy saved elsewhere): the old one is let go of."""
        self.release()
        self.session.replace_file(rf)
        self.released = False
