"""One row per program across many review files; unreadable files are rows too, with the reason."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbook.core.calc.describe import money, ms
from workbook.core.errors import WorkbookError
from workbook.core.exports.csv_export import write_csv
from workbook.core.exports.mdtext import md_cell
from workbook.core.scoring import DEMO_ONLY, PILOT, PRODUCTION, SHORT, assess
from workbook.core.store import TemplateMemo, load_review
from workbook.core.text import json_safe, terminal_safe

if TYPE_CHECKING:
    # Rich is imported where it is used, not at the top: the md, csv and json formats (and the TUI) do not need it.
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

    from workbook.core.measure.latest import LatestMeasurement

VERDICT_RANK = {DEMO_ONLY: 0, PILOT: 1, PRODUCTION: 2}
SORTS = ("name", "verdict", "readiness", "open", "overdue", "high", "date", "stage")
FILTERS = ("overdue", "unowned", "high-risk", "demo-only", "pilot", "production", "errors")


@dataclass(frozen=True, slots=True)
class Measured:
    """The review's latest recorded measurement (`workbook measure --write`), as the portfolio shows it."""

    p95_ms: float | None
    target_ms: float | None
    over_target: bool
    stale: bool
    window_end: str
    age_days: int


# slots: a row is kept for every file until the rows are sorted; without a __dict__ it is ~120 bytes less.
@dataclass(frozen=True, slots=True)
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
    cost_per_outcome: float | None = None  # at the expected scale, from the cost calculator (USD)
    measured: Measured | None = None  # only a measured review's row has it: the output of others stays as it was


def row_for(path: Path | str, today: dt.date, memo: TemplateMemo | None = None) -> PortfolioRow:
    given = os.fspath(path)
    path = Path(given)
    text = str(path)
    text = given if text == given else text  # the file list's string, not a copy of it in every row
    try:
        rf = load_review(path, memo=memo)
    except WorkbookError as exc:
        lines = exc.lines()
        reason = lines[0].removeprefix(f"{terminal_safe(str(path))}: ")  # the lines show the name escaped
        if len(lines) > 1:
            reason += f" (and {len(lines) - 1} more)"
        return PortfolioRow(path=text, name=path.name, error=reason)
    review = rf.review
    a = assess(review, rf.template, today, detail=False, ranked=False)
    return PortfolioRow(
        path=text,
        name=review.program.name,
        stage=review.program.stage.value,
        verdict=a.verdict,
        readiness=a.overall,
        weakest_section=a.weakest.title if a.weakest else "",
        open_constraints=len(a.constraints),
        overdue=sum(1 for c in a.constraints if c.overdue),
        unowned=sum(1 for c in a.constraints if c.unowned),
        high_risks=a.high,
        # interned: few dates, many rows
        review_date=sys.intern(review.program.review_date.isoformat()) if review.program.review_date else "",
        cost_per_outcome=a.calc.cost.expected.cost_per_success if a.calc and a.calc.cost else None,
        measured=_measured(a.calc.measurement if a.calc else None),
    )


def _measured(m: LatestMeasurement | None) -> Measured | None:
    if m is None:
        return None
    return Measured(m.p95_ms, m.target_ms, m.over_target, m.stale, m.measurement.window_end.isoformat(), m.age_days)


def build_rows(paths: Iterable[Path | str], today: dt.date) -> list[PortfolioRow]:
    memo: TemplateMemo = {}
    return [row_for(p, today, memo) for p in paths]


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
    # Stable sorts from the last key to the first: the order of one sort by (key, name, path), with one key
    # a row alive at a time instead of a tuple of three (all are kept while sorting).
    ok = [r for r in rows if r.error is None]
    ok.sort(key=_path)
    ok.sort(key=_lower_name)
    ok.sort(key=keys[by])
    errors = [r for r in rows if r.error is not None]
    errors.sort(key=_path)
    return ok + errors


def _path(r: PortfolioRow) -> str:
    return r.path


def _lower_name(r: PortfolioRow) -> str:
    return r.name.lower()


