"""The calculator panels: results follow every edit; saving puts the inputs in the review file."""

from __future__ import annotations

import tomllib

from textual.widgets import Input, Static

from tests.tui.conftest import open_calculator, settle
from workbook.tui.screens.calculator import CostCalculator, LatencyCalculator
from workbook.tui.screens.dialogs import ChoiceDialog
from workbook.tui.screens.review import ReviewScreen


def results_text(app) -> str:
    return str(app.screen.query_one("#results", Static).render())


async def test_editing_a_cost_input_updates_the_result_and_saves(sample_copy, open_app) -> None:
    path = sample_copy("customer-support-copilot.toml")
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calculator(pilot, "cost")
        assert isinstance(app.screen, CostCalculator)
        assert "$0.2618 per successful outcome" in results_text(app)
        users = app.screen.query_one("#in-users", Input)
        users.value = "1200"
        await pilot.pause()
        assert "At 1x (1,200 users, 660,000 requests a month)" in results_text(app)
        app.screen.query_one("#in-success_rate", Input).value = "1.5"
        await pilot.pause()
        assert "Success rate 0-1: must be from 0.000001 to 1." in str(app.screen.query_one("#error", Static).render())
        app.screen.query_one("#in-success_rate", Input).value = "0.55"
        await pilot.press("f2")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))  # offered as the answer
        await pilot.press("escape")  # not now
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "1,200 users" in app.screen.query_one("SectionView").entry_text("calc:cost")
        await pilot.press("q")
    assert tomllib.loads(path.read_text())["calculators"]["cost"]["users"] == 1200


async def test_latency_add_a_stage_and_the_p95_moves(sample_copy, open_app) -> None:
    path = sample_copy("customer-support-copilot.toml")
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calculator(pilot, "latency")
        assert isinstance(app.screen, LatencyCalculator)
        assert "p95 6,680 ms" in results_text(app)
        await pilot.press("f3")  # a new stage, focused on its name
        await pilot.press("ctrl+u", *"Guardrail check", "tab", "ctrl+u", *"400", "tab", "ctrl+u", *"900")
        await pilot.pause()
        assert "p95 6,680 ms" not in results_text(app)
        assert "Over the p95 target of 5,000 ms" in results_text(app)
        await pilot.press("enter")  # saves; a simulated p95 is not offered as the measured one
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("q")
    stages = tomllib.loads(path.read_text())["calculators"]["latency"]["stages"]
    assert stages[-1] == {"name": "Guardrail check", "p50_ms": 400.0, "p95_ms": 900.0}


async def test_latency_refuses_a_p95_of_1e20_with_a_sentence(sample_copy, open_app) -> None:
    # Issue 24: p50 1 and p95 1e20 crashed the screen (OverflowError in the simulation).
    path = sample_copy("customer-support-copilot.toml")
    before = path.read_bytes()
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calculator(pilot, "latency")
        assert isinstance(app.screen, LatencyCalculator)
        app.screen.query_one("#stage-p50-1", Input).focus()
        await pilot.press("ctrl+u", "1", "tab", "ctrl+u", *"1e20")
        await pilot.pause()
        error = str(app.screen.query_one("#error", Static).render())
        assert error == "Retrieval p95: must be 0 or from 0.001 to 86,400,000 ms (a day)."
        await pilot.press("f2")  # refused: nothing saved, the calculator stays open
        await pilot.pause()
        assert isinstance(app.screen, LatencyCalculator)
        # At the bound itself: the widest spread a stage may have is simulated and drawn.
        await pilot.press("ctrl+u", *"86400000")
        await pilot.pause()
        assert str(app.screen.query_one("#error", Static).render()) == ""
        assert "End to end: p50" in results_text(app)
        await pilot.press("escape")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.click("#leave")  # leave, discard them
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("q")
    assert path.read_bytes() == before


async def test_escape_leaves_without_saving(sample_copy, open_app) -> None:
    path = sample_copy("customer-support-copilot.toml")
    before = path.read_bytes()
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calculator(pilot, "cost")
        app.screen.query_one("#in-users", Input).value = "5"
        await pilot.press("escape")
        await pilot.press("q")
    assert path.read_bytes() == before


async def test_a_calculator_result_is_offered_as_the_answer(sample_copy, open_app) -> None:
    path = sample_copy("customer-support-copilot.toml")
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calculator(pilot, "cost")
        app.screen.query_one("#in-users", Input).value = "1200"
        await pilot.press("f2")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        body = str(app.screen.query_one("#body").render())
        assert "The cost calculator gives 0.2" in body and "What does one successful outcome cost" in body
        await pilot.press("enter")  # use it
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        answer = app.session.review.answers["cost-per-outcome-current"]
        assert abs(answer.value - 0.2618) < 0.05 and "From the cost calculator." in answer.notes


async def test_escape_with_unsaved_inputs_asks(sample_copy, open_app) -> None:
    path = sample_copy("customer-support-copilot.toml")
    before = path.read_bytes()
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calculator(pilot, "latency")
        await pilot.press("tab")  # from the first number to the next number: names are not in the way
        assert app.focused.id.startswith("stage-p")
        app.focused.value = "999"
        await pilot.press("escape")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("escape")  # stay
        assert await settle(pilot, lambda: not isinstance(app.screen, ChoiceDialog))
        await pilot.press("escape")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.click("#leave")
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.press("q")
    assert path.read_bytes() == before
