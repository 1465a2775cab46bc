"""Every key binding in one registry: screens and widgets take theirs from here, help lists them all.

Each binding has an id, so a user's keymap (``[keymap]`` in the config file) can rebind it, e.g.
``"review.next_section" = "n"``. Ids are stable: they are the user's configuration.

Text that names a key (a toast, a hint, a card) asks ``key_for`` for it, so a rebinding never leaves
the screen naming the old key.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType
from textual.keys import format_key


def _b(id: str, keys: str, action: str, description: str, tooltip: str = "", *, show: bool = True,
       key_display: str | None = None, priority: bool = False) -> Binding:
    return Binding(keys, action, description, show=show, key_display=key_display, tooltip=tooltip, id=id,
                   priority=priority)


APP: list[BindingType] = [
    _b("app.help", "question_mark,f1", "help", "Help", "Show every key binding", key_display="?"),
    _b("app.quit", "q", "quit", "Quit", "Save and quit"),
    _b("app.quit_ctrl", "ctrl+q", "quit", "Quit", "Save and quit", show=False),
    _b("app.undo", "ctrl+z", "undo", "Undo", "Undo the last change to the review (it is saved again)", show=False),
    _b("app.redo", "ctrl+y", "redo", "Redo", "Redo the change just undone", show=False),
]

REVIEW: list[BindingType] = [
    _b("review.next_section", "right_square_bracket", "next_section(1)", "Next section", "Show the next section",
       key_display="]"),
    _b("review.prev_section", "left_square_bracket", "next_section(-1)", "Prev section", "Show the previous section",
       key_display="["),
    _b("review.board", "c", "board", "Constraints", "The constraints board: every open constraint, sortable"),
    _b("review.summary", "r", "summary", "Summary", "Readiness summary: verdict, section scores, risks, coverage"),
    _b("review.decisions", "o", "toggle_decisions", "Decisions", "Show or hide the deferred decisions panel",
       show=False),
    _b("review.guidance", "g", "toggle_guidance", "Guidance", "Show or hide facilitator guidance", show=False),
    _b("review.timer", "t", "toggle_timer", "Timer",
       "Start or stop this section's countdown (time spent is logged)", show=False),
    _b("review.parking_lot", "p", "parking_lot", "Parking lot", "Topics raised but not settled, with owners",
       show=False),
    _b("review.present", "f5", "present", "Present", "Shared-screen view of the current question", show=False),
    _b("review.sections", "s", "focus_sections", "Sections", "Move focus to the section list", show=False),
    # Priority: handled in the turn it is pressed (the list's own enter posts a message handled later,
    # and keys typed right after it, like "enter j d", would reach the list instead of the questions).
    _b("review.open_section", "enter", "open_section", "Open section",
       "In the section list: go to the highlighted section's first card", show=False, priority=True),
    _b("review.search", "slash", "search", "Find", "Find a question by its prompt, help, answer, notes or owner",
       key_display="/"),
    _b("review.next_unanswered", "U", "next('unanswered')", "Next unanswered",
       "The next question nobody has answered (any section)", show=False),
    _b("review.next_open", "O", "next('open')", "Next open constraint",
       "The next deferred decision, unvalidated assumption or critical unknown", show=False),
    _b("review.next_disagreement", "D", "next('disagreement')", "Next disagreement",
       "The next question respondents answered differently (after a merge)", show=False),
    _b("review.program", "P", "program", "Program",
       "Edit the program: name, stage, owner, description, participants", show=False),
]

SECTION: list[BindingType] = [
    _b("section.next", "down,j", "move(1)", "Next question", show=False),
    _b("section.prev", "up,k", "move(-1)", "Previous question", show=False),
    _b("section.first", "home", "move_to(0)", "First question", show=False),
    _b("section.last", "end", "move_to(-1)", "Last question", show=False),
]

QUESTION: list[BindingType] = [
    _b("question.edit", "enter,e", "act('edit')", "Answer", "Answer or edit this question"),
    _b("question.defer", "d", "act('defer')", "Defer",
       "Defer a decision (or assign an assumption) to an owner and a date"),
    _b("question.validate", "v", "act('validate')", "Validate",
       "Record that an assumption the team relies on was validated"),
    _b("question.unknown", "u", "act('unknown')", "Unknown", "Mark the answer as unknown"),
    _b("question.not_applicable", "n", "act('not_applicable')", "N/A", "Mark not applicable, with a reason"),
    _b("question.clear", "x", "act('clear')", "Clear", "Clear the answer (notes are kept)", show=False),
]

CALCULATOR_CARD: list[BindingType] = [
    _b("calculator_card.open", "enter,e", "open", "Calculator", "Open the calculator: edit inputs, see the curve"),
]

EDITOR: list[BindingType] = [
    _b("editor.cancel", "escape", "cancel", "Cancel", "Close without saving"),
    _b("editor.save", "f2", "save", "Save", "Save the answer"),
]
EDITOR_SELECTION: list[BindingType] = [_b("editor.selection_save", "enter", "screen.save", "Save", show=False)]

FORM_DIALOG: list[BindingType] = [
    _b("dialog.cancel", "escape", "cancel", "Cancel"),
    _b("dialog.save", "f2", "save", "Save", "Save the dialog (enter works in one-line fields)"),
]
CHOICE_DIALOG: list[BindingType] = [_b("choice.cancel", "escape", "choose_cancel", "Cancel")]
SETTLE_DIALOG: list[BindingType] = [_b("settle.cancel", "escape", "cancel", "Cancel")]

DECISIONS_PANEL: list[BindingType] = [_b("decisions.close", "escape", "close", "Close", show=False)]

BOARD: list[BindingType] = [
    _b("board.close", "escape,c", "close", "Back", "Back to the review"),
    _b("board.sort", "s", "cycle_sort", "Sort", "Sort by date, owner, risk area or age"),
    _b("board.go", "enter", "go", "Go to question", "Show the question in its section"),
    _b("board.answer", "a", "act('edit')", "Answer", "Answer it now: a made decision closes the constraint"),
    _b("board.redate", "d", "act('defer')", "Re-date", "Change the owner or the date (a later date counts as a slip)"),
    _b("board.validate", "v", "act('validate')", "Validate", "Record that an assumption was validated"),
]

SUMMARY: list[BindingType] = [_b("summary.close", "escape,r", "close", "Back", "Back to the review")]

CALCULATOR: list[BindingType] = [
    _b("calculator.cancel", "escape", "cancel", "Back", "Leave without saving these inputs"),
    _b("calculator.save", "f2", "save", "Save", "Save the inputs into the review"),
]
LATENCY: list[BindingType] = [
    _b("latency.add_stage", "f3", "add_stage", "Add stage", "Add a stage to the budget"),
    _b("latency.remove_stage", "f4", "remove_stage", "Remove stage", "Remove the focused (or last) stage"),
]

PARKING_LOT: list[BindingType] = [
    _b("parking.close", "escape,p", "close", "Back", "Back to the review"),
    _b("parking.add", "a", "add", "Add", "Add a topic to the parking lot"),
    _b("parking.edit", "e,enter", "edit", "Edit", "Edit the highlighted topic"),
    _b("parking.toggle", "x", "toggle_closed", "Close/reopen", "Mark the topic settled (or open again)"),
    _b("parking.delete", "delete", "delete", "Delete", "Remove the topic (it was raised by mistake)"),
]

PRESENTATION: list[BindingType] = [
    _b("present.close", "escape,f5", "close", "Back", "Back to the review"),
    _b("present.next", "right,j,down", "step(1)", "Next", "Next question"),
    _b("present.prev", "left,k,up", "step(-1)", "Previous", "Previous question"),
    _b("present.edit", "enter", "edit", "Answer", "Answer the question shown"),
    _b("present.guidance", "g", "toggle_guidance", "Guidance", "Show or hide the facilitator guidance"),
]

PORTFOLIO: list[BindingType] = [
    _b("portfolio.open", "enter", "open", "Open review", "Open the highlighted program's review"),
    _b("portfolio.sort", "s", "cycle_sort", "Sort",
       "Sort by verdict, readiness, open, overdue, high risks, date, name"),
    _b("portfolio.filter", "f", "cycle_filter", "Filter",
       "Show only overdue, unowned, high-risk, a verdict, or errors"),
    _b("portfolio.quit", "q", "app.quit", "Quit", "Quit"),
]

START: list[BindingType] = [_b("start.quit", "escape", "app.quit", "Quit", show=False)]

SEARCH: list[BindingType] = [
    _b("search.close", "escape", "close", "Close"),
    _b("search.down", "down", "down", "Results", "Move from the query to the results", show=False),
]

HELP: list[BindingType] = [_b("help.close", "escape,q,question_mark,f1", "close", "Close help")]

RESPONDENTS: list[BindingType] = [
    _b("respondents.close", "escape", "close", "Back", "Back to the review"),
    _b("respondents.go", "enter", "go", "Go to question", "Show the question in the review (settle it there)"),
    _b("respondents.merge", "m", "merge", "Merge", "Merge the respondents' answers into the review"),
    _b("respondents.filter", "f", "cycle_filter", "Filter", "Show every question, the answered ones, or disagreements"),
    _b("respondents.leave_out", "x", "toggle_unanswered", "Leave out empty",
       "Leave out (or count again) respondents who have recorded nothing yet"),
]

RESPONDENT_START: list[BindingType] = [_b("respondent_start.quit", "escape", "app.quit", "Quit", show=False)]

# Where each group works, in the order help shows them.
GROUPS: list[tuple[str, list[BindingType]]] = [
    ("Anywhere", APP),
    ("Review screen", REVIEW),
    ("Moving between questions", SECTION),
    ("On a question", QUESTION),
    ("On a calculator card", CALCULATOR_CARD),
    ("Answer editor", EDITOR + EDITOR_SELECTION),
    ("Dialogs", FORM_DIALOG + CHOICE_DIALOG + SETTLE_DIALOG),
    ("Deferred decisions panel", DECISIONS_PANEL),
    ("Constraints board", BOARD),
    ("Summary", SUMMARY),
    ("Calculators", CALCULATOR + LATENCY),
    ("Workshop: parking lot", PARKING_LOT),
    ("Workshop: presentation view", PRESENTATION),
    ("Portfolio", PORTFOLIO),
    ("Start screen", START),
    ("Find a question", SEARCH),
    ("Workshop: live respondents", RESPONDENTS),
    ("Respondent's start", RESPONDENT_START),
    ("This help", HELP),
]


def all_bindings() -> list[Binding]:
    return [b for _, group in GROUPS for b in group if isinstance(b, Binding)]


def binding_ids() -> set[str]:
    return {b.id for b in all_bindings() if b.id}


PALETTE = "app.command_palette"  # Textual's own binding (it has no id of ours): key_for names it too


@cache
def _by_id() -> dict[str, Binding]:
    return {b.id: b for b in all_bindings() if b.id}


def spoken_key(key: str) -> str:
    """A key as text names it: "ctrl+z", "enter", "esc", "f2", and a symbol as itself ("?", "]", "/").

    Textual's short name, as the key bar shows it, unless that is a glyph ("⏎", "↑"): in a sentence
    "enter" reads better and types in any terminal."""
    *modifiers, name = key.strip().split("+")
    short = format_key(name)
    return "+".join([*modifiers, short if short.isascii() else name])


def key_for(keys: App[Any] | Mapping[str, str], binding_id: str) -> str:
    """The key that does ``binding_id`` now (the first, when several do), as text names it.

    ``keys``: the running app (its keymap, as the user's config set it) or a keymap of id = "keys"."""
    keymap: Mapping[str, str] = keys if isinstance(keys, Mapping) else keys._keymap  # what Textual binds by
    if binding_id == PALETTE:
        default = keys.COMMAND_PALETTE_BINDING if isinstance(keys, App) else App.COMMAND_PALETTE_BINDING
    else:
        default = _by_id()[binding_id].key  # an unknown id is a typo in our code: fail loudly
    return spoken_key(keymap.get(binding_id, default).split(",")[0])