HEADERS = ["Program", "Stage", "Verdict", "Readiness", "Weakest section", "Open", "Overdue", "Unowned",
           "High risks", "Cost per outcome", "Last review", "File"]


MEASURED = "Measured p95"  # a column only when some review has a measurement (others' output unchanged)


def _cost(r: PortfolioRow) -> str:
    return "" if r.cost_per_outcome is None else money(r.cost_per_outcome)


def measured_cell(r: PortfolioRow, sep: str = ", ") -> str:
    """`492 ms, over target, stale`; empty without a measurement."""
    m = r.measured
    if m is None:
        return ""
    flags = [f for f, on in (("over target", m.over_target), ("stale", m.stale)) if on]
    return sep.join(["no p95" if m.p95_ms is None else ms(m.p95_ms), *flags])


def any_measured(rows: list[PortfolioRow]) -> bool:
    return any(r.measured is not None for r in rows)


def headers(rows: list[PortfolioRow]) -> list[str]:
    i = HEADERS.index("Cost per outcome") + 1
    return [*HEADERS[:i], MEASURED, *HEADERS[i:]] if any_measured(rows) else HEADERS


def _cells(r: PortfolioRow, measured: bool = False) -> list[str]:
    if r.error is not None:  # the name of an unreadable file is its file name: shown, never obeyed
        cells = [terminal_safe(r.name), "", "ERROR", "", r.error, "", "", "", "", "", "", terminal_safe(r.path)]
    else:
        cells = [r.name, r.stage.replace("_", " "), r.verdict, str(r.readiness), r.weakest_section,
                 str(r.open_constraints), str(r.overdue), str(r.unowned), str(r.high_risks), _cost(r), r.review_date,
                 terminal_safe(r.path)]
    if measured:
        cells.insert(HEADERS.index("Cost per outcome") + 1, measured_cell(r))
    return cells


def shown_path(path: str, cwd: str | None = None) -> str:
    """A file as the reader finds it: relative to the current folder when it is inside it."""
    rel = shown_dir(path, cwd or os.getcwd())
    return path if rel is None else rel


def shown_dir(folder: str, cwd: str) -> str | None:
    """A path (a folder, or a file) relative to `cwd` when it is inside it; None: shown as given."""
    try:
        rel = os.path.relpath(os.path.abspath(folder), cwd)
    except ValueError:  # another drive on Windows
        return None
    return None if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def title(rows: list[PortfolioRow], total: int, failed: int) -> str:
    """'9 programs and 1 unreadable file'; '2 of 9 programs shown' when a filter hides some."""
    readable = total - failed
    shown = sum(1 for r in rows if r.error is None)
    head = _count(readable, "program") if shown == readable else f"{shown} of {_count(readable, 'program')} shown"
    return f"{head} and {_count(failed, 'unreadable file')}" if failed else head


def render_md(rows: list[PortfolioRow]) -> str:
    head, measured = headers(rows), any_measured(rows)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(md_cell(c) if c else " " for c in _cells(r, measured)) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def render_csv(rows: list[PortfolioRow]) -> str:
    measured = any_measured(rows)
    return write_csv([_cells(r, measured) for r in rows], header=headers(rows))


def render_json(rows: list[PortfolioRow], today: dt.date) -> str:
    return json_safe(json.dumps({"portfolio_schema": 1, "today": today.isoformat(),
                                 "programs": [_json_row(r) for r in rows]}, indent=2, ensure_ascii=False,
                                allow_nan=False)) + "\n"


def _json_row(r: PortfolioRow) -> dict[str, object]:
    row = asdict(r)
    if r.measured is None:  # a key only where there is a measurement
        del row["measured"]
    return row


def common_folder(paths: list[str]) -> str:
    """The folder every one of these (shown) paths is in, '' when none is shared."""
    if not paths:
        return ""
    try:
        folder = os.path.commonpath([os.path.dirname(p) for p in paths])
    except ValueError:  # absolute and relative paths mixed, or other drives
        return ""
    return "" if folder in ("", os.sep) else folder


