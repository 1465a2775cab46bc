"""`workbook serve` driven by a real headless Chromium (Debian's /usr/bin/chromium through Playwright).

The server runs as the user runs it (`python -m workbook serve ... --port 0`, on loopback), and a
browser uses it as a person would: the first screen, keys that answer a question (the file on disk
changes), an export that arrives as a download, the access token, live respondents. Every request
the browser makes is recorded, and any to another host is blocked and fails the test: nothing leaves
the machine. Set WORKBOOK_SCREENSHOTS=DIR to keep the screenshots.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import NOW, TODAY
from workbook.core.models import Status
from workbook.core.store import create_review_file, load_review, new_review
from workbook.core.templates import find_template

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.sync_api import Browser, BrowserContext, Download, Page, Route, sync_playwright
except ImportError:  # the test extra installs it
    sync_playwright = None  # type: ignore[assignment]

pytestmark = [
    pytest.mark.browser, pytest.mark.subprocess,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="playwright is not installed (pip install '.[test]')"),
]

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[>=78]")
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-quic",
         # Belt and braces: a host name other than loopback does not even resolve in this browser.
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 30.0, tab: Tab | None = None) -> Any:
    """Poll until a deadline; with a tab, Playwright's own wait, so its events (frames, downloads) arrive."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if tab is not None:
            tab.page.wait_for_timeout(50)
        else:
            time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


# --------------------------------------------------------------------------- the server


