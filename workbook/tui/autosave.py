"""Autosave: a moment after each change, write the session's review in a worker thread.

One writer at a time; a save that fails keeps the edits in memory (the session stays dirty); a file
changed on disk since it was loaded is never overwritten silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from workbook.core.errors import ConflictError, WorkbookError
from workbook.core.session import ReviewSession
from workbook.core.store import commit_save, prepare_save

ShowState = Callable[[str, bool], None]


class Autosaver:
    """Owns the save timer, the save worker and the conflict dialog for one open review."""

    def __init__(self, app: App[Any], session: ReviewSession, *, delay: float, show_state: ShowState,
                 on_conflict: Callable[[], None]) -> None:
        self.app = app
        self.session = session
        self.delay = delay
        self.show_state = show_state
        self.on_conflict = on_conflict
        self.conflict_open = False
        self._timer: Timer | None = None
        self._worker: Worker[WorkbookError | None] | None = None
        self._worker_revision = 0

    def schedule(self) -> None:
        self.stop_timer()
        self._timer = self.app.set_timer(self.delay, self._autosave)

    def stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @property
    def saving(self) -> bool:
        return self._worker is not None and self._worker.is_running

    def _autosave(self) -> None:
        """Snapshot the review here, write it in a thread: the screen never waits on the disk."""
        session = self.session
        if not session.dirty or self.conflict_open:
            return
        if self.saving:
            self.schedule()  # one save at a time; this change goes in the next
            return
        rf = session.file
        pending = prepare_save(rf)
        self._worker_revision = session.revision

        def write() -> WorkbookError | None:
            try:
                commit_save(rf, pending)
            except WorkbookError as exc:
                return exc
            return None

        self.show_state("saving…", False)
        self._worker = self.app.run_worker(write, thread=True, exit_on_error=False, name="autosave")

    def worker_done(self, worker: Worker[Any]) -> bool:
        """Report a finished autosave once (from its message, or from quit, whichever comes first)."""
        if worker is not self._worker or worker.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return True
        self._worker = None
        error = worker.result if worker.state is WorkerState.SUCCESS else WorkbookError(str(worker.error))
        return self._saved(error, self._worker_revision)

    async def settle(self) -> bool:
        """Wait for an autosave in flight and take its result; False when it failed."""
        worker = self._worker
        if worker is None:
            return True
        if worker.is_running:
            try:
                await worker.wait()
            except Exception:  # the failure is in worker.error; worker_done reports it
                pass
        return self.worker_done(worker)

    def _saved(self, error: WorkbookError | None, revision: int) -> bool:
        """After a save attempt: say so in the header, or keep the edits and tell the user why."""
        if error is None:
            self.session.mark_saved(revision)
            if not self.session.dirty:
                self.show_state(f"saved {self.session.clock():%H:%M:%S}", False)
            return True
        if isinstance(error, ConflictError):
            self.conflict_open = True
            self.on_conflict()
            return False
        self.show_state("NOT SAVED", True)
        self.app.notify(
            f"{error}\nYour edits are kept in memory. Fix the cause and change anything to retry, "
            "or use the palette (ctrl+p) → 'Save a copy'.",
            title="Save failed", severity="error", timeout=15, markup=False,
        )
        return False

    def save_now(self, *, force: bool = False) -> bool:
        """Save now, on this thread (quitting, the palette, "keep mine"). False if it failed."""
        session = self.session
        if not session.dirty:
            return True
        if self.conflict_open:
            return False
        if self.saving:
            self.schedule()  # never two writers: this one goes after the save in flight
            return False
        revision = session.revision
        rf = session.file
        try:
            commit_save(rf, prepare_save(rf), force=force)
        except WorkbookError as exc:
            return self._saved(exc, revision)
        return self._saved(None, revision)
