"""Browser mode and live respondents in Pilot (no process, no browser): the facilitator's tally follows
the files, merges; a respondent's first screen; in a browser exports are downloads; leaving saves."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import NOW, TODAY
from tests.tui.conftest import card_text, settle
from workbook.core.editing import MarkUnknown, SetAnswer, apply_change
from workbook.core.models import Status
from workbook.core.respondents import invite_for, join
from workbook.core.session import AnswerEdit
from workbook.core.store import ReviewFile, load_review, save_review
from workbook.serve.server import is_loopback, needs_token, new_token
from workbook.tui.app import WorkbookApp, make_app
from workbook.tui.screens.respondent_start import RespondentStartScreen
from workbook.tui.screens.respondents import RespondentsScreen
from workbook.tui.screens.review import ReviewScreen


def answer(rf: ReviewFile, qid: str, change: object) -> None:
    question = rf.template.question(qid)
    assert question is not None
    apply_change(rf.review, question, change, TODAY)  # type: ignore[arg-type]
    save_review(rf)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    answers = tmp_path / "answers"
    answers.mkdir()
    return answers


async def test_the_tally_follows_the_files_and_m_merges_them_into_the_review(mini: Path, folder: Path) -> None:
    review = load_review(mini)
    ana = join(invite_for(review, folder, visitor="a"), "Ana", TODAY)
    review.review.answers.pop("sources", None)
    save_review(review)
    app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, workshop=True, respondents=folder,
                   autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, RespondentsScreen))
        screen = app.screen
        assert isinstance(screen, RespondentsScreen)
        assert screen.tallies["sources"].answered == 0
        answer(ana, "sources", SetAnswer(["wiki"], ""))
        assert await settle(pilot, lambda: screen.tallies["sources"].answered == 1, tries=200)
        ben = join(invite_for(review, folder, visitor="b"), "Ben", TODAY)
        answer(ben, "sources", SetAnswer(["tickets"], ""))
        assert await settle(pilot, lambda: screen.tallies["sources"].disagree, tries=200)
        await pilot.press("f", "f")  # disagreements only
        await pilot.pause()
        table = screen.query_one("DataTable")
        assert [str(k.value) for k in table.rows] == ["sources"]  # type: ignore[attr-defined]
        assert "Ana: Internal wiki" in str(screen.query_one("#respondents-detail").render())
        await pilot.press("m")
        assert await settle(pilot, lambda: app.session is not None and not app.session.dirty
                            and app.session.review.answer("sources").disagreement)
        await pilot.press("enter")  # to the question in the review, to settle it there
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    merged = load_review(mini).review.answers["sources"]
    assert merged.status is Status.UNANSWERED and set(merged.responses) == {"Ana", "Ben"}
    assert load_review(mini).review.answers["owner"] == review.review.answers["owner"]  # kept as it was


async def test_a_respondent_gives_a_name_and_answers_in_their_own_file(mini: Path, folder: Path) -> None:
    invite = invite_for(load_review(mini), folder, visitor="browser-a")
    app = make_app(None, today=TODAY, clock=lambda: NOW, invite=invite, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, RespondentStartScreen)
        await pilot.press(".", ".", "/", "enter")
        assert "letter or digit" in str(app.screen.query_one("#respondent-error").render())
        for _ in range(3):
            await pilot.press("backspace")
        await pilot.press(*"Ana", "enter")
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.session is not None and app.session.file.path == folder / "ana.toml"
        app.apply(AnswerEdit("owner", MarkUnknown()))
        await pilot.press("q")
    assert load_review(folder / "ana.toml").review.answers["owner"].status is Status.UNKNOWN
    assert load_review(folder / "ana.toml").review.respondent == "Ana"


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The app believes it runs in a browser; what it would send to the browser is kept here."""
    delivered: list[dict[str, Any]] = []
    monkeypatch.setattr(WorkbookApp, "is_web", property(lambda self: True))

    def deliver(self: WorkbookApp, file: Any, **kwargs: Any) -> str:
        delivered.append({"data": file.read(), **kwargs})
        return "key"

    monkeypatch.setattr(WorkbookApp, "_deliver_binary", deliver)
    return delivered


