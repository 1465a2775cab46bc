"""The review screen: header, section list, the current section's questions, deferred decisions."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static

from workbook.tui.widgets.keybar import KeyBar
from workbook.core.constraints import Constraint, open_constraints
from workbook.core.editing import Clear, LogTime, MarkNotApplicable, MarkUnknown, Validate
from workbook.core.models import Answer, Kind, Question, Section, Status
from workbook.core.risk import Level, answer_level
from workbook.core.store import ReviewFile
from workbook.tui.messages import CardFocused, ChangeRequested, JumpTo, OpenCalculator, QuestionAction
from workbook.tui.widgets.header import ReviewHeader
from workbook.tui.widgets.question_card import QuestionCard
from workbook.tui.widgets.section_list import SectionList, SectionStatus
from workbook.tui.widgets.section_view import SectionView
from workbook.tui.widgets.timer_bar import RunningTimer, TimerBar, timer_content


ORPHANS = "no-longer-asked"


def review_sections(rf: ReviewFile) -> tuple[Section, ...]:
    """The template's sections, plus one for answers to questions it no longer asks (kept, shown)."""
    orphans = sorted(rf.orphans)
    if not orphans:
        return rf.template.sections
    # model_construct: an orphan's id is whatever the file holds; it need not be a valid new id.
    questions = tuple(
        Question.model_construct(id=qid, prompt=f"(no longer asked) {qid}", kind=Kind.TEXT,
                                 help="This question was renamed or removed in the template. The answer is "
                                      "kept in the file and in every export; it cannot be edited here.")
        for qid in orphans
    )
    extra = Section.model_construct(
        id=ORPHANS, title="No longer in the template", timebox_minutes=0, questions=questions, guidance="",
        intro="Answers to questions this version of the template no longer asks. Nothing is dropped.",
    )
    return (*rf.template.sections, extra)


def section_statuses(rf: ReviewFile, constraints: list[Constraint]) -> list[SectionStatus]:
    statuses = []
    for section in review_sections(rf):
        answered = sum(
            1
            for q in section.questions
            if answer_level(q, rf.review.answer(q.id)) not in (Level.UNANSWERED,)
        )
        mine = [c for c in constraints if c.section_id == section.id]
        statuses.append(
            SectionStatus(
                section.id,
                section.title,
                answered,
                len(section.questions),
                len(mine),
                sum(1 for c in mine if c.overdue),
                sum(1 for q in section.questions if rf.review.answer(q.id).disagreement),
            )
        )
    return statuses