def render_text(rows: list[PortfolioRow], total: int, failed: int, width: int) -> RenderableType:
    """The terminal table: a title, the programs (each with its file below its name, so two programs of one
    name are told apart), then unreadable files, then a legend; `Cost` only when `width` >= 100, `Reviewed`
    when >= 120.

    Files are shown relative to the current folder where they are inside it, and to the folder all of
    them share (named in the title). `total` is the number of rows before filtering and `failed` the
    number of unreadable files among them. One rich table: `print_text` prints the same, streamed.
    """
    from rich.console import Group

    layout = _Layout(rows, width)
    table = layout.table()
    for r in rows:
        if r.error is None:
            table.add_row(*layout.cells(r))
    return Group(layout.head(total, failed), table, *layout.errors(), layout.legend())


def print_text(console: Console, rows: list[PortfolioRow], total: int, failed: int, chunk: int = 200) -> None:
    """What `render_text` shows, printed a chunk of rows at a time: memory does not grow with the rows.

    Rich sizes a table's columns from its cells. The columns are sized once here from the header and, for
    each column, the cells that set its narrowest and widest measure (all a column's measure depends
    on); then each chunk is a table of those fixed widths, so the lines are the ones one table prints."""
    layout = _Layout(rows, console.width)
    ok = [r for r in rows if r.error is None]
    widths, pads, extra = _widths(console, layout, ok)
    if any(w <= p for w, p in zip(widths, pads)):  # so narrow a column is gone: one table, as rich lays it out
        console.print(render_text(rows, total, failed, console.width))
        return
    console.print(layout.head(total, failed))
    if ok:
        # The table's own width too: rich's widths may add up to more than the console (a narrow one),
        # and a chunk must not narrow them again.
        plain = console.color_system is None and sum(widths) + extra <= console.width
        for start in range(0, len(ok), chunk):
            here = ok[start:start + chunk]
            texts = [layout.texts(r) for r in here]
            lines = _plain_lines(texts, widths, layout.columns) if plain else None
            table = layout.table(fixed=[w - p for w, p in zip(widths, pads)], header=start == 0)
            table.width = sum(widths) + extra
            if lines is not None:
                if start == 0:
                    console.print(table)  # the header alone
                console.out("\n".join(lines), highlight=False)
                continue
            for r, cells in zip(here, texts):
                table.add_row(*layout.cells(r, cells))
            console.print(table)
    else:
        console.print(layout.table())
    for line in layout.errors():
        console.print(line)
    console.print(layout.legend())


def _narrow(text: str) -> bool:
    """One cell a character, nothing to strip: laid out as rich would by counting characters."""
    from rich.cells import cell_len

    return text.isprintable() and text == text.strip() and cell_len(text) == len(text)


def _plain_cell(text: str, width: int, first: bool) -> list[str] | None:
    """A cell's lines in a column of this width: the first column folds a word too long for it (as rich
    does), the others end in an ellipsis; None where it takes rich to say (words to wrap, wide characters)."""
    lines: list[str] = []
    for part in text.split("\n"):
        if part and not _narrow(part):
            return None
        if len(part) <= width:
            lines.append(part)
        elif not first:
            lines.append(part[:width - 1] + "…")
        elif " " in part:
            return None  # word wrapping
        else:
            lines += [part[i:i + width] for i in range(0, len(part), width)]
    return lines


def _plain_lines(rows: list[list[str]], widths: list[int], columns: list[str]) -> list[str] | None:
    """The lines rich prints for these rows in a table of these widths without colour (None where a cell
    takes rich to lay out). Rich laying out thousands of rows cell by cell took a third of `portfolio`'s
    time for what is mostly padding with spaces."""
    last = len(widths) - 1
    lines = []
    for cells in rows:
        grid = []
        for i, cell in enumerate(cells):
            left, right = (1 if i > 0 else 0), (1 if i < last else 0)
            width = widths[i] - left - right
            parts = _plain_cell(cell, width, first=i == 0)
            if parts is None:
                return None
            fill = str.rjust if columns[i] in _Layout.NUMBERS else str.ljust
            grid.append([" " * left + fill(p, width) + " " * right for p in parts])
        height = max(len(col) for col in grid)
        blank = [" " * widths[i] for i in range(len(grid))]
        lines += ["".join(col[n] if n < len(col) else blank[i] for i, col in enumerate(grid)) for n in range(height)]
    return lines


