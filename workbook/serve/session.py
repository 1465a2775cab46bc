"""What each browser tab of ``workbook serve`` runs: the TUI for one visitor, on Textual's web driver.

    python -m workbook.serve.session REVIEW [--workshop] [--respondents DIR]

With ``--respondents`` the visitor is a live respondent: they give their name and answer REVIEW's
template in their own file in DIR (REVIEW itself is only read, for its template and program name).
The server starts this with TEXTUAL_DRIVER set to the web driver, the browser's visitor key in
WORKBOOK_VISITOR and its own pid in WORKBOOK_SERVER_PID: the tab runs in a session of its own (ctrl+c
reaches the server only), so when the server dies without closing it (SIGKILL) the tab notices its
parent is gone and quits the way a closed tab does: it saves, lets go of the file, and exits.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")  # as the CLI does: faster start-up

WATCH_EVERY = 0.25  # seconds between looks at the parent's pid
GRACE = 30.0  # seconds to save and exit once the server is gone, then exit regardless


def server_gone() -> None:
    """The server died: nobody reads our output any more. Quit as a closed tab does (SIGTERM: the web
    driver posts the app's exit, which saves), and never outlive it by more than GRACE seconds."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)  # writes would fail: EPIPE
        os.dup2(devnull, 2)
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE)
    os._exit(1)


def watch_server(server_pid: int, gone: Callable[[], None] = server_gone,
                 every: float = WATCH_EVERY) -> threading.Thread:
    """Call ``gone`` once this process's parent is no longer ``server_pid`` (the server died)."""

    def watch() -> None:
        while os.getppid() == server_pid:
            time.sleep(every)
        gone()

    thread = threading.Thread(target=watch, name="workbook-server-watch", daemon=True)
    thread.start()
    return thread


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbook.serve.session")
    parser.add_argument("review", type=Path)
    parser.add_argument("--respondents", type=Path, default=None)
    parser.add_argument("--workshop", action="store_true")
    args = parser.parse_args(argv)
    server = os.environ.get("WORKBOOK_SERVER_PID", "")  # server.SERVER_ENV (not imported: start-up stays light)
    if server.isdigit():
        watch_server(int(server))
    if os.environ.get("TEXTUAL_DRIVER") == "textual.drivers.web_driver:WebDriver":
        os.environ["TEXTUAL_DRIVER"] = "workbook.serve.driver:TabDriver"  # a dead server's pipe is not fatal

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
