"""Find a question (/ on the review screen): type words; enter jumps to the highlighted question."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from workbook.core.search import search
from workbook.core.session import ReviewSession
from workbook.core.text import one_line
from workbook.tui import bindings


class SearchScreen(ModalScreen[str | None]):
    """Every question's prompt, help, answer, notes and owner; returns the chosen question's id."""

    DEFAULT_CSS = """
    SearchScreen { align: center top; }
    SearchScreen > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%; margin-top: 2;
        border: thick $accent; background: $surface; padding: 0 1; }
    SearchScreen #count { color: $text-muted; height: 1; }
    SearchScreen OptionList { height: auto; max-height: 16; }
    """

    BINDINGS = bindings.SEARCH

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.styled("Find a question: prompt, help, answer, notes or owner", "bold"))
            yield Input(placeholder="e.g. kill switch", id="query", compact=True)
            yield Static(id="count")
            yield OptionList(id="results", compact=True)

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()

    @on(Input.Changed, "#query")
    def _typed(self, event: Input.Changed) -> None:
        found = search(self.session.review, self.session.template, event.value)
        results = self.query_one("#results", OptionList)
        results.clear_options()
        for f in found:
            label = Content.assemble((one_line(f.prompt, 70), "bold"), "\n  ",
                                     (f"{f.section_title} · {f.where}: {f.snippet}", "$foreground-muted"))
            results.add_option(Option(label, id=f.question_id))
        if found:
            results.highlighted = 0
        words = event.value.split()
        count = f"{len(found)} question{'s' * (len(found) != 1)}" if words else ""
        self.query_one("#count", Static).update(Content(count + (" · enter jumps to the first" if found else "")))

    @on(Input.Submitted, "#query")
    def _first(self, event: Input.Submitted) -> None:
        event.stop()
        results = self.query_one("#results", OptionList)
        if results.option_count:
            index = results.highlighted or 0
            self.dismiss(results.get_option_at_index(index).id)

    @on(OptionList.OptionSelected, "#results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)

    def action_down(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            self.set_focus(results)  # now, not next turn: a second down typed ahead moves in the list
            results.action_cursor_down()

    def action_close(self) -> None:
        self.dismiss(None)
