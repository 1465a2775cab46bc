"""The command palette (ctrl+p): commands that depend on the screen it was opened from.

Namespaced by what they do ("Go:", "View:", "File:", "Export:", "Workshop:", "Edit:"), as posting does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbook.core.exports.registry import FORMATS
from workbook.core.text import one_line
from workbook.tui.bindings import key_for

if TYPE_CHECKING:
    from workbook.tui.app import WorkbookApp
    from workbook.tui.screens.review import ReviewScreen


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str
    run: Callable[[], Any]


def _go(app: WorkbookApp, review: ReviewScreen, section_id: str) -> Callable[[], Any]:
    return lambda: app.run_worker(review.go_to_section(section_id))


def _jump(review: ReviewScreen, question_id: str) -> Callable[[], Any]:
    return lambda: review.run_worker(review.jump_to(question_id))


def _export(app: WorkbookApp, fmt: str) -> Callable[[], None]:
    return lambda: app.action_export(fmt)


def review_commands(app: WorkbookApp, review: ReviewScreen, on_review: bool) -> Iterator[PaletteCommand]:
    """Everything the palette offers while a review is open (``on_review``: the review screen is on top)."""
    session = review.session
    if on_review:
        for section in session.sections:
            yield PaletteCommand(f"Go: {section.title}", f"Show the section '{section.title}'",
                                 _go(app, review, section.id))
        yield PaletteCommand("View: constraints board", "Every open constraint, sortable, resolvable",
                             review.action_board)
        yield PaletteCommand("View: readiness summary", "Verdict, section scores, risks and framework coverage",
                             review.action_summary)
        yield PaletteCommand("View: deferred decisions panel", "Show or hide the deferred decisions panel",
                             lambda: app.run_worker(review.action_toggle_decisions()))
        yield PaletteCommand(f"Program: edit name, stage, owner… ({key_for(app, 'review.program')})",
                             "The program's name, stage, owner, description and participants", review.action_program)
    if session.can_undo:
        yield PaletteCommand(f"Edit: undo ({key_for(app, 'app.undo')})", "Undo the last change to the review",
                             app.action_undo)
    if session.can_redo:
        yield PaletteCommand(f"Edit: redo ({key_for(app, 'app.redo')})", "Redo the change just undone",
                             app.action_redo)
    yield PaletteCommand("File: save now", "Save the review now", lambda: app.run_worker(app.action_save_now()))
    yield PaletteCommand("File: save a copy", "Save the review under another name and edit the copy",
                         app.action_save_copy)
    for form in FORMATS.values():
        yield PaletteCommand(f"Export: {form.label}", f"Write the {form.label}, asking where", _export(app, form.id))
    if on_review:
        yield PaletteCommand(f"Workshop: facilitator mode {'off' if review.workshop else 'on'}",
                             "Countdowns and guidance on the review screen", app.action_toggle_workshop)
        yield PaletteCommand(f"Workshop: start or stop the section countdown ({key_for(app, 'review.timer')})",
                             "Time box for the current section",
                             review.action_toggle_timer)
        yield PaletteCommand(f"Workshop: parking lot ({key_for(app, 'review.parking_lot')})",
                             "Topics raised but not settled, with owners",
                             review.action_parking_lot)
        yield PaletteCommand("Workshop: participants", "Who is in the room, and their roles", app.action_participants)
        yield PaletteCommand(f"Workshop: presentation view ({key_for(app, 'review.present')})",
                             "The current question, large, for a shared screen",
                             review.action_present)
        if app.respondents is not None:
            yield PaletteCommand("Workshop: live respondents", "How many answered each question, where they "
                                 f"disagree; {key_for(app, 'respondents.merge')} merges them into the review",
                                 app.action_respondents)


class WorkbookCommands(Provider):
    """The review's commands, for the screen the palette was opened from."""

    def _commands(self) -> list[PaletteCommand]:
        from workbook.tui.app import WorkbookApp  # the app module imports this one

        app = self.app
        if not isinstance(app, WorkbookApp):
            return []
        commands: list[PaletteCommand] = []
        review = app.review_screen()
        if review is not None:
            commands += review_commands(app, review, on_review=self.screen is review)
        commands.append(PaletteCommand("Help: keys", "Show every key binding", app.action_help))
        return commands

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
        for found in self._questions(query):
            yield found

    def _questions(self, query: str) -> list[Hit]:
        """Questions holding every word typed (prompt, help, answer, notes, owner): enter shows one."""
        from workbook.core.search import search
        from workbook.tui.app import WorkbookApp

        app = self.app
        review = app.review_screen() if isinstance(app, WorkbookApp) else None
        if review is None or self.screen is not review or len(query.strip()) < 3:
            return []
        hits = []
        for rank, f in enumerate(search(review.session.review, review.session.template, query, limit=8)):
            title = f"Question: {one_line(f.prompt, 60)}"
            hits.append(Hit(0.9 - rank * 0.01, title, _jump(review, f.question_id), text=title,
                            help=f"{f.section_title} · {f.where}: {f.snippet}"))
        return hits