async def test_in_a_browser_exports_and_copies_are_downloads_not_files(mini: Path, web: list[dict[str, Any]],
                                                                       open_app) -> None:
    before = sorted(p.name for p in mini.parent.iterdir())
    app = open_app(mini)
    async with app.run_test(size=(100, 30)) as pilot:
        for fmt in ("md", "html", "csv", "json", "adr"):
            app.action_export(fmt)
            await pilot.pause()
        app.action_save_copy()
        await pilot.pause()
    names = [d["save_filename"] for d in web]
    assert names == ["mini-review.md", "mini-review.html", "mini-review.csv", "mini-review.json",
                     "mini-review-decisions.zip", "mini-review-copy.toml"]
    assert web[0]["data"].startswith("# Decision log: Mini program")
    with zipfile.ZipFile(io.BytesIO(web[4]["data"])) as archive:
        assert archive.namelist() and all(n.startswith("decisions/0") for n in archive.namelist())
    assert 'name = "Mini program"' in web[5]["data"]
    assert sorted(p.name for p in mini.parent.iterdir()) == before  # nothing written on the server


async def test_leaving_without_q_saves_what_is_unsaved(mini: Path) -> None:
    app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, autosave_delay=600)
    async with app.run_test() as pilot:
        app.apply(AnswerEdit("notes", SetAnswer("said before the tab closed", "")))
        await pilot.pause()
        assert app.session is not None and app.session.dirty
        app.exit()  # what the browser's tab closing (or SIGTERM) does: no q
        await pilot.pause()
    assert load_review(mini).review.answers["notes"].value == "said before the tab closed"


def test_a_token_is_required_off_loopback() -> None:
    assert [needs_token(h, False) for h in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]")] == [False] * 5
    assert [needs_token(h, False) for h in ("0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "workshop.example")] == [
        True] * 5
    assert needs_token("127.0.0.1", True) and not is_loopback("localhost.example")
    assert len({new_token() for _ in range(20)}) == 20 and len(new_token()) >= 32


# --------------------------------------------------------------------------- issue 22: a workshop whose counts add up


def title_of(screen: RespondentsScreen) -> str:
    return str(screen.query_one("#respondents-title").render())


async def test_the_tally_shows_what_the_review_settled_and_a_merge_message_that_adds_up(mini: Path,
                                                                                       folder: Path) -> None:
    review = load_review(mini)
    ana = join(invite_for(review, folder, visitor="a"), "Ana", TODAY)
    ben = join(invite_for(review, folder, visitor="b"), "Ben Okoro", TODAY)
    for rf, source, owner in ((ana, ["wiki"], "named"), (ben, ["tickets"], "team")):
        answer(rf, "sources", SetAnswer(source, ""))
        answer(rf, "owner", SetAnswer(owner, ""))
    answer(ben, "notes", SetAnswer("only Ben wrote this", ""))
    (folder / "scratch.toml").write_bytes(b"")
    join(invite_for(review, folder, visitor="c"), "Cy", TODAY)  # joined, nothing recorded
    app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, workshop=True, respondents=folder,
                   autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, RespondentsScreen))
        screen = app.screen
        assert isinstance(screen, RespondentsScreen)
        table = screen.query_one("DataTable")
        # owner: the review answers it (team), so the respondents' difference is settled there.
        assert str(table.get_row("owner")[1]) == "✓ settled"  # type: ignore[attr-defined]
        assert str(table.get_row("sources")[1]) == "⚡ disagree"  # type: ignore[attr-defined]
        assert str(table.get_row("sources")[0]) == "2/3"  # type: ignore[attr-defined]
        title = title_of(screen)
        assert "⚡ 1 to settle" in title
        assert "Not counted: scratch.toml: empty file" in title
        assert "Nothing recorded yet: Cy: counted (x leaves them out)" in title
        await pilot.press("x")
        assert await settle(pilot, lambda: str(table.get_row("sources")[0]) == "2/2")  # type: ignore[attr-defined]
        assert "Cy: left out (x counts them)" in title_of(screen)
        await pilot.press("escape")  # closed and opened again: Cy is still left out
        app.action_respondents()
        assert await settle(pilot, lambda: isinstance(app.screen, RespondentsScreen) and app.screen is not screen
                            and bool(app.screen.query("DataTable")))
        screen = app.screen
        assert isinstance(screen, RespondentsScreen)
        table = screen.query_one("DataTable")
        assert await settle(pilot, lambda: "Cy: left out (x counts them)" in title_of(screen))
        messages: list[str] = []
        app.notify = lambda message, *a, **k: messages.append(str(message))  # type: ignore[method-assign]
        await pilot.press("m")
        assert await settle(pilot, lambda: bool(messages) and app.session is not None and not app.session.dirty)
        assert messages[0].startswith("Merged 2 respondent(s): 2 question(s) updated (0 agreed, "
                                      "1 by one respondent, 1 disagreement(s)); 1 disagreement(s) left to settle;"
                                      " 1 question(s) the review already answers kept as they are.")
        await pilot.press("enter")  # the highlighted first row (owner): the review, where Ben's note shows
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "(from Ben Okoro)" in card_text(app, "notes")
        await pilot.press("q")


