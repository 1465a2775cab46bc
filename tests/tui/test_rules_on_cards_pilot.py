"""A risk set by a rule in context says so on its card: the program's other answers, not this one alone."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import SAMPLES
from tests.tui.conftest import card_text


async def test_a_card_names_the_rule_that_raised_its_risk(tmp_path: Path, open_app) -> None:
    review = tmp_path / "claims.toml"
    shutil.copy(SAMPLES / "claims-triage-agent.toml", review)
    app = open_app(review)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.screen.jump_to("prompt-injection-tested")
        await pilot.pause()
        text = card_text(app, "prompt-injection-tested")
        assert "HIGH RISK" in text
        assert "▲ A few jailbreaks by hand are not a test where the model can act" in text
        await app.screen.jump_to("data-owner-named")
        await pilot.pause()
        assert "▲" not in card_text(app, "data-owner-named")  # its own answer decides: no rule to name
