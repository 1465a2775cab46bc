"""The summary screen: the verdict and why, a bar per section, risks, coverage, this week's decisions."""

from __future__ import annotations

import textwrap

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from workbook.core.models import Review
from workbook.core.scoring import DEMO_ONLY, PILOT, Assessment
from workbook.core.sections import readiness_caveat, score_text
from workbook.core.session import ReviewSession
from workbook.core.text import one_line
from workbook.tui import bindings
from workbook.tui.messages import ReviewChanged
from workbook.tui.widgets.keybar import KeyBar

VERDICT_STYLE = {DEMO_ONLY: "bold $text-error", PILOT: "bold $text-warning"}
COVERAGE_ORDER = ("addressed", "open", "high-risk", "out-of-scope", "not-covered")


def score_bar(score: int | None, width: int = 20, empty: str = "not started") -> Content:
    if score is None:
        return Content.styled(empty.ljust(width), "$foreground-muted")
    filled = round(width * score / 100)
    style = "$error" if score < 50 else "$warning" if score < 80 else "$success"
    return Content.assemble(("█" * filled, style), ("░" * (width - filled), "$foreground-muted"))


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells, broken between words (a word longer than a line is split)."""
    return textwrap.wrap(one_line(text), max(width, 8), break_on_hyphens=False) or [""]


def summary_content(review: Review, a: Assessment, width: int = 76) -> Content:
    """The summary laid out for `width` cells: what is long wraps on its words under itself, never cut."""
    p = review.program
    caveat = readiness_caveat(a)
    parts: list[str | tuple[str, str] | Content] = [
        ("Verdict: ", "bold"), (a.verdict.upper(), VERDICT_STYLE.get(a.verdict, "bold $text-success")),
        (f"   readiness {a.overall}/100 = the weakest section", "$foreground-muted"),
        (f" ({caveat})" if caveat else "", "$text-warning"), "\n",
        (f"{p.name} · {p.stage.value.replace('_', ' ')} · as of {a.today.isoformat()}", "$foreground-muted"),
        (f" · answered {a.answered} of {a.applicable}", "$foreground-muted"),
        "\n\n", a.reason, "\n",
    ]
    if a.start_with:
        parts += ["\n", ("Start with", "bold"), "\n"]
        for i, pr in enumerate(a.start_with, 1):
            for row, line in enumerate(_wrap(pr.prompt, width - 4)):
                parts += [f" {i}. " if row == 0 else "    ", (line, "bold"), "\n"]
            for line in _wrap(pr.why, width - 4):
                parts += ["    ", (line, "$text-error" if pr.tier <= 4 else "$text-warning"), "\n"]
            for line in _wrap(pr.next_step, width - 4):
                parts += ["    ", (line, "$foreground-muted"), "\n"]
    parts += ["\n", ("Sections", "bold"), "\n"]
    # The title column as wide as the longest title when the line has room (a bar of 8 to 20 cells
    # and the counts after it); a title wider than that wraps onto a second line.
    longest = max((len(one_line(s.title)) for s in a.sections), default=0)
    title_w = max(12, min(longest, width - 4 - 8 - 22))
    bar_w = max(8, min(20, width - title_w - 4 - 22))
    for s in a.sections:
        lines = _wrap(s.title, title_w)
        is_weakest = a.weakest is not None and s.id == a.weakest.id
        shown = s.score if s.started else None  # a section not started says so, whatever its blanks score
        score = "" if shown is None else str(shown)
        parts += [(lines[0].ljust(title_w), "bold" if is_weakest else ""), " ",
                  score_bar(shown, bar_w, score_text(s)), f" {score:>3}"]
        if s.high:
            parts.append((f"  {s.high} high", "$text-error"))
        if s.medium:
            parts.append((f"  {s.medium} med", "$text-warning"))
        if s.open_constraints:
            parts.append((f"  ◆{s.open_constraints}", "$text-warning"))
        parts.append("\n")
        parts += [item for line in lines[1:] for item in ((line, "bold" if is_weakest else ""), "\n")]
    overdue = sum(1 for c in a.constraints if c.overdue)
    parts += [
        "\n", ("Risks ", "bold"), (f"{a.high} high", "bold $text-error"), ", ",
        (f"{a.medium} medium", "bold $text-warning"),
        ("   Open constraints ", "bold"), f"{len(a.constraints)}",
        (f" ({overdue} overdue)" if overdue else "", "bold $text-error"), "\n",
    ]
    week = a.due_this_week()
    parts += ["\n", ("Needs a decision this week", "bold"), "\n"]
    if not week:
        parts += [("Nothing is due in the next 7 days.", "$foreground-muted"), "\n"]
    for c in week:
        due = c.decide_by.isoformat() if c.decide_by else ""
        lines = _wrap(f"{c.owner or 'UNOWNED'}: {c.title}", width - 11)
        owner_len = len(one_line(c.owner or "UNOWNED")) + 1
        first = lines[0]
        parts += [(f"{due} ", "bold $text-error" if c.overdue else "$text-warning"),
                  (first[:owner_len], "" if c.owner else "bold $text-error"), first[owner_len:], "\n"]
        parts += [item for line in lines[1:] for item in (" " * 11 + line, "\n")]
    parts += ["\n", ("Framework coverage", "bold"), "\n",
              ("addressed · open · high risk · out of scope · not covered", "$foreground-muted"), "\n"]
    counts: dict[str, dict[str, int]] = {}
    high_tags: dict[str, list[str]] = {}
    for cov in a.coverage:
        counts.setdefault(cov.framework, dict.fromkeys(COVERAGE_ORDER, 0))[cov.status] += 1
        if cov.status == "high-risk":
            high_tags.setdefault(cov.framework, []).append(cov.tag)
    for framework, n in counts.items():
        parts += [framework.ljust(26)[:26], " · ".join(f"{n[k]:>2}" for k in COVERAGE_ORDER)]
        if framework in high_tags:
            parts += [("  high: " + ", ".join(high_tags[framework]), "$text-error")]
        parts.append("\n")
    return Content.assemble(*parts)


class SummaryText(Static):
    """The summary, wrapped for the width it has: laid out again when that width changes."""

    def __init__(self, session: ReviewSession, *, widget_id: str) -> None:
        self.session = session
        self._width = 0
        super().__init__(self._content(76), id=widget_id)

    def _content(self, width: int) -> Content:
        return summary_content(self.session.review, self.session.assessment, width)

    def redraw(self) -> None:
        self.update(self._content(self._width or 76))

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width and event.size.width != self._width:
            self._width = event.size.width
            self.redraw()


class SummaryScreen(Screen[None]):
    DEFAULT_CSS = """
    SummaryScreen VerticalScroll { padding: 0 1; }
    """

    BINDINGS = bindings.SUMMARY

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield SummaryText(self.session, widget_id="summary")
        yield KeyBar()

    def on_review_changed(self, message: ReviewChanged) -> None:
        self.query_one(SummaryText).redraw()

    def action_close(self) -> None:
        self.dismiss()
