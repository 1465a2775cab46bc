"""The start screen's "New full review from a quick check…": carry the quick check into a full review."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.tui.conftest import settle
from workbook.tui.screens.review import ReviewScreen
from workbook.tui.screens.start import StartScreen

QUICK = """\
schema = 1
template = "quick-self-check"
template_version = "1.1.0"

[program]
name = "BenefitsBot"
owner = "Megan"
review_date = 2026-10-01

[answers.peak-concurrency-tested]
value = "fraction"

[answers.kill-switch]
status = "unknown"

[answers.model-choice]
status = "deferred"
owner = "Priya"
decide_by = 2026-12-15

[answers.personal-data-in-prompts]
value = true
"""


def choose_from_quick(app) -> None:
    options = app.screen.query_one("#start-options")
    options.highlighted = options.get_option_index("from-quick")


async def test_a_full_review_from_a_quick_check(tmp_path: Path, open_app, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "quick.toml").write_text(QUICK)
    app = open_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, StartScreen)
        choose_from_quick(app)
        await pilot.press("enter", *"quick.toml", "enter")  # the quick check to start from
        await pilot.pause()
        await pilot.press("enter")  # saved as quick-full.toml, beside it: the suggested name
        assert await settle(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.session.review
        assert (review.template, review.program.name, review.program.owner) == ("post-demo-review", "BenefitsBot", "Megan")
        assert sorted(review.answers) == ["data-sensitivity-classes", "kill-switch", "model-choice",
                                          "peak-concurrency-tested"]
        messages = [n.message for n in app._notifications]
        assert ("carried 4 answers (1 in another form: personal-data-in-prompts → data-sensitivity-classes) "
                "from quick.toml; nothing left behind" in messages)
        await pilot.press("q")
    data = tomllib.loads((tmp_path / "quick-full.toml").read_text())
    assert data["template"] == "post-demo-review" and data["answers"]["model-choice"]["owner"] == "Priya"
    assert tomllib.loads((tmp_path / "quick.toml").read_text())["template"] == "quick-self-check"  # untouched


async def test_a_quick_check_that_cannot_be_read_says_why_and_stays(tmp_path: Path, open_app, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text("x = [")
    app = open_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        choose_from_quick(app)
        await pilot.press("enter", *"bad.toml", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)  # not asked for a file name for nothing
        assert any("bad.toml" in n.message and "invalid TOML" in n.message for n in app._notifications)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".toml") == ["bad.toml"]
