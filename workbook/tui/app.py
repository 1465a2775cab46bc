"""The Textual application: shows the open review (tui/open_review.py), routes messages, applies edits.

The path of an answer: a dialog returns a typed change → the screen posts EditRequested → the app
calls ``session.apply`` → ReviewChanged goes to every screen → the Autosaver writes it a moment later.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.command import Provider
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from workbook.core.errors import WorkbookError
from workbook.core.session import Applied, Clock, Edit, ReviewSession
from workbook.core.store import ReviewFile, load_review, save_review
from workbook.core.text import terminal_safe
from workbook.core.userconfig import UserConfig, load_config, save_theme
from workbook.tui import bindings
from workbook.tui.contrast import adjust as adjust_contrast
from workbook.tui.messages import EditRequested, JumpTo, OpenReview, ReviewChanged
from workbook.tui.open_review import OpenReview as OpenReviewController
from workbook.tui.open_review import Position
from workbook.tui.screens.review import ReviewScreen

if TYPE_CHECKING:
    from workbook.core.respondents import Invite

PortfolioArgs = tuple[list[Path], str, tuple[str, ...]]


def _workbook_commands() -> type[Provider]:
    from workbook.tui.commands import WorkbookCommands

    return WorkbookCommands


class WorkbookApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "workbook"
    # The review's commands, plus Textual's own (theme, keys, screenshot, quit).
    # Loaded when the palette first opens, not before the first frame.
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = App.COMMANDS | {_workbook_commands}

    BINDINGS = bindings.APP

    def __init__(
        self,
        review_file: ReviewFile | None = None,
        *,
        today: dt.date | None = None,
        clock: Clock | None = None,
        autosave_delay: float = 1.0,
        workshop: bool = False,
        portfolio: PortfolioArgs | None = None,
        config: UserConfig | None = None,
        respondents: Path | None = None,
        invite: Invite | None = None,
    ) -> None:
        if os.environ.get("TERM") == "dumb":
            os.environ.setdefault("NO_COLOR", "1")  # a terminal that draws no colours: plain rendering
        super().__init__()
        self._initial = review_file
        self.workshop = workshop
        self.portfolio = portfolio
        self.respondents = respondents  # the facilitator watches live respondents' files in this folder
        self.invite = invite  # served to a live respondent: their name first, then their own file
        self._today = today
        self.clock: Clock = clock or dt.datetime.now
        self.autosave_delay = autosave_delay
        self.config = config or UserConfig()
        self.opened: OpenReviewController | None = None  # the review open now, if any
        self._theme_ready = False  # the user's own choices are remembered from the first frame on
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.config.notices.append(f"theme {self.config.theme!r} is not one of this version's themes")

    def get_css_variables(self) -> dict[str, str]:
        # Every text colour at WCAG AA on this theme's background (some light themes fall short).
        return adjust_contrast(super().get_css_variables())

    def watch_theme(self, theme: str) -> None:
        if self._theme_ready and theme != self.config.theme and not self.is_web:  # a visitor's, not ours
            self.config.theme = theme
            save_theme(theme)

    @property
    def today(self) -> dt.date:
        return self._today or self.clock().date()

    @property
    def session(self) -> ReviewSession | None:
        return self.opened.session if self.opened is not None else None

    # ------------------------------------------------------------------ screens

    def get_default_screen(self) -> Screen[Any]:
        # A review opened from the command line is the first screen itself: laid out and drawn once.
        # Pushed from on_mount it was drawn twice (Textual's start-up batch, then again), ~45 ms.
        if self.portfolio is None and self._initial is not None:
            return self._open(self._initial)
        return super().get_default_screen()

    def on_mount(self) -> None:
        # After the first frame: the collector frozen (pauses of 100 ms on key presses otherwise).
        self.call_after_refresh(self._after_first_frame)
        self.call_after_refresh(self._remember_choices)
        for notice in self.config.notices:
            self.notify(terminal_safe(notice), title="Config", severity="warning", markup=False, timeout=10)
        if self.portfolio is not None:
            from workbook.tui.screens.portfolio import PortfolioScreen

            files, sort_by, only = self.portfolio
            self.push_screen(PortfolioScreen(files, self.today, sort_by, only))
        elif self._initial is not None:
            self._opened_notices(self._initial)  # its screen is the default screen
        elif self.invite is not None:
            from workbook.tui.screens.respondent_start import RespondentStartScreen

            self.push_screen(RespondentStartScreen(self.invite, self.today))
        else:
            from workbook.tui.screens.start import StartScreen

            self.push_screen(StartScreen(self.today))

    @staticmethod
    def _after_first_frame() -> None:
        # Everything built so far lives as long as the app: keep it out of the collector's scans
        # (and turn the collector back on if the CLI held it off for start-up).
        gc.freeze()
        gc.enable()

    def _remember_choices(self) -> None:
        self._theme_ready = True

    def on_open_review(self, message: OpenReview) -> None:
        self.open_review(message.review_file)

    def open_review(self, rf: ReviewFile) -> None:
        screen = self._open(rf)
        old = self.review_screen()
        if old is not None:  # reloading: drop the stale review and anything open over it
            while self.screen is not old:
                self.pop_screen()
            self.switch_screen(screen)
        elif type(self.screen).__name__ == "StartScreen":
            self.switch_screen(screen)
        else:
            self.push_screen(screen)  # over the portfolio: q comes back to it
        self._opened_notices(rf)

    def _open(self, rf: ReviewFile) -> ReviewScreen:
        """Open rf (its session, autosave and lock) and build its screen, not shown yet."""
        if self.opened is not None and self.opened.path != rf.path:
            self.opened.release()
        self.opened = OpenReviewController(
            self, rf, today=self._today, clock=self.clock, delay=self.autosave_delay, show_state=self._show_state,
            on_unmergeable=self._ask_conflict, on_merged=self._broadcast, shown_position=self._shown_position,
            running_timer=self._stop_countdown, apply=self.apply)
        return ReviewScreen(self.opened.session, "saved" if rf.disk_digest else "not saved yet",
                            workshop=self.workshop, position=self.opened.position)

    def _opened_notices(self, rf: ReviewFile) -> None:
        """What the user should know about the review just opened, once its screen is up."""
        other = self.opened.other if self.opened is not None else None
        if other is not None:
            self.notify(f"Another workbook (process {other.pid} on {other.host}) has this file open. "
                        "Nothing is overwritten silently: if both change it, you will be asked.",
                        title="Open twice", severity="warning", timeout=12, markup=False)
        for notice in rf.notices:
            self.notify(terminal_safe(notice), title="Note", markup=False, timeout=4)  # names keys in the file
        if self.respondents is not None:
            self.action_respondents()

    def review_screen(self) -> ReviewScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ReviewScreen):
                return screen
        return None

    def _show_state(self, text: str, failed: bool = False) -> None:
        screen = self.review_screen()
        if screen is not None and screen.is_mounted:
            screen.set_save_state(text, failed)

    def _shown_position(self) -> Position | None:
        review = self.review_screen()
        return review.position() if review is not None and review.is_mounted else None

    def _stop_countdown(self) -> Edit | None:
        """Stop the section's running countdown, if any; the time it logged (to apply before saving)."""
        screen = self.review_screen()
        return screen.stop_timer(post=False) if screen is not None else None

    # ------------------------------------------------------------------ changes

    def on_edit_requested(self, message: EditRequested) -> None:
        self.apply(message.edit)

    def apply(self, edit: Edit) -> None:
        """The one place the review changes: through the session, then refresh and schedule the save."""
        if self.session is None:
            return
        outcome = self.session.apply(edit)
        if not isinstance(outcome, Applied):
            self.notify(outcome.message, title="Not changed", severity="error", markup=False)
        elif outcome.changed:
            self._changed(outcome)

    def _changed(self, outcome: Applied) -> None:
        self._show_state("unsaved changes")
        self._broadcast(outcome.revision, outcome.question_id)
        if self.opened is not None:
            self.opened.changed()

    def _broadcast(self, revision: int, question_id: str | None = None) -> None:
        for screen in self.screen_stack:  # the review, the board, the presentation view: they follow
            screen.post_message(ReviewChanged(revision, question_id))

    async def action_undo(self) -> None:
        await self._step(undo=True)

    async def action_redo(self) -> None:
        await self._step(undo=False)

    async def _step(self, *, undo: bool) -> None:
        """Undo or redo one change: it is a change like any other (refreshed, autosaved, in the header)."""
        if self.session is None:
            return
        outcome = self.session.undo() if undo else self.session.redo()
        if not isinstance(outcome, Applied):
            self.notify(outcome.message, markup=False, timeout=3)
            return
        self._changed(outcome)
        other = (f"{bindings.key_for(self, 'app.redo')} redoes it" if undo
                 else f"{bindings.key_for(self, 'app.undo')} undoes it again")
        self.notify(f"{outcome.label[0].upper()}{outcome.label[1:]} — {other}.", markup=False, timeout=4)
        review = self.review_screen()
        if outcome.question_id and review is not None and self.screen is review:
            await review.jump_to(outcome.question_id)  # show what changed

    async def on_jump_to(self, message: JumpTo) -> None:
        screen = self.review_screen()
        if screen is not None:
            await screen.jump_to(message.question_id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self.opened is not None and event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            self.opened.worker_done(event.worker)  # an autosave's result is taken here, on the UI thread

    # ------------------------------------------------------------------ saving

    def _ask_conflict(self) -> None:
        """The file changed on disk and cannot be read to merge (broken by hand, say): ask."""
        from workbook.tui.screens.dialogs import ChoiceDialog

        assert self.opened is not None
        session, autosaver = self.opened.session, self.opened.autosaver

        def chosen(choice: str | None) -> None:
            autosaver.conflict_open = False
            if choice == "mine":
                if not autosaver.save_now(force=True) and autosaver.last_error is not None:
                    self._ask_after_failed_save(quitting=False)  # e.g. the file is now a link: say so
            elif choice == "reload":
                self._reload()
            elif choice == "copy":
                self.action_save_copy()
            else:
                self._show_state("NOT SAVED (file changed on disk)", failed=True)

        self.push_screen(
            ChoiceDialog(
                "The file changed on disk",
                f"{terminal_safe(str(session.file.path))} was changed since workbook loaded it and cannot be "
                "read to merge (is it broken?). Nothing has been overwritten.",
                [("reload", "Reload theirs"), ("mine", "Keep mine"), ("copy", "Save a copy"),
                 ("later", "Decide later")],
                cancel="later",
            ),
            chosen,
        )

    def _reload(self) -> None:
        assert self.session is not None
        try:
            rf = load_review(self.session.file.path)
        except WorkbookError as exc:
            self.notify(str(exc), title="Cannot reload", severity="error", markup=False)
            return
        self.open_review(rf)
        self.notify("Reloaded from disk; your unsaved edits were discarded.", markup=False)

    def action_save_copy(self) -> None:
        from workbook.tui.screens.dialogs import PathDialog

        session = self.session
        if session is None:
            return
        if self.is_web:  # in a browser the copy is a download: nothing is written on the server
            from workbook.tui.file_actions import deliver_copy

            deliver_copy(self, session)
            return
        rf = session.file
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
            if self.opened is not None:
                self.opened.switch_file(copy)
            self._show_state(f"saved to {target.name} {self.clock():%H:%M:%S}")
            self.notify(f"Saved a copy to {target}; you are now editing the copy.", markup=False)

        self.push_screen(PathDialog("Save a copy of this review", default), chosen)

    def action_export(self, fmt: str) -> None:
        from workbook.tui.file_actions import export_review

        if self.session is not None:
            export_review(self, self.session, fmt)

    async def action_save_now(self) -> None:
        if self.opened is not None:
            await self.opened.save_now()
            if self.opened.autosaver.last_error is not None and self.session is not None and self.session.dirty:
                self._ask_after_failed_save(quitting=False)

    # ------------------------------------------------------------------ workshop

    def action_respondents(self) -> None:
        """The live tally of respondents answering in their own files (``--respondents DIR``)."""
        from workbook.tui.screens.respondents import RespondentsScreen

        if self.session is not None and self.respondents is not None:
            self.push_screen(RespondentsScreen(self.session, self.respondents))

    def action_toggle_workshop(self) -> None:
        self.workshop = not self.workshop
        screen = self.review_screen()
        if screen is not None:
            screen.set_workshop(self.workshop)
        self.notify(f"Facilitator mode {'on' if self.workshop else 'off'}.", markup=False)

    def action_participants(self) -> None:
        from workbook.tui.screens.workshop import ParticipantsDialog

        if self.session is not None:
            self.push_screen(ParticipantsDialog(self.session.review.program.participants),
                             lambda change: self.apply(change) if change is not None else None)

    # ------------------------------------------------------------------ leaving

    async def action_quit(self) -> None:
        opened = self.opened
        leaving = await opened.save_and_leave() if opened is not None else "saved"
        if leaving == "saved":
            self._leave()
        elif leaving == "failed":
            self._ask_after_failed_save(quitting=True)
        # "asking": the file changed on disk and its merge question is up; q again once it is settled

    def _ask_after_failed_save(self, *, quitting: bool) -> None:
        """Any save that failed (a full disk, an unreadable file, a folder, pipe or link in its place)."""
        from workbook.tui.screens.dialogs import not_saved_dialog

        error = self.opened.autosaver.last_error if self.opened is not None else None
        reason = str(error) if error is not None else ""

        def chosen(choice: str | None) -> None:
            if choice == "discard":
                self._leave()
            elif choice == "retry":
                self.call_later(self.action_quit if quitting else self.action_save_now)
            elif choice == "copy":
                self.action_save_copy()

        self.push_screen(not_saved_dialog(reason, quitting=quitting), chosen)

    async def on_exit_app(self) -> None:
        """Leaving without q (a browser tab closed, the server stopping, SIGTERM): the same way out as q,
        with nobody left to answer a question."""
        if self.opened is not None:
            await self.opened.save_and_leave(unattended=True)

    def _leave(self) -> None:
        """Quit, or, for a review opened from the portfolio, go back to the portfolio."""
        from workbook.tui.screens.portfolio import PortfolioScreen

        if self.opened is not None:
            self.opened.release()  # already done when saved; "quit and lose them" lets go here
        portfolio = next((s for s in self.screen_stack if isinstance(s, PortfolioScreen)), None)
        if portfolio is not None and self.screen is not portfolio:
            path = self.opened.path if self.opened is not None else None
            while self.screen is not portfolio:  # from the review, its board, summary, parking lot…
                self.pop_screen()
            self.opened = None
            if path is not None:
                portfolio.refresh_row(path)
            return
        self.exit()

    def action_help(self) -> None:
        from workbook.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.config.keymap))


def user_config() -> UserConfig:
    """The user's config file (keymap, theme), checked against the bindings that exist."""
    return load_config(known_ids=bindings.binding_ids())


def make_app(
    review_file: ReviewFile | None,
    *,
    today: dt.date | None = None,
    clock: Clock | None = None,
    autosave_delay: float = 1.0,
    workshop: bool = False,
    portfolio: PortfolioArgs | None = None,
    config: UserConfig | None = None,
    respondents: Path | None = None,
    invite: Invite | None = None,
) -> WorkbookApp:
    """The one way the CLI and the tests build the app."""
    return WorkbookApp(review_file, today=today, clock=clock, autosave_delay=autosave_delay, workshop=workshop,
                       portfolio=portfolio, config=config, respondents=respondents, invite=invite)
