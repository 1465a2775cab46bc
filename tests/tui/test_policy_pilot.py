"""Settling a disagreement offers only what the question accepts, and the saved file always loads.

The path a first workshop broke: respondents disagree on a question that is not a decision, the
facilitator settles it "not today", and the TUI saved `status = "deferred"`, which every command then
refused to load.
"""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import card_text, focused_question, settle
from tests.tui.test_undo_pilot import answer, on_disk
from tests.tui.test_workshop_pilot import FakeClock, merged_file, workshop_app
from workbook.core.validate import check_file
from workbook.tui.screens.dialogs import DeferDialog
from workbook.tui.screens.settle import SettleDialog


def later_option(app) -> str:
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    return str(options.get_option_at_index(options.option_count - 1).prompt)


async def open_settle(pilot, qid: str) -> None:
    await pilot.app.screen.jump_to(qid)
    await pilot.pause()
    assert focused_question(pilot.app) == qid
    await pilot.press("enter")
    assert await settle(pilot, lambda: isinstance(pilot.app.screen, SettleDialog))


async def test_a_disagreement_on_a_plain_question_is_left_unknown_not_deferred(tmp_path: Path) -> None:
    merged = merged_file(tmp_path, "sources", {"Ana": ["wiki"], "Ben": ["email"]})
    app = workshop_app(merged, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settle(pilot, "sources")
        assert later_option(app) == "Not settled today: mark it unknown (it stays open)"
        await pilot.press("end", "enter")
        assert await settle(pilot, lambda: answer(on_disk(merged), "sources").get("status") == "unknown"
                            and not app.session.dirty)
        assert "(not settled: Ana, Ben disagreed)" in card_text(app, "sources")
    assert check_file(merged) == ([], "review")
    assert set(answer(on_disk(merged), "sources")["responses"]) == {"Ana", "Ben"}  # the record stays


async def test_a_critical_question_not_settled_gets_someone_to_find_out(tmp_path: Path) -> None:
    merged = merged_file(tmp_path, "owner", {"Ana": "named", "Ben": "nobody"})
    app = workshop_app(merged, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settle(pilot, "owner")
        assert later_option(app).startswith("Not settled today: mark it unknown, with an owner")
        await pilot.press("end", "enter")
        assert await settle(pilot, lambda: isinstance(app.screen, DeferDialog))
        assert "who finds out" in str(app.screen.query_one("Label").render())
        await pilot.press(*"Priya", "tab", *"2026-12-15", "enter")
        assert await settle(pilot, lambda: answer(on_disk(merged), "owner").get("owner") == "Priya"
                            and not app.session.dirty)
        saved = answer(on_disk(merged), "owner")
        assert saved["status"] == "unknown" and str(saved["decide_by"]) == "2026-12-15"
        assert [c.question_id for c in app.session.constraints] == ["owner"]  # on the board, owned and dated
    assert check_file(merged) == ([], "review")


async def test_a_decision_not_settled_is_deferred(tmp_path: Path) -> None:
    merged = merged_file(tmp_path, "threshold", {"Ana": 2, "Ben": 5})
    app = workshop_app(merged, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settle(pilot, "threshold")
        assert later_option(app) == "Not settled today: defer the decision to an owner and a date…"
        await pilot.press("end", "enter")
        assert await settle(pilot, lambda: isinstance(app.screen, DeferDialog))
        await pilot.press(*"Priya", "enter")
        assert await settle(pilot, lambda: answer(on_disk(merged), "threshold").get("status") == "deferred"
                            and not app.session.dirty)
    assert check_file(merged) == ([], "review")


async def test_d_on_a_plain_question_opens_nothing(mini: Path, open_app) -> None:
    app = open_app(mini)
    before = mini.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.screen.jump_to("sources")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, DeferDialog)
        assert app.screen.query_one("SectionView").selected_card.allows("defer") is None  # not in the key bar
        await pilot.press("q")
    assert mini.read_bytes() == before
