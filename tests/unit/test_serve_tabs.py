"""`workbook serve` with real tab processes, driven over the websocket as the page drives it (no browser):
a tab survives every malformed message; tabs never outlive their server (SIGKILL, SIGHUP).

Waits poll with a generous deadline; nothing asserts how fast anything is.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.conftest import TODAY
from tests.unit.test_serve_guard import CLAMPED, LONE_SURROGATE, MALFORMED, running
from workbook.core.lock import lock_file, other_holder
from workbook.core.store import create_review_file, new_review
from workbook.core.templates import find_template
from workbook.serve.server import WorkbookServer, tab_command

pytestmark = pytest.mark.subprocess

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[>=78]")
DEADLINE = 60.0


def new_file(path: Path) -> Path:
    template, _ = find_template("post-demo-review")
    create_review_file(path, new_review(template, "Tab pilot", TODAY), template)
    return path


def statuses(path: Path) -> list[str]:
    return [a["status"] for a in tomllib.loads(path.read_text()).get("answers", {}).values()]


async def until(condition: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if value := condition():
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Page:
    """The page's side of one tab's websocket: what the tab drew, as text."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.frames = bytearray()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.frames.extend(message.data)

    def text(self, since: int = 0) -> str:
        return ANSI.sub(b"", bytes(self.frames[since:])).decode("utf-8", "replace")

    async def wait_text(self, text: str, since: int = 0) -> None:
        await until(lambda: text in self.text(since), f"{text!r} on the screen")

    async def press(self, key: str) -> None:
        await self.ws.send_json(["stdin", key])


@contextlib.asynccontextmanager
async def page(url: str) -> AsyncIterator[Page]:
    base = url.split("?")[0].replace("http://", "ws://")
    async with aiohttp.ClientSession() as client, client.ws_connect(base + "ws?width=100&height=30") as ws:
        shown = Page(ws)
        await shown.wait_text("Does a person wait for each output?")  # the tab is up and drew the review
        try:
            yield shown
        finally:
            shown.reader.cancel()


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def running_pid(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "zombie" not in status.lower()


async def test_a_tab_stays_up_through_every_malformed_message_and_saves_on_stop(tmp_path: Path) -> None:
    review = new_file(tmp_path / "review.toml")
    srv = WorkbookServer(tab_command(review, respondents=None, workshop=False), host="127.0.0.1", port=0,
                         token=None, title="Tab pilot", announce=lambda url: None)
    async with running(srv) as url, page(url) as shown:
        for message in [*MALFORMED, *CLAMPED]:
            if message == LONE_SURROGATE:
                continue  # it arrives as "?", a key: the help screen would take the keys below
            if isinstance(message, bytes):
                await shown.ws.send_bytes(message)
            else:
                await shown.ws.send_str(message)
        tabs = children(os.getpid())
        mark = len(shown.frames)
        await shown.press("u")  # the tab still takes keys: mark the first question unknown
        await shown.wait_text("UNKNOWN", since=mark)
        assert all(running_pid(pid) for pid in tabs) and not shown.ws.closed
        mark = len(shown.frames)
        await shown.press("j")
        await shown.press("u")  # a second edit, within the autosave delay: saved by the stop below
        await shown.wait_text("2/4", since=mark)
    # (leaving `running` stopped the server: every tab saved and exited)
    assert statuses(review) == ["unknown", "unknown"]


class Served:
    """`python -m workbook serve REVIEW --port 0` as the facilitator runs it."""

    def __init__(self, review: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "workbook", "serve", str(review), "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    async def url(self) -> str:
        found = await until(lambda: next((m for line in self.lines if (m := re.search(r"at (http://\S+)", line))),
                                         None), "the server's URL")
        return str(found.group(1))


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGHUP], ids=["SIGKILL", "SIGHUP"])
async def test_tabs_die_with_their_server_and_let_go_of_the_file(tmp_path: Path, how: signal.Signals) -> None:
    review = new_file(tmp_path / "review.toml")
    served = Served(review)
    try:
        url = await served.url()
        async with page(url) as shown:
            tabs = children(served.process.pid)
            assert len(tabs) == 1
            assert other_holder(review) is not None  # the tab holds the file
            mark = len(shown.frames)
            await shown.press("u")  # an edit the tab has not saved yet (autosave waits a second)
            await shown.wait_text("UNKNOWN", since=mark)
            served.process.send_signal(how)  # the terminal closed, or the server was killed outright
            await until(lambda: not any(running_pid(pid) for pid in tabs), "the tab processes to exit")
    finally:
        try:
            served.process.wait(timeout=DEADLINE)
        finally:
            if served.process.poll() is None:
                served.process.kill()
    assert other_holder(review) is None and not lock_file(review).exists()
    assert statuses(review) == ["unknown"]  # the tab saved its last edit on the way out
    if how is signal.SIGHUP:
        assert served.process.returncode == 0, "".join(served.lines)
