"""The CLI contract: commands, messages and exit codes (0 ok, 2 bad input). No tracebacks."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbook.cli import cli
from workbook.core.templates import find_template


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_new_creates_a_review_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "r.toml"
    result = run("new", str(target), "--program", "Support copilot", "--today", "2026-11-26")
    assert result.exit_code == 0, result.output
    data = tomllib.loads(target.read_text())
    assert data["program"] == {"name": "Support copilot", "stage": "demo", "review_date": dt.date(2026, 11, 26)}
    assert data["template"] == "post-demo-review"
    assert run("validate", str(target)).exit_code == 0


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "r.toml"
    target.write_text("keep me")
    result = run("new", str(target), "--program", "X")
    assert result.exit_code == 2
    assert result.output.strip() == f"workbook: {target}: already exists (use --force to replace it)"
    assert target.read_text() == "keep me"
    assert run("new", str(target), "--program", "X", "--force").exit_code == 0


def test_new_from_a_template_file_records_where_it_is(tmp_path: Path, mini: Path) -> None:
    target = tmp_path / "sub" / "r.toml"
    target.parent.mkdir()
    result = run("new", str(target), "--program", "X", "--template", str(mini.parent / "mini-template.toml"))
    assert result.exit_code == 0, result.output
    assert tomllib.loads(target.read_text())["template_file"] == "../mini-template.toml"
    assert run("validate", str(target)).exit_code == 0


def test_new_with_an_unknown_template(tmp_path: Path) -> None:
    result = run("new", str(tmp_path / "r.toml"), "--program", "X", "--template", "nope")
    assert result.exit_code == 2
    assert "unknown template 'nope'" in result.output


def test_validate_reports_every_problem_of_every_file(tmp_path: Path, mini: Path) -> None:
    bad1 = tmp_path / "bad1.toml"
    bad1.write_text("x = = 1\n")
    bad2 = tmp_path / "bad2.toml"
    bad2.write_text(mini.read_text().replace('value = "team"', "value = 3").replace('name = "Mini program"', "name = 1"))
    result = run("validate", str(mini), str(bad1), str(bad2))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert f"{mini}: valid review" in lines
    assert f"workbook: {bad1}: 1:5: invalid TOML: Invalid value" in lines
    assert sum(1 for line in lines if line.startswith(f"workbook: {bad2}: ")) == 1  # program.name first
    assert lines[-1] == "2 of 3 file(s) invalid"


def test_validate_all_valid_exits_zero(mini: Path) -> None:
    assert run("validate", str(mini), str(mini.parent / "mini-template.toml")).exit_code == 0


def test_open_a_missing_file_fails_before_any_screen(tmp_path: Path) -> None:
    result = run("open", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert result.output == f"workbook: {tmp_path / 'nope.toml'}: no such file\n"


def test_plain_path_means_open(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.toml"))
    assert result.exit_code == 2 and "no such file" in result.output


def test_templates_lists_counts() -> None:
    result = run("templates")
    assert result.exit_code == 0
    assert "post-demo-review" in result.output


def test_bad_today_is_a_usage_error(mini: Path) -> None:
    result = CliRunner().invoke(cli, ["open", str(mini), "--today", "2026-13-01"])
    assert result.exit_code == 2 and "is not a date" in result.output


@pytest.mark.subprocess
def test_python_dash_m_works_and_errors_have_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[[")
    out = subprocess.run([sys.executable, "-m", "workbook", "validate", str(bad)], capture_output=True, text=True)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith(f"workbook: {bad}: 1:3: invalid TOML")


@pytest.mark.subprocess
def test_the_installed_command_works_from_any_folder(tmp_path: Path) -> None:
    # With a plain `pip install .` the templates come from inside the wheel, not the checkout.
    exe = Path(sys.executable).parent / "workbook"
    out = subprocess.run([str(exe), "templates"], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "post-demo-review" in out.stdout and "quick-self-check" in out.stdout
    made = subprocess.run([str(exe), "new", "r.toml", "--program", "P"], cwd=tmp_path, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([str(exe), "validate", "r.toml"], cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_serve_refuses_a_bad_review_in_one_line_and_exits_2(sample_copy, monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    review = sample_copy("customer-support-copilot.toml")
    text = review.read_text().replace('value = "best-effort"', 'value = "no-such-choice"', 1)
    # Made with the current template version: an answer that does not fit an older one is set aside, not refused.
    version = find_template("post-demo-review")[0].version
    review.write_text(re.sub(r'template_version = "[^"]*"', f'template_version = "{version}"', text, count=1))
    monkeypatch.chdir(tmp_path)
    for extra in ([], ["--respondents", "answers"]):
        result = CliRunner().invoke(cli, ["serve", review.name, "--port", "0", *extra])
        assert result.exit_code == 2
        assert result.output == ("workbook: customer-support-copilot.toml: answers.oncall-coverage.value: must be "
                                 "one of: best-effort, app-oncall-no-runbooks, rota-runbooks\n")
