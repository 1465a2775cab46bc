"""Every dialog readable at 80x24 (issue 15): labels wrap instead of being cut, four buttons fit, the
deferred decisions panel shows how overdue a decision is, long choices wrap with their risk in view,
help lists a key once and indents what wraps. And a decide-by date in the past is asked about."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, DataTable, Label, Static

from tests.conftest import TODAY
from tests.tui.conftest import settle
from workbook.tui.screens.dialogs import ChoiceDialog, DeferDialog, FormDialog, ValidateDialog
from workbook.tui.screens.editor import AnswerEditor, SubmittingSelectionList
from workbook.tui.screens.help import HelpScreen

SIZE = (80, 24)
WARNING = ("2026-06-11 is 168 days ago: the constraint will be overdue at once. Enter again to keep it, "
           "or fix the date.")


def rendered_lines(widget: Widget) -> list[str]:
    """What the widget shows, line by line, as it is drawn now."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [strip.text.rstrip() for strip in strips]


def error_text(app) -> str:
    return str(app.screen.query_one("#error", Static).render())


def assert_labels_inside(dialog: Widget) -> None:
    """No label or title runs past the dialog's edge (a label as wide as its text is cut there)."""
    inside = dialog.query_one("Vertical").content_region
    for label in dialog.query(Static):  # labels are statics too
        assert inside.contains_region(label.region), f"{label.render()!s:.40} runs past the dialog's edge"


# ------------------------------------------------------------------ a decide-by date in the past


async def test_a_past_decide_by_date_warns_and_a_second_enter_keeps_it(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "d")  # the boundary decision, deferred to Priya by 2026-11-20
        assert isinstance(app.screen, DeferDialog)
        await pilot.press("tab", "ctrl+u", *"2026-06-11", "enter")  # a typo in the month
        await pilot.pause()
        assert isinstance(app.screen, DeferDialog)  # not accepted at once
        assert error_text(app) == WARNING
        assert app.session.review.answers["boundary"].decide_by == dt.date(2026, 11, 20)
        await pilot.press("enter")  # again: kept, as the team meant it
        assert await settle(pilot, lambda: not isinstance(app.screen, DeferDialog))
        assert await settle(pilot, lambda: app.session.review.answers["boundary"].decide_by == dt.date(2026, 6, 11))
        await pilot.press("q")
    assert tomllib.loads(mini.read_text())["answers"]["boundary"]["decide_by"] == dt.date(2026, 6, 11)


async def test_a_corrected_date_is_accepted_and_another_past_date_warns_again(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "d", "tab", "ctrl+u", *"2026-06-11", "enter")
        await pilot.pause()
        assert error_text(app) == WARNING
        await pilot.press("ctrl+u", *"2026-06-12", "enter")  # another past date: asked about too
        await pilot.pause()
        assert isinstance(app.screen, DeferDialog)
        assert error_text(app).startswith("2026-06-12 is 167 days ago")
        await pilot.press("ctrl+u", *"2026-12-11", "enter")  # the date meant: accepted at once
        assert await settle(pilot, lambda: app.session.review.answers["boundary"].decide_by == dt.date(2026, 12, 11))
        assert not isinstance(app.screen, DeferDialog)


async def test_the_saved_past_date_and_today_are_not_asked_about(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=SIZE) as pilot:
        # The overdue date already in the file was accepted when it was set: changing the owner only
        # does not ask about it again.
        await pilot.press("j", "d", "ctrl+u", *"Sam", "enter")
        assert await settle(pilot, lambda: app.session.review.answers["boundary"].owner == "Sam")
        assert app.session.review.answers["boundary"].decide_by == dt.date(2026, 11, 20)
        # Today is not overdue (on the date itself a constraint is still open in time).
        await pilot.press("d", "tab", "ctrl+u", *TODAY.isoformat(), "enter")
        assert await settle(pilot, lambda: app.session.review.answers["boundary"].decide_by == TODAY)


