"""Large reviews: a long section is shown a page of cards at a time; a long help text scrolls in its box."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import tomli_w

from bench.generate import big
from tests.conftest import FIXTURES, NOW, TODAY
from workbook.core.store import load_review
from workbook.tui.app import make_app
from workbook.tui.screens.editor import AnswerEditor
from workbook.tui.widgets.section_view import PAGE_SIZE, SectionView


def app_for(path: Path):
    return make_app(load_review(path), today=TODAY, clock=lambda: NOW, autosave_delay=3600)


def shown(app) -> list[str]:
    return [c.question.id for c in app.screen.query_one(SectionView).cards()]


def selected(app):
    return app.screen.query_one(SectionView).selected_card


async def test_a_long_section_mounts_one_page_and_pages_with_j_k_end_home(tmp_path: Path) -> None:
    path = big(tmp_path, sections=1, per_section=PAGE_SIZE * 2 + 10)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ids = shown(app)
        assert len(ids) == PAGE_SIZE and ids[0] == "s00-q00"
        view = app.screen.query_one(SectionView)
        assert "Questions 1–50 of 110 (page 1 of 3)" in view.page_note_text()
        await pilot.press("end")
        assert selected(app).question.id == "s00-q109" and len(shown(app)) == 10
        await pilot.press("home")
        assert selected(app).question.id == "s00-q00"
        await view.reveal(f"s00-q{PAGE_SIZE - 1:02d}")  # the last card of page 1
        await pilot.press("j")  # past the last card of page 1: the first of page 2
        assert selected(app).question.id == f"s00-q{PAGE_SIZE:02d}"
        assert selected(app).number == PAGE_SIZE + 1  # numbered within the section, not the page
        assert "Questions 51–100 of 110 (page 2 of 3)" in view.page_note_text()
        await pilot.press("k")  # and back
        assert selected(app).question.id == f"s00-q{PAGE_SIZE - 1:02d}"


async def test_jumping_to_a_question_shows_its_page(tmp_path: Path) -> None:
    path = big(tmp_path, sections=1, per_section=PAGE_SIZE * 3)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        target = f"s00-q{PAGE_SIZE * 2 + 7}"
        await app.screen.jump_to(target)
        await pilot.pause()
        assert selected(app).question.id == target
        assert len(shown(app)) == PAGE_SIZE


async def test_a_huge_help_text_scrolls_below_the_prompt_and_choices(tmp_path: Path) -> None:
    template = tomllib.loads((FIXTURES / "mini-template.toml").read_text())
    template["sections"][0]["questions"][0]["help"] = "Why it matters. " * 65_000  # about 1 MB
    (tmp_path / "mini-template.toml").write_text(tomli_w.dumps(template))
    shutil.copy(FIXTURES / "mini-review.toml", tmp_path / "review.toml")
    app = app_for(tmp_path / "review.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        help_line = str(app.screen.query_one("#help-line").render())
        assert len(help_line) < 600  # a preview, not a megabyte
        await pilot.press("enter")
        assert isinstance(app.screen, AnswerEditor)
        screen = app.screen.region
        prompt, choices, help_box = (app.screen.query_one(sel).region for sel in ("#prompt", "#value-choice", "#help"))
        assert screen.contains_region(prompt) and screen.contains_region(choices)
        assert help_box.y > choices.y and help_box.height <= 6
        assert "more characters in the template" in str(app.screen.query_one("#help Static").render())
