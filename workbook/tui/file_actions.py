"""Writing the open review elsewhere: exports, asking where (next to the review by default)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual.app import App

from workbook.core.errors import WorkbookError
from workbook.core.session import ReviewSession


def export_review(app: App[Any], session: ReviewSession, fmt: str) -> None:
    """Ask where, then write the export (asking before replacing a file; never over the review itself)."""
    from workbook.core.exports.common import export_data
    from workbook.core.exports.write import SUFFIX, render, write_adr, write_text
    from workbook.tui.screens.dialogs import ChoiceDialog, PathDialog

    rf = session.file
    default = str(rf.path.with_name(rf.path.stem + SUFFIX[fmt]))

    def write(target: Path) -> None:
        data = export_data(session.review, session.template, session.today)
        try:
            if fmt == "adr":
                states = [state for _, state in write_adr(target, data)]
                detail = ", ".join(f"{states.count(s)} {s}" for s in ("created", "updated", "unchanged") if s in states)
                app.notify(f"ADRs in {target}: {detail or 'no decisions to record'}", title="Exported", markup=False)
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
        elif fmt != "adr" and target.exists():
            app.push_screen(ChoiceDialog("Replace it?", f"{target} exists.", [("replace", "Replace"),
                                         ("keep", "Keep it")], cancel="keep"),
                            lambda choice: write(target) if choice == "replace" else None)
        else:
            write(target)

    title = "Export ADRs into which folder?" if fmt == "adr" else f"Export {fmt.upper()} to which file?"
    app.push_screen(PathDialog(title, default, ok_label="Export"), chosen)
