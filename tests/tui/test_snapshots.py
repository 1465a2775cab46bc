"""Snapshots at 80x24: what a user sees. Re-approve with `pytest --snapshot-update` after a
deliberate change, and look at the report before you do."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import open_calculator

SIZE = (80, 24)


class TestReviewScreen:
    def test_first_screen(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["wait:50"])

    def test_second_section_with_open_constraints(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["right_square_bracket", "j"])

    def test_decisions_panel(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["o"])


class TestDialogs:
    def test_answer_editor_single_choice(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["enter"])

    def test_answer_editor_number_decision(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["right_square_bracket", "enter"])

    def test_defer_dialog(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["j", "d"])

    def test_help_screen(self, mini: Path, open_app, snap_compare) -> None:
        assert snap_compare(open_app(mini), terminal_size=SIZE, press=["question_mark"])


class TestStartScreen:
    def test_start_screen(self, open_app, snap_compare) -> None:
        assert snap_compare(open_app(None), terminal_size=SIZE)


class TestBoardAndSummary:
    def test_constraints_board(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, press=["c"])

    def test_summary(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, press=["r"])


class TestCalculators:
    def test_cost_calculator(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=lambda pilot: open_calculator(pilot, "cost"))

    def test_latency_calculator(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, run_before=lambda pilot: open_calculator(pilot, "latency"))


class TestWorkshop:
    def test_workshop_mode_with_countdown(self, mini, snap_compare) -> None:
        from tests.conftest import NOW, TODAY
        from workbook.core.store import load_review
        from workbook.tui.app import make_app

        app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, workshop=True)
        assert snap_compare(app, terminal_size=SIZE, press=["t"])

    def test_presentation_view(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, press=["j", "f5"])

    def test_parking_lot(self, sample_copy, open_app, snap_compare) -> None:
        app = open_app(sample_copy("customer-support-copilot.toml"))
        assert snap_compare(app, terminal_size=SIZE, press=["p"])
