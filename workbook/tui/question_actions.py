"""What a key on a question opens: the editor, the defer, validate or reason dialog, or the settle dialog.

The review screen, the board and the presentation view all act on questions the same way; the
dialog's result goes up as one typed edit (EditRequested) for the app to apply.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from workbook.core.display import answer_summary
from workbook.core.editing import Change, Clear, MarkNotApplicable, MarkUnknown, Validate
from workbook.core.models import Answer, Question, Status
from workbook.core.policy import defer_kind, defer_problem, not_applicable_problem, validate_problem
from workbook.core.session import AnswerEdit, ReviewSession
from workbook.core.text import one_line
from workbook.tui.bindings import key_for
from workbook.tui.messages import EditRequested, QuestionVerb


def editor_for(session: ReviewSession, question: Question, answer: Answer, workshop: bool) -> Screen[Any]:
    from workbook.tui.screens.editor import AnswerEditor  # loaded on first use: start-up stays light

    names = [p.name for p in session.review.program.participants]
    return AnswerEditor(question, answer, participants=names, require_participant=workshop and bool(names))


def act_on_question(screen: Screen[Any], session: ReviewSession, question_id: str, action: QuestionVerb,
                    *, workshop: bool) -> None:
    """Open the dialog for ``action`` over ``screen``; its answer is posted from ``screen`` as an edit."""
    question = session.template.question(question_id)
    if question is None:
        if question_id in session.orphans:
            screen.notify("This answer is kept as a record: the template no longer asks the question.", markup=False)
        return
    answer = session.review.answer(question.id)
    app = screen.app

    def send(change: Change | None) -> None:
        if change is not None:
            screen.post_message(EditRequested(AnswerEdit(question.id, change)))

    from workbook.tui.screens.dialogs import DeferDialog, ReasonDialog, ValidateDialog

    if action == "edit":
        if answer.disagreement:
            from workbook.tui.screens.settle import SettleDialog

            def settled(result: Change | str | None) -> None:
                if result == "write":
                    app.push_screen(editor_for(session, question, answer, workshop), send)
                elif result == "defer" and (kind := defer_kind(question, answer)) is not None:
                    # Not settled in the room: someone owns settling it, by a date (as the question allows).
                    app.push_screen(DeferDialog(question.prompt, answer, session.today, kind=kind), send)
                elif result == "defer":  # a question that cannot be deferred stays open as unknown
                    send(MarkUnknown())
                elif not isinstance(result, str):
                    send(result)

            app.push_screen(SettleDialog(question, answer), settled)
        else:
            app.push_screen(editor_for(session, question, answer, workshop), send)
    elif action == "defer":
        kind = defer_kind(question, answer)
        if kind is not None:
            app.push_screen(DeferDialog(question.prompt, answer, session.today, kind=kind), send)
        else:
            screen.notify(defer_problem(question, answer) or "", severity="warning", markup=False)
    elif action == "validate":
        problem = validate_problem(question, answer)
        if problem:
            screen.notify(problem, severity="warning", markup=False)
            return
        app.push_screen(ValidateDialog(question.prompt, answer.owner or ""),
                        lambda by: send(Validate(by or None)) if by is not None else None)
    elif action == "not_applicable":
        problem = not_applicable_problem(question, "a reason", session.review)
        if problem:  # a critical question, or one its template says applies here: say so before asking why
            screen.notify(problem, severity="warning", markup=False)
            return
        written = answer_summary(question, answer) if answer.has_value else ""
        app.push_screen(ReasonDialog(question.prompt, answer.reason, replaces=written),
                        lambda text: send(MarkNotApplicable(text)) if text is not None else None)
    elif action == "unknown":
        if answer.has_value:  # one key must not silently replace a written answer
            from workbook.tui.screens.dialogs import ChoiceDialog

            app.push_screen(ChoiceDialog(
                "Mark it unknown?", f"“{question.prompt}”\nThis replaces the answer: "
                f"{one_line(answer_summary(question, answer), 120)}\n({key_for(app, 'app.undo')} undoes it.)",
                [("unknown", "Mark unknown"), ("keep", "Keep the answer")], cancel="keep",
            ), lambda choice: send(MarkUnknown()) if choice == "unknown" else None)
        else:
            send(MarkUnknown())
    elif action == "clear":
        if answer.status is not Status.UNANSWERED:
            send(Clear())
            screen.notify(f"Cleared “{one_line(question.prompt, 60)}” — {key_for(app, 'app.undo')} to undo.",
                          markup=False, timeout=6)
