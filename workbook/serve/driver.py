"""The web driver a tab of ``workbook serve`` runs on: Textual's, except that a write to a server that
has died is not fatal. Textual's driver writes straight to the pipe; when the server is killed the
next frame raises BrokenPipeError inside the app, which then ends without its exit save. Here the
first failed write starts the same way out as the parent watch in ``session`` (save, let go, exit)."""

from __future__ import annotations

import threading
from typing import Any

from textual.drivers.web_driver import WebDriver

TEXTUAL_WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
TAB_DRIVER = "workbook.serve.driver:TabDriver"


class TabDriver(WebDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        raw = self._write
        gone = threading.Event()

        def write(data: bytes) -> None:
            if gone.is_set():
                return  # nobody reads any more: frames are dropped while the app saves and exits
            try:
                raw(data)
            except OSError:
                gone.set()
                from workbook.serve.session import server_gone

                threading.Thread(target=server_gone, name="workbook-server-gone", daemon=True).start()

        self._write = write  # type: ignore[assignment]