class ReviewScreen(Screen[None]):
    """Answer a review, section by section."""

    DEFAULT_CSS = """
    ReviewScreen #main { height: 1fr; }
    ReviewScreen #right { border-left: vkey $foreground 20%; }
    ReviewScreen #help-line { height: 3; padding: 0 1; color: $text-muted; border-top: hkey $foreground 10%; }
    """

    BINDINGS = [
        Binding("right_square_bracket", "next_section(1)", "Next section", key_display="]",
                tooltip="Show the next section"),
        Binding("left_square_bracket", "next_section(-1)", "Prev section", key_display="[",
                tooltip="Show the previous section"),
        Binding("c", "board", "Constraints", tooltip="The constraints board: every open constraint, sortable"),
        Binding("r", "summary", "Summary", tooltip="Readiness summary: verdict, section scores, risks, coverage"),
        Binding("o", "toggle_decisions", "Decisions", show=False, tooltip="Show or hide the deferred decisions panel"),
        Binding("g", "toggle_guidance", "Guidance", show=False, tooltip="Show or hide facilitator guidance"),
        Binding("t", "toggle_timer", "Timer", show=False, tooltip="Start or stop this section's countdown (time spent is logged)"),
        Binding("p", "parking_lot", "Parking lot", show=False, tooltip="Topics raised but not settled, with owners"),
        Binding("f5", "present", "Present", show=False, tooltip="Shared-screen view of the current question"),
        Binding("s", "focus_sections", "Sections", show=False, tooltip="Move focus to the section list"),
    ]

    def __init__(self, rf: ReviewFile, save_state: str = "") -> None:
        super().__init__()
        self.rf = rf
        self.initial_save_state = save_state
        self.timer: RunningTimer | None = None
        self._ticker = None
        self.constraints: list[Constraint] = []
        self.current_section: str | None = None

    @property
    def today(self):
        return self.app.today  # type: ignore[attr-defined]

    @property
    def workshop(self) -> bool:
        return bool(getattr(self.app, "workshop", False))

    def compose(self) -> ComposeResult:
        self.constraints = open_constraints(self.rf.review, self.rf.template, self.today)
        yield ReviewHeader()
        bar = TimerBar(id="timer")
        bar.display = self.workshop
        yield bar
        with Horizontal(id="main"):
            yield SectionList(section_statuses(self.rf, self.constraints), id="sections")
            with Vertical(id="right"):
                yield SectionView(id="section-view")
                yield Static(id="help-line")
        yield KeyBar()

    async def on_mount(self) -> None:
        header = self.query_one(ReviewHeader)
        header.program = self.rf.review.program.name
        header.save_state = self.initial_save_state
        self._update_counts()
        sections = self.query_one(SectionList)
        sections.highlighted = 0
        self.query_one(SectionView).show_guidance = self.workshop
        await self.show_section(self.rf.template.sections[0].id)
        self.query_one(SectionView).action_move_to(0)

    # ------------------------------------------------------------------ showing

    async def show_section(self, section_id: str) -> None:
        if section_id == self.current_section:
            return
        section = self._section(section_id)
        if section is None:
            return
        self.current_section = section_id
        self.query_one(SectionList).select_section(section_id)
        by_qid = {c.question_id: c for c in self.constraints}
        kinds = self.calculator_kinds(section_id)
        results = self._calculate() if kinds else None
        await self.query_one(SectionView).show_section(section, self.rf.review, by_qid, kinds, results)
        self.tick()

    # ------------------------------------------------------------------ workshop

    def set_workshop(self, on: bool) -> None:
        self.query_one(TimerBar).display = on or self.timer is not None
        self.query_one(SectionView).set_guidance(on)
        self.tick()

    def tick(self) -> None:
        """Redraw the countdown (every second while it runs; the clock is the app's, so tests set it)."""
        section = self._section(self.current_section or "")
        if section is None:
            return
        spent = (self.rf.review.workshop.seconds_by_section().get(section.id, 0) if self.rf.review.workshop else 0)
        self.query_one(TimerBar).update(timer_content(self.timer, self.app.clock(), section.title,  # type: ignore[attr-defined]
                                                      section.timebox_minutes, spent))

    def action_toggle_timer(self) -> None:
        running = self.timer
        if running is not None:
            self.stop_timer()
            if running.section_id == self.current_section:
                return
        section = self._section(self.current_section or "")
        if section is None:
            return
        self.timer = RunningTimer(section.id, section.title, self.app.clock(), section.timebox_minutes * 60)  # type: ignore[attr-defined]
        self.query_one(TimerBar).display = True
        self._ticker = self.set_interval(1, self.tick)
        self.tick()

    def stop_timer(self, post: bool = True) -> LogTime | None:
        """Stop the countdown; the time spent on its section goes to the session log."""
        timer, self.timer = self.timer, None
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if timer is None:
            return None
        seconds = int((self.app.clock() - timer.started).total_seconds())  # type: ignore[attr-defined]
        change = LogTime(timer.section_id, timer.started, seconds)
        if post:
            self.post_message(ChangeRequested("", change))
        self.query_one(TimerBar).display = self.workshop
        self.tick()
        return change

    def action_parking_lot(self) -> None:
        from workbook.tui.screens.workshop import ParkingLotScreen

        self.app.push_screen(ParkingLotScreen(self.rf.review.parking_lot, self.today, self.current_section))

    def action_present(self) -> None:
        from workbook.tui.screens.workshop import PresentationScreen

        questions = self.rf.template.questions()
        focused = self.focused
        qid = focused.question.id if isinstance(focused, QuestionCard) else None
        index = next((i for i, (_, q) in enumerate(questions) if q.id == qid), None)
        if index is None:
            index = next((i for i, (s, _) in enumerate(questions) if s.id == self.current_section), 0)
        self.app.push_screen(PresentationScreen(questions, index))

    def _calculate(self):
        from workbook.core.calc.results import calculate  # only sections with a calculator need it

        return calculate(self.rf.review, self.rf.template)

    def _section(self, section_id: str) -> Section | None:
        return next((s for s in review_sections(self.rf) if s.id == section_id), None)

    def calculator_kinds(self, section_id: str) -> tuple[str, ...]:
        config = self.rf.template.calculators
        return tuple(kind for kind, c in (("cost", config.cost), ("latency", config.latency))
                     if c is not None and c.section == section_id)

    @on(OpenCalculator)
    def _open_calculator(self, message: OpenCalculator) -> None:
        message.stop()
        from workbook.core.calc.results import number_answer
        from workbook.tui.screens.calculator import CostCalculator, LatencyCalculator

        config = self.rf.template.calculators
        saved = self.rf.review.calculators
        if message.kind == "cost" and config.cost is not None:
            threshold = number_answer(self.rf.review, config.cost.threshold_question)
            self.app.push_screen(CostCalculator(saved.cost if saved else None, threshold))
        elif message.kind == "latency" and config.latency is not None:
            target = number_answer(self.rf.review, config.latency.target_question)
            target = target if target and target > 0 else None
            self.app.push_screen(LatencyCalculator(saved.latency if saved else None, config.latency.stages, target))

    @on(OptionList.OptionHighlighted, "#sections")
    async def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id:
            await self.show_section(event.option_id)

    @on(OptionList.OptionSelected, "#sections")
    def _section_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one(SectionView).action_move_to(0)

    async def action_next_section(self, step: int) -> None:
        ids = [s.id for s in review_sections(self.rf)]
        index = ids.index(self.current_section) if self.current_section in ids else 0
        await self.show_section(ids[(index + step) % len(ids)])
        self.query_one(SectionView).action_move_to(0)

    async def jump_to(self, question_id: str) -> None:
        section = self.rf.template.section_of(question_id) or (
            self._section(ORPHANS) if question_id in self.rf.orphans else None)
        if section is None:
            return
        await self.show_section(section.id)
        view = self.query_one(SectionView)
        card = view.card(question_id)
        if card is not None:
            view.select(card)

    @on(CardFocused)
    def _card_focused(self, message: CardFocused) -> None:
        # A fixed-height line: updating it never reflows the section.
        self.query_one("#help-line", Static).update(Content.assemble((message.label, "bold"), message.help_text))

    @on(JumpTo)
    async def _jump(self, message: JumpTo) -> None:
        message.stop()
        await self.jump_to(message.question_id)

    async def _panel(self):
        """The deferred decisions panel, built the first time it is asked for."""
        from workbook.tui.widgets.decisions_panel import DecisionsPanel

        found = self.query(DecisionsPanel)
        if found:
            return found.first()
        panel = DecisionsPanel(id="decisions")
        panel.display = False
        await self.mount(panel, before=self.query_one(KeyBar))
        return panel

    async def action_toggle_decisions(self) -> None:
        panel = await self._panel()
        panel.display = not panel.display
        if panel.display:
            panel.show(self.constraints)
            panel.focus_table()
        else:
            self.query_one(SectionView).action_move(0)

    def action_board(self) -> None:
        from workbook.tui.screens.board import ConstraintsBoard

        self.app.push_screen(ConstraintsBoard(self.rf, self.constraints))

    def action_summary(self) -> None:
        from workbook.core.scoring import assess
        from workbook.tui.screens.summary import SummaryScreen

        self.app.push_screen(SummaryScreen(self.rf, assess(self.rf.review, self.rf.template, self.today)))

    def action_toggle_guidance(self) -> None:
        view = self.query_one(SectionView)
        view.set_guidance(not view.show_guidance)

    def action_focus_sections(self) -> None:
        self.query_one(SectionList).focus()

    # ------------------------------------------------------------------ acting

    def _question(self, qid: str) -> Question | None:
        return self.rf.template.question(qid)

    @on(QuestionAction)
    def _question_action(self, message: QuestionAction) -> None:
        message.stop()
        question = self._question(message.question_id)
        if question is None:
            if message.question_id in self.rf.orphans:
                self.notify("This answer is kept as a record: the template no longer asks the question.",
                            markup=False)
            return
        answer = self.rf.review.answer(question.id)
        qid = question.id

        def send(change) -> None:
            if change is not None:
                self.post_message(ChangeRequested(qid, change))

        from workbook.tui.screens.dialogs import DeferDialog, ReasonDialog, ValidateDialog

        if message.action == "edit":
            if answer.disagreement:
                from workbook.tui.screens.workshop import SettleDialog

                def settled(result) -> None:
                    if result == "write":
                        self.app.push_screen(self._editor(question, answer), send)
                    else:
                        send(result)

                self.app.push_screen(SettleDialog(question, answer), settled)
            else:
                self.app.push_screen(self._editor(question, answer), send)
        elif message.action == "defer":
            finding_out = question.critical and answer.status is Status.UNKNOWN and not question.decision
            if question.decision or question.assumption or finding_out:
                dialog = DeferDialog(question.prompt, answer, self.today, assumption=not question.decision)
                self.app.push_screen(dialog, send)
            else:
                self.notify("Only decisions are deferred; mark a critical question unknown to give it an owner.",
                            severity="warning", markup=False)
        elif message.action == "validate":
            self.app.push_screen(ValidateDialog(question.prompt, answer.owner or ""),
                                 lambda by: send(Validate(by or None)) if by is not None else None)
        elif message.action == "not_applicable":
            self.app.push_screen(ReasonDialog(question.prompt, answer.reason),
                                 lambda text: send(MarkNotApplicable(text)) if text is not None else None)
        elif message.action == "unknown":
            send(MarkUnknown())
        elif message.action == "clear":
            if answer.status is not Status.UNANSWERED:
                send(Clear())

    def _editor(self, question: Question, answer: Answer):
        from workbook.tui.screens.editor import AnswerEditor  # loaded on first use: start-up stays light

        names = [p.name for p in self.rf.review.program.participants]
        return AnswerEditor(question, answer, participants=names, require_participant=self.workshop and bool(names))

    def model_changed(self, question_id: str) -> None:
        """Called by the app after it applied a change: refresh what depends on the answer."""
        self.constraints = open_constraints(self.rf.review, self.rf.template, self.today)
        by_qid = {c.question_id: c for c in self.constraints}
        view = self.query_one(SectionView)
        view.refresh_cards(self.rf.review, by_qid)
        if self.current_section and self.calculator_kinds(self.current_section):
            view.show_results(self._calculate())
        section_list = self.query_one(SectionList)
        for status in section_statuses(self.rf, self.constraints):
            section_list.update_status(status)
        self._update_counts()
        self.tick()
        panels = self.query("DecisionsPanel")
        if panels and panels.first().display:
            panels.first().show(self.constraints)

    def _update_counts(self) -> None:
        header = self.query_one(ReviewHeader)
        header.open_count = len(self.constraints)
        header.overdue_count = sum(1 for c in self.constraints if c.overdue)

    def set_save_state(self, text: str, failed: bool = False) -> None:
        header = self.query_one(ReviewHeader)
        header.save_state = text
        header.save_failed = failed
