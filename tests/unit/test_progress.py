"""The progress bar of `check`, `portfolio` and many-file `export`: on stderr for a person, never in what a
script reads."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from tests.conftest import TODAY
from workbook.cli import cli
from workbook.core import progress

SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_programs"
COMMANDS = {
    "check": ["check"],
    "portfolio": ["portfolio"],
    "portfolio csv": ["portfolio", "--format", "csv"],
    "export csv": ["export", "--format", "csv"],
}


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """MIN_ITEMS + 5 reviews: the six samples, copied round."""
    folder = tmp_path / "reviews"
    folder.mkdir()
    samples = sorted(SAMPLES.glob("*.toml"))
    for i in range(progress.MIN_ITEMS + 5):
        shutil.copy(samples[i % len(samples)], folder / f"r{i:02d}-{samples[i % len(samples)].name}")
    return folder


def run(args: list[str], folder: Path, env: dict[str, str | None]):
    result = CliRunner(env=env).invoke(cli, [*args, str(folder), "--today", TODAY.isoformat()],
                                       catch_exceptions=False)
    return result.stdout, result.stderr, result.exit_code


@pytest.mark.parametrize("command", COMMANDS)
def test_a_forced_terminal_shows_the_bar_on_stderr_and_stdout_is_unchanged(many: Path, command: str) -> None:
    plain_out, plain_err, plain_code = run(COMMANDS[command], many, {"WORKBOOK_PROGRESS": None, "CI": None})
    out, err, code = run(COMMANDS[command], many, {"WORKBOOK_PROGRESS": "1", "CI": "true"})  # forced beats CI
    total = progress.MIN_ITEMS + 5
    assert f"{total}/{total}" in err and "━" in err  # the bar, drawn to the end, on stderr
    assert out == plain_out and code == plain_code  # byte for byte what a script reads
    assert plain_err.strip() in err  # check's own stderr lines still there


@pytest.mark.parametrize("command", COMMANDS)
def test_piped_or_in_ci_there_is_no_bar(many: Path, command: str) -> None:
    for env in ({"WORKBOOK_PROGRESS": None, "CI": None}, {"WORKBOOK_PROGRESS": None, "CI": "true"},
                {"WORKBOOK_PROGRESS": "0", "CI": None}):
        _, err, _ = run(COMMANDS[command], many, env)
        assert "━" not in err and f"/{progress.MIN_ITEMS + 5}" not in err and "\x1b" not in err


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_only_for_a_terminal_outside_ci() -> None:
    assert progress.wanted(Tty(), {})
    assert not progress.wanted(io.StringIO(), {})  # piped
    assert not progress.wanted(Tty(), {"CI": "true"})
    assert not progress.wanted(Tty(), {"TERM": "dumb"})
    assert not progress.wanted(Tty(), {"WORKBOOK_PROGRESS": "0"})
    assert progress.wanted(io.StringIO(), {"WORKBOOK_PROGRESS": "1", "CI": "true"})


def test_tracked_yields_every_item_in_order_with_the_bar_on_the_given_console() -> None:
    screen = io.StringIO()
    items = list(range(progress.MIN_ITEMS + 3))
    assert list(progress.tracked(items, "Reading", Console(file=screen, force_terminal=True, width=80))) == items
    assert "Reading" in screen.getvalue() and f"{len(items)}/{len(items)}" in screen.getvalue()


def test_a_few_files_get_no_bar_even_forced(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKBOOK_PROGRESS", "1")
    folder = tmp_path / "few"
    folder.mkdir()
    shutil.copy(sorted(SAMPLES.glob("*.toml"))[0], folder)
    _, err, _ = run(["check"], folder, {})
    assert "━" not in err
