"""Driving the review screen as a user would: keys in, file out."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from textual import events
from textual.widgets import DataTable, Input, OptionList, TextArea

from tests.tui.conftest import card_row, card_text, focused_question, palette_offers, settle
from workbook.core.models import Status
from workbook.core.store import load_review
from workbook.tui.screens.dialogs import DeferDialog, ReasonDialog
from workbook.tui.screens.editor import AnswerEditor
from workbook.tui.screens.help import HelpScreen
from workbook.tui.widgets.header import ReviewHeader


async def test_answer_defer_quit_and_reload(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert focused_question(app) == "owner"
        # Answer the first question: enter opens the editor, down picks "Nobody", enter saves.
        await pilot.press("enter")
        assert isinstance(app.screen, AnswerEditor)
        await pilot.press("down", "enter")
        await pilot.pause()
        # Third question is multi-choice: space toggles, enter saves.
        await pilot.press("j", "j", "enter", "space", "down", "space", "enter")
        await pilot.pause()
        # Move to the cost section and defer the threshold with owner, date and what breaks.
        await pilot.press("right_square_bracket", "d")
        assert isinstance(app.screen, DeferDialog)
        await pilot.press(*"Sam Ortiz", "tab", *"2026-12-15", "tab", *"Budget sign-off", "enter")
        await pilot.pause()
        assert "Sam Ortiz" in card_text(app, "threshold")
        await pilot.press("q")
    data = tomllib.loads(mini.read_text())
    assert data["answers"]["owner"]["value"] == "nobody"
    assert data["answers"]["sources"]["value"] == ["wiki", "tickets"]
    threshold = data["answers"]["threshold"]
    assert threshold["status"] == "deferred"
    assert threshold["owner"] == "Sam Ortiz"
    assert threshold["decide_by"] == dt.date(2026, 12, 15)
    assert threshold["breaks_if_open"] == "Budget sign-off"
    # Reopen: everything is still there, and the deferred decision is an open constraint.
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert focused_question(app) == "threshold"  # back where the review was left
        assert "◆ open: deferred to Sam Ortiz, decide by 2026-12-15" in card_text(app, "threshold")


async def test_quitting_without_changes_leaves_the_file_byte_for_byte(mini: Path, open_app) -> None:
    before = mini.read_bytes()
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "k", "right_square_bracket", "left_square_bracket", "o", "o")
        await pilot.press("enter", "escape")  # open the editor and cancel
        await pilot.press("q")
    assert mini.read_bytes() == before


async def test_a_change_shows_unsaved_until_the_autosave(mini: Path, open_app) -> None:
    before = mini.read_bytes()
    app = open_app(mini, autosave_delay=3600)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u", "enter")
        assert app.screen.query_one(ReviewHeader).save_state == "unsaved changes"
        assert mini.read_bytes() == before
        await pilot.press("q")  # quitting saves
    assert load_review(mini).review.answers["owner"].status is Status.UNKNOWN


async def test_autosave_after_a_change_and_header_shows_the_time(mini: Path, open_app) -> None:
    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u", "enter")  # (enter: yes, replace the answer) mark the first question unknown
        header = app.screen.query_one(ReviewHeader)
        assert await settle(pilot, lambda: header.save_state == "saved 10:30:00")
        assert load_review(mini).review.answers["owner"].status is Status.UNKNOWN


async def test_not_applicable_needs_a_reason(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "n")
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")  # empty reason: refused, dialog stays
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"We use no sources", "enter")
        await pilot.pause()
        assert "not applicable: We use no sources" in card_text(app, "sources")
        await pilot.press("q")
    assert tomllib.loads(mini.read_text())["answers"]["sources"]["reason"] == "We use no sources"


async def test_defer_is_only_offered_on_decisions(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")  # the first question is not a decision
        await pilot.pause()
        assert not isinstance(app.screen, DeferDialog)


async def test_decisions_panel_lists_deferred_decisions_and_jumps(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [str(k.value) for k in table.rows] == ["boundary", "threshold"]
        owner_cells = [str(table.get_cell(k, "owner")) for k in table.rows]
        assert owner_cells == ["Priya", "UNOWNED"]
        assert "overdue 6d" in str(table.get_cell("boundary", "due"))
        await pilot.press("down", "enter")  # the threshold, in the cost section
        await pilot.pause()
        assert focused_question(app) == "threshold"


async def test_header_and_section_list_count_open_constraints(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.screen.query_one(ReviewHeader)
        assert (header.open_count, header.overdue_count) == (3, 1)
        sections = app.screen.query_one("#sections", OptionList)
        assert "◆1 open" in str(sections.get_option_at_index(0).prompt)
        assert "◆2 open" in str(sections.get_option_at_index(1).prompt)


async def test_number_editor_refuses_text_and_accepts_a_number(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "enter")
        await pilot.press(*"lots", "enter")
        assert isinstance(app.screen, AnswerEditor)  # refused, the error is shown
        app.screen.query_one("#value-number", Input).value = ""
        await pilot.press(*"2.5", "enter")
        await pilot.pause()
        assert app.session.review.answers["threshold"].value == 2.5
        assert app.session.review.answers["threshold"].status is Status.ANSWERED


async def test_help_lists_every_binding(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        for needle in ("Defer a decision", "Mark not applicable", "Show the next section", "Save and quit",
                       "Close without saving", "Show or hide the deferred decisions panel"):
            assert needle in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_jumps_to_a_section(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Go: Cost")
        assert await settle(pilot, lambda: palette_offers(app, "Go: Cost"))
        await pilot.press("enter")
        assert await settle(pilot, lambda: getattr(app.screen, "current_section", None) == "cost")


async def test_mouse_click_selects_a_section(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#sections", offset=(3, 2))
        await pilot.pause()
        assert app.screen.current_section == "cost"


async def test_assumption_assign_then_validate_closes_it(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "j")
        assert focused_question(app) == "good-enough"
        await pilot.press("d")  # assign an owner and a validate-by date
        assert isinstance(app.screen, DeferDialog)
        await pilot.press(*"Lee", "tab", *"2026-12-01", "enter")
        await pilot.pause()
        assert "Lee, validate by 2026-12-01" in card_text(app, "good-enough")
        assert app.screen.query_one(ReviewHeader).open_count == 3
        await pilot.press("v")
        await pilot.press("ctrl+u", *"Lee Chen", "enter")
        await pilot.pause()
        answer = app.session.review.answers["good-enough"]
        assert (answer.resolved_by, answer.resolved_on) == ("Lee Chen", dt.date(2026, 11, 26))
        assert "✓ validated by Lee Chen 2026-11-26" in card_text(app, "good-enough")
        assert app.screen.query_one(ReviewHeader).open_count == 2


async def test_saving_only_notes_on_a_deferred_decision_keeps_it_deferred(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "enter")  # the deferred boundary decision; the first option is highlighted
        app.screen.query_one("#notes", TextArea).text = "Waiting for legal."
        await pilot.press("f2")
        await pilot.pause()
        answer = app.session.review.answers["boundary"]
        assert (answer.status, answer.value, answer.notes) == (Status.DEFERRED, None, "Waiting for legal.")


async def test_clearing_a_text_answer_in_the_editor(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "j", "j", "enter", *"first thoughts", "f2")
        assert app.session.review.answers["notes"].value == "first thoughts"
        await pilot.press("enter")
        app.screen.query_one("#value-text", TextArea).text = ""
        await pilot.press("f2")
        await pilot.pause()
        assert "notes" not in app.session.review.answers  # cleared: back to unanswered, no crash
        assert app.is_running


def test_help_covers_every_binding_in_the_app() -> None:
    import inspect
    import pkgutil

    from textual.binding import Binding

    import workbook.tui
    from workbook.tui.bindings import GROUPS

    listed = {id(b) for _, bindings in GROUPS for b in bindings}
    missing = []
    for info in pkgutil.walk_packages(workbook.tui.__path__, prefix="workbook.tui."):
        module = __import__(info.name, fromlist=["_"])
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for b in cls.__dict__.get("BINDINGS", []):
                if isinstance(b, Binding) and id(b) not in listed:
                    missing.append(f"{name}: {b.key}")
                if isinstance(b, Binding) and not b.id:
                    missing.append(f"{name}: {b.key} has no id (a keymap cannot rebind it)")
    assert missing == []


async def test_keys_typed_ahead_act_on_the_card_the_previous_key_reached(sample_copy, open_app) -> None:
    # In a real terminal "] ] ] j j d" can arrive at once; each key must see the focus the last
    # one set (Widget.focus defers to the next tick, so moving uses set_focus directly).
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        for _ in range(4):  # past the profile, demo, data and latency sections to cost
            await screen.action_next_section(1)
        view = screen.query_one("SectionView")
        view.action_move(1)
        view.action_move(1)
        assert focused_question(app) == "cost-threshold-per-outcome"  # no pause in between
        await pilot.press("d")
        assert isinstance(app.screen, DeferDialog)


async def test_the_help_line_follows_the_focused_card(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        help_line = app.screen.query_one("#help-line")
        assert str(help_line.render()).startswith("Why it matters: This decides which latency questions apply")
        await pilot.press(*["right_square_bracket"] * 3)  # latency: its calculator card first
        await pilot.pause()
        assert str(help_line.render()).startswith("Calculator: enter opens it")


async def test_a_click_selects_a_card_and_a_double_click_edits_it(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        y = card_row(app, "sources")
        await pilot.click("SectionView", offset=(10, y))
        assert focused_question(app) == "sources"
        assert "Why it matters" in str(app.screen.query_one("#help-line").render())
        await pilot.click("SectionView", offset=(10, y), times=2)
        assert isinstance(app.screen, AnswerEditor)
        assert "Which sources feed the model?" in str(app.screen.query_one("#prompt").render())


async def test_the_key_bar_offers_what_the_selected_card_does(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = lambda: str(app.screen.query_one("KeyBar").render())  # noqa: E731
        assert "Answer" in keys() and "Calculator" not in keys()
        await pilot.press(*["right_square_bracket"] * 3)  # latency: its calculator card
        await pilot.pause()
        assert "Calculator" in keys() and "Answer" not in keys()
        await pilot.press("d")  # a question key does nothing on a calculator card
        await pilot.press("j")
        await pilot.pause()
        assert "Answer" in keys() and "Calculator" not in keys()
        await pilot.press("k", "enter")
        assert app.screen.__class__.__name__ == "LatencyCalculator"


async def test_a_theme_change_redraws_the_cards_in_its_colours(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view, y = app.screen.query_one("SectionView"), card_row(app, "owner")

        def background() -> set:
            return {segment.style.bgcolor for segment in view.render_line(y) if segment.style}

        dark = background()
        app.theme = "textual-light"
        await pilot.pause()
        assert background() and background().isdisjoint(dark)


async def test_browsing_the_section_list_then_tab_selects_the_first_card(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "down")  # the list has the focus: the next section is shown, nothing selected
        await pilot.pause()
        assert app.screen.current_section == "demo-vs-production"
        assert str(app.screen.query_one("#help-line").render()) == ""  # not the last section's help
        await pilot.press("tab")
        first = app.session.template.sections[1].questions[0]
        assert focused_question(app) == first.id
        assert str(app.screen.query_one("#help-line").render()).startswith("Why it matters: " + first.help[:20])
        await pilot.press("enter")
        assert isinstance(app.screen, AnswerEditor)


async def test_the_scrollbar_follows_the_view_across_sections(sample_copy, open_app) -> None:
    """A section that needs no scrollbar in between must not leave the thumb where it was."""
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(140, 45)) as pilot:
        # the first section (the profile) fits at this size; the demo section needs a scrollbar
        await app.screen.jump_to(app.session.template.section("demo-vs-production").questions[0].id)
        await pilot.press("end")
        await pilot.pause()
        view = app.screen.query_one("SectionView")
        assert view.scroll_y > 0
        await app.screen.jump_to(app.session.template.section("hard-decisions").questions[0].id)
        await pilot.pause()
        assert not view.show_vertical_scrollbar  # the whole section fits at this size
        await app.screen.jump_to(app.session.template.section("demo-vs-production").questions[0].id)
        await pilot.pause()
        assert view.vertical_scrollbar.position == view.scroll_y


async def test_keys_typed_right_after_s_or_o_go_where_those_keys_moved_the_focus(sample_copy, open_app) -> None:
    """In a terminal "s down" arrive together: down must move in the section list, not the questions."""
    from workbook.tui.widgets.section_list import SectionList

    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.action_focus_sections()  # no pause: the next key is handled with the focus as it is now
        assert isinstance(app.focused, SectionList)
        await pilot.press("escape")
        await screen.action_toggle_decisions()
        assert app.focused is not None and app.focused.parent is not None
        assert app.focused.parent.id == "decisions"  # its table, at once


async def test_enter_typed_right_after_tab_answers_the_first_card(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "down")
        await pilot.pause()
        app.screen.focus_next()  # tab, and no turn for the view's own focus event before the next key
        assert focused_question(app) == app.session.template.sections[1].questions[0].id


async def test_s_down_tab_enter_typed_together_answers_the_next_sections_first_question(sample_copy,
                                                                                       open_app) -> None:
    """A terminal delivers "s down tab enter" in one read: each key must find what the one before did."""
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.action_focus_sections()
        screen.query_one("#sections").action_cursor_down()  # down, with no turn for messages after it
        screen.focus_next()  # tab
        assert screen.current_section == "demo-vs-production"
        assert focused_question(app) == app.session.template.section("demo-vs-production").questions[0].id


async def test_enter_j_typed_together_in_the_section_list_moves_in_the_new_section(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "down")
        await pilot.pause()
        for key in ("enter", "j"):  # in the app's queue together, as a terminal's one read puts them
            app.post_message(events.Key(key, None))
        await pilot.pause()
        assert focused_question(app) == app.session.template.section("demo-vs-production").questions[1].id
