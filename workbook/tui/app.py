"""The Textual application: owns the review, applies changes, autosaves.

Widgets and screens post messages (ChangeRequested); only the app changes the model and saves.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from workbook.core.editing import ReviewChange, apply_change, apply_review_change
from workbook.core.errors import ConflictError, WorkbookError
from workbook.core.store import ReviewFile, commit_save, load_review, prepare_save, save_review
from workbook.tui.messages import ChangeRequested, JumpTo
from workbook.tui.screens.review import ReviewScreen

Clock = Callable[[], dt.datetime]


class WorkbookApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "workbook"

    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?", tooltip="Show every key binding"),
        Binding("q", "quit", "Quit", tooltip="Save and quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, tooltip="Save and quit"),
    ]

    def __init__(
        self,
        review_file: ReviewFile | None = None,
        *,
        today: dt.date | None = None,
        clock: Clock | None = None,
        autosave_delay: float = 1.0,
        workshop: bool = False,
        portfolio: tuple[list[Path], str, tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__()
        self.rf = review_file
        self.workshop = workshop
        self.portfolio = portfolio
        self._today = today
        self.clock: Clock = clock or dt.datetime.now
        self.autosave_delay = autosave_delay
        self.dirty = False
        self._save_timer: Timer | None = None
        self._save_worker = None
        self._conflict_open = False

    @property
    def today(self) -> dt.date:
        return self._today or self.clock().date()

    # ------------------------------------------------------------------ screens

    def on_mount(self) -> None:
        # Everything built so far lives as long as the app: keep it out of the garbage collector's
        # scans, which otherwise add 100 ms pauses to key presses now and then (see bench/).
        self.call_after_refresh(gc.freeze)
        if self.portfolio is not None:
            from workbook.tui.screens.portfolio import PortfolioScreen

            files, sort_by, only = self.portfolio
            self.push_screen(PortfolioScreen(files, self.today, sort_by, only))
        elif self.rf is not None:
            self.open_review(self.rf)
        else:
            from workbook.tui.screens.start import StartScreen

            self.push_screen(StartScreen())

    def open_review(self, rf: ReviewFile) -> None:
        from workbook.core.lock import acquire

        self.rf = rf
        self.dirty = False
        other = acquire(rf.path)
        if other is not None:
            self.notify(f"Another workbook (process {other.pid} on {other.host}) has this file open. "
                        "Nothing is overwritten silently: if both change it, you will be asked.",
                        title="Open twice", severity="warning", timeout=12, markup=False)
        screen = ReviewScreen(rf, "saved" if rf.disk_digest else "not saved yet")
        old = self.review_screen()
        if old is not None:  # reloading: drop the stale review and anything open over it
            while self.screen is not old:
                self.pop_screen()
            self.switch_screen(screen)
        elif type(self.screen).__name__ == "StartScreen":
            self.switch_screen(screen)
        else:
            self.push_screen(screen)  # over the portfolio: q comes back to it
        for notice in rf.notices:
            self.notify(notice, title="Note", markup=False, timeout=4)

    def review_screen(self) -> ReviewScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ReviewScreen):
                return screen
        return None

    def _show_state(self, text: str, failed: bool = False) -> None:
        screen = self.review_screen()
        if screen is not None and screen.is_mounted:
            screen.set_save_state(text, failed)

    # ------------------------------------------------------------------ changes

    def on_change_requested(self, message: ChangeRequested) -> None:
        self.apply(message.question_id, message.change)

    def apply(self, question_id: str, change) -> None:
        """The one place the review changes: apply, refresh what shows it, schedule the save."""
        from pydantic import ValidationError

        if self.rf is None:
            return
        try:
            if isinstance(change, ReviewChange):
                apply_review_change(self.rf.review, change)
            else:
                question = self.rf.template.question(question_id)
                if question is None:
                    return
                apply_change(self.rf.review, question, change, self.today)
        except (ValidationError, ValueError) as exc:
            # The change is refused whole (edits are applied to a copy): say why, lose nothing.
            self.notify(str(exc).splitlines()[0], title="Not changed", severity="error", markup=False)
            return
        self.dirty = True
        self._show_state("unsaved changes")
        screen = self.review_screen()
        if screen is not None:
            screen.model_changed(question_id)
            for other in self.screen_stack:  # the board, the presentation view: they follow too
                if other is not screen and hasattr(other, "model_changed"):
                    other.model_changed()
        self.schedule_save()

    async def on_jump_to(self, message: JumpTo) -> None:
        screen = self.review_screen()
        if screen is not None:
            await screen.jump_to(message.question_id)

    def schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(self.autosave_delay, self._autosave)

    def _autosave(self) -> None:
        """Snapshot the review here, write it in a thread: the screen never waits on the disk."""
        if self.rf is None or not self.dirty or self._conflict_open:
            return
        if self._save_worker is not None and self._save_worker.is_running:
            self.schedule_save()  # one save at a time; this change goes in the next
            return
        rf = self.rf
        pending = prepare_save(rf)
        self.dirty = False  # an edit from now on makes it dirty again

        def write() -> WorkbookError | None:
            try:
                commit_save(rf, pending)
            except WorkbookError as exc:
                return exc
            return None

        self._show_state("saving…")
        self._save_worker = self.run_worker(write, thread=True, exit_on_error=False, name="autosave")

    def on_worker_state_changed(self, event) -> None:
        self._finish_save(event.worker)

    def _finish_save(self, worker) -> bool:
        """Report a finished autosave once (from its message, or from quit, whichever comes first)."""
        from textual.worker import WorkerState

        if worker is None or worker is not self._save_worker or worker.state not in (WorkerState.SUCCESS,
                                                                                      WorkerState.ERROR):
            return True
        self._save_worker = None
        error = worker.result if worker.state is WorkerState.SUCCESS else WorkbookError(str(worker.error))
        return self._saved(error)

    async def _settle_saves(self) -> bool:
        """Wait for an autosave in flight and take its result; False when it failed."""
        worker = self._save_worker
        if worker is not None and worker.is_running:
            try:
                await worker.wait()
            except Exception:  # the failure is in worker.error; _finish_save reports it
                pass
        return self._finish_save(worker)

    def _saved(self, error: WorkbookError | None) -> bool:
        """After a save attempt: say so in the header, or keep the edits and tell the user why."""
        if error is None:
            if not self.dirty:
                self._show_state(f"saved {self.clock():%H:%M:%S}")
            return True
        self.dirty = True  # nothing was written: the edits stay in memory, still to save
        if isinstance(error, ConflictError):
            self._ask_conflict()
            return False
        self._show_state("NOT SAVED", failed=True)
        self.notify(
            f"{error}\nYour edits are kept in memory. Fix the cause and change anything to retry, "
            "or use the palette (ctrl+p) → 'Save a copy'.",
            title="Save failed",
            severity="error",
            timeout=15,
            markup=False,
        )
        return False

    def save_now(self, *, force: bool = False) -> bool:
        """Save now, on this thread (quitting, the palette, "keep mine"). False if it failed."""
        if self.rf is None or not self.dirty:
            return True
        if self._conflict_open:
            return False
        if self._save_worker is not None and self._save_worker.is_running:
            self.schedule_save()  # never two writers: this one goes after the save in flight
            return False
        try:
            save_review(self.rf, force=force)
        except WorkbookError as exc:
            return self._saved(exc)
        self.dirty = False
        return self._saved(None)

    def _ask_conflict(self) -> None:
        from workbook.tui.screens.dialogs import ChoiceDialog

        assert self.rf is not None
        self._conflict_open = True

        def chosen(choice: str | None) -> None:
            self._conflict_open = False
            if choice == "mine":
                self.save_now(force=True)
            elif choice == "reload":
                self._reload()
            elif choice == "copy":
                self.action_save_copy()
            else:
                self._show_state("NOT SAVED (file changed on disk)", failed=True)

        self.push_screen(
            ChoiceDialog(
                "The file changed on disk",
                f"{self.rf.path} was changed by someone or something else since workbook loaded it "
                "(another editor, a git pull, a second workbook). Nothing has been overwritten.",
                [("reload", "Reload theirs"), ("mine", "Keep mine"), ("copy", "Save a copy"), ("later", "Decide later")],
                cancel="later",
            ),
            chosen,
        )

    def _reload(self) -> None:
        assert self.rf is not None
        try:
            rf = load_review(self.rf.path)
        except WorkbookError as exc:
            self.notify(str(exc), title="Cannot reload", severity="error", markup=False)
            return
        self.open_review(rf)
        self.notify("Reloaded from disk; your unsaved edits were discarded.", markup=False)

    def action_save_copy(self) -> None:
        from workbook.tui.screens.dialogs import PathDialog

        if self.rf is None:
            return
        rf = self.rf
        default = str(rf.path.with_name(rf.path.stem + "-copy" + rf.path.suffix))

        def chosen(path: str | None) -> None:
            if not path:
                return
            target = Path(path).expanduser()
            if target.exists():
                self.notify(f"{target} exists; choose another name.", severity="error", markup=False)
                return
            copy = ReviewFile(target, rf.review, rf.template, None, [])
            try:
                save_review(copy)
            except WorkbookError as exc:
                self.notify(str(exc), title="Save failed", severity="error", markup=False)
                return
            self.rf = copy
            screen = self.review_screen()
            if screen is not None:
                screen.rf = copy
            self.dirty = False
            self._show_state(f"saved to {target.name} {self.clock():%H:%M:%S}")
            self.notify(f"Saved a copy to {target}; you are now editing the copy.", markup=False)

        self.push_screen(PathDialog("Save a copy of this review", default), chosen)

    def action_export(self, fmt: str) -> None:
        """Export the review, asking where to write (next to the review by default)."""
        from workbook.core.exports.common import export_data
        from workbook.core.exports.write import SUFFIX, render, write_adr, write_text
        from workbook.tui.screens.dialogs import PathDialog

        if self.rf is None:
            return
        rf = self.rf
        default = str(rf.path.with_name(rf.path.stem + SUFFIX[fmt]))

        def write(target: Path) -> None:
            data = export_data(rf.review, rf.template, self.today)
            try:
                if fmt == "adr":
                    states = [state for _, state in write_adr(target, data)]
                    detail = ", ".join(f"{states.count(s)} {s}" for s in ("created", "updated", "unchanged") if s in states)
                    self.notify(f"ADRs in {target}: {detail or 'no decisions to record'}", title="Exported", markup=False)
                else:
                    write_text(target, render(fmt, data))
                    self.notify(f"Wrote {target}", title="Exported", markup=False)
            except (OSError, WorkbookError) as exc:
                message = str(exc) if isinstance(exc, WorkbookError) else f"{target}: {exc.strerror or exc}"
                self.notify(message, title="Export failed", severity="error", markup=False)

        def chosen(path: str | None) -> None:
            from workbook.tui.screens.dialogs import ChoiceDialog

            if not path:
                return
            target = Path(path).expanduser()
            if os.path.realpath(target) == os.path.realpath(rf.path):
                self.notify("That is the review itself; choose another file.", severity="error", markup=False)
            elif fmt != "adr" and target.exists():
                self.push_screen(ChoiceDialog("Replace it?", f"{target} exists.", [("replace", "Replace"),
                                              ("keep", "Keep it")], cancel="keep"),
                                 lambda choice: write(target) if choice == "replace" else None)
            else:
                write(target)

        title = "Export ADRs into which folder?" if fmt == "adr" else f"Export {fmt.upper()} to which file?"
        self.push_screen(PathDialog(title, default, ok_label="Export"), chosen)

    async def action_save_now(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        if await self._settle_saves():
            self.save_now()

    def action_toggle_workshop(self) -> None:
        self.workshop = not self.workshop
        screen = self.review_screen()
        if screen is not None:
            screen.set_workshop(self.workshop)
        self.notify(f"Facilitator mode {'on' if self.workshop else 'off'}.", markup=False)

    def action_participants(self) -> None:
        from workbook.tui.screens.workshop import ParticipantsDialog

        if self.rf is not None:
            self.push_screen(ParticipantsDialog(self.rf.review.program.participants),
                             lambda change: self.apply("", change) if change is not None else None)

    # ------------------------------------------------------------------ app actions

    async def action_quit(self) -> None:
        screen = self.review_screen()
        if screen is not None and screen.timer is not None:
            self.apply("", screen.stop_timer(post=False))  # log the running countdown before saving
        if self._save_timer is not None:
            self._save_timer.stop()
        await self._settle_saves()  # a failed autosave makes the review dirty again: saved below
        if self._conflict_open:
            return  # the user is choosing what to do about a file changed on disk
        if self.save_now():
            self._leave()
            return

        from workbook.tui.screens.dialogs import ChoiceDialog

        def chosen(choice: str | None) -> None:
            if choice == "discard":
                self.dirty = False
                self._leave()

        self.push_screen(
            ChoiceDialog(
                "Quit without saving?",
                "The last changes could not be saved. Quitting now loses them.",
                [("stay", "Stay"), ("discard", "Quit and lose them")],
                cancel="stay",
            ),
            chosen,
        )

    def _leave(self) -> None:
        """Quit, or, for a review opened from the portfolio, go back to the portfolio."""
        from workbook.core.lock import release
        from workbook.tui.screens.portfolio import PortfolioScreen

        if self.rf is not None:
            release(self.rf.path)
        portfolio = next((s for s in self.screen_stack if isinstance(s, PortfolioScreen)), None)
        if portfolio is not None and self.screen is not portfolio:
            path = self.rf.path if self.rf else None
            while self.screen is not portfolio:  # from the review, its board, summary, parking lot…
                self.pop_screen()
            self.rf = None
            if path is not None:
                portfolio.refresh_row(path)
            return
        self.exit()

    def action_help(self) -> None:
        from workbook.tui.screens.help import HelpScreen, help_groups

        self.push_screen(HelpScreen(help_groups(type(self))))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        review = self.review_screen()
        if review is not None and self.rf is not None:
            for section in self.rf.template.sections:
                yield SystemCommand(
                    f"Go: {section.title}",
                    f"Show the section '{section.title}'",
                    lambda sid=section.id: self._goto_section(sid),
                )
            yield SystemCommand("View: constraints board", "Every open constraint, sortable, resolvable",
                                review.action_board)
            yield SystemCommand("View: readiness summary", "Verdict, section scores, risks and framework coverage",
                                review.action_summary)
            yield SystemCommand("View: deferred decisions panel", "Show or hide the deferred decisions panel",
                                review.action_toggle_decisions)
            yield SystemCommand("File: save now", "Save the review now", self.action_save_now)
            yield SystemCommand("File: save a copy", "Save the review under another name and edit the copy",
                                self.action_save_copy)
            for fmt, label in (("md", "Markdown decision log"), ("html", "HTML decision log (A4 printable)"),
                               ("csv", "CSV for an issue tracker"), ("json", "JSON, everything derived"),
                               ("adr", "ADR folder (MADR 4), one record per decision")):
                yield SystemCommand(f"Export: {label}", f"Write the {label}, asking where",
                                    lambda fmt=fmt: self.action_export(fmt))
            yield SystemCommand(f"Workshop: facilitator mode {'off' if self.workshop else 'on'}",
                                "Countdowns and guidance on the review screen", self.action_toggle_workshop)
            yield SystemCommand("Workshop: start or stop the section countdown (t)", "Time box for the current section",
                                review.action_toggle_timer)
            yield SystemCommand("Workshop: parking lot (p)", "Topics raised but not settled, with owners",
                                review.action_parking_lot)
            yield SystemCommand("Workshop: participants", "Who is in the room, and their roles",
                                self.action_participants)
            yield SystemCommand("Workshop: presentation view (f5)", "The current question, large, for a shared screen",
                                review.action_present)
        yield SystemCommand("Help: keys", "Show every key binding", self.action_help)
        yield from super().get_system_commands(screen)

    def _goto_section(self, section_id: str) -> None:
        screen = self.review_screen()
        if screen is not None:
            self.run_worker(screen.show_section(section_id), exclusive=False)


def make_app(
    review_file: ReviewFile | None,
    *,
    today: dt.date | None = None,
    clock: Clock | None = None,
    autosave_delay: float = 1.0,
    workshop: bool = False,
    portfolio: tuple[list[Path], str, tuple[str, ...]] | None = None,
) -> WorkbookApp:
    """The one way the CLI and the tests build the app."""
    return WorkbookApp(review_file, today=today, clock=clock, autosave_delay=autosave_delay, workshop=workshop,
                       portfolio=portfolio)