async def test_the_warning_is_in_view_at_80x24(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await app.screen.jump_to("data-boundary-decision")
        await pilot.press("d", "tab", "ctrl+u", *"2026-06-11", "enter")
        await pilot.pause()
        shown = app.screen.query_one("#error", Static)
        assert str(shown.render()) == WARNING
        assert app.screen.region.contains_region(shown.region) and shown.size.height == 2  # wrapped, whole


# ------------------------------------------------------------------ labels wrap, buttons fit


async def test_dialog_labels_wrap_inside_the_dialog(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "d")
        assert isinstance(app.screen, DeferDialog)
        assert_labels_inside(app.screen)
        date_label = next(w for w in app.screen.query(Label) if "YYYY-MM-DD" in str(w.render()))
        assert date_label.size.height == 2  # "… (YYYY-MM-DD; empty: undated)" wraps, whole
        await pilot.press("escape", "right_square_bracket", "j", "v")  # the assumption: who validated it
        assert isinstance(app.screen, ValidateDialog)
        assert_labels_inside(app.screen)
        assert "".join(rendered_lines(app.screen.query_one(Label))).endswith("in the answer's notes)")


async def test_four_buttons_fit_the_file_changed_dialog(mini: Path, open_app) -> None:
    app = open_app(mini, autosave_delay=0.01)
    async with app.run_test(size=SIZE) as pilot:
        mini.write_text("this is = = not toml")  # broken on disk: workbook asks what to do
        await pilot.press("j", "u")
        assert await settle(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.pause()
        inside = app.screen.query_one("Vertical").content_region
        buttons = list(app.screen.query(Button))
        assert [str(b.label) for b in buttons] == ["Reload theirs", "Keep mine", "Save a copy", "Decide later"]
        for button in buttons:
            assert inside.contains_region(button.region), f"{button.label} is cut off"
            assert rendered_lines(button)[0].strip() == str(button.label)
        assert len({b.region.y for b in buttons}) == 1  # one row at 80 columns
        await pilot.resize_terminal(50, 24)  # narrower: the row wraps, nothing is cut
        await pilot.pause()
        inside = app.screen.query_one("Vertical").content_region
        assert all(inside.contains_region(b.region) for b in buttons)
        assert len({b.region.y for b in buttons}) > 1
        await pilot.click("#later")


# ------------------------------------------------------------------ panel, long choices, help


async def test_the_decisions_panel_shows_how_overdue_at_80_columns(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        table = app.screen.query_one("#decisions DataTable", DataTable)
        widths = [c.width for c in table.columns.values()]
        assert sum(widths) + 2 * len(widths) + 2 <= SIZE[0]  # cell padding and the scrollbar included
        due = [str(table.get_row_at(i)[2]) for i in range(table.row_count)]
        overdue = [d for d in due if "overdue" in d]
        assert overdue and all(len(d) <= widths[2] for d in due)
        assert any(overdue[0] in line for line in rendered_lines(table))  # "2026-11-13 overdue 13d", whole
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert table.columns[table.ordered_columns[0].key].width > widths[0]  # wider: the decision gets it


async def test_long_multi_choice_options_wrap_with_their_risk_in_view(sample_copy, open_app) -> None:
    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await app.screen.jump_to("demo-gaps-not-shown")
        await pilot.press("enter")
        assert isinstance(app.screen, AnswerEditor)
        choices = app.screen.query_one(SubmittingSelectionList)
        shown: list[str] = []
        for index in range(choices.option_count):
            choices.highlighted = index  # scrolls the list to it
            await pilot.pause()
            shown += rendered_lines(choices)
        text = " ".join(" ".join(line.split()) for line in shown)
        assert "Real users doing their own work (so far only builders and volunteers have used it) high risk" in text
        assert "Failures of upstream systems or the model provider medium risk" in text
        assert not any(line.endswith("…") for line in shown)
        # The check box is on a choice's first line only; the rest is indented under the label.
        wrapped = next(i for i, line in enumerate(shown) if line.endswith("builders and"))
        assert shown[wrapped].lstrip().startswith("▐") and shown[wrapped + 1].startswith("    volunteers")


async def test_help_lists_each_dialog_key_once_and_indents_wrapped_lines(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = app.screen.query_one("#keys", Static)
        lines = str(keys.render()).splitlines()
        dialogs = lines[lines.index("Dialogs") + 1:]
        dialogs = dialogs[:dialogs.index("")]
        assert sum("Cancel" in line for line in dialogs) == 1
        column = lines[lines.index("Anywhere") + 1].index("Show every key binding")
        titles = {line for line in lines if line and not line.startswith(" ")}
        assert "Review screen" in titles and "This help" in titles
        for line in lines:
            if line and line not in titles and line.startswith(" " * 3):
                assert line.index(line.strip()) == column, f"{line!r} does not start under the descriptions"
        undo = next(i for i, line in enumerate(lines) if "Undo the last change" in line)
        assert lines[undo + 1].strip() == "again)"  # wrapped at 80 columns, under its description
        assert all(len(line) <= keys.content_region.width for line in lines)


async def test_every_form_dialog_keeps_its_text_inside(mini: Path, open_app) -> None:
    from workbook.tui.screens.start import NewReviewDialog
    from workbook.tui.screens.workshop import ParkingItemDialog, ParticipantsDialog

    app = open_app(mini)
    async with app.run_test(size=SIZE) as pilot:
        # n on the boundary decision (owner is critical: not applicable is refused for it), then d on it
        for keys in (("j", "n"), ("d",), ("right_square_bracket", "j", "d"), ("v",)):
            await pilot.press(*keys)
            assert isinstance(app.screen, FormDialog)
            assert_labels_inside(app.screen)
            await pilot.press("escape")
            await pilot.pause()
        for dialog in (ParticipantsDialog(app.session.review.program.participants),
                       ParkingItemDialog(None, TODAY, "data", ["Dana"]),
                       NewReviewDialog("Post-demo risk review", "review.toml")):
            app.push_screen(dialog)
            await pilot.pause()
            assert_labels_inside(app.screen)
            await pilot.press("escape")
            await pilot.pause()
