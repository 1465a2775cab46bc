"""Settling a disagreement left by `workbook merge`: pick one respondent's answer, or write the settled one."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbook.core.display import answer_summary
from workbook.core.editing import Change
from workbook.core.merge import settle_change
from workbook.core.models import Answer, Question
from workbook.core.policy import settle_later_label
from workbook.core.text import one_line, terminal_safe
from workbook.tui import bindings


class SettleDialog(ModalScreen[Change | str | None]):
    """Respondents disagree: pick one answer as the settled one, write it ("write"), or leave it open
    ("defer": deferred, given an owner, or marked unknown, as core/policy.py allows the question)."""

    DEFAULT_CSS = """
    SettleDialog { align: center middle; }
    SettleDialog > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 0 1; }
    SettleDialog #prompt { text-style: bold; margin-bottom: 1; }
    SettleDialog OptionList { height: auto; max-height: 16; }
    """

    BINDINGS = bindings.SETTLE_DIALOG

    def __init__(self, question: Question, answer: Answer) -> None:
        super().__init__()
        self.question = question
        self.answer = answer

    def compose(self) -> ComposeResult:
        options = []
        for who, response in self.answer.responses.items():
            # A respondent's name is a TOML key as written in the file: shown escaped, never obeyed.
            label = Text.assemble((f"{terminal_safe(who)}: ", "bold"),
                                  answer_summary(self.question, response) or "unanswered")
            if response.notes:
                # The notes wrap under themselves, indented: back at the edge they would read as the
                # next respondent's answer.
                notes = Padding(Text(one_line(response.notes, 160), style="italic dim"), (0, 0, 0, 3))
                options.append(Option(Group(label, notes), id=f"r:{who}"))
            else:
                options.append(Option(label, id=f"r:{who}"))
        options.append(Option(Content.styled("Write the settled answer…", "bold"), id="write"))
        later = settle_later_label(self.question, self.answer)  # only what the question accepts
        options.append(Option(Content.styled(later, "bold"), id="defer"))
        with Vertical():
            yield Static(Content.assemble(("Disagreement — pick the settled answer\n", "$text-warning"),
                                          self.question.prompt), id="prompt")
            yield OptionList(*options, compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option_id or ""
        if choice in ("write", "defer"):
            self.dismiss(choice)
            return
        who = choice.removeprefix("r:")
        self.dismiss(settle_change(self.answer.responses[who], who, self.question.decision))

    def action_cancel(self) -> None:
        self.dismiss(None)
