"""What each browser tab of ``workbook serve`` runs: the TUI for one visitor, on Textual's web driver.

    python -m workbook.serve.session REVIEW [--workshop] [--respondents DIR]

With ``--respondents`` the visitor is a live respondent: they give their name and answer REVIEW's
template in their own file in DIR (REVIEW itself is only read, for its template and program name).
The server starts this with TEXTUAL_DRIVER set to the web driver and the browser's visitor key in
WORKBOOK_VISITOR.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")  # as the CLI does: faster start-up


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbook.serve.session")
    parser.add_argument("review", type=Path)
    parser.add_argument("--respondents", type=Path, default=None)
    parser.add_argument("--workshop", action="store_true")
    args = parser.parse_args(argv)

    from workbook.core.errors import WorkbookError
    from workbook.core.store import load_review
    from workbook.tui.app import make_app, user_config

    try:
        rf = load_review(args.review)
    except WorkbookError as exc:
        from workbook.serve.failed import FailedApp, reasons

        for line in exc.lines():  # the facilitator's terminal (the server relays a tab's stderr)
            print(f"workbook: {line}", file=sys.stderr)
        FailedApp(reasons(exc)).run()  # the visitor's page: the reason, never "connecting…" forever
        return 2
    if args.respondents is not None:
        from workbook.core.respondents import invite_for

        invite = invite_for(rf, args.respondents, visitor=os.environ.get("WORKBOOK_VISITOR", ""))
        app = make_app(None, invite=invite, config=user_config())
    else:
        app = make_app(rf, workshop=args.workshop, config=user_config())
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
