"""Autosave: a moment after each change, write the session's review in a worker thread.

The thread only writes bytes prepared here and returns what it wrote (a store.Fingerprint, or the
error); this thread records it on the review file, so nothing shared changes under anyone's feet.

One writer at a time; a save that fails keeps the edits in memory (the session stays dirty); a file
changed on disk since it was loaded is never overwritten silently: it is merged question by question
(edits to different questions silently, the same question asked), as git merges lines.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from workbook.core.errors import ConflictError, SaveError, WorkbookError
from workbook.core.session import ReviewSession
from workbook.core.store import Fingerprint, ReviewFile, adopt_fingerprint, commit_save, prepare_save, write_save
from workbook.tui.bindings import PALETTE, key_for

if TYPE_CHECKING:  # merging with the file on disk is rare: its modules load when it happens
    from workbook.core.disk_merge import DiskMerge
    from workbook.core.threeway import Side, Unit

ShowState = Callable[[str, bool], None]
EXIT_ATTEMPTS = 40  # merge-and-save rounds on exit before giving up (other writers saving all the while)


class Autosaver:
    """Owns the save timer, the save worker and the conflict dialog for one open review."""

    def __init__(self, app: App[Any], session: ReviewSession, *, delay: float, show_state: ShowState,
                 on_unmergeable: Callable[[], None], on_merged: Callable[[int], None]) -> None:
        self.app = app
        self.session = session
        self.delay = delay
        self.show_state = show_state
        self.on_unmergeable = on_unmergeable  # the file on disk cannot be read: the app asks what to do
        self.on_merged = on_merged  # the review now holds the other side's edits too (new revision)
        self.conflict_open = False
        self.last_error: WorkbookError | None = None  # why the last save failed (None: it did not)
        self._timer: Timer | None = None
        self._worker: Worker[Fingerprint | WorkbookError] | None = None
        self._worker_revision = 0
        self._worker_file: ReviewFile | None = None

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
        self._worker_file = rf
        path, known, link = rf.path, rf.disk_digest, rf.link  # read here: the thread touches nothing shared

        def write() -> Fingerprint | WorkbookError:
            try:
                return write_save(path, known, pending, link=link)
            except WorkbookError as exc:
                return exc
            except OSError as exc:  # write_save says every failure as a SaveError; a guard all the same
                return SaveError(f"{path}: not saved: {exc.strerror or exc}")

        self.show_state("saving…", False)
        self._worker = self.app.run_worker(write, thread=True, exit_on_error=False, name="autosave")

    def worker_done(self, worker: Worker[Any]) -> bool:
        """Report a finished autosave once (from its message, or from quit, whichever comes first)."""
        if worker is not self._worker or worker.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return True
        self._worker = None
        result = worker.result if worker.state is WorkerState.SUCCESS else WorkbookError(str(worker.error))
        if isinstance(result, Fingerprint):
            assert self._worker_file is not None
            adopt_fingerprint(self._worker_file, result)  # here, on the UI thread, not in the worker
            result = None
        return self._saved(result, self._worker_revision)

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
        self.last_error = error if not isinstance(error, ConflictError) else None
        if error is None:
            self.session.mark_saved(revision)
            if not self.session.dirty:
                self.show_state(f"saved {self.session.clock():%H:%M:%S}", False)
            return True
        if isinstance(error, ConflictError):
            return self.merge_with_disk()
        self.show_state("NOT SAVED", True)
        self.app.notify(
            f"{error}\nYour edits are kept in memory. Fix the cause and change anything to retry, "
            f"or use the palette ({key_for(self.app, PALETTE)}) → 'Save a copy'.",
            title="Save failed", severity="error", timeout=15, markup=False,
        )
        return False

    def merge_with_disk(self) -> bool:
        """The file changed on disk: merge with it; ask only about questions both sides changed."""
        try:
            from workbook.core.disk_merge import merge_with_disk

            dm = merge_with_disk(self.session.file)
        except WorkbookError:
            self.conflict_open = True
            self.on_unmergeable()
            return False
        if not dm.conflicts:
            return self._save_merged(dm, {})
        self.conflict_open = True
        self._ask(dm, 0, {})
        return False

    def _ask(self, dm: DiskMerge, index: int, choices: dict[Unit, Side]) -> None:
        """One dialog per question both sides changed, showing both values."""
        from workbook.core.disk_merge import describe_unit, describe_value
        from workbook.tui.screens.dialogs import ChoiceDialog

        if index == len(dm.conflicts):
            self.conflict_open = False
            self._save_merged(dm, choices)
            return
        conflict = dm.conflicts[index]
        template = self.session.template

        def chosen(choice: str | None) -> None:
            if choice in ("mine", "theirs"):
                choices[conflict.unit] = "mine" if choice == "mine" else "theirs"
                self._ask(dm, index + 1, choices)
            else:
                self.conflict_open = False
                self.show_state("NOT SAVED (changed on disk too)", True)

        count = f" ({index + 1} of {len(dm.conflicts)})" if len(dm.conflicts) > 1 else ""
        self.app.push_screen(ChoiceDialog(
            f"Changed here and on disk{count}",
            f"{describe_unit(conflict.unit, template)}\n\n"
            f"Yours:   {describe_value(conflict.unit, conflict.mine, template)}\n"
            f"On disk: {describe_value(conflict.unit, conflict.theirs, template)}\n\n"
            "Everything else merges. Nothing is written until you choose.",
            [("mine", "Keep mine"), ("theirs", "Take theirs"), ("later", "Decide later")],
            cancel="later",
        ), chosen)

    def save_on_exit(self, attempts: int = EXIT_ATTEMPTS) -> bool:
        """The app is closing and nobody is left to ask: save, merging with the file on disk (mine kept
        where both changed) until it lands. Other writers may save between our merge and our save (five
        tabs closing at once): merge again with the newer file, after a short random pause so that the
        writers stop colliding. False when it did not land (the file is unreadable, the disk refuses,
        or it kept changing for every attempt): the edits are still in the session."""
        from workbook.core.disk_merge import merge_with_disk, save_merged
        from workbook.core.store import save_lock

        self.stop_timer()
        self.conflict_open = False
        session = self.session
        for attempt in range(attempts):
            if not session.dirty:
                return True
            revision = session.revision
            try:
                commit_save(session.file, prepare_save(session.file))
                session.mark_saved(revision)
                return True
            except ConflictError:
                pass
            except WorkbookError:
                return False
            try:
                # Read, merge and write under the folder's save lock: no other writer can save in
                # between, so a busy writer cannot make the merge stale attempt after attempt.
                with save_lock(session.file.path):
                    dm = merge_with_disk(session.file)
                    merged = save_merged(session.file, dm, {c.unit: "mine" for c in dm.conflicts})
            except ConflictError:
                time.sleep(random.uniform(0, 0.01 * min(attempt + 1, 10)))  # a jitter, not a secret
                continue
            except WorkbookError:
                return False
            session.adopt_merge(merged, dm.from_theirs)
            return True
        return not session.dirty

    def _save_merged(self, dm: DiskMerge, choices: dict[Unit, Side]) -> bool:
        session = self.session
        try:
            from workbook.core.disk_merge import save_merged

            merged = save_merged(session.file, dm, choices)
        except ConflictError:
            self.schedule()  # changed yet again while we merged: merge with the newer file
            return False
        except WorkbookError as exc:
            return self._saved(exc, session.revision)
        taken = dm.from_theirs + [unit for unit, side in choices.items() if side == "theirs"]
        revision = session.adopt_merge(merged, taken)
        self.on_merged(revision)
        answers = sum(1 for unit in taken if unit[0] == "answers")
        other = len(taken) - answers
        what = ", ".join(part for part in (f"{answers} answer{'s' * (answers != 1)}" if answers else "",
                                           f"{other} other change{'s' * (other != 1)}" if other else "") if part)
        self.show_state(f"saved {session.clock():%H:%M:%S} (merged)", False)
        self.app.notify(f"The file changed on disk; merged {what or 'nothing new'} from it. Your edits are kept.",
                        title="Merged", timeout=8, markup=False)
        return True

    def save_now(self, *, force: bool = False) -> bool:
        """Save now, on this thread (quitting, the palette, "keep mine"). False if it failed."""
        session = self.session
        if not session.dirty:
            self.last_error = None
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
        except OSError as exc:  # store says every failure as a SaveError; a guard all the same
            return self._saved(SaveError(f"{rf.path}: not saved: {exc.strerror or exc}"), revision)
        return self._saved(None, revision)
