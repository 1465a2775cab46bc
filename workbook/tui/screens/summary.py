"""The summary screen: the verdict and why, a bar per section, risks, coverage, this week's decisions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from workbook.core.models import Review
from workbook.core.scoring import DEMO_ONLY, PILOT, Assessment
from workbook.core.session import ReviewSession
from workbook.core.text import one_line
from workbook.tui import bindings
from workbook.tui.messages import ReviewChanged
from workbook.tui.widgets.keybar import KeyBar

VERDICT_STYLE = {DEMO_ONLY: "bold $text-error", PILOT: "bold $text-warning"}
COVERAGE_ORDER = ("addressed", "open", "high-risk", "out-of-scope", "not-covered")


def score_bar(score: int | None, width: int = 20) -> Content:
    if score is None:
        return Content.styled("n/a".ljust(width), "$foreground-muted")
    filled = round(width * score / 100)
    style = "$error" if score < 50 else "$warning" if score < 80 else "$success"
    return Content.assemble(("█" * filled, style), ("░" * (width - filled), "$foreground-muted"))


def summary_content(review: Review, a: Assessment) -> Content:
    p = review.program
    parts: list[str | tuple[str, str] | Content] = [
        ("Verdict: ", "bold"), (a.verdict.upper(), VERDICT_STYLE.get(a.verdict, "bold $text-success")),
        (f"   readiness {a.overall}/100 = the weakest section", "$foreground-muted"), "\n",
        (f"{p.name} · {p.stage.value.replace('_', ' ')} · as of {a.today.isoformat()}", "$foreground-muted"),
        (f" · answered {a.answered} of {a.applicable}", "$foreground-muted"),
        "\n\n", a.reason, "\n",
    ]
    if a.start_with:
        parts += ["\n", ("Start with", "bold"), "\n"]
        for i, pr in enumerate(a.start_with, 1):
            parts += [f" {i}. ", (one_line(pr.prompt, 70), "bold"), "\n    ",
                      (one_line(pr.why, 72), "$text-error" if pr.tier <= 2 else "$text-warning"), "\n"]
    parts += ["\n", ("Sections", "bold"), "\n"]
    for s in a.sections:
        title = one_line(s.title, 24).ljust(24)
        is_weakest = a.weakest is not None and s.id == a.weakest.id
        parts += [(title, "bold" if is_weakest else ""), " ", score_bar(s.score),
                  f" {'n/a' if s.score is None else s.score:>3}"]
        extras = []
        if s.high:
            extras.append((f"  {s.high} high", "$text-error"))
        if s.medium:
            extras.append((f"  {s.medium} med", "$text-warning"))
        if s.open_constraints:
            extras.append((f"  ◆{s.open_constraints}", "$text-warning"))
        parts += extras + ["\n"]
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
        parts += [(f"{due} ", "bold $text-error" if c.overdue else "$text-warning"),
                  ((c.owner or "UNOWNED").ljust(14)[:14], "" if c.owner else "bold $text-error"), " ",
                  one_line(c.title, 50), "\n"]
    parts += ["\n", ("Framework coverage", "bold"),
              ("   addressed · open · high risk · out of scope · not covered", "$foreground-muted"), "\n"]
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
            yield Static(summary_content(self.session.review, self.session.assessment), id="summary")
        yield KeyBar()

    def on_review_changed(self, message: ReviewChanged) -> None:
        self.query_one("#summary", Static).update(summary_content(self.session.review, self.session.assessment))

    def action_close(self) -> None:
        self.dismiss()
