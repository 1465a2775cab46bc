"""`workbook open PATH` starts without click; everything else, and anything unusual, goes to click."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from workbook.launch import _plain_open


@pytest.mark.parametrize(("argv", "expected"), [
    (["open", "r.toml"], (Path("r.toml"), False, 1.0, None)),
    (["r.toml", "--workshop", "--autosave", "0.5"], (Path("r.toml"), True, 0.5, None)),
    (["open", "r.toml", "--today=2026-11-26"], (Path("r.toml"), False, 1.0, dt.date(2026, 11, 26))),
])
def test_a_plain_open_takes_the_fast_path(argv: list[str], expected: tuple[object, ...]) -> None:
    assert _plain_open(argv) == expected


@pytest.mark.parametrize("argv", [
    [], ["--help"], ["open", "--help"], ["summary", "r.toml"], ["open", "r.toml", "--today", "20261126"],
    ["open", "r.toml", "--autosave", "0"], ["open", "r.toml", "--respondents", "dir"], ["open", "a", "b"],
    ["--today", "2026-11-26", "open", "r.toml"], ["open", "r.toml", "--autosave"],
])
def test_anything_else_goes_to_click(argv: list[str]) -> None:
    assert _plain_open(argv) is None


@pytest.mark.subprocess
def test_the_fast_path_loads_no_click_and_refuses_a_bad_file_in_one_line(tmp_path: Path) -> None:
    code = ("import sys; sys.argv = ['workbook', 'open', sys.argv[1]]\n"
            "from workbook.launch import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    print('exit', e.code, 'click' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "missing.toml")], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip() == "exit 2 False"
    assert out.stderr.strip().count("\n") == 0 and out.stderr.startswith("workbook: ")
