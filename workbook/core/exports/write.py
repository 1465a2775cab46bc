"""Rendering a format and writing it out: files atomically, ADR folders record by record."""

from __future__ import annotations

from pathlib import Path

from workbook.core.exports.adr import plan_records
from workbook.core.exports.common import ExportData
from workbook.core.exports.csv_export import render_csv, render_portfolio_csv
from workbook.core.exports.html_export import render_html
from workbook.core.exports.json_export import render_json, render_portfolio_json
from workbook.core.exports.markdown import render_markdown
from workbook.core.store import write_atomic

SINGLE = {"md": render_markdown, "html": render_html, "csv": render_csv, "json": render_json}
MANY = {"csv": render_portfolio_csv, "json": render_portfolio_json}
SUFFIX = {"md": ".md", "html": ".html", "csv": ".csv", "json": ".json", "adr": "-decisions"}


def render(fmt: str, data: ExportData) -> str:
    return SINGLE[fmt](data)


def write_text(path: Path, text: str) -> None:
    # Exports end up in wikis and audits: a crash must not leave half a file behind either.
    write_atomic(path, text.encode("utf-8"))


def write_adr(folder: Path, data: ExportData) -> list[tuple[str, str]]:
    """Write one record per decision; returns (file name, "created" | "updated" | "unchanged")."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for record in plan_records(data, folder):
        target = folder / record.filename
        if not target.exists():
            state = "created"
        elif target.read_text(encoding="utf-8", errors="replace") != record.text:
            state = "updated"
        else:
            state = "unchanged"
        if state != "unchanged":
            write_text(target, record.text)
        written.append((record.filename, state))
    return written
