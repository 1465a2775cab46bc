"""Writing the open review elsewhere: exports, asking where (next to the review by default).

In a browser (``workbook serve``) nothing is written on the server: exports and copies are delivered
to the browser as downloads (Textual's ``deliver_text`` / ``deliver_binary``).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from textual.app import App

from workbook.core.errors import WorkbookError
from workbook.core.session import ReviewSession


def export_review(app: App[Any], session: ReviewSession, fmt: str) -> None:
    """Ask where, then write the export (asking before replacing a file; never over the review itself)."""
    from workbook.core.exports.common import export_data
    from workbook.core.exports.registry import export_format
    from workbook.core.exports.write import render, write_folder, write_text
    from workbook.tui.screens.dialogs import ChoiceDialog, PathDialog

    rf = session.file
    if app.is_web:
        deliver_export(app, session, fmt)
        return
    form = export_format(fmt)
    default = str(rf.path.with_name(rf.path.stem + form.suffix))

    def write(target: Path) -> None:
        data = export_data(session.review, session.template, session.today)
        try:
            if form.folder:
                states = [state for _, state in write_folder(fmt, target, data)]
                detail = ", ".join(f"{states.count(s)} {s}" for s in ("created", "updated", "unchanged") if s in states)
                app.notify(f"{fmt.upper()}s in {target}: {detail or 'no decisions to record'}", title="Exported",
                           markup=False)
            else:
                write_text(target, render(fmt, data))
                app.notify(f"Wrote {target}", title="Exported", markup=False)
        except (OSError, WorkbookError) as exc:
            message = str(exc) if isinstance(exc, WorkbookError) else f"{target}: {exc.strerror or exc}"
            app.notify(message, title="Export failed", severity="error", markup=False)

    def chosen(path: str | None) -> None:
        if not path:
            return
        target = Path(path).expanduser()
        if os.path.realpath(target) == os.path.realpath(rf.path):
            app.notify("That is the review itself; choose another file.", severity="error", markup=False)
        elif not form.folder and target.exists():
            app.push_screen(ChoiceDialog("Replace it?", f"{target} exists.", [("replace", "Replace"),
                                         ("keep", "Keep it")], cancel="keep"),
                            lambda choice: write(target) if choice == "replace" else None)
        else:
            write(target)

    title = f"Export {fmt.upper()}s into which folder?" if form.folder else f"Export {fmt.upper()} to which file?"
    app.push_screen(PathDialog(title, default, ok_label="Export"), chosen)


def download_name(stem: str, suffix: str) -> str:
    """A file name any browser accepts as is (the server sends it unquoted)."""
    return (re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "review") + suffix


def deliver_export(app: App[Any], session: ReviewSession, fmt: str) -> None:
    """Send the export to the browser as a download; an ADR folder goes as one zip of its records."""
    from workbook.core.exports.common import export_data
    from workbook.core.exports.registry import export_format
    from workbook.core.exports.write import render, write_folder

    form = export_format(fmt)
    data = export_data(session.review, session.template, session.today)
    stem = session.file.path.stem
    if form.folder:
        buffer = io.BytesIO()
        with tempfile.TemporaryDirectory(prefix=f"workbook-{fmt}-") as tmp:
            written = write_folder(fmt, Path(tmp), data)
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, _ in written:
                    archive.write(Path(tmp) / name, f"{form.folder_name}/{name}")
        buffer.seek(0)
        filename = download_name(stem, form.suffix + ".zip")
        app.deliver_binary(buffer, save_filename=filename, mime_type=form.mime)
    else:
        try:
            text = render(fmt, data)
        except WorkbookError as exc:  # a format that does not fit this review (wa-answers of a built-in)
            app.notify(str(exc), title="Export failed", severity="error", markup=False)
            return
        filename = download_name(stem, form.suffix)
        app.deliver_text(io.StringIO(text), save_filename=filename, encoding="utf-8", mime_type=form.mime)
    app.notify(f"Sent {filename} to your browser as a download.", title="Exported", markup=False)


def deliver_copy(app: App[Any], session: ReviewSession) -> None:
    """A copy of the review as it is now, as a download (the review itself stays the one being edited)."""
    from workbook.core.serialize import dumps

    filename = download_name(session.file.path.stem + "-copy", ".toml")
    text = dumps(session.review, session.template)
    app.deliver_text(io.StringIO(text), save_filename=filename, encoding="utf-8", mime_type="application/toml")
    app.notify(f"Sent {filename} to your browser as a download.", title="Saved a copy", markup=False)
