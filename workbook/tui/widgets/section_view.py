"""The current section: its title, why it matters, optional facilitator guidance, and its questions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from workbook.core.constraints import Constraint
from workbook.core.models import Review, Section
from workbook.core.risk import Level
from workbook.tui import bindings
from workbook.tui.messages import CalculatorKind
from workbook.tui.widgets.question_card import QuestionCard

if TYPE_CHECKING:
    from workbook.core.calc.results import CalcResults


def section_intro(section: Section, show_guidance: bool) -> Content:
    parts: list[str | tuple[str, str]] = [(section.title, "bold $text-accent")]
    if section.timebox_minutes:
        parts.append((f"  · time box {section.timebox_minutes} min", "$foreground-muted"))
    if section.guidance and not show_guidance:
        parts.append(("  · g: facilitator guidance", "$foreground-muted"))  # collapsed, one key away
    if section.intro:
        parts += ["\n", (section.intro, "$foreground-muted")]
    if show_guidance and section.guidance:
        parts += ["\n", ("Facilitator: ", "bold $text-primary"), (section.guidance, "$text-primary")]
    return Content.assemble(*parts)


PAGE_SIZE = 50  # cards mounted at once: a 5,000-question section opens as fast as a 50-question one
KEPT_PANES = 8  # sections kept built; an older one is rebuilt when visited again (memory stays flat)


def page_note(page: int, pages: int, total: int) -> Content:
    first, last = page * PAGE_SIZE + 1, min(total, (page + 1) * PAGE_SIZE)
    return Content.styled(
        f"Questions {first:,}–{last:,} of {total:,} (page {page + 1} of {pages}) · j past the last card shows "
        f"the next {PAGE_SIZE}, k before the first the previous ones, end the last", "$foreground-muted")


class SectionPane(Vertical):
    """One section's intro, calculator cards and one page of question cards. Panes are kept once
    built (a few of them), so coming back to a section is a display switch, not cards mounted again."""

    DEFAULT_CSS = """
    SectionPane { height: auto; }
    SectionPane > .intro { margin-bottom: 1; }
    SectionPane > .page-note { margin-top: 1; }
    """

    def __init__(self, section: Section) -> None:
        super().__init__(id=f"pane-{section.id}")
        self.section = section
        self.page = 0

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.section.questions) // PAGE_SIZE))

    def page_of(self, question_id: str) -> int | None:
        index = next((i for i, q in enumerate(self.section.questions) if q.id == question_id), None)
        return None if index is None else index // PAGE_SIZE


class SectionView(VerticalScroll, can_focus=False):
    """The current section's cards; only sections the user has visited are ever composed, and of a
    long section only one page of cards."""

    DEFAULT_CSS = """
    SectionView { width: 1fr; height: 1fr; padding: 0 1; }
    """

    BINDINGS = bindings.SECTION

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.section: Section | None = None
        self.show_guidance = False
        self._panes: dict[str, SectionPane] = {}  # in the order last shown: the first is the oldest
        self._review: Review | None = None
        self._constraints: dict[str, Constraint] = {}
        self._levels: dict[str, Level] = {}  # each answer judged in the review's context

    @property
    def pane(self) -> SectionPane | None:
        return self._panes.get(self.section.id) if self.section is not None else None

    def _cards_for(self, pane: SectionPane, page: int) -> list[QuestionCard]:
        review = self._review
        assert review is not None
        questions = pane.section.questions
        start = page * PAGE_SIZE
        return [QuestionCard(start + i, q, review.answer(q.id), self._constraints.get(q.id), self._levels.get(q.id))
                for i, q in enumerate(questions[start:start + PAGE_SIZE], 1)]

    async def show_section(
        self,
        section: Section,
        review: Review,
        constraints: dict[str, Constraint],
        levels: dict[str, Level],
        calculators: tuple[CalculatorKind, ...] = (),
        results: CalcResults | None = None,
    ) -> None:
        self._review, self._constraints, self._levels = review, constraints, levels
        pane = self._panes.pop(section.id, None)
        with self.app.batch_update():
            if self.pane is not None:
                self.pane.display = False
            self.section = section
            if pane is None:
                pane = SectionPane(section)
                widgets: list[Widget] = [Static(section_intro(section, self.show_guidance), classes="intro")]
                if calculators:
                    from workbook.tui.widgets.calculator_card import CalculatorCard  # only where needed

                    widgets += [CalculatorCard(kind, results) for kind in calculators]
                widgets += self._cards_for(pane, 0)
                if pane.pages > 1:
                    widgets.append(Static(page_note(0, pane.pages, len(section.questions)), classes="page-note"))
                self._panes[section.id] = pane
                await self.mount(pane)
                await pane.mount_all(widgets)
                await self._forget_old_panes()
            else:
                self._panes[section.id] = pane  # now the most recently shown
                # The review may have changed while this pane was hidden: bring its cards up to date.
                self.refresh_cards(review, constraints, levels)
                pane.query_one(".intro", Static).update(section_intro(section, self.show_guidance))
                self.show_results(results)
                pane.display = True
        self.scroll_home(animate=False)

    async def _forget_old_panes(self) -> None:
        while len(self._panes) > KEPT_PANES:
            oldest = next(iter(self._panes))
            await self._panes.pop(oldest).remove()

    async def show_page(self, page: int) -> None:
        """Show another page of the current section's cards (only that page is mounted)."""
        pane = self.pane
        if pane is None or not 0 <= page < pane.pages or page == pane.page:
            return
        with self.app.batch_update():
            await pane.query(QuestionCard).remove()
            pane.page = page
            note = pane.query(".page-note")
            cards = self._cards_for(pane, page)
            if note:
                await pane.mount_all(cards, before=note.first())
                note.first(Static).update(page_note(page, pane.pages, len(pane.section.questions)))
            else:
                await pane.mount_all(cards)
        self.scroll_home(animate=False)

    async def reveal(self, question_id: str) -> QuestionCard | None:
        """The card of a question of the current section, its page shown first."""
        pane = self.pane
        page = pane.page_of(question_id) if pane is not None else None
        if page is None:
            return None
        await self.show_page(page)
        return self.card(question_id)

    def refresh_cards(self, review: Review, constraints: dict[str, Constraint], levels: dict[str, Level]) -> None:
        self._review, self._constraints, self._levels = review, constraints, levels
        for card in self.cards():
            qid = card.question.id
            answer, constraint, level = review.answer(qid), constraints.get(qid), levels.get(qid)
            if answer != card.answer or constraint != card.constraint or level != card.level:
                card.update_answer(answer, constraint, level)

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

    async def action_move(self, step: int) -> None:
        cards = self.focusables()
        if not cards:
            return
        index = self.focused_index()
        pane = self.pane
        if pane is not None and index is not None:
            # Past the edge of a page: the next (or previous) page, at its first (or last) card.
            if index + step >= len(cards) and pane.page + 1 < pane.pages:
                await self.show_page(pane.page + 1)
                self._focus_on_page(0, questions_only=True)
                return
            if index + step < 0 and pane.page > 0:
                await self.show_page(pane.page - 1)
                self._focus_on_page(-1)
                return
        target = 0 if index is None else max(0, min(len(cards) - 1, index + step))
        self.select(cards[target])

    async def action_move_to(self, index: int) -> None:
        """home (0) and end (-1): the section's first and last card, whatever page is shown."""
        pane = self.pane
        if pane is not None:
            await self.show_page(0 if index == 0 else pane.pages - 1)
        self._focus_on_page(index)

    def _focus_on_page(self, index: int, questions_only: bool = False) -> None:
        cards = self.focusables()
        if questions_only:
            cards = [c for c in cards if isinstance(c, QuestionCard)] or cards
        if cards:
            self.select(cards[index])

    def select(self, card: Widget) -> None:
        # Focus now, not on the next tick (Widget.focus defers): keys typed ahead, like "] j j d",
        # must each act on the card the previous one reached. The card scrolls itself into view.
        self.screen.set_focus(card, scroll_visible=False)