async def test_a_returning_browser_finds_its_name_and_enter_resumes_its_file(mini: Path, folder: Path) -> None:
    invite = invite_for(load_review(mini), folder, visitor="browser-b")
    ben = join(invite, "Ben Okoro", TODAY)
    answer(ben, "owner", SetAnswer("named", ""))
    app = make_app(None, today=TODAY, clock=lambda: NOW, invite=invite, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, RespondentStartScreen)
        assert "Welcome back, Ben Okoro" in str(app.screen.query_one("#respondent-back").render())
        await pilot.press("enter")  # nothing typed
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.session is not None and app.session.file.path == ben.path
        assert app.session.review.answers["owner"].value == "named"
        await pilot.press("q")
    other = make_app(None, today=TODAY, clock=lambda: NOW, autosave_delay=0.05,
                     invite=invite_for(load_review(mini), folder, visitor="browser-c"))
    async with other.run_test(size=(80, 24)) as pilot:
        assert not other.screen.query("#respondent-back")  # another browser: a new visitor
        await pilot.press(*"ben okoro", "enter")
        await pilot.pause()
        error = str(other.screen.query_one("#respondent-error").render())
        assert "already answers as" in error and ".toml" not in error


async def test_a_tab_whose_review_cannot_be_loaded_shows_the_reason(tmp_path: Path) -> None:
    from workbook.core.errors import FileError
    from workbook.serve.failed import FailedApp, reasons

    exc = FileError.at(tmp_path / "review.toml", "answers.oncall.status", "only decision questions can be deferred")
    lines = reasons(exc)
    assert lines == ["review.toml: answers.oncall.status: only decision questions can be deferred"]
    app = FailedApp(lines)
    async with app.run_test(size=(80, 24)):
        shown = str(app.screen.query_one("#failed").render())
        assert "This review cannot be opened" in shown and lines[0] in shown


@pytest.mark.subprocess
async def test_a_tab_whose_process_dies_closes_its_page(tmp_path: Path) -> None:
    import asyncio
    import sys

    from textual_serve.download_manager import DownloadManager

    from workbook.serve.server import TabProcess

    closed = asyncio.Event()

    async def close() -> None:
        closed.set()

    async def ignore(_: object) -> None:
        return None

    tab = TabProcess([sys.executable, "-c", "import sys; sys.exit(3)"], "", write_bytes=ignore, write_str=ignore,
                     close=close, download_manager=DownloadManager())
    await tab.start(80, 24)
    await asyncio.wait_for(closed.wait(), 30)  # the page shows it ended, not "connecting…" for good
    await tab.stop()


async def test_a_tab_whose_stderr_reader_is_cancelled_before_it_ran_still_closes_and_stops(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # textual-serve cancels its stderr reader when the process ends; one cancelled before it ever ran
    # (a process that dies at once on a busy machine) surfaced as CancelledError from stop().
    import asyncio

    from textual_serve.app_service import AppService
    from textual_serve.download_manager import DownloadManager

    from workbook.serve.server import TabProcess

    hang = False

    async def cancelled_reader(self: AppService) -> None:
        if hang:
            await asyncio.Event().wait()
        raise asyncio.CancelledError

    monkeypatch.setattr(AppService, "run", cancelled_reader)
    closed = asyncio.Event()

    async def close() -> None:
        closed.set()

    async def ignore(_: object) -> None:
        return None

    tab = TabProcess(["true"], "", write_bytes=ignore, write_str=ignore, close=close,
                     download_manager=DownloadManager())
    await tab.run()  # returns: not a cancel of this task
    assert closed.is_set()
    hang = True
    task = asyncio.create_task(tab.run())
    await asyncio.sleep(0)
    task.cancel()  # a real cancel of the task still passes through
    with pytest.raises(asyncio.CancelledError):
        await task
