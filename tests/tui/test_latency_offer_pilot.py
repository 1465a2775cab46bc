"""The latency calculator is honest about its p95 (issue 22): a simulation is never offered as the answer
to "What is the *measured* p95…", only to the estimate question a template names, saying it is simulated;
and its explanation is whole at 80x24."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.conftest import SAMPLES, TEMPLATES
from tests.tui.conftest import open_calculator, settle
from workbook.core.store import load_review
from workbook.tui.screens.calculator import LatencyCalculator
from workbook.tui.screens.dialogs import ChoiceDialog
from workbook.tui.screens.review import ReviewScreen

SIZE = (80, 24)
ESTIMATE = '''
[[sections.questions]]
id = "latency-estimated-p95-ms"
prompt = "What end-to-end p95 does the stage budget predict?"
kind = "number"
unit = "ms"
minimum = 0
'''


async def save_the_calculator(pilot) -> None:
    await open_calculator(pilot, "latency")
    assert isinstance(pilot.app.screen, LatencyCalculator)
    await pilot.press("f2")
    assert await settle(pilot, lambda: not isinstance(pilot.app.screen, LatencyCalculator))
    await pilot.pause()


async def test_the_simulated_p95_is_never_offered_as_the_measured_one(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=SIZE) as pilot:
        measured = app.session.review.answers["latency-measured-p95-ms"].model_copy()
        await save_the_calculator(pilot)
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen), "nothing offered: the template names no estimate question"
        assert app.session.review.answers["latency-measured-p95-ms"] == measured


def with_estimate_question(folder: Path) -> Path:
    """The sample, made with a copy of the full template that asks for an estimate and names it."""
    template = (TEMPLATES / "post-demo-review.toml").read_text()
    marker = '[[sections.questions]]\nid = "latency-budget-breakdown"'
    assert marker in template
    template = template.replace(marker, ESTIMATE.strip() + "\n\n" + marker, 1)
    template = template.replace('target_question = "latency-target-p95-ms"\n# No estimate_question',
                                'target_question = "latency-target-p95-ms"\n'
                                'estimate_question = "latency-estimated-p95-ms"\n# No estimate_question', 1)
    (folder / "post-demo-review.toml").write_text(template)
    review = (SAMPLES / "customer-support-copilot.toml").read_text()
    review = review.replace('template_version = "1.1.0"', 'template_version = "1.1.0"\n'
                            'template_file = "post-demo-review.toml"', 1)
    path = folder / "copilot.toml"
    path.write_text(review)
    return path


async def test_it_is_offered_to_the_estimate_question_saying_it_is_simulated(tmp_path: Path, open_app) -> None:
    path = with_estimate_question(tmp_path)
    assert load_review(path).template.calculators.latency.estimate_question == "latency-estimated-p95-ms"
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_calculator(pilot, "latency")
        explain = str(app.screen.query_one("#explain", Static).render())
        assert "saving offers it as an estimate only" in explain
        await pilot.press("f2")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        body = str(app.screen.query_one("#body", Static).render())
        assert "simulated p95 (an estimate, not a measurement) gives 6,680 ms" in body
        assert "What end-to-end p95 does the stage budget predict?" in body
        await pilot.click("#use")
        assert await settle(pilot, lambda: "latency-estimated-p95-ms" in app.session.review.answers)
        answer = app.session.review.answers["latency-estimated-p95-ms"]
        assert answer.value == 6680 and "not a measurement" in answer.notes
        assert app.session.review.answers["latency-measured-p95-ms"].value == 6800  # the measurement stays


@pytest.mark.parametrize("sample", ["customer-support-copilot.toml", "internal-code-assistant.toml",
                                    "contract-clause-extractor.toml", "claims-triage-agent.toml"])
async def test_the_explanation_is_whole_at_80x24(sample: str, tmp_path: Path, open_app) -> None:
    shutil.copy(SAMPLES / sample, tmp_path / sample)
    app = open_app(tmp_path / sample)
    async with app.run_test(size=SIZE) as pilot:
        await open_calculator(pilot, "latency")
        form = app.screen.query_one("#form")
        explain = app.screen.query_one("#explain", Static)
        assert "not measured" in str(explain.render())
        assert form.max_scroll_y == 0, "the form scrolls: part of the explanation is out of view"
        assert form.content_region.contains_region(explain.region)
