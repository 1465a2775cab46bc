"""The open review: its session, its autosave, its lock, where the user was in it, and the one way out.

The app holds one OpenReview at a time and shows it; everything that outlives a screen lives here.
Every way of leaving (q; the app closing without q: a browser tab closed, the server stopping,
SIGTERM) goes through ``save_and_leave``, so the ways out cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from textual.app import App
from textual.worker import Worker

from workbook.core.errors import WorkbookError
from workbook.core.lock import Holder, acquire, release
from workbook.core.session import AnswerEdit, Clock, Edit, ReviewSession
from workbook.core.store import ReviewFile, save_review
from workbook.core.text import terminal_safe
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
        self.app = app
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

        ``unattended``: nobody is left to answer a question (the app is closing without q: a tab
        closed, the server stopping): notes typed in an open answer editor are applied (the notes only:
        a value is not chosen until the editor is saved); then merge with the file on disk and save,
        again until it lands (mine kept where both changed the same question, everything else from
        both sides). If it cannot land, the edits go to a copy beside the review and stderr says where.
        The file is let go of either way.
        """
        logged = self._running_timer()
        if logged is not None:
            self._apply(logged)
        saver = self.autosaver
        saver.stop_timer()
        await saver.settle()  # a failed autosave leaves the session dirty: saved below
        if unattended:
            for edit in self._typed_notes():
                self._apply(edit)
            saved = saver.save_on_exit()
            if not saved:
                self._keep_a_copy()
            self.release()
            return "saved" if saved else "failed"
        saved = not saver.conflict_open and saver.save_now()
        if not saved and saver.conflict_open:  # the file changed on disk: the merge question is up
            return "asking"
        if not saved:
            return "failed"
        self.release()
        return "saved"

    def _typed_notes(self) -> list[Edit]:
        """Notes typed in an open answer editor and not saved yet (f2), as edits of the notes only."""
        from workbook.core.editing import SetAnswer
        from workbook.tui.screens.editor import AnswerEditor

        edits: list[Edit] = []
        for screen in self.app.screen_stack:
            if not isinstance(screen, AnswerEditor):
                continue
            notes = screen.unsaved_notes()
            if notes is not None:
                qid = screen.question.id
                current = self.session.review.answer(qid)  # as it is now (a merge may have changed it)
                edits.append(AnswerEdit(qid, SetAnswer(current.value, notes, current.resolved_by)))
        return edits

    def _keep_a_copy(self) -> None:
        """The last save did not land and nobody is left to ask: write the edits beside the review and
        say where on stderr (the terminal running ``workbook serve`` shows a tab's stderr)."""
        path = self.path
        copy = path.with_name(f"{path.stem}.unsaved-{self.session.clock():%Y%m%d-%H%M%S}-{os.getpid()}{path.suffix}")
        try:
            save_review(ReviewFile(copy, self.session.review, self.session.template, None, []))
        except WorkbookError as exc:
            where = f"they are lost: {exc}"
        else:
            where = f"they are kept in {copy} (merge it in: workbook merge {path.name} {copy.name} -o …)"
        print(terminal_safe(f"workbook: {path}: the last changes could not be saved; {where}"), file=sys.stderr,
              flush=True)

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
