"""The review screen: header, section list, the current section's questions, deferred decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static

from workbook.core.display import format_number
from workbook.core.models import Section
from workbook.core.risk import Level
from workbook.core.sections import ORPHANS
from workbook.core.session import AnswerEdit, ReviewSession
from workbook.tui import bindings
from workbook.tui.messages import EditRequested, JumpTo, OpenCalculator, QuestionAction, ReviewChanged
from workbook.tui.widgets.header import ReviewHeader
from workbook.tui.widgets.keybar import KeyBar
from workbook.tui.widgets.section_list import SectionList
from workbook.tui.widgets.section_view import SectionView
from workbook.tui.widgets.timer_bar import TimerBar

if TYPE_CHECKING:
    from workbook.core.editing import LogTime, SetProgram
    from workbook.tui.widgets.decisions_panel import DecisionsPanel


class ReviewScreen(Screen[None]):
    """Answer a review, section by section. Reads the session; sends edits up; refreshes on ReviewChanged."""

    DEFAULT_CSS = """
    ReviewScreen #main { height: 1fr; }
    ReviewScreen #right { border-left: vkey $foreground 20%; }
    ReviewScreen #help-line { height: 3; padding: 0 1; color: $text-muted; border-top: hkey $foreground 10%; }
    """

    BINDINGS = bindings.CALCULATOR_CARD + bindings.REVIEW  # see SectionView.BINDINGS; first in the key bar

    def __init__(self, session: ReviewSession, save_state: str = "", *, workshop: bool = False,
                 position: tuple[str | None, str | None] = (None, None)) -> None:
        super().__init__()
        self.session = session
        self.start_at = position  # where the user was when they last left this review
        self.initial_save_state = save_state
        self.workshop = workshop
        self.current_section: str | None = None
        self._decisions: DecisionsPanel | None = None  # built the first time it is asked for

    def compose(self) -> ComposeResult:
        yield ReviewHeader()
        bar = TimerBar(self.session, id="timer")
        bar.display = self.workshop
        yield bar
        with Horizontal(id="main"):
            yield SectionList(self.session.section_statuses, id="sections")
            with Vertical(id="right"):
                yield SectionView(id="section-view")
                yield Static(id="help-line")
        yield KeyBar()

    async def on_mount(self) -> None:
        self.watch(self.query_one(SectionView), "selected", self._selection_changed, init=False)
        self.watch(self.query_one(SectionList), "highlighted", self._list_highlighted, init=False)
        header = self.query_one(ReviewHeader)
        self._show_program()
        header.save_state = self.initial_save_state
        self._update_counts()
        session = self.session
        section, question = self.start_at
        if question and not (session.template.question(question) or question in session.orphans):
            question = None
        if question:
            found = session.template.section_of(question)
            section = found.id if found else ORPHANS
        if not section or session.section(section) is None:
            section = session.template.sections[0].id
        # Highlight it in the list first: the list's own highlight event must not show another section.
        self.query_one(SectionList).select_section(section)
        if question:
            await self.jump_to(question)
        else:
            await self.go_to_section(section)

    # ------------------------------------------------------------------ showing

    async def show_section(self, section_id: str) -> None:
        self._show_section(section_id)

    def _show_section(self, section_id: str) -> None:
        if section_id == self.current_section:
            return
        section = self.session.section(section_id)
        if section is None:
            return
        self.current_section = section_id
        self.query_one(SectionList).select_section(section_id)
        by_qid = {c.question_id: c for c in self.session.constraints}
        kinds = self.session.calculator_kinds(section_id)
        results = self.session.results if kinds else None
        self.query_one(SectionView).show_section(section, self.session.review, by_qid, self.session.levels,
                                                 kinds, results, self.session.reasons)
        self.query_one(TimerBar).show_section(section)

    async def go_to_section(self, section_id: str) -> None:
        """Show a section with its first card selected (the palette, ], [ and the section list)."""
        await self.show_section(section_id)
        self.query_one(SectionView).action_move_to(0)

    def position(self) -> tuple[str | None, str | None]:
        """The section shown and the question selected, to come back to next time."""
        return self.current_section, self.query_one(SectionView).selected_question

    def _current(self) -> Section | None:
        return self.session.section(self.current_section or "")

    # ------------------------------------------------------------------ workshop

    def set_workshop(self, on: bool) -> None:
        self.workshop = on
        bar = self.query_one(TimerBar)
        bar.display = on or bar.running is not None
        bar.tick()

    def action_toggle_timer(self) -> None:
        """t stops a running countdown (wherever it runs, as the bar says) or starts this section's."""
        bar = self.query_one(TimerBar)
        running = bar.running
        if running is not None:
            logged = self.stop_timer()
            if running.section_id != self.current_section and logged is not None:
                spent = f"{logged.seconds // 60:02d}:{logged.seconds % 60:02d}"
                self.notify(f"Stopped the countdown for {running.section_title} ({spent} logged). "
                            f"{bindings.key_for(self.app, 'review.timer')} again starts one for this section.",
                            markup=False, timeout=6)
            return
        section = self._current()
        if section is not None:
            bar.start(section)

    def stop_timer(self, post: bool = True) -> LogTime | None:
        """Stop the countdown; the time spent on its section goes to the session log."""
        bar = self.query_one(TimerBar)
        change = bar.stop()
        bar.display = self.workshop
        if change is not None and post:
            self.post_message(EditRequested(change))
        return change

    def action_parking_lot(self) -> None:
        from workbook.tui.screens.workshop import ParkingLotScreen

        self.app.push_screen(ParkingLotScreen(self.session, self.current_section))

    def action_present(self) -> None:
        from workbook.tui.screens.workshop import PresentationScreen

        questions = self.session.template.questions()
        qid = self.query_one(SectionView).selected_question
        index = next((i for i, (_, q) in enumerate(questions) if q.id == qid), None)
        if index is None:
            index = next((i for i, (s, _) in enumerate(questions) if s.id == self.current_section), 0)
        bar = self.query_one(TimerBar)
        countdown = bar.countdown if (self.workshop or bar.running is not None) else None
        self.app.push_screen(PresentationScreen(self.session, index, workshop=self.workshop, countdown=countdown))

    @on(OpenCalculator)
    def _open_calculator(self, message: OpenCalculator) -> None:
        message.stop()
        from workbook.core.calc.results import number_answer
        from workbook.tui.screens.calculator import CostCalculator, LatencyCalculator

        review = self.session.review
        config = self.session.template.calculators
        saved = review.calculators
        if message.kind == "cost" and config.cost is not None:
            threshold = number_answer(review, config.cost.threshold_question)
            self.app.push_screen(CostCalculator(saved.cost if saved else None, threshold),
                                 lambda value: self._offer_result(config.cost.result_question if config.cost else None,
                                                                  value, "the cost calculator"))
        elif message.kind == "latency" and config.latency is not None:
            target = number_answer(review, config.latency.target_question)
            target = target if target and target > 0 else None
            # Only to the question the template names as an estimate: a simulation is no measurement.
            estimate = config.latency.estimate_question
            self.app.push_screen(LatencyCalculator(saved.latency if saved else None, config.latency.stages, target,
                                                   offers_estimate=estimate is not None),
                                 lambda value: self._offer_result(
                                     estimate, value,
                                     "the stage budget's simulated p95 (an estimate, not a measurement)"))

    def _offer_result(self, question_id: str | None, value: float | None, source: str) -> None:
        """Offer a calculator's figure as the answer to the question it computes, instead of retyping it."""
        question = self.session.template.question(question_id) if question_id else None
        if question is None or value is None:
            return
        figure = round(value, 4) if value < 100 else round(value)
        answer = self.session.review.answer(question.id)
        if answer.has_value and answer.value == figure:
            return
        from workbook.core.display import answer_summary
        from workbook.tui.screens.dialogs import ChoiceDialog

        now = answer_summary(question, answer) if answer.has_value else "not answered"
        unit = f" {question.unit}" if question.unit else ""
        notes = (answer.notes + "\n" if answer.notes else "") + f"From {source}."

        def chosen(choice: str | None) -> None:
            if choice == "use":
                from workbook.core.editing import SetAnswer

                self.post_message(EditRequested(AnswerEdit(question.id, SetAnswer(figure, notes))))

        self.app.push_screen(ChoiceDialog(
            "Use it as the answer?",
            f"{source.capitalize()} gives {format_number(figure)}{unit}.\nUse it as the answer to “{question.prompt}”?"
            f"\nNow: {now}.", [("use", "Use it"), ("keep", "Not now")], cancel="keep"), chosen)

    def _list_highlighted(self, index: int | None) -> None:
        """The list's highlight moved (down, up, a click): show that section in the same turn, so a
        key typed right after it (tab, enter) finds the section it asked for."""
        if index is not None:
            option_id = self.query_one(SectionList).get_option_at_index(index).id
            if option_id:
                self._show_section(option_id)

    @on(OptionList.OptionSelected, "#sections")
    def _section_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one(SectionView).action_move_to(0)

    async def action_next_section(self, step: int) -> None:
        ids = [s.id for s in self.session.sections]
        index = ids.index(self.current_section) if self.current_section in ids else 0
        await self.go_to_section(ids[(index + step) % len(ids)])

    async def jump_to(self, question_id: str) -> None:
        session = self.session
        section = session.template.section_of(question_id) or (
            session.section(ORPHANS) if question_id in session.orphans else None)
        if section is None:
            return
        await self.show_section(section.id)
        self.query_one(SectionView).reveal(question_id)

    def watch_focused(self, focused: Widget | None) -> None:
        view = self.query(SectionView)
        if view and focused is view.first():
            view.first().select_if_none()

    def _selection_changed(self, _selected: str | None) -> None:
        """The help line follows the selection in the same turn (not a message handled a turn later,
        which cost a second frame per key); a fixed-height line, so it never reflows the section."""
        label, text = self.query_one(SectionView).help_line()
        self.query_one("#help-line", Static).update(Content.assemble((label, "bold"), text), layout=False)

    @on(JumpTo)
    async def _jump(self, message: JumpTo) -> None:
        message.stop()
        await self.jump_to(message.question_id)

    async def _panel(self) -> DecisionsPanel:
        """The deferred decisions panel, built the first time it is asked for."""
        from workbook.tui.widgets.decisions_panel import DecisionsPanel

        if self._decisions is None:
            self._decisions = DecisionsPanel(id="decisions")
            self._decisions.display = False
            await self.mount(self._decisions, before=self.query_one(KeyBar))
        return self._decisions

    async def action_toggle_decisions(self) -> None:
        panel = await self._panel()
        panel.display = not panel.display
        if panel.display:
            panel.show(self.session.constraints)
            panel.focus_table()
        else:
            self.query_one(SectionView).action_move(0)

    def action_board(self) -> None:
        from workbook.tui.screens.board import ConstraintsBoard

        self.app.push_screen(ConstraintsBoard(self.session, workshop=self.workshop))

    def action_summary(self) -> None:
        from workbook.tui.screens.summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.session))

    def action_toggle_guidance(self) -> None:
        view = self.query_one(SectionView)
        view.set_guidance(not view.show_guidance)

    def action_search(self) -> None:
        from workbook.tui.screens.search import SearchScreen

        def chosen(question_id: str | None) -> None:
            if question_id:
                self.run_worker(self.jump_to(question_id))

        self.app.push_screen(SearchScreen(self.session), chosen)

    async def action_next(self, what: str) -> None:
        """The next question (after the selected one, wrapping, across sections) that is unanswered,
        an open constraint, or a disagreement."""
        session = self.session
        review = session.review
        open_ids = {c.question_id for c in session.constraints}
        levels = session.levels

        def wanted(qid: str) -> bool:
            if what == "unanswered":
                return levels.get(qid) is Level.UNANSWERED and not review.answer(qid).disagreement
            if what == "open":
                return qid in open_ids
            return review.answer(qid).disagreement

        order = [q.id for _, q in session.template.questions()]
        current = self.query_one(SectionView).selected_question
        here = order.index(current) if current in order else -1
        for qid in order[here + 1:] + order[:here + 1]:
            if wanted(qid):
                await self.jump_to(qid)
                return
        label = {"unanswered": "unanswered questions", "open": "open constraints", "disagreement": "disagreements"}
        self.notify(f"No {label[what]} left.", markup=False, timeout=3)

    def action_focus_sections(self) -> None:
        self.set_focus(self.query_one(SectionList))  # now: a key typed right after s goes to the list

    def action_open(self) -> None:
        self.query_one(SectionView).open_calculator()

    def action_open_section(self) -> None:
        self.query_one(SectionView).action_move_to(0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":  # the calculator card's key: only while one is selected in the section
            views = self.query(SectionView)  # none yet while the screen is being composed
            return bool(views) and self.focused is views.first() and views.first().selected_calculator is not None
        if action == "open_section":  # enter, while the section list has the focus
            return isinstance(self.focused, SectionList)
        return True

    # ------------------------------------------------------------------ acting

    @on(QuestionAction)
    def _question_action(self, message: QuestionAction) -> None:
        message.stop()
        from workbook.tui.question_actions import act_on_question  # a key press's work: not before the first frame

        act_on_question(self, self.session, message.question_id, message.action, workshop=self.workshop)

    def on_review_changed(self, message: ReviewChanged) -> None:
        """The session is at a new revision: refresh what depends on the review."""
        session = self.session
        by_qid = {c.question_id: c for c in session.constraints}
        view = self.query_one(SectionView)
        view.refresh_cards(session.review, by_qid, session.levels, session.reasons)
        if self.current_section and session.calculator_kinds(self.current_section):
            view.show_results(session.results)
        section_list = self.query_one(SectionList)
        for status in session.section_statuses:
            section_list.update_status(status)
        self._update_counts()
        self._show_program()  # a program edit, an undo or a merge may rename it or move its stage
        self.query_one(TimerBar).tick()
        if self._decisions is not None and self._decisions.display:
            self._decisions.show(session.constraints)

    def _show_program(self) -> None:
        header = self.query_one(ReviewHeader)
        header.program = self.session.review.program.name
        header.stage = self.session.review.program.stage.value

    def action_program(self) -> None:
        """The program's name, stage, owner, description (and participants, one button away)."""
        from workbook.tui.screens.program import ProgramDialog

        def chosen(change: SetProgram | None) -> None:
            if change is not None:
                self.post_message(EditRequested(change))

        self.app.push_screen(ProgramDialog(self.session), chosen)

    def _update_counts(self) -> None:
        header = self.query_one(ReviewHeader)
        constraints = self.session.constraints
        header.open_count = len(constraints)
        header.overdue_count = sum(1 for c in constraints if c.overdue)

    def set_save_state(self, text: str, failed: bool = False) -> None:
        header = self.query_one(ReviewHeader)
        header.save_state = text
        header.save_failed = failed
