"""Hostile text used across the export, TUI and fault tests: every payload must stay literal text."""

from __future__ import annotations

import datetime as dt

from workbook.core import editing
from workbook.core.models import Review

MARKUP = "[@click=app.quit]x[/] [link=https://evil.example]click[/link] [/] [bold]b"
HTML = '<script>document.body.setAttribute("data-pwned","1")</script><img src=x onerror="document.title=\'pwned\'">'
MARKDOWN = "# heading\n---\n| a | b |\n[x](javascript:alert(1)) ![i](x) *em* `code` <b>b</b>"
FORMULA = "=HYPERLINK(\"http://evil.example\",\"x\")"
ANSI = "red\x1b[31m text\x07 bell\x00nul"
RTL = "abc\u202edcba\u202c end"
TSV = "\tstarts with a tab"
PAYLOADS = [MARKUP, HTML, MARKDOWN, FORMULA, ANSI, RTL, TSV, "+cmd", "-2+3", "@SUM(A1)", "a|b|c"]


def make_hostile(review: Review, today: dt.date, text_question: str, decision_question: str) -> Review:
    """Put hostile text in the program name, owner, participants, an answer, notes and a deferral."""
    review.program.name = "Evil " + MARKUP + " " + HTML
    review.program.owner = FORMULA
    review.program.description = "\n".join(PAYLOADS)
    editing.set_value(review, text_question, "\n".join(PAYLOADS), today)
    editing.set_notes(review, text_question, MARKDOWN + "\n" + HTML)
    editing.defer(review, decision_question, today, owner="=cmd|' /C calc'!A0", decide_by=today,
                  breaks_if_open=HTML + " | " + MARKDOWN)
    editing.set_notes(review, decision_question, FORMULA + "\n" + RTL)
    return review
