"""The portfolio: one row per program; enter opens its review, q in the review comes back here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from workbook.core.errors import WorkbookError
from workbook.core.portfolio import FILTERS, SORTS, PortfolioRow, build_rows, keep, measured_cell, row_for, sort_rows
from workbook.core.scoring import SHORT
from workbook.core.store import load_review
from workbook.core.text import one_line, terminal_safe
from workbook.tui import bindings
from workbook.tui.messages import OpenReview
from workbook.tui.widgets.keybar import KeyBar

VERDICT_STYLE = {"demo only": "$text-error", "pilot with guardrails": "$text-warning",
                 "production candidate": "$text-success"}


class PortfolioScreen(Screen[None]):
    DEFAULT_CSS = """
    PortfolioScreen #pf-title { height: 1; padding: 0 1; background: $panel; }
    PortfolioScreen DataTable { height: 1fr; }
    PortfolioScreen #pf-detail { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = bindings.PORTFOLIO

    def __init__(self, files: list[Path], today: dt.date, sort_by: str = "verdict", only: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.files = files
        self.today = today
        self.sort_by = sort_by
        self.only = only
        self.rows: list[PortfolioRow] = []

    def compose(self) -> ComposeResult:
        yield Static(id="pf-title")
        table: DataTable[Content] = DataTable(cursor_type="row", zebra_stripes=True)
        width = self.app.size.width
        for label, key, w in (("Program", "name", max(16, width - 62)), ("Verdict", "verdict", 10),
                              ("Ready", "ready", 5), ("Weakest section", "weakest", 18), ("Open", "open", 4),
                              ("Late", "late", 4), ("High", "high", 4)):
            table.add_column(label, key=key, width=w)
        yield table
        yield Static(id="pf-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).loading = True
        self.load_rows()

    @work(thread=True, exclusive=True)
    def load_rows(self) -> None:
        # Hundreds of files: read them off the UI thread, then show them all at once.
        rows = build_rows(self.files, self.today)
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows: list[PortfolioRow]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.loading = False
        self.fill()
        table.focus()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        shown = sort_rows([r for r in self.rows if keep(r, self.only)], self.sort_by)
        width = {str(k.value): c.width for k, c in table.columns.items()}
        for r in shown:
            if r.error is not None:  # its name is the file name: shown escaped, never obeyed
                table.add_row(Content(terminal_safe(r.name)), Content.styled("ERROR", "bold $text-error"), Content(""),
                              Content.styled(r.error, "$text-error"), Content(""), Content(""), Content(""), key=r.path)
                continue
            short = SHORT.get(r.verdict, r.verdict)
            table.add_row(
                Content(one_line(r.name, width["name"])), Content.styled(short, VERDICT_STYLE.get(r.verdict, "")),
                Content(str(r.readiness)), Content(one_line(r.weakest_section, width["weakest"])),
                Content(str(r.open_constraints)),
                Content.styled(str(r.overdue), "bold $text-error" if r.overdue else ""),
                Content.styled(str(r.high_risks), "$text-error" if r.high_risks else ""), key=r.path,
            )
        failed = sum(1 for r in self.rows if r.error is not None)
        self.query_one("#pf-title", Static).update(Content.assemble(
            ("Portfolio ", "bold"), f"{len(shown)} of {len(self.rows)} programs",
            (f" · {failed} unreadable" if failed else "", "bold $text-error"),
            (f" · sorted by {self.sort_by}", "$foreground-muted"),
            (f" · only {', '.join(self.only)}" if self.only else "", "$foreground-muted"),
        ))
        self._detail()

    @on(DataTable.RowHighlighted)
    def _detail(self) -> None:
        row = self.current()
        detail = self.query_one("#pf-detail", Static)
        if row is None:
            detail.update("")
        elif row.error is not None:
            detail.update(Content.assemble((terminal_safe(row.path) + ": ", "bold"), terminal_safe(row.error)))
        else:
            line = Content(f"{terminal_safe(row.path)} · {row.stage.replace('_', ' ')} · reviewed "
                           f"{row.review_date or '—'} · {row.unowned} unowned constraint(s)")
            if row.measured is not None:  # the latest `workbook measure --write`, as the text portfolio shows it
                over = row.measured.over_target
                line = Content.assemble(line, " · measured p95 ",
                                        (measured_cell(row), "bold $text-error" if over else ""))
            detail.update(line)

    def current(self) -> PortfolioRow | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((r for r in self.rows if r.path == key), None)

    def action_cycle_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)] if self.sort_by in SORTS else SORTS[0]
        self.fill()

    def action_cycle_filter(self) -> None:
        options = ((),) + tuple((f,) for f in FILTERS)
        self.only = options[(options.index(self.only) + 1) % len(options)] if self.only in options else ()
        self.fill()

    def action_open(self) -> None:
        row = self.current()
        if row is None:
            return
        try:
            rf = load_review(Path(row.path))
        except WorkbookError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", markup=False)
            return
        self.post_message(OpenReview(rf))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def refresh_row(self, path: Path) -> None:
        """After a review opened from here is closed: its row reflects what was just saved."""
        fresh = row_for(path, self.today)
        self.rows = [fresh if r.path == str(path) else r for r in self.rows]
        self.fill()
