"""Snapshots at 80x24: what a user sees. Re-approve with `pytest --snapshot-update` after a
deliberate change, and look at the report before you do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, NOW, TODAY, sample_paths
from tests.measured import costed_copy
from tests.tui.conftest import open_calculator, settle
from workbook.core import editing
from workbook.core.store import load_review, save_review
from workbook.tui.app import make_app

SIZE = (80, 24)


def at(*keys: str, question: str | None = None):
    """run_before: no start-up toast over the screen, then go to a question and press keys."""

    async def run(pilot) -> None:
        await quiet(pilot)
        if question is not None:
            await pilot.app.screen.jump_to(question)
            await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()

    return run


async def quiet(pilot) -> None:
    """Let the start-up notes arrive, then clear them: they would cover half a dialog at 80x24."""
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def calculator(kind: str):
    """run_before: no start-up toast (a sample made with an older template says so), then its calculator."""

    async def run(pilot) -> None:
        await quiet(pilot)
        await open_calculator(pilot, kind)

    return run


@pytest.fixture
def mini_here(mini: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini review opened by a relative path: dialogs that name the file show the same text in every run."""
    monkeypatch.chdir(mini.parent)
    return Path(mini.name)


def merged_disagreement(folder: Path) -> Path:
    """Two respondents who answered who owns the data differently, one with a long note, merged."""
    from workbook.core.merge import merge_reviews
    from workbook.core.store import create_review_file

    shutil.copy(FIXTURES / "mini-template.toml", folder)
    files = []
    for name, value, note in (("Ana Lopez", "named", "Priya signs off every dataset; the data register has "
                               "listed her as the owner since the spring."), ("Ben Okafor", "nobody", "")):
        path = folder / f"{name.split()[0]}.toml"
        shutil.copy(FIXTURES / "mini-review.toml", path)
        rf = load_review(path)
        rf.review.answers = {}
        rf.review.respondent = name
        editing.set_value(rf.review, "owner", value, TODAY)
        if note:
            editing.set_notes(rf.review, "owner", note)
        save_review(rf, force=True)
        files.append(load_review(path))
    merged = folder / "merged.toml"
    create_review_file(merged, merge_reviews(files).review, files[0].template)
    return merged


class TestReviewScreen:
    def test_first_screen(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["wait:50"])

    def test_second_section_with_open_constraints(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["right_square_bracket", "j"])

    def test_decisions_panel(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["o"])

    def test_decisions_panel_overdue_in_full(self, sample_copy, open_app, snap_compare) -> None:
        """Columns sized from the terminal: "2026-11-13 overdue 13d" whole at 80 columns."""
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=at("o"))


class TestDialogs:
    def test_answer_editor_single_choice(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["enter"])

    def test_answer_editor_number_decision(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["right_square_bracket", "enter"])

    def test_defer_dialog(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["j", "d"])

    def test_help_screen(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["question_mark"])

    def test_answer_editor_multi_choice_long_options(self, sample_copy, open_app, snap_compare) -> None:
        """Long choices wrap under their label, the risk after each in view."""
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=at("enter", question="demo-gaps-not-shown"))

    def test_answer_editor_single_choice_long_options(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=at("enter", question="data-erasure"))

    def test_answer_editor_text(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, run_before=at("enter", question="notes"))

    def test_answer_editor_date(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, run_before=at("enter", question="launch"))

    def test_answer_editor_decision_with_decided_by(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=at("enter", question="data-boundary-decision"))

    def test_defer_dialog_past_date_warning(self, mini: Path, open_app, snap_compare) -> None:
        """A decide-by date in the past is asked about before it is kept."""
        assert snap_compare(open_app(mini), terminal_size=SIZE,
                            run_before=at("j", "d", "tab", "ctrl+u", *"2026-06-11", "enter"))

    def test_reason_dialog(self, mini: Path, open_app, snap_compare) -> None:
        # not on owner: it is critical, so not applicable is refused for it
        assert snap_compare(open_app(mini), terminal_size=SIZE, run_before=at("n", question="good-enough"))

    def test_validate_dialog(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, run_before=at("v", question="good-enough"))

    def test_mark_unknown_choice_dialog(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, run_before=at("u"))

    def test_path_dialog(self, open_app, snap_compare) -> None:
        assert snap_compare(open_app(None), terminal_size=SIZE, run_before=at("end", "enter"))

    def test_file_changed_dialog_four_buttons(self, mini_here: Path, open_app, snap_compare) -> None:
        """The file on disk cannot be read to merge: four choices, each button whole at 80 columns."""

        async def run_before(pilot) -> None:
            await quiet(pilot)
            mini_here.write_text("this is = = not toml")
            await pilot.press("j", "u")
            assert await settle(pilot, lambda: type(pilot.app.screen).__name__ == "ChoiceDialog")

        assert snap_compare(open_app(mini_here, autosave_delay=0.01), terminal_size=SIZE, run_before=run_before)

    def test_merge_conflict_dialog(self, mini_here: Path, open_app, snap_compare) -> None:
        """Changed here and on disk: both values side by side."""

        async def run_before(pilot) -> None:
            await quiet(pilot)
            other = load_review(mini_here)
            editing.set_value(other.review, "boundary", "yes", TODAY)
            save_review(other)
            await pilot.press("j", "u")
            assert await settle(pilot, lambda: type(pilot.app.screen).__name__ == "ChoiceDialog")

        assert snap_compare(open_app(mini_here, autosave_delay=0.01), terminal_size=SIZE, run_before=run_before)

    def test_settle_dialog(self, tmp_path: Path, snap_compare) -> None:
        app = make_app(load_review(merged_disagreement(tmp_path)), today=TODAY, clock=lambda: NOW)
        assert snap_compare(app, terminal_size=SIZE, run_before=at("enter"))

    def test_participants_dialog(self, sample_copy, open_app, snap_compare) -> None:
        async def run_before(pilot) -> None:
            await quiet(pilot)
            pilot.app.action_participants()
            await pilot.pause()

        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_program_dialog(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=at("P"))

    def test_new_review_dialog(self, open_app, snap_compare) -> None:
        assert snap_compare(open_app(None), terminal_size=SIZE, run_before=at("enter", *"Support copilot"))


