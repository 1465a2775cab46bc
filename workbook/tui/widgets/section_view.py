"""The current section: its title, why it matters, optional facilitator guidance, and its questions.

One Line-API widget draws the whole section (cards are not widgets): moving between questions
changes the selection and redraws the two cards concerned in one frame, switching sections swaps
the entries and reuses every card already drawn at this width, and memory stays flat however many
sections were visited (a bounded cache of drawn cards, no widgets kept per section).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from textual.cache import LRUCache
from textual.content import Content
from textual.events import Click
from textual.geometry import Region, Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual

from workbook.core.constraints import Constraint
from workbook.core.models import Review, Section
from workbook.core.risk import Level
from workbook.tui import bindings
from workbook.tui.messages import OpenCalculator, QuestionAction, QuestionVerb
from workbook.tui.widgets.question_card import Card
from workbook.tui.widgets.section_entries import PAGE_SIZE, Entry, entry_lines, page_note, section_intro

if TYPE_CHECKING:
    from workbook.core.calc.results import CalcResults
    from workbook.tui.messages import CalculatorKind


CACHED_CARDS = 2_000  # cards kept drawn across sections (bounded: memory does not grow with visits)

# The left bar of a card: one cell, coloured by its state (no reflow when the selection moves).
_BAR = "█"


class SectionView(ScrollView, can_focus=True):
    """The current section's cards: a selection moved with j/k, acted on with the question keys."""

    DEFAULT_CSS = """
    SectionView { width: 1fr; height: 1fr; padding: 0 1; background: $background; scrollbar-gutter: stable; }
    SectionView > .section-view--selected { background: $boost; }
    SectionView > .section-view--bar-selected { color: $primary; }
    SectionView:blur > .section-view--bar-selected { color: $foreground 30%; }
    SectionView > .section-view--bar-open { color: $warning; }
    SectionView > .section-view--bar-overdue { color: $error; }
    """

    COMPONENT_CLASSES = {
        "section-view--selected", "section-view--bar-selected", "section-view--bar-open",
        "section-view--bar-overdue",
    }

    # The calculator card's key lives on the screen: sharing enter and e with the question's in one
    # table, a keymap that moved one of them would unbind the other (Textual replaces a key's entry).
    BINDINGS = bindings.SECTION + bindings.QUESTION

    selected: var[str | None] = var(None)
    """The key of the selected entry ("q:<question id>" or "calc:<kind>"): the screen watches it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.section: Section | None = None
        self.show_guidance = False
        self.page = 0
        self._entries: list[Entry] = []
        self._cursor: int | None = None  # index in _entries of the selected entry
        self._review: Review | None = None
        self._constraints: dict[str, Constraint] = {}
        self._levels: dict[str, Level] = {}  # each answer judged in the review's context
        self._reasons: dict[str, str] = {}  # the rule in context that set a level, where one did
        self._calculators: tuple[CalculatorKind, ...] = ()
        self._results: CalcResults | None = None
        # Drawn text per card at a width, kept across sections; strips per (entry, selected) for this page.
        self._drawn: LRUCache[tuple[str, int], tuple[object, list[Content]]] = LRUCache(CACHED_CARDS)
        self._strips: dict[tuple[str, bool], list[Strip]] = {}
        self._lines: list[tuple[int, int]] = []  # per line: (entry index, line within the entry)
        self._starts: list[int] = []  # first line of each entry
        self._layout_width = -1
        self._binding_state: tuple[object, ...] = ()

    # ------------------------------------------------------------------ what is shown

    @property
    def pages(self) -> int:
        total = len(self.section.questions) if self.section else 0
        return max(1, -(-total // PAGE_SIZE))

    def _page_of(self, question_id: str) -> int | None:
        questions = self.section.questions if self.section else []
        index = next((i for i, q in enumerate(questions) if q.id == question_id), None)
        return None if index is None else index // PAGE_SIZE

    def _card(self, number: int, question_id: str) -> Card:
        review = self._review
        assert review is not None and self.section is not None
        question = self.section.questions[number - 1]
        return Card(number, question, review.answer(question_id), self._constraints.get(question_id),
                    self._levels.get(question_id), self._key("question.edit"), self._reasons.get(question_id, ""))

    def _key(self, binding_id: str) -> str:
        """The key text names for a binding: the user's keymap may have moved it."""
        return bindings.key_for(self.app, binding_id)

    def _set_cursor(self, index: int | None) -> None:
        """The one place the selection changes: the index, and the key the screen watches."""
        self._cursor = index
        self.selected = self._entries[index].key if index is not None else None

    def _build_entries(self) -> None:
        section = self.section
        assert section is not None
        entries = [Entry("intro", "intro")]
        entries += [Entry("calculator", f"calc:{kind}", calculator=kind) for kind in self._calculators]
        start = self.page * PAGE_SIZE
        for number, question in enumerate(section.questions[start:start + PAGE_SIZE], start + 1):
            entries.append(Entry("question", f"q:{question.id}", card=self._card(number, question.id)))
        if self.pages > 1:
            entries.append(Entry("note", "note"))
        self._entries = entries
        self._strips.clear()
        self._layout_width = -1

    def show_section(
        self,
        section: Section,
        review: Review,
        constraints: dict[str, Constraint],
        levels: dict[str, Level],
        calculators: tuple[CalculatorKind, ...] = (),
        results: CalcResults | None = None,
        reasons: dict[str, str] | None = None,
    ) -> None:
        self._review, self._constraints, self._levels = review, constraints, levels
        self._reasons = reasons or {}
        self.section, self.page = section, 0
        self._calculators, self._results = calculators, results
        self._build_entries()
        self._set_cursor(None)
        self._relayout()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()
        self._refresh_binding_state()

    def show_page(self, page: int) -> None:
        """Show another page of the current section's cards."""
        if self.section is None or not 0 <= page < self.pages or page == self.page:
            return
        self.page = page
        key = self.selected
        self._build_entries()
        self._set_cursor(next((i for i, e in enumerate(self._entries) if e.key == key), None))
        self._relayout()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def reveal(self, question_id: str) -> bool:
        """Select a question of the current section, its page shown first."""
        page = self._page_of(question_id)
        if page is None:
            return False
        self.show_page(page)
        index = next((i for i, e in enumerate(self._entries) if e.key == f"q:{question_id}"), None)
        if index is None:
            return False
        self._select(index)
        return True

    def refresh_cards(self, review: Review, constraints: dict[str, Constraint], levels: dict[str, Level],
                      reasons: dict[str, str] | None = None) -> None:
        """The review changed: redraw only the cards whose question, answer, constraint or level did."""
        self._review, self._constraints, self._levels = review, constraints, levels
        self._reasons = reasons or {}
        if self.section is None:
            return
        changed = selected_changed = False
        for index, entry in enumerate(self._entries):
            card = entry.card
            if card is None:
                continue
            qid = card.question.id
            answer, constraint, level = review.answer(qid), constraints.get(qid), levels.get(qid)
            reason = self._reasons.get(qid, "")
            if answer != card.answer or constraint != card.constraint or level != card.level or reason != card.reason:
                entry.card = Card(card.number, card.question, answer, constraint, level, card.edit_key, reason)
                self._forget(entry.key)
                changed = True
                selected_changed = selected_changed or index == self._cursor
        if changed:
            self._relayout()
            self.refresh()
            self._refresh_binding_state()
        if selected_changed:  # an edit (or an undo) that grew the card keeps all of it in view
            self._scroll_to_cursor()

    def show_results(self, results: CalcResults | None) -> None:
        if results is None or not self._calculators:  # results: this section has a calculator
            return
        self._results = results
        for entry in self._entries:
            if entry.kind == "calculator":
                self._forget(entry.key)
        self._relayout()
        self.refresh()

    def set_guidance(self, show: bool) -> None:
        self.show_guidance = show
        self._forget("intro")
        self._relayout()
        self.refresh()

    def cards(self) -> list[Card]:
        return [e.card for e in self._entries if e.card is not None]

    def card(self, question_id: str) -> Card | None:
        return next((c for c in self.cards() if c.question.id == question_id), None)

    def entry_text(self, key: str) -> str:
        """The plain text of an entry shown now ("intro", "calc:cost", "q:<id>", "note"), "" if none."""
        entry = next((e for e in self._entries if e.key == key), None)
        return str(self._entry_content(entry)) if entry is not None else ""

    def line_of(self, key: str) -> int | None:
        """The first line of an entry in the section's scrollable text (for clicks in tests)."""
        index = next((i for i, e in enumerate(self._entries) if e.key == key), None)
        return self._starts[index] if index is not None and index < len(self._starts) else None

    # ------------------------------------------------------------------ the selection

    @property
    def selected_card(self) -> Card | None:
        entry = self._selected_entry
        return entry.card if entry is not None else None

    @property
    def selected_question(self) -> str | None:
        card = self.selected_card
        return card.question.id if card is not None else None

    @property
    def _selected_entry(self) -> Entry | None:
        cursor = self._cursor
        return self._entries[cursor] if cursor is not None and cursor < len(self._entries) else None

    def help_line(self) -> tuple[str, str]:
        entry = self._selected_entry
        if entry is not None and entry.card is not None:
            return entry.card.help_line()
        if entry is not None and entry.kind == "calculator":
            from workbook.tui.widgets.calculator_card import help_line

            return help_line(self._key("calculator_card.open"))
        return "", ""

    def _selectable(self) -> list[int]:
        return [i for i, e in enumerate(self._entries) if e.selectable]

    def _select(self, index: int) -> None:
        """Select an entry now (keys typed ahead, like "] j j d", each act on the card the previous one
        reached), redraw the two cards concerned, keep it in view and take the focus."""
        old = self._cursor
        self._set_cursor(index)
        if old != index:
            for i in (old, index):
                if i is not None and i < len(self._starts):
                    self.refresh_lines(self._starts[i], self._height(i))  # virtual lines: refresh_lines scrolls them
        self._scroll_to_cursor()
        if self.screen.focused is not self:
            self.screen.set_focus(self, scroll_visible=False)
        self._refresh_binding_state()

    def _refresh_binding_state(self) -> None:
        # The keys that apply depend on what is selected: tell the key bar only when that changes.
        entry, card = self._selected_entry, self.selected_card
        state = (entry.kind if entry else None, card.allows("defer") if card else None,
                 card.allows("validate") if card else None)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def _scroll_to_cursor(self) -> None:
        cursor = self._cursor
        if cursor is None or cursor >= len(self._starts) or not self.is_mounted:
            return
        width = self.scrollable_content_region.width
        self.scroll_to_region(Region(0, self._starts[cursor], width, self._height(cursor)),
                              animate=False, immediate=True, force=True)

    def action_move(self, step: int) -> None:
        order = self._selectable()
        if not order:
            return
        here = order.index(self._cursor) if self._cursor in order else None
        if here is not None and self.section is not None:
            # Past the edge of a page: the next (or previous) page, at its first (or last) card.
            if here + step >= len(order) and self.page + 1 < self.pages:
                self.show_page(self.page + 1)
                self._select_on_page(0, questions_only=True)
                return
            if here + step < 0 and self.page > 0:
                self.show_page(self.page - 1)
                self._select_on_page(-1)
                return
        target = 0 if here is None else max(0, min(len(order) - 1, here + step))
        self._select(order[target])

    def action_move_to(self, index: int) -> None:
        """home (0) and end (-1): the section's first and last card, whatever page is shown."""
        self.show_page(0 if index == 0 else self.pages - 1)
        self._select_on_page(index)

    def _select_on_page(self, index: int, questions_only: bool = False) -> None:
        order = self._selectable()
        if questions_only:
            order = [i for i in order if self._entries[i].kind == "question"] or order
        if order:
            self._select(order[index])

    # ------------------------------------------------------------------ acting on the selection

    def action_act(self, action: QuestionVerb) -> None:
        card = self.selected_card
        if card is not None:
            self.post_message(QuestionAction(card.question.id, action))

    @property
    def selected_calculator(self) -> CalculatorKind | None:
        entry = self._selected_entry
        return entry.calculator if entry is not None else None

    def open_calculator(self) -> None:
        """The selected calculator card's key (bound on the screen) or a double click on it."""
        kind = self.selected_calculator
        if kind is not None:
            self.post_message(OpenCalculator(kind))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        entry = self._selected_entry
        if action == "act":
            card = entry.card if entry is not None else None
            if card is None:
                return False
            return card.allows(str(parameters[0])) if parameters else True
        return True

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = int(self.scroll_offset.y) + offset.y
        if not 0 <= line < len(self._lines):
            return
        index = self._lines[line][0]
        if not self._entries[index].selectable:
            return
        self._select(index)
        if event.chain >= 2:  # double click acts; a single click just selects
            if self._entries[index].kind == "calculator":
                self.open_calculator()
            else:
                self.action_act("edit")

    def select_if_none(self) -> None:
        """Reached with nothing selected (tab, or a click after browsing the section list): the first
        card. Called by the screen as the focus moves, so a key typed right after tab finds it."""
        if self._cursor is None:
            self._select_on_page(0, questions_only=True)

    def on_focus(self) -> None:
        self._repaint_cursor()

    def on_blur(self) -> None:
        self._repaint_cursor()

    def _repaint_cursor(self) -> None:
        cursor = self._cursor
        if cursor is not None:
            self._strips.pop((self._entries[cursor].key, True), None)
            if cursor < len(self._starts):
                self.refresh_lines(self._starts[cursor], self._height(cursor))

    # ------------------------------------------------------------------ drawing

    def _forget(self, key: str) -> None:
        """Drop an entry's strips; its text is redrawn when its signature no longer matches."""
        self._strips.pop((key, False), None)
        self._strips.pop((key, True), None)

    def _entry_content(self, entry: Entry) -> Content:
        if entry.kind == "intro":
            assert self.section is not None
            return section_intro(self.section, self.show_guidance, self._key("review.guidance"))
        if entry.kind == "note":
            assert self.section is not None
            keys = (self._key("section.next"), self._key("section.prev"), self._key("section.last"))
            return page_note(self.page, self.pages, len(self.section.questions), keys)
        if entry.kind == "calculator":
            from workbook.tui.widgets.calculator_card import calculator_content  # only where needed

            assert entry.calculator is not None
            return calculator_content(entry.calculator, self._results, self._key("calculator_card.open"))
        assert entry.card is not None
        return entry.card.content()

    def _signature(self, entry: Entry) -> object:
        if entry.card is not None:
            return entry.card.signature
        if entry.kind == "intro":
            return self.section, self.show_guidance
        if entry.kind == "note":
            return self.section, self.page
        return entry.calculator, self._results

    def _text_lines(self, entry: Entry, width: int) -> list[Content]:
        """An entry's lines of text at the view's width (without the bar), drawn once while unchanged."""
        signature = self._signature(entry)
        section_id = self.section.id if self.section is not None else ""
        cache_key = (entry.key if entry.card is not None else f"{entry.key}@{section_id}", width)
        cached = self._drawn.get(cache_key)
        if cached is not None and cached[0] == signature:
            return cached[1]
        lines = entry_lines(entry, None if entry.card is not None else self._entry_content(entry), width)
        self._drawn[cache_key] = (signature, lines)
        return lines

    def _height(self, index: int) -> int:
        starts = self._starts
        end = starts[index + 1] if index + 1 < len(starts) else len(self._lines)
        return end - starts[index]

    def _relayout(self) -> None:
        """Where each entry's lines start, at the current width; the scrollable height follows."""
        width = self.scrollable_content_region.width
        if not width or self.section is None:
            return
        lines: list[tuple[int, int]] = []
        starts: list[int] = []
        for index, entry in enumerate(self._entries):
            starts.append(len(lines))
            lines.extend((index, n) for n in range(len(self._text_lines(entry, width))))
        if width != self._layout_width:
            self._strips.clear()
        self._lines, self._starts, self._layout_width = lines, starts, width
        size = Size(width, len(lines))
        if size != self.virtual_size:
            if (size.height > self.scrollable_content_region.height) == self.show_vertical_scrollbar:
                # The view's own size is fixed (1fr): a longer or shorter section that keeps the
                # scrollbar as it is needs no re-layout, which would cost a second frame.
                self.set_reactive(SectionView.virtual_size, size)
            else:
                self.virtual_size = size
            self._scroll_update(size)
            if self.show_vertical_scrollbar:
                # scroll_y may have been clamped while the bar was hidden, which leaves its thumb behind.
                self.vertical_scrollbar.position = self.scroll_y

    def _entry_strips(self, index: int, selected: bool) -> list[Strip]:
        entry = self._entries[index]
        cache_key = (entry.key, selected)
        strips = self._strips.get(cache_key)
        if strips is not None:
            return strips
        width = self._layout_width
        base = self.get_visual_style()
        style = base + self.get_visual_style("section-view--selected") if selected else base
        rich_style = style.rich_style
        lines = self._text_lines(entry, width)
        if entry.selectable:
            bar_style = None
            if selected:
                bar_style = self.get_visual_style("section-view--bar-selected", partial=True)
            elif entry.card is not None and entry.card.constraint is not None:
                overdue = entry.card.constraint.overdue or entry.card.constraint.unowned
                bar_style = self.get_visual_style("section-view--bar-overdue" if overdue else "section-view--bar-open",
                                                  partial=True)
            bar = Segment(_BAR, (style + bar_style).rich_style) if bar_style is not None else Segment(" ", rich_style)
            strips = [Strip([bar, *self._line_strip(line, width - 1, style)]) for line in lines]
        else:
            strips = [self._line_strip(line, width, style) for line in lines]
        strips = [strip.extend_cell_length(width, rich_style) for strip in strips]
        self._strips[cache_key] = strips
        return strips

    def _line_strip(self, line: Content, width: int, style: VisualStyle) -> Strip:
        """One line of text (already wrapped to fit) in the view's styles and variables."""
        strips = Visual.to_strips(self, line, width, 1, style)
        return strips[0] if strips else Strip([])

    def render_line(self, y: int) -> Strip:
        if self._layout_width != self.scrollable_content_region.width:
            self._relayout()
        line = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if not 0 <= line < len(self._lines):
            return Strip.blank(width, self.get_visual_style().rich_style)
        index, offset = self._lines[line]
        strips = self._entry_strips(index, index == self._cursor)
        return strips[offset] if offset < len(strips) else Strip.blank(width, self.get_visual_style().rich_style)

    def on_resize(self) -> None:
        self._relayout()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        self._strips.clear()  # a theme change recolours every card
        super().notify_style_update()
