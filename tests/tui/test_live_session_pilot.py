"""Trust in the live session: never act on the wrong question, never lose an answer to one key."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.tui.conftest import focused_question, palette_offers, settle
from workbook.tui.screens.editor import AnswerEditor


async def test_palette_go_to_section_moves_focus_to_its_first_question(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert focused_question(app) == "owner"
        await pilot.press("ctrl+p", *"Go: Cost")
        assert await settle(pilot, lambda: palette_offers(app, "Go: Cost"))
        await pilot.press("enter")
        assert await settle(pilot, lambda: getattr(app.screen, "current_section", None) == "cost")
        assert await settle(pilot, lambda: focused_question(app) == "threshold")
        help_line = str(app.screen.query_one("#help-line").render())
        assert "Why it matters" in help_line and "A named person" not in help_line
        await pilot.press("u")  # acts on the visible question, not one of the hidden section
        await pilot.press("q")
    answers = tomllib.loads(mini.read_text())["answers"]
    assert answers["threshold"]["status"] == "unknown" and answers["owner"]["status"] == "answered"


async def test_a_choice_dialog_saved_with_notes_only_says_no_choice_is_made(mini: Path, open_app) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")  # the owner question, now unanswered (its notes kept)
        await pilot.press("enter")
        assert isinstance(app.screen, AnswerEditor)
        assert app.screen.query_one("#value-choice").highlighted is None  # nothing looks chosen
        await pilot.press("tab", *" more", "f2")
        assert isinstance(app.screen, AnswerEditor)  # not saved silently
        assert "No choice is made" in str(app.screen.query_one("#error").render())
        await pilot.press("f2")  # asked for: only the notes
        assert await settle(pilot, lambda: not isinstance(app.screen, AnswerEditor))
        await pilot.press("enter", "down", "enter")  # the first choice, picked: an answer at once
        assert await settle(pilot, lambda: app.session.review.answers["owner"].value == "named")


async def test_clearing_says_how_to_undo_and_u_asks_before_replacing_an_answer(mini: Path, open_app) -> None:
    from workbook.tui.screens.dialogs import ChoiceDialog, ReasonDialog

    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")  # owner is answered "team": asked first
        assert isinstance(app.screen, ChoiceDialog)
        assert "This replaces the answer: A team" in str(app.screen.query_one("#body").render())
        await pilot.press("escape")  # keep it
        await pilot.pause()
        assert app.session.review.answers["owner"].value == "team"
        await app.screen.jump_to("good-enough")  # owner is critical: not applicable is refused for it
        await pilot.press("n")
        assert isinstance(app.screen, ReasonDialog)
        assert "This replaces the answer: yes" in " ".join(str(w.render()) for w in app.screen.query("Label"))
        await pilot.press("escape")
        await pilot.pause()
        assert app.session.review.answers["good-enough"].value is True
        await app.screen.jump_to("owner")
        await pilot.press("x")
        assert await settle(pilot, lambda: "owner" not in app.session.review.answers
                            or app.session.review.answers["owner"].value is None)
        assert any("ctrl+z to undo" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+z")
        assert await settle(pilot, lambda: app.session.review.answers["owner"].value == "team")


async def test_a_suggested_participant_is_what_enter_saves(mini: Path) -> None:
    from tests.tui.test_workshop_pilot import FakeClock, workshop_app
    from workbook.core.editing import SetParticipants
    from workbook.core.models import Participant
    from workbook.tui.screens.workshop import ParkingLotScreen

    app = workshop_app(mini, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        app.apply(SetParticipants((Participant(name="Dana"), Participant(name="Ben Osei"),
                                   Participant(name="Cy Tran"))))
        await pilot.press("j", "enter", "down")  # the boundary decision: "Yes"
        decided = app.screen.query_one("#decided-by")
        decided.value = ""
        decided.focus()
        await pilot.press(*"Ben", "enter")  # the suggestion "Ben Osei" shows; enter takes it
        assert await settle(pilot, lambda: app.session.review.answers["boundary"].resolved_by == "Ben Osei")
        await pilot.press("p")
        assert isinstance(app.screen, ParkingLotScreen)
        await pilot.press("a", *"Who pays?", "tab", *"Cy", "enter")
        assert await settle(pilot, lambda: [i.owner for i in app.session.review.parking_lot] == ["Cy Tran"])


async def test_a_refusal_is_visible_at_80x24(mini: Path) -> None:
    from tests.tui.test_workshop_pilot import FakeClock, workshop_app

    app = workshop_app(mini, FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("j", "enter", "down")
        app.screen.query_one("#decided-by").value = "Somebody Else"
        await pilot.press("f2")
        await pilot.pause()
        error = app.screen.query_one("#error")
        assert "recorded against a participant" in str(error.render())
        assert app.screen.region.contains_region(error.region) and error.region.height > 0


async def test_the_participants_dialog_saves_with_f2(mini: Path, open_app) -> None:
    from workbook.tui.screens.workshop import ParticipantsDialog

    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_participants()
        assert await settle(pilot, lambda: isinstance(app.screen, ParticipantsDialog))
        await pilot.press("end", "enter", *"Ana Ruiz, legal", "f2")
        assert await settle(pilot, lambda: [p.name for p in app.session.review.program.participants]
                            == ["Dana", "Ana Ruiz"])


async def test_t_in_another_section_stops_the_countdown_and_says_so(mini: Path) -> None:
    from tests.tui.test_workshop_pilot import FakeClock, workshop_app
    from workbook.tui.widgets.timer_bar import TimerBar

    clock = FakeClock()
    app = workshop_app(mini, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")  # Data's countdown
        clock.advance(minutes=5)
        await pilot.press("right_square_bracket", "t")  # in Cost: stops Data's, starts nothing
        await pilot.pause()
        assert app.screen.query_one(TimerBar).running is None
        assert any("Stopped the countdown for Data (05:00 logged)" in str(n.message) for n in app._notifications)
        assert await settle(pilot, lambda: app.session.review.workshop is not None)
        assert [(e.section, e.seconds) for e in app.session.review.workshop.log] == [("data", 300)]
        await pilot.press("t")
        assert app.screen.query_one(TimerBar).running.section_id == "cost"


async def test_find_a_question_with_slash_and_from_the_palette(sample_copy, open_app) -> None:
    from workbook.tui.screens.search import SearchScreen

    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"kill switch")
        await pilot.pause()
        assert app.screen.query_one("#results").get_option_at_index(0).id == "kill-switch"
        await pilot.press("enter")
        assert await settle(pilot, lambda: focused_question(app) == "kill-switch")
        await pilot.press("home", "ctrl+p", *"kill switch")
        assert await settle(pilot, lambda: palette_offers(app, "Question: How quickly can the AI feature"))
        await pilot.press("enter")
        assert await settle(pilot, lambda: focused_question(app) == "kill-switch")


async def test_next_unanswered_open_and_disagreement_keys(mini: Path, open_app, tmp_path: Path) -> None:
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("U")  # after "owner": sources is the next unanswered
        assert await settle(pilot, lambda: focused_question(app) == "sources")
        await pilot.press("U")
        assert await settle(pilot, lambda: focused_question(app) == "notes")
        await pilot.press("O")  # next open constraint: the threshold (deferred) in Cost
        assert await settle(pilot, lambda: focused_question(app) == "threshold")
        await pilot.press("O")
        assert await settle(pilot, lambda: focused_question(app) == "good-enough")  # relied on, not validated
        await pilot.press("O")  # wraps to the boundary decision in Data
        assert await settle(pilot, lambda: focused_question(app) == "boundary")
        await pilot.press("D")
        await pilot.pause()
        assert any("No disagreements left." in str(n.message) for n in app._notifications)


async def test_reopening_a_review_returns_to_where_you_were(mini: Path, open_app) -> None:
    before = mini.read_bytes()
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "j")
        assert await settle(pilot, lambda: focused_question(app) == "good-enough")
        await pilot.press("q")
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.current_section == "cost" and focused_question(app) == "good-enough"
    assert mini.read_bytes() == before  # the position is kept outside the review: the file is untouched


async def test_the_theme_is_remembered_and_text_stays_readable(mini: Path, tmp_path: Path) -> None:
    from textual.color import Color

    from tests.conftest import NOW, TODAY
    from workbook.core.store import load_review
    from workbook.core.userconfig import config_path
    from workbook.tui.app import make_app, user_config
    from workbook.tui.contrast import AA, contrast

    config_path().parent.mkdir(parents=True)
    config_path().write_text('# mine\n[keymap]\n"app.undo" = "f9"\n')
    app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, config=user_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        variables = app.get_css_variables()
        background = Color.parse(variables["background"])
        for name in ("text-accent", "text-warning", "text-success", "text-error", "foreground-muted"):
            assert contrast(Color.parse(variables[name]), background) >= AA, name
    saved = config_path().read_text()
    assert saved.startswith('theme = "textual-light"\n# mine\n[keymap]')  # the rest as the user wrote it
    app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, config=user_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"


async def test_term_dumb_gets_a_plain_rendering(mini: Path, open_app, monkeypatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color


async def test_keys_typed_ahead_in_a_dialog_follow_the_focus(mini: Path, open_app) -> None:
    """Sent in one burst (tmux, a fast typist), "Sam<tab>2026-12-15" must not end up in one field."""
    from textual import events

    from workbook.tui.screens.dialogs import DeferDialog

    app = open_app(mini)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("right_square_bracket", "d")
        assert await settle(pilot, lambda: isinstance(app.screen, DeferDialog))
        for ch in ["S", "a", "m", "tab", *"2026-12-15"]:  # all queued before any is handled
            app.post_message(events.Key(ch, "\t" if ch == "tab" else ch))
        assert await settle(pilot, lambda: app.screen.query_one("#decide-by").value == "2026-12-15")
        assert app.screen.query_one("#owner").value == "Sam"


async def test_down_in_the_search_box_moves_into_the_results_at_once(sample_copy, open_app) -> None:
    from textual.widgets import OptionList

    app = open_app(sample_copy("customer-support-copilot.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"data")
        await pilot.pause()
        search = app.screen
        search.action_down()  # no pause: a second down typed ahead must move in the list
        results = search.query_one("#results", OptionList)
        assert app.focused is results and results.highlighted is not None