class TestImportedLens:
    def test_review_of_an_imported_lens(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_app,
                                        snap_compare) -> None:
        """The Personalize sample lens imported: a ticked lens question judged by the lens's rule, named."""
        from tests.tui.test_lens_review_pilot import lens_review

        monkeypatch.chdir(tmp_path)
        review = lens_review(Path("."))
        review.write_text(review.read_text() + '\n[answers.ops1]\nstatus = "answered"\nvalue = ["ops1_2"]\n')
        assert snap_compare(open_app(review), terminal_size=SIZE, run_before=at(question="ops1"))


class TestStartScreen:
    def test_start_screen(self, open_app, snap_compare) -> None:
        assert snap_compare(open_app(None), terminal_size=SIZE)


class TestPortfolio:
    def test_portfolio(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, snap_compare) -> None:
        from workbook.core.discover import find_review_files

        for path in sample_paths():
            shutil.copy(path, tmp_path / path.name)
        monkeypatch.chdir(tmp_path)  # relative paths: the same text in every run
        files = find_review_files([Path(".")])
        app = make_app(None, today=TODAY, clock=lambda: NOW, portfolio=(files, "verdict", ()))

        async def run_before(pilot) -> None:
            assert await settle(pilot, lambda: bool(getattr(pilot.app.screen, "rows", None)))

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestBoardAndSummary:
    def test_constraints_board(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=at("c"))  # at: no upgrade notes over it

    def test_summary(self, sample_copy, open_app, snap_compare) -> None:
        """"Start with" items wrap on their words under their own text."""
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=at("r"))

    def test_summary_sections_whole(self, sample_copy, open_app, snap_compare) -> None:
        """The addendum's long section title ("Untrusted content and credentials") whole, bars beside."""

        async def run_before(pilot) -> None:
            await quiet(pilot)
            await pilot.press("r")
            await pilot.pause()
            pilot.app.screen.query_one("VerticalScroll").scroll_to(y=9, animate=False, immediate=True)
            await pilot.pause()

        app = open_app(sample_copy("claims-triage-agent-actions.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestCalculators:
    def test_cost_calculator(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=calculator("cost"))

    def test_latency_calculator(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=calculator("latency"))

    def test_cost_card_with_a_measurement(self, sample_copy, open_app, snap_compare) -> None:
        """The latest measured cost beside the estimate, over the threshold (in red) and stale."""
        async def run_before(pilot) -> None:
            await quiet(pilot)
            await pilot.app.screen.show_section("cost")
            await pilot.pause()
            pilot.app.screen.query_one("SectionView").action_move_to(0)  # the card in view
            await pilot.pause()

        app = open_app(costed_copy(sample_copy))
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_latency_card_with_a_measurement(self, sample_copy, open_app, snap_compare) -> None:
        """No stage budget, a recorded measurement: its p50/p95, n, window and age, over the 400 ms target (red)."""
        from tests.tui.test_measured_latency_pilot import measured

        async def run_before(pilot) -> None:
            await quiet(pilot)
            await pilot.app.screen.show_section("latency")
            await pilot.pause()
            pilot.app.screen.query_one("SectionView").action_move_to(0)  # the card in view
            await pilot.pause()

        app = open_app(measured(sample_copy, stages=False, target=400))
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestWorkshop:
    def test_workshop_mode_with_countdown(self, mini, snap_compare) -> None:
        from tests.conftest import NOW, TODAY
        from workbook.core.store import load_review
        from workbook.tui.app import make_app

        app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, workshop=True)
        assert snap_compare(app, terminal_size=SIZE, press=["t"])

    def test_presentation_view(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        # the demo section's second question (the profile section comes first)
        assert snap_compare(app, terminal_size=SIZE, run_before=at("right_square_bracket", "j", "f5"))

    def test_parking_lot(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=at("p"))

    def test_parking_lot_item_dialog(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=at("p", "enter"))
