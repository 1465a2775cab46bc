"""A card in the cost or latency section summarising its calculator; enter opens the calculator."""

from __future__ import annotations

from textual.content import Content
from textual.events import Click
from textual.widgets import Static

from workbook.core.calc.describe import cost_lines, latency_lines
from workbook.core.calc.results import CalcResults
from workbook.tui import bindings
from workbook.tui.messages import CalculatorKind, OpenCalculator

TITLES = {"cost": "Cost calculator: cost per successful outcome at 1x, 10x, 100x",
          "latency": "Latency budget: end-to-end p50/p95/p99 from the stages"}


def calculator_content(kind: str, results: CalcResults | None) -> Content:
    parts: list[str | tuple[str, str]] = [("▦ " + TITLES[kind], "bold $text-accent"), "\n"]
    lines: list[str] | None = None
    risky = False
    if kind == "cost":
        cost = results.cost if results else None
        if cost is not None:
            lines, risky = cost_lines(cost), cost.over_threshold
    else:
        latency = results.latency if results else None
        if latency is not None:
            lines, risky = latency_lines(latency)[:3], bool(latency.over_target)
    if lines is None:
        parts.append(("Not filled in yet — enter to model it with your own numbers.", "$foreground-muted italic"))
    else:
        for i, line in enumerate(lines):
            style = "bold $text-error" if risky and ("risk" in line) else ""
            parts += [(line, style), "\n" if i < len(lines) - 1 else ""]
    return Content.assemble(*parts)


class CalculatorCard(Static, can_focus=True):
    DEFAULT_CSS = """
    CalculatorCard { height: auto; padding: 0 1 1 4; }
    CalculatorCard:focus { background: $boost; border-left: thick $primary; padding-left: 3; }
    """

    BINDINGS = bindings.CALCULATOR_CARD

    def __init__(self, kind: CalculatorKind, results: CalcResults | None) -> None:
        super().__init__(calculator_content(kind, results), id=f"calc-{kind}")
        self.kind = kind

    def show(self, results: CalcResults | None) -> None:
        self.update(calculator_content(self.kind, results))

    def help_line(self) -> tuple[str, str]:
        return "Calculator: ", ("enter opens it; its inputs are saved in the review and its result counts as a "
                                "risk when over the team's threshold or target.")

    def on_focus(self) -> None:
        self.scroll_visible(animate=False)

    def action_open(self) -> None:
        self.post_message(OpenCalculator(self.kind))

    def on_click(self, event: Click) -> None:
        if event.chain >= 2:
            self.action_open()
