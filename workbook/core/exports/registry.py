"""The export formats, one entry each: adding a format is one entry here.

The CLI's `export --format` choices, the command palette's "Export:" commands, the TUI's file
dialog and the browser's downloads all read this table. Render functions are named, not imported,
so `workbook --help` does not load every exporter (and pydantic behind them) to list the formats.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from workbook.core.exports.common import ExportData


class ExportFormat:
    """One way out of the workbook.

    ``render`` names a function ``"module:function"``: for a file, ExportData -> text; for a folder,
    (ExportData, folder) -> records with ``filename`` and ``text`` (the folder's existing records are
    kept and updated). ``many`` names ExportData list -> text, for formats that take many reviews.
    """

    # A plain class, not a dataclass: building one costs ~1 ms of every command's start-up.
    __slots__ = ("id", "label", "suffix", "mime", "render", "many", "folder")

    def __init__(self, id: str, label: str, suffix: str, mime: str, render: str, many: str | None = None,
                 folder: bool = False) -> None:
        self.id = id
        self.label = label  # what the palette says: "Export: <label>"
        self.suffix = suffix  # the default name: <review's stem><suffix>
        self.mime = mime  # a download's type (a folder downloads as a zip of its records)
        self.render = render
        self.many = many
        self.folder = folder

    def __repr__(self) -> str:
        return f"ExportFormat({self.id!r})"

    @property
    def takes_many(self) -> bool:
        return self.many is not None

    @property
    def folder_name(self) -> str:
        """A folder format's own name ("decisions"): the CLI's docs/<name>, the zip's top folder."""
        return self.suffix.lstrip("-.") or self.id

    def renderer(self) -> Callable[[ExportData], str]:
        return cast("Callable[[ExportData], str]", _load(self.render))

    def records(self) -> Callable[[ExportData, Path], list[Any]]:
        return cast("Callable[[ExportData, Path], list[Any]]", _load(self.render))

    def many_renderer(self) -> Callable[[list[ExportData]], str]:
        if self.many is None:
            raise KeyError(f"{self.id} exports one review")
        return cast("Callable[[list[ExportData]], str]", _load(self.many))


def _load(ref: str) -> Any:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


_P = "workbook.core.exports."

FORMATS: dict[str, ExportFormat] = {f.id: f for f in (
    ExportFormat("md", "Markdown decision log", ".md", "text/markdown", _P + "markdown:render_markdown"),
    ExportFormat("html", "HTML decision log (A4 printable)", ".html", "text/html", _P + "html_export:render_html"),
    ExportFormat("csv", "CSV for an issue tracker", ".csv", "text/csv", _P + "csv_export:render_csv",
                 many=_P + "csv_export:render_portfolio_csv"),
    ExportFormat("json", "JSON, everything derived", ".json", "application/json", _P + "json_export:render_json",
                 many=_P + "json_export:render_portfolio_json"),
    ExportFormat("adr", "ADR folder (MADR 4), one record per decision", "-decisions", "application/zip",
                 _P + "adr:plan_records", folder=True),
    # Only for a review of an imported lens (any other is refused in one line): the lens's own ids.
    ExportFormat("wa-answers", "AWS Well-Architected answers (UpdateAnswer calls, imported lenses)", "-wa-answers.json",
                 "application/json", _P + "wa_answers:render_wa_answers"),
)}


def export_format(fmt: str) -> ExportFormat:
    return FORMATS[fmt]


def format_ids() -> list[str]:
    return list(FORMATS)


def many_ids() -> list[str]:
    return [f.id for f in FORMATS.values() if f.takes_many]