def _measure(text: str, max_width: int) -> tuple[int, int]:
    """What rich's `Measurement.get` gives a `Text` of this plain text (`Text.__rich_measure__`), without
    making the Text: sizing a column reads every row's cell."""
    from rich.cells import cell_len
    from rich.measure import Measurement

    if max_width < 1:
        return 0, 0
    lines = text.splitlines()
    high = max(cell_len(line) for line in lines) if lines else 0
    words = text.split()
    low = max(cell_len(word) for word in words) if words else high
    m = Measurement(low, high).normalize().with_maximum(max_width)
    return (0, 0) if m.maximum < 1 else tuple(m.normalize())  # type: ignore[return-value]


def _widths(console: Console, layout: _Layout, ok: list[PortfolioRow]) -> tuple[list[int], list[int], int]:
    """Rich's column widths (with padding) for a table of these rows, their paddings, and the borders' width."""
    sizing = layout.table()
    options = console.options  # a property that asks the terminal its size: once, not once a cell
    if ok:
        extremes: dict[int, tuple[int, PortfolioRow]] = {}  # (column, min|max) -> the row setting it
        best: dict[int, int] = {}
        max_width = options.max_width
        for r in ok:
            for i, cell in enumerate(layout.texts(r)):
                low, high = _measure(cell, max_width)
                for slot, value in ((2 * i, low), (2 * i + 1, high)):
                    if value > best.get(slot, -1):
                        best[slot], extremes[slot] = value, (i, r)
        for _, r in sorted({id(r): (i, r) for i, r in extremes.values()}.values(), key=lambda p: ok.index(p[1])):
            sizing.add_row(*layout.cells(r))
    widths = sizing._calculate_column_widths(console, console.options)  # rich's own sizing (no public API)
    return widths, [sizing._get_padding_width(i) for i in range(len(widths))], sizing._extra_width


