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
from workbook.tui.widgets.section_entries import PAGE_SIZE
from workbook.tui.widgets.section_view import SectionView


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
        assert "Questions 1–50 of 110 (page 1 of 3)" in view.entry_text("note")
        await pilot.press("end")
        assert selected(app).question.id == "s00-q109" and len(shown(app)) == 10
        await pilot.press("home")
        assert selected(app).question.id == "s00-q00"
        view.reveal(f"s00-q{PAGE_SIZE - 1:02d}")  # the last card of page 1
        await pilot.press("j")  # past the last card of page 1: the first of page 2
        assert selected(app).question.id == f"s00-q{PAGE_SIZE:02d}"
        assert selected(app).number == PAGE_SIZE + 1  # numbered within the section, not the page
        assert "Questions 51–100 of 110 (page 2 of 3)" in view.entry_text("note")
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


async def test_visiting_every_section_keeps_the_same_widgets(tmp_path: Path) -> None:
    """The section view draws its cards: nothing is mounted per section or per card, so a review
    visited end to end holds as many widgets as it did on its first screen."""
    path = big(tmp_path, sections=30, per_section=20)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = len(list(app.screen.walk_children()))
        for _ in range(30):
            await pilot.press("right_square_bracket", "j", "j")
        await pilot.pause()
        assert app.screen.current_section == "s00"  # all the way round
        assert len(list(app.screen.walk_children())) == before
        assert selected(app).question.id == "s00-q02"


async def test_an_edit_on_a_later_page_of_a_huge_section_saves_what_a_whole_file_dump_gives(tmp_path: Path) -> None:
    from workbook.core.serialize import dumps_dict, review_dict

    path = big(tmp_path, sections=1, per_section=3000)
    app = make_app(load_review(path), today=TODAY, clock=lambda: NOW, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.screen.jump_to("s00-q2500")
        await pilot.press("x")  # clear it: the card on page 51 changes, and the file follows
        await pilot.pause()
        assert "unanswered" in selected(app).body_text()
        await pilot.press("end", "u")
        assert app.screen.__class__.__name__ == "ChoiceDialog"  # it has an answer: replacing it is asked
        await pilot.press("enter")
        await pilot.press("q")
    saved = path.read_text(encoding="utf-8")
    rf = load_review(path)
    assert rf.review.answer("s00-q2500").status.value == "unanswered"
    assert rf.review.answer("s00-q2999").status.value == "unknown"
    assert saved == dumps_dict(review_dict(rf.review, rf.template))  # byte for byte a whole-file save


async def test_cards_rewrap_when_the_terminal_is_resized(tmp_path: Path) -> None:
    path = big(tmp_path, sections=1, per_section=5)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(SectionView)
        narrow = view.virtual_size.height
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        assert view.virtual_size.height < narrow  # fewer, longer lines
        line = "".join(s.text for s in view.render_line(view.line_of("q:s00-q00") - int(view.scroll_offset.y)))
        assert selected(app).question.prompt[:40] in line
