"""Rendering a format and writing it out: files atomically, folders (ADRs) record by record."""

from __future__ import annotations

from pathlib import Path

from workbook.core.exports.common import ExportData
from workbook.core.exports.registry import export_format
from workbook.core.safe_write import write_file


def render(fmt: str, data: ExportData) -> str:
    return export_format(fmt).renderer()(data)


def render_many(fmt: str, items: list[ExportData]) -> str:
    return export_format(fmt).many_renderer()(items)


def write_text(path: Path, text: str) -> None:
    # Exports end up in wikis and audits: a crash must not leave half a file behind either.
    write_file(path, text.encode("utf-8"))


def write_folder(fmt: str, folder: Path, data: ExportData) -> list[tuple[str, str]]:
    """Write one record per decision; returns (file name, "created" | "updated" | "unchanged")."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for record in export_format(fmt).records()(data, folder):
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


def write_adr(folder: Path, data: ExportData) -> list[tuple[str, str]]:
    return write_folder("adr", folder, data)