class Served:
    """`workbook serve` in a process of its own; its output read in a thread."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "workbook", "serve", *args, "--port", "0"], cwd=cwd,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "COLUMNS": "200"})
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        found = wait_for(lambda: next((m for line in self.lines if (m := re.search(r"at (http://\S+)", line))), None),
                         "the server's URL", timeout=60)
        self.url: str = found.group(1)
        assert urlsplit(self.url).hostname == "127.0.0.1"

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def children(self) -> list[int]:
        """The server's child processes (one per open browser tab)."""
        pids = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            try:
                pids += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                pass
        return pids

    def stop(self) -> int:
        """ctrl+c, as in the terminal it runs in."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


@contextmanager
def serve(args: list[str], cwd: Path) -> Iterator[Served]:
    served = Served(args, cwd)
    try:
        yield served
    finally:
        served.stop()


# --------------------------------------------------------------------------- the browser


@contextmanager
def chromium() -> Iterator[Browser]:
    assert CHROMIUM is not None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


class Tab:
    """One visitor: a browser context of its own (cookies too), every request recorded."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 800},
                                                           accept_downloads=True)
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.downloads: list[Download] = []
        self.frames = bytearray()
        self.context.route("**/*", self._only_loopback)
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("page", lambda page: page.on("download", self._download))
        self.page: Page = self.context.new_page()
        self.page.on("websocket", self._websocket)
        self.page.on("download", self._download)
        self.page.goto(url)
        self.page.wait_for_selector("body.-first-byte", timeout=30_000)
        self.page.focus(".xterm-helper-textarea")  # where xterm takes the keyboard

    def _download(self, download: Download) -> None:
        self.downloads.append(download)

    def _only_loopback(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _websocket(self, ws: Any) -> None:
        self.requests.append(ws.url)
        ws.on("framereceived", lambda payload: self.frames.extend(
            payload if isinstance(payload, bytes) else payload.encode()))

    def mark(self) -> int:
        return len(self.frames)

    def text(self, since: int = 0) -> str:
        """What the app drew since a mark, as text (escape sequences removed)."""
        return ANSI.sub(b"", bytes(self.frames[since:])).decode("utf-8", "replace")

    def wait_text(self, text: str, since: int = 0, timeout: float = 30.0) -> None:
        wait_for(lambda: text in self.text(since), f"{text!r} on the screen", timeout, tab=self)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def shot(self, name: str, tmp_path: Path) -> Path:
        self.page.wait_for_timeout(500)  # let xterm paint the last frame
        target = tmp_path / f"{name}.png"
        self.page.screenshot(path=str(target))
        keep = os.environ.get("WORKBOOK_SCREENSHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(target, Path(keep) / target.name)
        assert target.stat().st_size > 10_000  # a drawn screen, not a blank page
        return target

    def assert_stayed_on_this_machine(self) -> None:
        assert self.requests, "the page made no request at all?"
        assert not self.blocked, f"requests off the machine: {self.blocked}"
        assert all(urlsplit(url).hostname in LOOPBACK for url in self.requests), self.requests


def new_file(path: Path, program: str) -> Path:
    template, _ = find_template("post-demo-review")
    create_review_file(path, new_review(template, program, TODAY), template)
    return path


def answers_of(path: Path) -> dict[str, Status]:
    return {qid: a.status for qid, a in load_review(path).review.answers.items()}


def get(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # loopback only (asserted by Served)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


# --------------------------------------------------------------------------- the tests


def test_first_screen_keys_save_an_export_downloads_and_nothing_leaves_the_machine(tmp_path: Path) -> None:
    review = new_file(tmp_path / "pilot.toml", "Browser pilot")
    with serve([str(review)], tmp_path) as served, chromium() as browser:
        tab = Tab(browser, served.url)
        tab.wait_text("Browser pilot")  # the header names the program
        tab.wait_text("Does a person wait for each output?")  # the first question of the first section (the profile)
        tab.shot("serve-first-screen", tmp_path)

        before = review.read_bytes()
        mark = tab.mark()
        tab.press("u")  # mark the focused question unknown
        tab.wait_text("UNKNOWN", since=mark)
        wait_for(lambda: review.read_bytes() != before, "the review saved on disk", tab=tab)
        assert list(answers_of(review).values()) == [Status.UNKNOWN]
        tab.shot("serve-answered", tmp_path)

        mark = tab.mark()
        tab.press("Control+p")
        tab.type("Export: Markdown decision log")
        tab.wait_text("Markdown decision log", since=mark)
        tab.press("Enter")
        download = wait_for(lambda: tab.downloads[0] if tab.downloads else None, "the export to download", tab=tab)
        assert download.suggested_filename == "pilot.md"
        text = Path(download.path()).read_text(encoding="utf-8")
        assert text.startswith("# Decision log: Browser pilot")
        tab.wait_text("Sent pilot.md to your browser", since=mark)
        tab.shot("serve-exported", tmp_path)
        # Nothing was written on the server's disk for it: not beside the review, not in Downloads.
        assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".md") == []
        assert not (Path(os.environ["HOME"]) / "Downloads").exists()

        tab.assert_stayed_on_this_machine()
        assert any(url.endswith("/static/fonts/RobotoMono-VariableFont_wght.ttf") for url in tab.requests)
        children = served.children()
        assert len(children) == 1  # the tab's own process

        # ctrl+c with the tab still open, a moment after a change: the tab's process saves and quits.
        mark = tab.mark()
        tab.press("j", "u")
        tab.wait_text("2/4", since=mark)  # the profile section counts the second answer: the app has it
        assert served.stop() == 0, served.output
        assert list(answers_of(review).values()) == [Status.UNKNOWN, Status.UNKNOWN]
        tab.page.wait_for_selector("body.-closed", timeout=10_000)  # "Session ended" in the page
        tab.shot("serve-stopped", tmp_path)
    assert served.process.returncode == 0, served.output
    assert "stopped" in served.output
    assert all(not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
               for pid in children)


def test_the_token_is_required_when_asked_for_and_the_page_works_with_it(tmp_path: Path) -> None:
    review = new_file(tmp_path / "pilot.toml", "Token pilot")
    with serve([str(review), "--token"], tmp_path) as served:
        assert "?token=" in served.url and "requests without it get 403" in served.output
        base = served.url.split("?")[0]
        token = served.url.split("token=")[1]
        for path in ("", "static/js/textual.js", "ws", "download/x"):
            assert get(base + path) == 403, path
        assert get(base + "?token=wrong") == 403
        assert get(base + "?token=" + token[:-1]) == 403
        assert get(served.url) == 200
        with chromium() as browser:
            tab = Tab(browser, served.url)
            tab.wait_text("Token pilot")  # static files and the websocket pass with the cookie the page set
            tab.assert_stayed_on_this_machine()
            # Another browser without the token gets nothing.
            other = browser.new_context()
            response = other.new_page().goto(base)
            assert response is not None and response.status == 403
    assert served.process.returncode == 0, served.output


def test_loopback_refuses_other_host_names_and_other_sites(tmp_path: Path) -> None:
    review = new_file(tmp_path / "pilot.toml", "Closed pilot")
    with serve([str(review)], tmp_path) as served:
        assert "token" not in served.url
        assert get(served.url) == 200
        port = urlsplit(served.url).port
        assert get(served.url, {"Host": f"attacker.example:{port}"}) == 403  # DNS rebinding
        assert get(served.url + "ws", {"Origin": "http://attacker.example"}) == 403  # another site's page
        assert get(served.url + "static/", {}) in (403, 404)  # no folder listings


def test_live_respondents_answer_in_their_own_files_and_the_facilitator_merges(tmp_path: Path) -> None:
    review = new_file(tmp_path / "review.toml", "Respondents pilot")
    folder = tmp_path / "answers"
    review_bytes = review.read_bytes()
    with serve([str(review), "--respondents", str(folder)], tmp_path) as served, chromium() as browser:
        assert "respondents answer in" in served.output
        ana, ben = Tab(browser, served.url), Tab(browser, served.url)
        for tab, name in ((ana, "Ana López"), (ben, "Ben")):
            tab.wait_text("Review of Respondents pilot")
            tab.wait_text("Your name")
            mark = tab.mark()
            tab.type(name)
            tab.press("Enter")
            tab.wait_text("Does a person wait for each output?", since=mark)  # the profile's first question
            # The profile's questions are critical everywhere (never not applicable): both go to a question
            # some programs may skip, the second of "Demo vs production".
            mark = tab.mark()
            tab.press("]")
            tab.wait_text("What data did the demo", since=mark)
            mark = tab.mark()
            tab.press("j")
            tab.wait_text("what concurrency has the system been load-tested at?", since=mark)
        ana.shot("respondent-ana", tmp_path)
        mark = ana.mark()
        ana.press("u")  # Ana: unknown
        ana.wait_text("UNKNOWN", since=mark)
        mark = ben.mark()
        ben.press("n")  # Ben: not applicable, with a reason
        ben.wait_text("does not apply", since=mark)
        ben.type("We never ran a demo on data")
        mark = ben.mark()
        ben.press("Enter")
        ben.wait_text("We never ran a demo on data", since=mark)
        ben.shot("respondent-ben", tmp_path)
        ana_file, ben_file = folder / "ana-lopez.toml", folder / "ben.toml"
        wait_for(lambda: ana_file.exists() and answers_of(ana_file), "Ana's answer on disk", tab=ana)
        wait_for(lambda: ben_file.exists() and answers_of(ben_file), "Ben's answer on disk", tab=ben)
        (qid, status), = answers_of(ana_file).items()
        assert status is Status.UNKNOWN and answers_of(ben_file) == {qid: Status.NOT_APPLICABLE}

        # A third visitor cannot take Ana's name (nor her file).
        eve = Tab(browser, served.url)
        eve.wait_text("Your name")
        mark = eve.mark()
        eve.type("ana lopez")
        eve.press("Enter")
        eve.wait_text("already answers as", since=mark)
        eve.shot("respondent-name-taken", tmp_path)
        for tab in (ana, ben, eve):
            tab.assert_stayed_on_this_machine()
    assert served.process.returncode == 0, served.output
    assert review.read_bytes() == review_bytes  # respondents never touch the facilitator's review
    assert sorted(p.name for p in folder.glob("*.toml")) == ["ana-lopez.toml", "ben.toml"]
    respondent_bytes = {p: p.read_bytes() for p in folder.glob("*.toml")}

    shown = asyncio.run(facilitator(review, folder, qid))
    assert "⚡ disagree" in shown["state"] and shown["count"] == "2/2"
    assert "Ana López: unknown" in shown["detail"] and "Ben: not applicable" in shown["detail"]
    merged = load_review(review).review.answers[qid]
    assert merged.disagreement and set(merged.responses) == {"Ana López", "Ben"}
    assert {p: p.read_bytes() for p in folder.glob("*.toml")} == respondent_bytes  # the merge only reads them


async def facilitator(review: Path, folder: Path, qid: str) -> dict[str, str]:
    """`workbook open REVIEW --workshop --respondents DIR`: the tally shows the disagreement; m merges."""
    from workbook.tui.app import make_app
    from workbook.tui.screens.respondents import RespondentsScreen

    app = make_app(load_review(review), today=TODAY, clock=lambda: NOW, workshop=True, respondents=folder,
                   autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            if isinstance(app.screen, RespondentsScreen) and app.screen.tallies.get(qid, None) is not None:
                break
            await pilot.pause(0.05)
        screen = app.screen
        assert isinstance(screen, RespondentsScreen)
        table = screen.query_one("DataTable")
        row = table.get_row(qid)  # type: ignore[attr-defined]
        table.move_cursor(row=table.get_row_index(qid))  # type: ignore[attr-defined]
        await pilot.pause()
        shown = {"count": str(row[0]), "state": str(row[1]),
                 "detail": str(screen.query_one("#respondents-detail").render())}
        app.save_screenshot(str(review.parent / "facilitator.svg"))
        await pilot.press("m")
        for _ in range(200):
            if app.session is not None and not app.session.dirty and app.session.review.answers.get(qid):
                break
            await pilot.pause(0.05)
        await pilot.press("escape")
        await pilot.press("q")
    return shown


def test_a_review_that_stopped_loading_shows_why_in_the_page(tmp_path: Path) -> None:
    review = new_file(tmp_path / "review.toml", "Broken pilot")
    with serve([str(review), "--respondents", str(tmp_path / "answers")], tmp_path) as served, \
            chromium() as browser:
        # Edited by hand while the server runs: the next tab cannot load it.
        review.write_text(review.read_text() + '\n[answers.demo-data-source]\nvalue = "no-such-choice"\n')
        tab = Tab(browser, served.url)  # something is drawn: not "connecting…" for good
        tab.wait_text("This review cannot be opened")
        tab.wait_text("review.toml: answers.demo-data-source.value: must be one of:")
        assert str(tmp_path) not in tab.text()  # the server's folders are not shown to a visitor
        tab.shot("serve-review-broken", tmp_path)
        tab.assert_stayed_on_this_machine()
    assert served.process.returncode == 0, served.output
    assert "review.toml: answers.demo-data-source.value: must be one of:" in served.output


def test_a_respondent_coming_back_in_the_same_browser_resumes_without_typing(tmp_path: Path) -> None:
    review = new_file(tmp_path / "review.toml", "Returning pilot")
    folder = tmp_path / "answers"
    with serve([str(review), "--respondents", str(folder)], tmp_path) as served, chromium() as browser:
        ben = Tab(browser, served.url)
        ben.wait_text("Your name")
        mark = ben.mark()
        ben.type("Ben Okoro")
        ben.press("Enter")
        ben.wait_text("Demo vs production", since=mark)
        mark = ben.mark()
        ben.press("u")
        ben.wait_text("UNKNOWN", since=mark)
        wait_for(lambda: answers_of(folder / "ben-okoro.toml"), "Ben's answer on disk", tab=ben)
        mark = ben.mark()
        ben.page.reload()  # the same browser (its cookie), a new tab process
        ben.page.wait_for_selector("body.-first-byte", timeout=30_000)
        ben.page.focus(".xterm-helper-textarea")
        ben.wait_text("Welcome back, Ben Okoro", since=mark)
        ben.press("Enter")  # nothing typed
        ben.wait_text("UNKNOWN", since=mark)  # his own file, his answer in it
        ben.shot("respondent-returns", tmp_path)
        ben.assert_stayed_on_this_machine()
    assert served.process.returncode == 0, served.output
    assert sorted(p.name for p in folder.glob("*.toml")) == ["ben-okoro.toml"]
