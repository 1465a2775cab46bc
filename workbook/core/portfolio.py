"""One row per program across many review files; unreadable files are rows too, with the reason."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbook.core.errors import WorkbookError
from workbook.core.exports.csv_export import write_csv
from workbook.core.exports.mdtext import md_cell
from workbook.core.scoring import DEMO_ONLY, PILOT, PRODUCTION, SHORT, assess
from workbook.core.store import load_review
from workbook.core.text import json_safe, terminal_safe

if TYPE_CHECKING:
    from rich.console import RenderableType

VERDICT_RANK = {DEMO_ONLY: 0, PILOT: 1, PRODUCTION: 2}
SORTS = ("name", "verdict", "readiness", "open", "overdue", "high", "date", "stage")
FILTERS = ("overdue", "unowned", "high-risk", "demo-only", "pilot", "production", "errors")


@dataclass(frozen=True)
class PortfolioRow:
    path: str
    name: str
    stage: str = ""
    verdict: str = ""
    readiness: int | None = None
    weakest_section: str = ""
    open_constraints: int = 0
    overdue: int = 0
    unowned: int = 0
    high_risks: int = 0
    review_date: str = ""
    error: str | None = None


def row_for(path: Path, today: dt.date) -> PortfolioRow:
    try:
        rf = load_review(path)
    except WorkbookError as exc:
        lines = exc.lines()
        reason = lines[0].removeprefix(f"{terminal_safe(str(path))}: ")  # the lines show the name escaped
        if len(lines) > 1:
            reason += f" (and {len(lines) - 1} more)"
        return PortfolioRow(path=str(path), name=path.name, error=reason)
    review = rf.review
    a = assess(review, rf.template, today, detail=False)
    return PortfolioRow(
        path=str(path),
        name=review.program.name,
        stage=review.program.stage.value,
        verdict=a.verdict,
        readiness=a.overall,
        weakest_section=a.weakest.title if a.weakest else "",
        open_constraints=len(a.constraints),
        overdue=sum(1 for c in a.constraints if c.overdue),
        unowned=sum(1 for c in a.constraints if c.unowned),
        high_risks=a.high,
        review_date=review.program.review_date.isoformat() if review.program.review_date else "",
    )


def build_rows(paths: list[Path], today: dt.date) -> list[PortfolioRow]:
    return [row_for(p, today) for p in paths]


def keep(row: PortfolioRow, only: tuple[str, ...]) -> bool:
    tests = {
        "overdue": row.overdue > 0,
        "unowned": row.unowned > 0,
        "high-risk": row.high_risks > 0,
        "demo-only": row.verdict == DEMO_ONLY,
        "pilot": row.verdict == PILOT,
        "production": row.verdict == PRODUCTION,
        "errors": row.error is not None,
    }
    return all(tests[o] for o in only)


def sort_rows(rows: list[PortfolioRow], by: str) -> list[PortfolioRow]:
    """Most urgent first for counts; weakest first for verdict and readiness; errors last."""
    keys: dict[str, Callable[[PortfolioRow], str | int | tuple[int, int]]] = {
        "name": lambda r: r.name.lower(),
        "stage": lambda r: r.stage,
        "verdict": lambda r: (VERDICT_RANK.get(r.verdict, 9), r.readiness or 0),
        "readiness": lambda r: r.readiness if r.readiness is not None else 999,
        "open": lambda r: -r.open_constraints,
        "overdue": lambda r: (-r.overdue, -r.open_constraints),
        "high": lambda r: -r.high_risks,
        "date": lambda r: r.review_date or "9999",
    }
    ok = sorted((r for r in rows if r.error is None), key=lambda r: (keys[by](r), r.name.lower(), r.path))
    return ok + sorted((r for r in rows if r.error is not None), key=lambda r: r.path)


HEADERS = ["Program", "Stage", "Verdict", "Readiness", "Weakest section", "Open", "Overdue", "Unowned",
           "High risks", "Last review", "File"]


def _cells(r: PortfolioRow) -> list[str]:
    if r.error is not None:  # the name of an unreadable file is its file name: shown, never obeyed
        return [terminal_safe(r.name), "", "ERROR", "", r.error, "", "", "", "", "", terminal_safe(r.path)]
    return [r.name, r.stage.replace("_", " "), r.verdict, str(r.readiness), r.weakest_section, str(r.open_constraints),
            str(r.overdue), str(r.unowned), str(r.high_risks), r.review_date, terminal_safe(r.path)]


def render_md(rows: list[PortfolioRow]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join(" --- " for _ in HEADERS) + "|"]
    lines += ["| " + " | ".join(md_cell(c) if c else " " for c in _cells(r)) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def render_csv(rows: list[PortfolioRow]) -> str:
    return write_csv([_cells(r) for r in rows], header=HEADERS)


def render_json(rows: list[PortfolioRow], today: dt.date) -> str:
    return json_safe(json.dumps({"portfolio_schema": 1, "today": today.isoformat(),
                                 "programs": [asdict(r) for r in rows]}, indent=2, ensure_ascii=False,
                                allow_nan=False)) + "\n"


def render_text(rows: list[PortfolioRow], total: int, failed: int, width: int) -> RenderableType:
    """The terminal table: programs, then unreadable files, then a legend; `Reviewed` only when `width` >= 100.

    `total` is the number of rows before filtering and `failed` the number of unreadable files among them.
    """
    # Rich is imported here, not at the top: the md, csv and json formats (and the TUI) do not need it.
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    wide = width >= 100
    table = Table(box=None, pad_edge=False, header_style="bold")
    numbers = ("Ready", "Open", "Late", "Unowned", "High")
    columns = ["Program", "Verdict", "Ready", "Weakest section", "Open", "Late", "Unowned", "High"]
    columns += ["Reviewed"] if wide else []
    for h in columns:
        table.add_column(h, justify="right" if h in numbers else "left", no_wrap=h != "Program",
                         overflow="ellipsis", min_width=14 if h == "Program" else None,
                         max_width=None if wide or h != "Weakest section" else 16)
    style = {DEMO_ONLY: "red", PILOT: "yellow", PRODUCTION: "green"}
    for r in rows:
        if r.error is not None:
            continue
        cells = [Text(terminal_safe(r.name)), Text(SHORT.get(r.verdict, r.verdict), style=style.get(r.verdict, "")),
                 Text(str(r.readiness)), Text(terminal_safe(r.weakest_section)), Text(str(r.open_constraints)),
                 Text(str(r.overdue), style="bold red" if r.overdue else ""),
                 Text(str(r.unowned), style="red" if r.unowned else ""), Text(str(r.high_risks))]
        table.add_row(*cells, *([Text(r.review_date)] if wide else []))
    errors = [Text.assemble(("ERROR ", "bold red"), terminal_safe(f"{r.path}: {r.error}"))
              for r in rows if r.error is not None]
    unread = f"; {failed} file(s) could not be read" if failed else ""
    legend = Text(f"{len(rows)} of {total} program(s) shown{unread}"
                  ". Verdicts: demo only, pilot (with guardrails), production (candidate); Late = overdue.",
                  style="dim")
    return Group(table, *errors, legend)
