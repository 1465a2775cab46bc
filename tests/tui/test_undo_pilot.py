"""Undo (ctrl+z) and redo (ctrl+y) of every kind of change, with the saved file checked each time."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.conftest import TODAY
from tests.tui.conftest import card_text, focused_question, open_calculator, settle
from tests.tui.test_workshop_pilot import FakeClock, merged_file, workshop_app
from workbook.tui.screens.settle import SettleDialog
from workbook.tui.widgets.header import ReviewHeader

Saved = Callable[[dict[str, Any]], bool]


def on_disk(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return {}


async def saved(pilot: Any, path: Path, condition: Saved) -> bool:
    """Wait until the autosave has put a file on disk for which condition holds."""
    return await settle(pilot, lambda: condition(on_disk(path)) and not pilot.app.session.dirty)


def answer(data: dict[str, Any], qid: str) -> dict[str, Any]:
    return data.get("answers", {}).get(qid, {})


async def undo_redo(pilot: Any, path: Path, before: Saved, after: Saved) -> None:
    """The change is saved; ctrl+z saves the state before it; ctrl+y saves it again."""
    assert await saved(pilot, path, after)
    await pilot.press("ctrl+z")
    assert await saved(pilot, path, before)
    await pilot.press("ctrl+y")
    assert await saved(pilot, path, after)


async def test_undo_an_answer(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "down", "enter")  # owner: "team" → "nobody"
        await undo_redo(pilot, mini, lambda d: answer(d, "owner").get("value") == "team",
                        lambda d: answer(d, "owner").get("value") == "nobody")
        header = app.screen.query_one(ReviewHeader)
        assert "saved" in str(header.save_state)


async def test_undo_a_deferral(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "d", *"Sam", "tab", *"2026-12-15", "enter")
        await undo_redo(pilot, mini, lambda d: "owner" not in answer(d, "threshold"),
                        lambda d: answer(d, "threshold").get("owner") == "Sam")
        assert "Sam" in card_text(app, "threshold")


async def test_undo_not_applicable_and_clear(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "n", *"We use no sources", "enter")
        await undo_redo(pilot, mini, lambda d: "sources" not in d.get("answers", {}),
                        lambda d: answer(d, "sources").get("reason") == "We use no sources")
        await pilot.press("k", "k", "x")  # clear the owner answer (its notes stay)
        await undo_redo(pilot, mini, lambda d: answer(d, "owner").get("value") == "team",
                        lambda d: "value" not in answer(d, "owner") and answer(d, "owner").get("notes"))
        assert focused_question(app) == "owner"  # undo shows what it changed


async def test_undo_across_sections_jumps_back_to_the_question(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u", "enter")  # (enter: yes, replace the answer) owner (Data) unknown
        await pilot.press("right_square_bracket")
        assert await saved(pilot, mini, lambda d: answer(d, "owner").get("status") == "unknown")
        await pilot.press("ctrl+z")
        assert await saved(pilot, mini, lambda d: answer(d, "owner").get("status") == "answered")
        assert await settle(pilot, lambda: focused_question(app) == "owner")
        assert "Undid the 'unknown' of" in " ".join(str(n.message) for n in app._notifications)


async def test_undo_a_calculator_input(sample_copy, open_app) -> None:
    path = sample_copy("customer-support-copilot.toml")
    users_before = on_disk(path)["calculators"]["cost"]["users"]
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calculator(pilot, "cost")
        app.screen.query_one("#in-users", Input).value = "4321"
        await pilot.press("f2")
        assert await settle(pilot, lambda: type(app.screen).__name__ == "ChoiceDialog")
        await pilot.press("escape")  # not as the answer: only the inputs change
        await undo_redo(pilot, path, lambda d: d["calculators"]["cost"]["users"] == users_before,
                        lambda d: d["calculators"]["cost"]["users"] == 4321)


async def test_undo_a_parking_lot_edit(mini: Path) -> None:
    app = workshop_app(mini, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "a", *"Who pays?", "enter")
        await undo_redo(pilot, mini, lambda d: not d.get("parking_lot"),
                        lambda d: [i["topic"] for i in d.get("parking_lot", [])] == ["Who pays?"])
        await pilot.press("x")  # close it
        await undo_redo(pilot, mini, lambda d: "closed_on" not in d["parking_lot"][0],
                        lambda d: d["parking_lot"][0].get("closed_on") == TODAY)
        assert "0 open · 1 in all" in str(app.screen.query_one("#lot-title").render())


async def test_undo_settling_a_disagreement(tmp_path: Path) -> None:
    merged = merged_file(tmp_path, "threshold", {"Ana": 2, "Ben": 5})
    app = workshop_app(merged, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "enter")
        assert isinstance(app.screen, SettleDialog)
        await pilot.press("down", "enter")  # Ben's answer
        await undo_redo(pilot, merged, lambda d: "value" not in answer(d, "threshold"),
                        lambda d: answer(d, "threshold").get("value") == 5)
        assert set(answer(on_disk(merged), "threshold")["responses"]) == {"Ana", "Ben"}  # the record stays
        await pilot.press("ctrl+z")
        assert await settle(pilot, lambda: "⚡ respondents disagree" in card_text(app, "threshold"))


async def test_nothing_to_undo_says_so(mini: Path, open_app) -> None:
    before = mini.read_bytes()
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+z", "ctrl+y")
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert "Nothing to undo." in messages and "Nothing to redo." in messages
        await pilot.press("q")
    assert mini.read_bytes() == before


async def test_a_keymap_in_the_config_file_rebinds_keys(mini: Path, tmp_path: Path) -> None:
    from tests.conftest import NOW
    from workbook.core.store import load_review
    from workbook.core.userconfig import load_config
    from workbook.tui.app import make_app
    from workbook.tui.bindings import binding_ids
    from workbook.tui.screens.help import HelpScreen

    config_file = tmp_path / "config.toml"
    config_file.write_text('[keymap]\n"review.next_section" = "f6"\n"app.undo" = "f9"\n')
    config = load_config(config_file, known_ids=binding_ids())
    app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, autosave_delay=0.05, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket")  # no longer bound
        await pilot.pause()
        assert app.screen.current_section == "data"
        await pilot.press("f6")  # rebound: next section
        await pilot.pause()
        assert app.screen.current_section == "cost"
        await pilot.press("u")
        assert await saved(pilot, mini, lambda d: answer(d, "threshold").get("status") == "unknown")
        await pilot.press("f9")
        assert await saved(pilot, mini, lambda d: answer(d, "threshold").get("status") == "deferred")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "  f9" in str(app.screen.query_one("#keys").render())


@pytest.mark.parametrize("moved", ["question.edit", "calculator_card.open"])
async def test_moving_the_answer_or_the_calculator_key_keeps_the_other(sample_copy, tmp_path: Path, moved) -> None:
    """Both are enter and e by default: rebinding one must leave the other where it was."""
    from tests.conftest import NOW
    from workbook.core.store import load_review
    from workbook.core.userconfig import load_config
    from workbook.tui.app import make_app
    from workbook.tui.bindings import binding_ids
    from workbook.tui.screens.calculator import LatencyCalculator
    from workbook.tui.screens.editor import AnswerEditor

    config_file = tmp_path / "config.toml"
    config_file.write_text(f'[keymap]\n"{moved}" = "f7"\n')
    config = load_config(config_file, known_ids=binding_ids())
    app = make_app(load_review(sample_copy("customer-support-copilot.toml")), today=TODAY, clock=lambda: NOW,
                   autosave_delay=3600, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*["right_square_bracket"] * 3)  # latency: its calculator card
        await pilot.press("f7" if moved == "calculator_card.open" else "enter")
        assert isinstance(app.screen, LatencyCalculator)
        await pilot.press("escape")
        await pilot.press("j", "f7" if moved == "question.edit" else "e")  # its first question
        assert isinstance(app.screen, AnswerEditor)
