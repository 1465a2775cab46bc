"""`workbook` with no file: the start screen creates a review, opens a sample or a file."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from tests.conftest import sample_paths
from workbook.tui.screens.review import ReviewScreen
from workbook.tui.screens.start import StartScreen
from workbook.tui.widgets.section_view import SectionView


async def test_create_a_new_review_from_a_template(tmp_path: Path, open_app, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = open_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")  # the first template: the full post-demo review
        await pilot.press(*"Fraud copilot", "tab", "enter")  # the file is named after the program
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.session.review.program.name == "Fraud copilot"
        await pilot.press("q")
    data = tomllib.loads((tmp_path / "fraud-copilot.toml").read_text())
    assert data["template"] == "post-demo-review" and data["program"]["name"] == "Fraud copilot"


async def test_open_a_sample_edits_a_copy_not_the_original(tmp_path: Path, open_app, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = open_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        options = app.screen.query_one("#start-options")
        first_sample = next(i for i in range(options.option_count) if (options.get_option_at_index(i).id or "").startswith("sample:"))
        options.highlighted = first_sample
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.session.file.path.parent == tmp_path
        await pilot.press("q")


async def test_open_a_broken_file_says_why_and_stays(tmp_path: Path, open_app) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("x = [")
    app = open_app(None)
    async with app.run_test(size=(80, 24)) as pilot:
        options = app.screen.query_one("#start-options")
        options.highlighted = options.get_option_index("open")
        await pilot.press("enter", *str(bad), "enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        messages = [n.message for n in app._notifications]
        assert any(str(bad) in m and "invalid TOML" in m for m in messages)


@pytest.mark.parametrize("sample", sample_paths(), ids=lambda p: p.stem)
async def test_every_sample_opens_and_every_section_shows(sample: Path, sample_copy, open_app) -> None:
    path = sample_copy(sample.name)
    before = path.read_bytes()
    app = open_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        for section in app.session.template.sections:
            await app.screen.show_section(section.id)
            await pilot.pause()
            shown = app.screen.query_one(SectionView).cards()
            assert [c.question.id for c in shown] == [q.id for q in section.questions]
        await pilot.press("q")
    assert path.read_bytes() == before
    assert os.path.getsize(path) > 0
