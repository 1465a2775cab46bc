"""The help screen: every key binding, grouped by where it works."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def _rows(bindings: list, key_display: Callable[[Binding], str]) -> list[tuple[str, str]]:
    rows = []
    for b in bindings:
        if isinstance(b, Binding):
            names = [k.strip() for k in b.key.split(",")]
            # key_display belongs to a one-key binding; with several keys each shows its own name.
            one = [b] if len(names) == 1 else [Binding(k, b.action) for k in names]
            keys = ", ".join(key_display(k) for k in one)
            rows.append((keys, b.tooltip or b.description))
    return rows


def help_content(groups: list[tuple[str, list]], key_display: Callable[[Binding], str]) -> Content:
    parts: list = []
    for title, bindings in groups:
        parts.append((f"{title}\n", "bold $accent"))
        for keys, text in _rows(bindings, key_display):
            parts.append((f"  {keys:<16} ", "bold"))
            parts.append(f"{text}\n")
        parts.append("\n")
    return Content.assemble(*parts)


def help_groups(app_class: type) -> list[tuple[str, list]]:
    """Every binding in the app, grouped by where it works (tests check none is missing)."""
    from workbook.tui.screens.board import ConstraintsBoard
    from workbook.tui.screens.calculator import CalculatorScreen, LatencyCalculator
    from workbook.tui.screens.dialogs import ChoiceDialog, FormDialog
    from workbook.tui.screens.editor import AnswerEditor, SubmittingSelectionList
    from workbook.tui.screens.portfolio import PortfolioScreen
    from workbook.tui.screens.review import ReviewScreen
    from workbook.tui.screens.start import StartScreen
    from workbook.tui.screens.summary import SummaryScreen
    from workbook.tui.screens.workshop import ParkingLotScreen, PresentationScreen, SettleDialog
    from workbook.tui.widgets.calculator_card import CalculatorCard
    from workbook.tui.widgets.decisions_panel import DecisionsPanel
    from workbook.tui.widgets.question_card import QuestionCard
    from workbook.tui.widgets.section_view import SectionView

    return [
        ("Anywhere", app_class.BINDINGS),
        ("Review screen", ReviewScreen.BINDINGS),
        ("Moving between questions", SectionView.BINDINGS),
        ("On a question", QuestionCard.BINDINGS),
        ("On a calculator card", CalculatorCard.BINDINGS),
        ("Answer editor", AnswerEditor.BINDINGS + SubmittingSelectionList.BINDINGS),
        ("Dialogs", FormDialog.BINDINGS + ChoiceDialog.BINDINGS + SettleDialog.BINDINGS),
        ("Deferred decisions panel", DecisionsPanel.BINDINGS),
        ("Constraints board", ConstraintsBoard.BINDINGS),
        ("Summary", SummaryScreen.BINDINGS),
        ("Calculators", CalculatorScreen.BINDINGS + LatencyCalculator.BINDINGS),
        ("Workshop: parking lot", ParkingLotScreen.BINDINGS),
        ("Workshop: presentation view", PresentationScreen.BINDINGS),
        ("Portfolio", PortfolioScreen.BINDINGS),
        ("Start screen", StartScreen.BINDINGS),
        ("This help", HelpScreen.BINDINGS),
    ]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 84; height: 90%; border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close help")]

    def __init__(self, groups: list[tuple[str, list]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content.styled("Keys — escape closes this screen", "bold"))
            yield Static(help_content(self.groups, self.app.get_key_display))
            yield Static(Content.styled(
                "The mouse works too: click a section, click a question, double-click to answer.\n"
                "ctrl+p opens the command palette: jump to any section, views and exports.",
                "$foreground-muted"))

    def action_close(self) -> None:
        self.dismiss(None)
