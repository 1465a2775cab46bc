"""Adding an export format touches one module: an entry in core/exports/registry.py shows up in the
CLI's `export --format`, the command palette, the TUI's export dialog and the browser's downloads."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import TODAY
from workbook.cli import cli
from workbook.core.exports import registry
from workbook.core.exports.common import ExportData
from workbook.core.exports.registry import FORMATS, ExportFormat
from workbook.core.session import ReviewSession
from workbook.core.store import load_review
from workbook.tui.commands import review_commands
from workbook.tui.file_actions import deliver_export, export_review


def render_plain(data: ExportData) -> str:
    return f"Plain log: {data.review.program.name}\n"


@dataclass(frozen=True)
class Note:
    filename: str
    text: str


def note_records(data: ExportData, folder: Path) -> list[Note]:
    return [Note(f"{d.question.id}.txt", f"{d.outcome}\n") for d in data.decisions()]


PLAIN = ExportFormat("plain", "Plain text log", ".txt", "text/plain", f"{__name__}:render_plain")
NOTES = ExportFormat("notes", "Notes folder, one file per decision", "-notes", "application/zip",
                     f"{__name__}:note_records", folder=True)


@pytest.fixture
def added(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two formats added the one way there is: entries in the registry."""
    monkeypatch.setitem(FORMATS, PLAIN.id, PLAIN)
    monkeypatch.setitem(FORMATS, NOTES.id, NOTES)


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_registry_holds_the_six_formats_and_their_names() -> None:
    assert registry.format_ids() == ["md", "html", "csv", "json", "adr", "wa-answers"]
    assert registry.many_ids() == ["csv", "json"]
    assert [f.id for f in FORMATS.values() if f.folder] == ["adr"]
    assert registry.export_format("adr").folder_name == "decisions"


def test_an_added_format_is_a_choice_of_export_and_exports(added: None, mini: Path, tmp_path: Path) -> None:
    assert "[md|html|csv|json|adr|wa-answers|plain|notes]" in run("export", "--help").output
    result = run("export", str(mini), "--format", "plain", "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert result.output == "Plain log: Mini program\n"
    refused = run("export", str(mini), str(mini), "--format", "plain")  # not registered as taking many
    assert refused.exit_code == 2 and "for many reviews use csv or json" in refused.output
    folder = tmp_path / "out"
    result = run("export", str(mini), "--format", "notes", "-o", str(folder), "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    written = [line.split(" ", 1) for line in result.output.splitlines()]
    assert written and {state for state, _ in written} == {"created"}
    assert sorted(Path(path).name for _, path in written) == sorted(p.name for p in folder.iterdir())


def test_the_cli_refuses_a_format_the_registry_does_not_have(mini: Path) -> None:
    result = run("export", str(mini), "--format", "plain")
    assert result.exit_code == 2 and "'plain' is not one of" in result.output


def test_an_added_format_is_offered_in_the_palette(added: None) -> None:
    asked: list[str] = []
    app = SimpleNamespace(action_export=asked.append, action_save_copy=lambda: None, run_worker=lambda w: None)
    review = SimpleNamespace(session=SimpleNamespace(can_undo=False, can_redo=False))
    exports = {c.title: c for c in review_commands(app, review, on_review=False)  # type: ignore[arg-type]
               if c.title.startswith("Export: ")}
    assert list(exports)[-2:] == ["Export: Plain text log", "Export: Notes folder, one file per decision"]
    exports["Export: Plain text log"].run()
    assert asked == ["plain"]


class FakeApp:
    """What file_actions asks of the app: where it would write, what it would send to a browser."""

    def __init__(self, is_web: bool) -> None:
        self.is_web = is_web
        self.sent: list[dict[str, Any]] = []
        self.screens: list[tuple[Any, Any]] = []
        self.notices: list[str] = []

    def deliver_text(self, file: io.StringIO, **kwargs: Any) -> None:
        self.sent.append({"data": file.read(), **kwargs})

    def deliver_binary(self, file: io.BytesIO, **kwargs: Any) -> None:
        self.sent.append({"data": file.read(), **kwargs})

    def push_screen(self, screen: Any, callback: Any) -> None:
        self.screens.append((screen, callback))

    def notify(self, message: str, **kwargs: Any) -> None:
        self.notices.append(message)


def test_an_added_format_downloads_in_a_browser(added: None, mini: Path) -> None:
    app = FakeApp(is_web=True)
    session = ReviewSession(load_review(mini), today=TODAY)
    deliver_export(app, session, "plain")  # type: ignore[arg-type]
    deliver_export(app, session, "notes")  # type: ignore[arg-type]
    plain, notes = app.sent
    assert (plain["save_filename"], plain["mime_type"], plain["data"]) == (
        "mini-review.txt", "text/plain", "Plain log: Mini program\n")
    assert (notes["save_filename"], notes["mime_type"]) == ("mini-review-notes.zip", "application/zip")
    with zipfile.ZipFile(io.BytesIO(notes["data"])) as archive:
        names = archive.namelist()
    assert names and all(n.startswith("notes/") and n.endswith(".txt") for n in names)


def test_an_added_format_is_written_where_the_dialog_says(added: None, mini: Path) -> None:
    app = FakeApp(is_web=False)
    session = ReviewSession(load_review(mini), today=TODAY)
    export_review(app, session, "plain")  # type: ignore[arg-type]
    [(dialog, chosen)] = app.screens
    assert dialog.default == str(mini.with_name("mini-review.txt"))
    chosen(dialog.default)
    assert mini.with_name("mini-review.txt").read_text() == "Plain log: Mini program\n"
    assert app.notices == [f"Wrote {mini.with_name('mini-review.txt')}"]
