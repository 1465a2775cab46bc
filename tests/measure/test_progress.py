"""The progress bar while reading trace files: on a terminal outside CI only; output unchanged."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console

from bench.traces import write_pilot
from tests.conftest import SAMPLES
from workbook.cli import cli
from workbook.core.measure.progress import FileProgress
from workbook.core.measure.report import render_text
from workbook.core.measure.run import Options, run
from workbook.core.store import ReviewFile

REVIEW = SAMPLES / "customer-support-copilot.toml"


def _terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=100, color_system=None), out


def test_reading_reports_bytes_as_it_goes(copilot: ReviewFile, tmp_path: Path) -> None:
    a = write_pilot(tmp_path / "a.jsonl", 400)  # about 1.4 MB: at least one report before the end
    b = write_pilot(tmp_path / "b.jsonl", 10, seed=2)
    seen: list[tuple[str, int]] = []
    run(copilot.review, copilot.template, "r", Options((a, b), progress=lambda p, done: seen.append((p.name, done))))
    assert [d for name, d in seen if name == "a.jsonl"][-1] == a.stat().st_size
    assert len([name for name, _ in seen if name == "a.jsonl"]) >= 2
    assert seen[-1] == ("b.jsonl", b.stat().st_size)


def test_on_a_terminal_the_bar_shows_the_file_being_read(copilot: ReviewFile, tmp_path: Path) -> None:
    path = write_pilot(tmp_path / "[bold]pilot.jsonl", 50)
    console, out = _terminal()
    with FileProgress((path,), console, environ={}) as bar:
        assert bar.enabled
        m, s = run(copilot.review, copilot.template, "r", Options((path,), progress=bar.update))
    shown = out.getvalue()
    assert "reading [bold]pilot.jsonl" in shown  # the name as written, never markup
    size = path.stat().st_size / 1000
    assert f"{size:.1f}/{size:.1f} kB" in shown
    plain, ps = run(copilot.review, copilot.template, "r", Options((path,)))
    assert render_text(m, s) == render_text(plain, ps)


def test_in_ci_or_piped_nothing_is_written(tmp_path: Path) -> None:
    path = write_pilot(tmp_path / "t.jsonl", 5)
    console, out = _terminal()
    with FileProgress((path,), console, environ={"CI": "true"}) as bar:
        assert not bar.enabled
        bar.update(path, 10)
    piped = io.StringIO()
    with FileProgress((path,), Console(file=piped), environ={}) as bar:
        assert not bar.enabled
        bar.update(path, 10)
    assert out.getvalue() == piped.getvalue() == ""


def test_the_command_piped_writes_the_report_only(copilot: ReviewFile, tmp_path: Path) -> None:
    path = write_pilot(tmp_path / "t.jsonl", 20)
    result = CliRunner().invoke(cli, ["measure", str(REVIEW), "--traces", str(path)])
    assert result.exit_code == 0, result.output
    m, s = run(copilot.review, copilot.template, str(REVIEW), Options((path,)))
    assert result.stdout == render_text(m, s)
    assert result.stderr == ""


def test_the_bar_follows_the_rule_every_bar_follows(tmp_path: Path) -> None:
    # WORKBOOK_PROGRESS and a dumb terminal decide for measure's bar as for check's and portfolio's.
    path = write_pilot(tmp_path / "p.jsonl", 5)
    console, _ = _terminal()
    assert FileProgress((path,), console, environ={}).enabled
    assert not FileProgress((path,), console, environ={"WORKBOOK_PROGRESS": "0"}).enabled
    assert not FileProgress((path,), console, environ={"TERM": "dumb"}).enabled
    assert not FileProgress((path,), console, environ={"CI": "true"}).enabled
    piped = Console(file=io.StringIO(), force_terminal=False)
    assert FileProgress((path,), piped, environ={"WORKBOOK_PROGRESS": "1"}).enabled
