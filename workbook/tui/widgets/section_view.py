"""The current section: its title, why it matters, optional facilitator guidance, and its questions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from workbook.core.constraints import Constraint
from workbook.core.models import Review, Section
from workbook.tui import bindings
from workbook.tui.messages import CalculatorKind
from workbook.tui.widgets.question_card import QuestionCard

if TYPE_CHECKING:
    from workbook.core.calc.results import CalcResults


def section_intro(section: Section, show_guidance: bool) -> Content:
    parts: list[str | tuple[str, str]] = [(section.title, "bold $accent")]
    if section.timebox_minutes:
        parts.append((f"  · time box {section.timebox_minutes} min", "$foreground-muted"))
    if section.intro:
        parts += ["\n", (section.intro, "$foreground-muted")]
    if show_guidance and section.guidance:
        parts += ["\n", ("Facilitator: ", "bold $text-primary"), (section.guidance, "$text-primary")]
    return Content.assemble(*parts)


class SectionPane(Vertical):
    """One section's intro and cards. Panes are kept once built, so coming back to a section is
    a display switch, not twenty widgets mounted again."""

    DEFAULT_CSS = """
    SectionPane { height: auto; }
    SectionPane > .intro { margin-bottom: 1; }
    """

    def __init__(self, section: Section) -> None:
        super().__init__(id=f"pane-{section.id}")
        self.section = section


class SectionView(VerticalScroll, can_focus=False):
    """The current section's cards; only sections the user has visited are ever composed."""

    DEFAULT_CSS = """
    SectionView { width: 1fr; height: 1fr; padding: 0 1; }
    """

    BINDINGS = bindings.SECTION

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.section: Section | None = None
        self.show_guidance = False
        self._panes: dict[str, SectionPane] = {}

    @property
    def pane(self) -> SectionPane | None:
        return self._panes.get(self.section.id) if self.section is not None else None

    async def show_section(
        self,
        section: Section,
        review: Review,
        constraints: dict[str, Constraint],
        calculators: tuple[CalculatorKind, ...] = (),
        results: CalcResults | None = None,
    ) -> None:
        pane = self._panes.get(section.id)
        with self.app.batch_update():
            if self.pane is not None:
                self.pane.display = False
            self.section = section
            if pane is None:
                widgets: list[Widget] = [Static(section_intro(section, self.show_guidance), classes="intro")]
                if calculators:
                    from workbook.tui.widgets.calculator_card import CalculatorCard  # only where needed

                    widgets += [CalculatorCard(kind, results) for kind in calculators]
                widgets += [
                    QuestionCard(i, q, review.answer(q.id), constraints.get(q.id))
                    for i, q in enumerate(section.questions, 1)
                ]
                pane = SectionPane(section)
                self._panes[section.id] = pane
                await self.mount(pane)
                await pane.mount_all(widgets)
            else:
                # The review may have changed while this pane was hidden: bring its cards up to date.
                self.refresh_cards(review, constraints)
                pane.query_one(".intro", Static).update(section_intro(section, self.show_guidance))
                self.show_results(results)
                pane.display = True
        self.scroll_home(animate=False)

    def refresh_cards(self, review: Review, constraints: dict[str, Constraint]) -> None:
        for card in self.cards():
            answer = review.answer(card.question.id)
            constraint = constraints.get(card.question.id)
            if answer != card.answer or constraint != card.constraint:
                card.update_answer(answer, constraint)

    def show_results(self, results: CalcResults | None) -> None:
        if self.pane is not None and results is not None:  # results: this section has a calculator
            from workbook.tui.widgets.calculator_card import CalculatorCard  # loaded with that section

            for card in self.pane.query(CalculatorCard):
                card.show(results)

    def set_guidance(self, show: bool) -> None:
        self.show_guidance = show
        if self.pane is not None and self.section is not None:
            self.pane.query_one(".intro", Static).update(section_intro(self.section, show))

    def cards(self) -> list[QuestionCard]:
        return list(self.pane.query(QuestionCard)) if self.pane is not None else []

    def card(self, question_id: str) -> QuestionCard | None:
        return next((c for c in self.cards() if c.question.id == question_id), None)

    def focusables(self) -> list[Widget]:
        """What up/down moves between: calculator cards first, then the questions."""
        if self.pane is None:
            return []
        return [w for w in self.pane.children if w.can_focus]

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
        self.select(cards[target])

    def action_move_to(self, index: int) -> None:
        cards = self.focusables()
        if cards:
            self.select(cards[index])

    def select(self, card: Widget) -> None:
        # Focus now, not on the next tick (Widget.focus defers): keys typed ahead, like "] j j d",
        # must each act on the card the previous one reached. The card scrolls itself into view.
        self.screen.set_focus(card, scroll_visible=False)
