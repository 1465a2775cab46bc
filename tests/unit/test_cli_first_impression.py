"""The CLI's first impression: a mistyped command is named as one, every --help ends with examples
that run, and a TOML file that is not a review is refused in one line that says so."""

from __future__ import annotations

import gc
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES, ROOT, SAMPLES, TEMPLATES, TODAY
from workbook import launch
from workbook.cli import cli
from workbook.launch import _plain_open


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """The files the CLI would open in the TUI (none is started), from a folder of this test's own."""
    paths: list[Path] = []
    monkeypatch.setattr(launch, "run_tui", lambda path, **kwargs: paths.append(path))
    monkeypatch.chdir(tmp_path)
    return paths


# --------------------------------------------------------------------------- a mistyped command


@pytest.mark.parametrize(("argv", "meant"), [
    (["sumary", "x.toml"], "summary"), (["sumary"], "summary"), (["expor", "r.toml", "--format", "md"], "export"),
    (["valdate", "r.toml"], "validate"), (["portfolo", "reviews/"], "portfolio"),
])
def test_a_mistyped_command_gets_did_you_mean(opened: list[Path], argv: list[str], meant: str) -> None:
    result = run(*argv)
    assert result.exit_code == 2
    assert f"Error: No such command '{argv[0]}'. Did you mean '{meant}'?" in result.output
    assert "unexpected extra argument" not in result.output and opened == []


def test_a_file_is_opened_even_when_its_name_is_close_to_a_command(opened: list[Path]) -> None:
    Path("sumary").write_text("")  # on disk: the user means it, whatever it is called
    Path("review.toml").write_text("")
    assert run("sumary").exit_code == 0
    assert run("review.toml", "--workshop").exit_code == 0
    assert run("templates.toml").exit_code == 0  # looks like a file: opened (and refused there if missing)
    assert opened == [Path("sumary"), Path("review.toml"), Path("templates.toml")]


def test_a_missing_file_is_still_named_as_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(gc, "disable", lambda: None)  # run_tui turns the collector off for the TUI's start
    result = CliRunner().invoke(cli, ["missing.toml"])
    assert result.exit_code == 2
    assert result.output == "workbook: missing.toml: no such file\n"


def test_the_fast_path_leaves_a_mistyped_command_to_click(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    assert _plain_open(["sumary"]) is None
    assert _plain_open(["expor", "r.toml"]) is None
    assert _plain_open(["missing.toml"]) == (Path("missing.toml"), False, 1.0, None)
    Path("sumary").write_text("")
    assert _plain_open(["sumary"]) == (Path("sumary"), False, 1.0, None)


def test_the_fast_path_knows_every_command() -> None:
    assert launch._COMMANDS == set(cli.commands)


@pytest.mark.subprocess
def test_workbook_sumary_says_did_you_mean(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "workbook", "sumary", "x.toml"], capture_output=True, text=True,
                         timeout=60, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip().endswith("Error: No such command 'sumary'. Did you mean 'summary'?")


# --------------------------------------------------------------------------- examples in every --help


def examples(name: str) -> list[str]:
    """The example lines that end `workbook NAME --help`."""
    lines = run(name, "--help").output.rstrip("\n").split("\n")
    assert "  Examples:" in lines, f"workbook {name} --help has no examples"
    found = [line.strip() for line in lines[lines.index("  Examples:") + 1:]]
    assert found and all(line.startswith(f"workbook {name}") for line in found), found
    return found


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_help_ends_with_examples_it_accepts(name: str) -> None:
    command = cli.commands[name]
    for line in examples(name):
        args = shlex.split(line)[2:]
        with command.make_context(name, args, resilient_parsing=False):  # refuses an option or choice it lacks
            pass


def _workspace(folder: Path) -> None:
    """The files the examples name, as a user would have them."""
    folder.mkdir()
    for name in ("review.toml", "old.toml", "new.toml"):
        shutil.copy(SAMPLES / "customer-support-copilot.toml", folder / name)
    (folder / "reviews").mkdir()
    for sample in ("customer-support-copilot.toml", "sales-email-generator.toml"):
        shutil.copy(SAMPLES / sample, folder / "reviews" / sample)
    (folder / "templates").mkdir()
    shutil.copy(TEMPLATES / "quick-self-check.toml", folder / "templates" / "ours.toml")
    for name in ("traces.jsonl", "a.jsonl", "b.jsonl"):  # `workbook measure`'s examples
        shutil.copy(FIXTURES / "telemetry" / "openai-v2-default.jsonl", folder / name)
    for name in ("quick.toml", "ana.toml", "ben.toml"):
        assert run("new", str(folder / name), "--template", "quick-self-check", "--program", "Q").exit_code == 0


def test_the_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran = 0
    for name in sorted(cli.commands):
        for n, line in enumerate(examples(name)):
            args = shlex.split(line)[1:]
            if name in ("open", "serve") or "--tui" in args or "--rev" in args:
                continue  # a TUI, a server, git: started for real by the tmux, browser and git tests
            folder = tmp_path / f"{name}-{n}"
            _workspace(folder)
            if name == "new":
                (folder / args[1]).unlink(missing_ok=True)
            monkeypatch.chdir(folder)
            result = CliRunner().invoke(cli, [*args, "--today", TODAY.isoformat()]
                                        if "--today" not in args and _takes_today(name) else args)
            assert result.exit_code in ((0, 1) if name == "check" else (0,)), (line, result.output)
            ran += 1
    assert ran >= 12


def _takes_today(name: str) -> bool:
    return any(isinstance(p, click.Option) and "--today" in p.opts for p in cli.commands[name].params)


# --------------------------------------------------------------------------- not a review


NOT_A_REVIEW = "(top level): this file is not a review (it has none of a review's keys: [program], template, " \
               "template_version, answers)"


@pytest.mark.parametrize("argv", [
    ["open", "{}"], ["{}"], ["validate", "{}"], ["summary", "{}"], ["export", "{}", "--format", "md"],
    ["export", "{}", "{}", "--format", "csv"], ["check", "{}"],
])
def test_pyproject_toml_is_refused_as_not_a_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   argv: list[str]) -> None:
    path = tmp_path / "pyproject.toml"
    shutil.copy(ROOT / "pyproject.toml", path)
    monkeypatch.setattr(gc, "disable", lambda: None)
    result = CliRunner().invoke(cli, [a.format(path) for a in argv])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("workbook: ")]
    assert errors == [f"workbook: {path}: {NOT_A_REVIEW}"]


def test_an_empty_toml_file_is_not_a_review_either(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("# nothing yet\n")
    assert run("summary", str(path)).output == f"workbook: {path}: {NOT_A_REVIEW}\n"


def test_a_review_missing_keys_is_still_read_as_a_review(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text("[program]\nname = 'X'\n")
    lines = run("summary", str(path)).output.splitlines()
    assert lines == [f"workbook: {path}: template: is required", f"workbook: {path}: template_version: is required"]
