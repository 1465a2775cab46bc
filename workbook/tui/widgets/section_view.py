"""The current section: its title, why it matters, optional facilitator guidance, and its questions."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from workbook.core.calc.results import CalcResults
from workbook.core.constraints import Constraint
from workbook.core.models import Review, Section
from workbook.tui.widgets.calculator_card import CalculatorCard
from workbook.tui.widgets.question_card import QuestionCard


def section_intro(section: Section, show_guidance: bool) -> Content:
    parts: list = [(section.title, "bold $accent")]
    if section.timebox_minutes:
        parts.append((f"  · time box {section.timebox_minutes} min", "$foreground-muted"))
    if section.intro:
        parts += ["\n", (section.intro, "$foreground-muted")]
    if show_guidance and section.guidance:
        parts += ["\n", ("Facilitator: ", "bold $text-primary"), (section.guidance, "$text-primary")]
    return Content.assemble(*parts)


class SectionView(VerticalScroll, can_focus=False):
    """Holds one section's cards; only the visible section is ever composed."""

    DEFAULT_CSS = """
    SectionView { width: 1fr; height: 1fr; padding: 0 1; }
    SectionView > #intro { margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("down,j", "move(1)", "Next question", show=False),
        Binding("up,k", "move(-1)", "Previous question", show=False),
        Binding("home", "move_to(0)", "First question", show=False),
        Binding("end", "move_to(-1)", "Last question", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.section: Section | None = None
        self.show_guidance = False

    async def show_section(
        self,
        section: Section,
        review: Review,
        constraints: dict[str, Constraint],
        calculators: tuple[str, ...] = (),
        results: CalcResults | None = None,
    ) -> None:
        self.section = section
        widgets: list = [CalculatorCard(kind, results) for kind in calculators]
        widgets += [
            QuestionCard(i, q, review.answer(q.id), constraints.get(q.id))
            for i, q in enumerate(section.questions, 1)
        ]
        with self.app.batch_update():
            await self.remove_children()
            await self.mount(Static(section_intro(section, self.show_guidance), id="intro"), *widgets)
        self.scroll_home(animate=False)

    def show_results(self, results: CalcResults | None) -> None:
        for card in self.query(CalculatorCard):
            card.show(results)

    def set_guidance(self, show: bool) -> None:
        self.show_guidance = show
        if self.section is not None:
            self.query_one("#intro", Static).update(section_intro(self.section, show))

    def cards(self) -> list[QuestionCard]:
        return list(self.query(QuestionCard))

    def card(self, question_id: str) -> QuestionCard | None:
        found = self.query(f"#q-{question_id}")
        return found.first(QuestionCard) if found else None

    def focusables(self) -> list[QuestionCard | CalculatorCard]:
        """What up/down moves between: calculator cards first, then the questions."""
        return [w for w in self.children if isinstance(w, (QuestionCard, CalculatorCard))]

    def focused_index(self) -> int | None:
        focused = self.screen.focused
        cards = self.focusables()
        return cards.index(focused) if focused in cards else None

    def action_move(self, step: int) -> None:
        cards = self.focusables()
        if not cards:
            return
        index = self.focused_index()
        target = 0 if index is None else max(0, min(len(cards) - 1, index + step))
        cards[target].focus()

    def action_move_to(self, index: int) -> None:
        cards = self.focusables()
        if cards:
            cards[index].focus()