class _Layout:
    """The portfolio table's columns and cells at one terminal width."""

    NUMBERS = ("Ready", "Open", "Late", "Unowned", "High", "Cost")

    def __init__(self, rows: list[PortfolioRow], width: int) -> None:
        self.rows = rows
        self.width = width
        self.wide = width >= 100
        # Shown paths worked out a folder at a time, not kept a file at a time (memory flat in the rows).
        self._cwd = os.getcwd()
        self._shown_dirs: dict[str, str | None] = {}
        self._file_dirs: dict[str, str] = {}
        one_a_folder = {os.path.dirname(shown): shown for shown in map(self.shown, (r.path for r in rows))}
        self.folder = common_folder(list(one_a_folder.values()))
        columns = ["Program / file", "Verdict", "Ready", "Weakest section", "Open", "Late", "Unowned", "High"]
        columns += ["Cost"] if self.wide else []
        self.measured = any_measured(rows)
        # a column from 100 columns, beside Cost; narrower, a line under the program's name and file
        columns += [MEASURED] if self.measured and self.wide else []
        columns += ["Reviewed"] if width >= 120 else []
        self.columns = columns

    def table(self, fixed: list[int] | None = None, header: bool = True) -> Table:
        from rich.table import Table

        table = Table(box=None, pad_edge=False, header_style="bold", show_header=header)
        for i, h in enumerate(self.columns):
            # A file is folded, never cut: it is what tells two programs of one name apart.
            first = i == 0
            table.add_column(h, justify="right" if h in self.NUMBERS else "left", no_wrap=not first,
                             overflow="fold" if first else "ellipsis",
                             min_width=14 if first else len(MEASURED) if h == MEASURED else None,
                             max_width=None if self.width >= 140 or h != "Weakest section" else 16,
                             width=None if fixed is None else fixed[i])
        return table

    def shown(self, path: str) -> str:
        """`shown_path(path)`, the folder's part worked out once per folder."""
        head, name = os.path.split(path)
        if name in ("", os.curdir, os.pardir):
            return shown_path(path, self._cwd)
        if head in self._shown_dirs:
            rel = self._shown_dirs[head]
        else:
            rel = self._shown_dirs[head] = shown_dir(head, self._cwd)
        return path if rel is None else name if rel == os.curdir else os.path.join(rel, name)

    def file(self, path: str) -> str:
        """The file as the table shows it: shown, and relative to the folder the title names."""
        shown = self.shown(path)
        if not self.folder:
            return shown
        head, name = os.path.split(shown)
        if name in ("", os.curdir, os.pardir):
            return os.path.relpath(shown, self.folder)
        rel = self._file_dirs.get(head)
        if rel is None:
            rel = self._file_dirs[head] = os.path.relpath(head, self.folder)
        return name if rel == os.curdir else os.path.join(rel, name)

    def texts(self, r: PortfolioRow) -> list[str]:
        """A row's cells as plain text (what sizing measures and a colourless table prints)."""
        under = f"\np95 {measured_cell(r)}" if r.measured and not self.wide else ""
        cells = [f"{terminal_safe(r.name)}\n{terminal_safe(self.file(r.path))}{under}",
                 SHORT.get(r.verdict, r.verdict), str(r.readiness), terminal_safe(r.weakest_section),
                 str(r.open_constraints), str(r.overdue), str(r.unowned), str(r.high_risks)]
        cells += [_cost(r) or "—"] if self.wide else []
        if self.measured and self.wide:  # a line each (the row has two lines anyway): as narrow as its header
            cells.append(measured_cell(r, "\n") or "—")
        return cells + ([r.review_date] if self.width >= 120 else [])

    def cells(self, r: PortfolioRow, texts: list[str] | None = None) -> list[Text]:
        """The row's cells as rich prints them (styled), from its `texts`."""
        from rich.text import Text

        t = texts or self.texts(r)
        style = {DEMO_ONLY: "red", PILOT: "yellow", PRODUCTION: "green"}
        over = "red" if r.measured is not None and r.measured.over_target else ""
        under = ("\n", (f"p95 {measured_cell(r)}", over)) if r.measured and not self.wide else ()
        cells = [Text.assemble(terminal_safe(r.name), "\n", (terminal_safe(self.file(r.path)), "dim"), *under),
                 Text(t[1], style=style.get(r.verdict, "")), Text(t[2]), Text(t[3]), Text(t[4]),
                 Text(t[5], style="bold red" if r.overdue else ""), Text(t[6], style="red" if r.unowned else ""),
                 Text(t[7])]
        rest = t[8:]
        if self.measured and self.wide:  # Cost, Measured p95 (red when over its target), then Reviewed
            return cells + [Text(rest[0]), Text(rest[1], style=over), *map(Text, rest[2:])]
        return cells + [Text(x) for x in rest]

    def head(self, total: int, failed: int) -> Text:
        from rich.text import Text

        head = title(self.rows, total, failed) + (f" in {self.folder}{os.sep}" if self.folder else "")
        return Text(terminal_safe(head), style="bold")

    def errors(self) -> list[Text]:
        from rich.text import Text

        return [Text.assemble(("ERROR ", "bold red"), terminal_safe(f"{self.shown(r.path)}: {r.error}"))
                for r in self.rows if r.error is not None]

    def legend(self) -> Text:
        from rich.text import Text

        cost = "; Cost = cost per successful outcome at the expected scale (cost calculator)" if self.wide else ""
        name = "Measured p95" if self.wide else "p95 (under a program)"
        measured = (f"; {name} = end to end, from the latest `workbook measure --write` (stale: older than the "
                    "program's metrics cadence, else 30 days)") if self.measured else ""
        return Text(f"Verdicts: demo only, pilot (with guardrails), production (candidate); Late = overdue{cost}"
                    f"{measured}.",
                    style="dim")
