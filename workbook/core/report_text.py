"""The summary as a Rich renderable for the terminal (`workbook summary`). User text goes in as Text,
through terminal_safe: Rich prints an escape sequence in a file's text as it is."""

from __future__ import annotations

from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from workbook.core.calc.describe import cost_lines, cost_table, latency_lines, latency_table
from workbook.core.models import Review, Template
from workbook.core.scoring import DEMO_ONLY, PILOT, Assessment
from workbook.core.sections import readiness_caveat, score_text
from workbook.core.text import one_line, terminal_safe

VERDICT_STYLE = {DEMO_ONLY: "bold red", PILOT: "bold yellow"}


def bar(score: int | None, width: int = 20, empty: str = "not started") -> Text:
    if score is None:
        return Text(empty.ljust(width), style="dim")
    filled = round(width * score / 100)
    style = "red" if score < 50 else "yellow" if score < 80 else "green"
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style="dim")


def _plain_table(headers: list[str], rows: list[list[str]]) -> Table:
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    for i, h in enumerate(headers):
        table.add_column(h, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*(Text(terminal_safe(c)) for c in row))
    return table


def summary_renderable(review: Review, template: Template, a: Assessment) -> RenderableType:
    p = review.program
    head = Text.assemble(
        (terminal_safe(p.name), "bold"), "  ", (f"{p.stage.value.replace('_', ' ')}", "dim"),
        "  ", (terminal_safe(f"{template.id} {template.version}"), "dim"),
        "  ", (f"as of {a.today.isoformat()}", "dim"),
    )
    verdict = Text.assemble(
        ("Verdict: ", "bold"), (a.verdict.upper(), VERDICT_STYLE.get(a.verdict, "bold green")),
        (f"  readiness {a.overall}/100 (weakest section)", "dim"),
        (f"  answered {a.answered} of {a.applicable}", "dim"),
    )
    caveat = readiness_caveat(a)
    if caveat:  # the number rests on little: say so in the headline, not only further down
        verdict.append(f"  ({caveat})", style="yellow")
    sections = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("section", "left"), ("score", "right"), ("", "left"), ("answered", "right"),
        ("high", "right"), ("medium", "right"), ("open", "right"),
    )
    for col, justify in columns:
        # A long section title wraps on its words (never cut): "Untrusted content and / credentials".
        sections.add_column(col, justify=justify, no_wrap=(col != "section"), overflow="fold",
                            max_width=28 if col == "section" else None)
    for s in a.sections:
        sections.add_row(
            Text(terminal_safe(s.title)), Text(score_text(s)), bar(s.score, 12, ""),
            Text(f"{s.answered}/{s.total}"), Text(str(s.high), style="red" if s.high else ""),
            Text(str(s.medium), style="yellow" if s.medium else ""), Text(str(s.open_constraints)),
        )
    risks = Text.assemble(("Risks: ", "bold"), (f"{a.high} high", "red"), ", ", (f"{a.medium} medium", "yellow"))
    parts: list[RenderableType] = [head, verdict, Text(terminal_safe(a.reason))]
    if a.start_with:
        parts.append(Text("Start with:", style="bold"))
        # A grid, so an item that wraps does so on its words, under its own text (not under the number).
        start = Table.grid(padding=(0, 1), pad_edge=True)
        start.add_column(justify="right", no_wrap=True)
        start.add_column()
        for i, pr in enumerate(a.start_with, 1):
            start.add_row(f"{i}.", Text.assemble((terminal_safe(pr.prompt), "bold"), " — ",
                                                (terminal_safe(pr.why), "red" if pr.tier <= 4 else "yellow"),
                                                ("\n" + terminal_safe(pr.next_step), "dim")))
        parts.append(start)
    parts += [Text(""), sections, Text(""), risks]
    overdue = sum(1 for c in a.constraints if c.overdue)
    parts.append(Text.assemble(("Open constraints: ", "bold"), f"{len(a.constraints)}",
                               (f" ({overdue} overdue)" if overdue else "", "bold red")))
    week = a.due_this_week()
    if week:
        parts.append(Text("Needs a decision this week:", style="bold"))
        table = Table(box=None, pad_edge=False, show_header=False)
        for col in ("due", "owner", "what"):
            table.add_column(col)
        for c in week:
            due = Text(c.decide_by.isoformat() if c.decide_by else "", style="bold red" if c.overdue else "yellow")
            table.add_row(due, Text(terminal_safe(c.owner or "UNOWNED"), style="" if c.owner else "bold red"),
                          Text(terminal_safe(one_line(c.title, 70))))
        parts.append(table)
    if a.calc is not None and a.calc.cost is not None:
        parts += [Text(""), Text("Cost", style="bold")]
        parts += [Text(terminal_safe(line)) for line in cost_lines(a.calc.cost)]
        headers, rows = cost_table(a.calc.cost)
        parts.append(_plain_table(headers, rows))
    if a.calc is not None and a.calc.latency is not None:
        lat = a.calc.latency
        parts += [Text(""), Text("Latency", style="bold")]
        parts += [Text(terminal_safe(line), style="bold red" if lat.over_target and i == 1 else "")
                  for i, line in enumerate(latency_lines(lat))]
        if a.calc.measurement is not None:  # an assumption the measurement refutes, under its line
            parts += [Text(terminal_safe(line)) for line in a.calc.measurement.refuted()]
        headers, rows = latency_table(lat)
        parts.append(_plain_table(headers, rows))
    cov = Table(box=None, pad_edge=False, show_header=True, header_style="bold", title_justify="left")
    for col in ("framework", "addressed", "open", "high risk", "out of scope", "not covered"):
        cov.add_column(col, justify="left" if col == "framework" else "right")
    frameworks: dict[str, dict[str, int]] = {}
    for cov_row in a.coverage:
        frameworks.setdefault(cov_row.framework, {}).setdefault(cov_row.status, 0)
        frameworks[cov_row.framework][cov_row.status] += 1
    for name, counts in frameworks.items():
        cov.add_row(Text(name), *(Text(str(counts.get(k, 0))) for k in
                                  ("addressed", "open", "high-risk", "out-of-scope", "not-covered")))
    parts += [Text(""), Text("Framework coverage", style="bold"), cov]
    return Group(*parts)
