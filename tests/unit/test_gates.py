"""Gates that must not pass by accident (issue 13): templates beside reviews are skipped whatever
their size, a check that finds nothing fails, lax types are refused in the one-line format, and a
path that cannot be read is one line `workbook: <file>: <reason>`, exit 2, for every command."""

from __future__ import annotations

import builtins
import datetime as dt
import errno
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.conftest import FIXTURES, SAMPLES, TEMPLATES
from workbook.cli import cli
from workbook.core.discover import find_review_files, looks_like_review
from workbook.core.text import parse_date

TODAY = "2026-11-26"
COPILOT = "customer-support-copilot.toml"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def error_lines(result: Result) -> list[str]:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return [line for line in result.stderr.splitlines() if line.startswith("workbook: ")]


def refused(result: Result) -> list[str]:
    """A clean refusal: exit 2, no traceback, no click usage text; the `workbook: ` lines."""
    assert result.exit_code == 2, result.output
    assert "Usage:" not in result.output and "Error: Invalid value" not in result.output, result.output
    return error_lines(result)


def edited(source: Path, target: Path, old: str, new: str) -> Path:
    text = source.read_text()
    assert old in text, old
    target.write_text(text.replace(old, new, 1))
    return target


# --------------------------------------------------------------------------- 6: big templates


@pytest.fixture
def reviews_with_templates(tmp_path: Path) -> Path:
    """A reviews folder holding one review, the built-in full template and a template padded to 200 KiB."""
    folder = tmp_path / "reviews"
    folder.mkdir()
    shutil.copy(SAMPLES / COPILOT, folder / COPILOT)
    shutil.copy(TEMPLATES / "post-demo-review.toml", folder / "post-demo-review.toml")
    padded = (FIXTURES / "mini-template.toml").read_text().replace(
        'description = "Test template."', 'description = """' + "A long description. " * 10_000 + '"""')
    (folder / "padded-template.toml").write_text(padded)
    return folder


def test_templates_over_64_kib_are_not_reviews(reviews_with_templates: Path) -> None:
    builtin = reviews_with_templates / "post-demo-review.toml"
    padded = reviews_with_templates / "padded-template.toml"
    assert builtin.stat().st_size > 65536 and padded.stat().st_size > 200_000  # beyond the old sniff
    assert not looks_like_review(builtin) and not looks_like_review(padded)
    assert find_review_files([reviews_with_templates]) == [reviews_with_templates / COPILOT]


def test_check_export_and_portfolio_skip_big_templates(reviews_with_templates: Path, tmp_path: Path) -> None:
    check = run("check", str(reviews_with_templates), "--fail-on", "overdue", "--today", "2026-11-01")
    assert (check.exit_code, check.stdout) == (0, f"{reviews_with_templates / COPILOT}: ok (overdue)\n")
    out = tmp_path / "portfolio.json"
    export = run("export", str(reviews_with_templates), "--format", "json", "-o", str(out), "--today", TODAY)
    assert export.exit_code == 0, export.output
    assert [r["review"]["program"]["name"] for r in json.loads(out.read_text())["reviews"]] == ["Support reply copilot"]
    portfolio = run("portfolio", str(reviews_with_templates), "--format", "json", "--today", TODAY)
    assert portfolio.exit_code == 0, portfolio.output
    assert [p["name"] for p in json.loads(portfolio.stdout)["programs"]] == ["Support reply copilot"]


def test_a_template_given_as_a_review_is_named_as_a_template() -> None:
    [line] = refused(run("summary", str(TEMPLATES / "post-demo-review.toml")))
    assert line.endswith("this file is a template (a question bank, with no [program] table), not a review")


# --------------------------------------------------------------------------- 7: nothing to check


def test_check_of_an_empty_folder_fails_naming_it(tmp_path: Path) -> None:
    empty = tmp_path / "emptydir"
    empty.mkdir()
    result = run("check", str(empty))
    assert refused(result) == [f"workbook: no review files found in {empty}"]
    assert result.stdout == ""


def test_check_of_a_folder_with_no_review_fails(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    shutil.copy(TEMPLATES / "quick-self-check.toml", tmp_path / "quick-self-check.toml")
    assert refused(run("check", str(tmp_path), "--only-reviews")) == [f"workbook: no review files found in {tmp_path}"]


def test_pre_commit_with_no_review_staged_passes_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "ruff.toml").write_text("line-length = 100\n")
    result = run("check", "--only-reviews", str(tmp_path / "ruff.toml"))
    assert (result.exit_code, result.stdout) == (0, "nothing to check: none of the 1 file(s) given is a review\n")


# --------------------------------------------------------------------------- 8: lax types


@pytest.fixture
def tpl() -> Path:
    return FIXTURES / "mini-template.toml"


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ("schema = 1", "schema = 99", "schema", "schema 99 was written by a newer workbook; this one reads up to 1"),
    ("schema = 1", 'schema = "1"', "schema", "must be a whole number"),
    ("schema = 1", "schema = true", "schema", "must be a whole number"),
    ("critical = true", 'critical = "yes"', "sections[0].questions[0].critical", "must be true or false"),
    ("decision = true", "decision = 1", "sections[0].questions[1].decision", "must be true or false"),
    ('prompt = "Who owns the data?"', 'prompt = "   "', "sections[0].questions[0].prompt", "must not be only spaces"),
    ('title = "Data"', 'title = " \\t "', "sections[0].title", "must not be only spaces"),
    ("timebox_minutes = 10", 'timebox_minutes = "10"', "sections[0].timebox_minutes", "must be a whole number"),
    ("minimum = 0", 'minimum = "0"', "sections[1].questions[0].minimum", "must be a number"),
])
def test_lax_template_types_are_refused(tpl: Path, tmp_path: Path, old: str, new: str, where: str,
                                        message: str) -> None:
    bad = edited(tpl, tmp_path / "bad-template.toml", old, new)
    assert refused(run("validate", str(bad))) == [f"workbook: {bad}: {where}: {message}"]


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ("schema = 1", 'schema = "1"', "schema", "must be a whole number"),
    ("schema = 1", "schema = 1.0", "schema", "must be a whole number"),
    ("decide_by = 2026-11-20", "decide_by = 86400", "answers.boundary.decide_by",
     "must be a date YYYY-MM-DD, written without quotes (e.g. 2026-11-13), not a number"),
    ("decide_by = 2026-11-20", "decide_by = 20261113", "answers.boundary.decide_by",
     "must be a date YYYY-MM-DD, written without quotes (e.g. 2026-11-13), not a number"),
    ("decide_by = 2026-11-20", 'decide_by = "20261113"', "answers.boundary.decide_by",
     "must be a date YYYY-MM-DD, written without quotes (e.g. 2026-11-13), not text in another form"),
    ("opened_on = 2026-10-01", "opened_on = true", "answers.boundary.opened_on",
     "must be a date YYYY-MM-DD, written without quotes (e.g. 2026-11-13), not true or false"),
    ("decide_by_history = [2026-11-01, 2026-11-10]", "decide_by_history = [2026-11-01, 86400]",
     "answers.boundary.decide_by_history[1]",
     "must be a date YYYY-MM-DD, written without quotes (e.g. 2026-11-13), not a number"),
    ("review_date = 2026-11-01", "review_date = 20261101", "program.review_date",
     "must be a date YYYY-MM-DD, written without quotes (e.g. 2026-11-13), not a number"),
])
def test_lax_review_types_are_refused(mini: Path, tmp_path: Path, old: str, new: str, where: str,
                                      message: str) -> None:
    edited(mini, mini, old, new)
    for command in ("validate", "summary", "check"):
        assert refused(run(command, str(mini))) == [f"workbook: {mini}: {where}: {message}"], command


def test_parking_lot_and_calculator_numbers_are_not_coerced(mini: Path) -> None:
    text = mini.read_text()
    mini.write_text(text + '\n[[parking_lot]]\ntopic = "Vendor"\nraised_on = 86400\n'
                           '\n[calculators.cost]\nusers = "100"\nexpected_scale = true\n')
    assert sorted(refused(run("validate", str(mini)))) == [
        f"workbook: {mini}: calculators.cost.expected_scale: must be 1, 10 or 100 (a whole number)",
        f"workbook: {mini}: calculators.cost.users: must be a number",
        f"workbook: {mini}: parking_lot[0].raised_on: must be a date YYYY-MM-DD, written without quotes "
        "(e.g. 2026-11-13), not a number",
    ]


def test_dates_as_yyyy_mm_dd_text_still_load(mini: Path) -> None:
    # The JSON export writes dates as text and its review part loads back (docs/export-schema.json).
    edited(mini, mini, "decide_by = 2026-11-20", 'decide_by = "2026-11-20"')
    assert run("validate", str(mini)).exit_code == 0
    edited(mini, mini, 'decide_by = "2026-11-20"', 'decide_by = "2026-02-30"')
    [line] = refused(run("validate", str(mini)))
    assert line.startswith(f"workbook: {mini}: answers.boundary.decide_by: 2026-02-30 is not a date: ")


@pytest.mark.parametrize("text", [
    # a template's own keys and no sections: a template, refused as one (it was read as a review)
    'schema = 1\nid = "empty"\nversion = "1.0.0"\ntitle = "No questions yet"\n',
    'id = "empty"\nversion = "1.0.0"\ntitle = "No questions yet"\nsections = []\n',
])
def test_a_template_with_no_sections_is_refused_as_a_template(tmp_path: Path, text: str) -> None:
    bad = tmp_path / "empty-template.toml"
    bad.write_text(text)
    result = run("validate", str(bad))
    assert refused(result) == [f"workbook: {bad}: sections: a template needs at least one section"]
    [line] = refused(run("summary", str(bad)))
    assert line == (f"workbook: {bad}: (top level): this file is a template (a question bank, with no [program] "
                    "table), not a review")


def test_a_file_with_neither_is_still_read_as_a_review(tmp_path: Path) -> None:
    bad = tmp_path / "r.toml"
    bad.write_text('template = "mini"\ntemplate_version = "2.0.0"\n')
    assert refused(run("validate", str(bad))) == [f"workbook: {bad}: program: is required"]


def test_a_future_opened_on_shows_no_negative_age(mini: Path, tmp_path: Path) -> None:
    # Not refused: whether a date is "in the future" depends on the day the file is read (and on
    # --today), and a file's validity must not. The age is simply not shown.
    edited(mini, mini, "opened_on = 2026-10-01", "opened_on = 9999-01-01")
    assert run("validate", str(mini)).exit_code == 0
    summary = run("summary", str(mini), "--format", "json", "--today", TODAY)
    constraint = next(c for c in json.loads(summary.stdout)["open_constraints"] if c["question_id"] == "boundary")
    assert constraint["age_days"] is None
    outputs = [run("summary", str(mini), "--today", TODAY).stdout]
    for fmt in ("md", "html", "csv"):
        outputs.append(run("export", str(mini), "--format", fmt, "--today", TODAY).stdout)
    for out in outputs:  # ages are written "12d" (summary, md, html) and "(12 days)" (csv)
        assert out and not re.search(r"(?<![\w-])-\d+d\b|\(-\d+ days\)", out)
    assert "Open since 9999-01-01" in outputs[3] and "(None days)" not in outputs[3]
    # one day ahead of the as-of date (a colleague in another time zone): no age either
    edited(mini, mini, "opened_on = 9999-01-01", "opened_on = 2026-11-27")
    summary = run("summary", str(mini), "--format", "json", "--today", TODAY)
    assert next(c for c in json.loads(summary.stdout)["open_constraints"] if c["question_id"] == "boundary")[
        "age_days"] is None


@pytest.mark.parametrize("value", ["20261126", "2026-W48-4", "2026-W48", "2026330", "2026-11-26T00:00", "26-11-26"])
def test_today_takes_only_yyyy_mm_dd(mini: Path, value: str) -> None:
    result = run("summary", str(mini), "--today", value)
    assert result.exit_code == 2 and f"'{value}' is not a date (YYYY-MM-DD)" in result.output
    assert parse_date(value) is None  # the TUI's date fields use the same rule


def test_parse_date_takes_yyyy_mm_dd_only() -> None:
    # The TUI's date fields (defer, answer a date question) use parse_date.
    assert parse_date(" 2026-11-26 ") == dt.date(2026, 11, 26)
    for text in ("20261126", "2026-W48-4", "2026-W48", "2026-02-30", "２０２６-11-26", ""):
        assert parse_date(text) is None, text
    assert run("summary", str(SAMPLES / COPILOT), "--today", "2026-11-26").exit_code == 0


def test_a_template_file_of_another_template_is_refused(mini: Path) -> None:
    edited(mini, mini, 'template = "mini"', 'template = "other"')
    line = (f"workbook: {mini}: template_file: mini-template.toml is template 'mini', "
            "but this review is for template 'other'")
    for command in ("validate", "summary", "check"):
        assert refused(run(command, str(mini))) == [line], command


# --------------------------------------------------------------------------- 8: unreadable paths


def deny(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """Make paths unreadable as chmod 000 does for an ordinary user (the tests may run as root, whom
    permissions do not stop): open and scandir fail with EACCES, os.access says no."""
    denied = {os.path.realpath(p) for p in paths}
    real_open, real_access, real_scandir = builtins.open, os.access, os.scandir

    def is_denied(p: Any) -> bool:
        return isinstance(p, (str, os.PathLike)) and os.path.realpath(p) in denied

    def fake_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if is_denied(file):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    def fake_access(path: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
        return False if is_denied(path) else real_access(path, mode, *args, **kwargs)

    def fake_scandir(path: Any = ".") -> Any:
        if is_denied(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(os, "access", fake_access)
    monkeypatch.setattr(os, "scandir", fake_scandir)


def commands_on(path: Path, other: Path, tmp_path: Path) -> list[list[str]]:
    return [
        [str(path)],  # `workbook PATH` is `workbook open PATH`
        ["open", str(path)],
        ["summary", str(path)],
        ["validate", str(path)],
        ["check", str(path)],
        ["check", "--only-reviews", str(path)],
        ["export", str(path), "--format", "md"],
        ["export", str(path), "--format", "csv", "-o", str(tmp_path / "out.csv")],
        ["merge", str(path), str(other), "-o", str(tmp_path / "merged.toml")],
        ["diff", str(path), str(other)],
        ["diff", str(other), str(path)],
        ["diff", str(path), "--rev", "HEAD"],
    ]


def test_an_unreadable_file_is_one_line_for_every_command(mini: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.toml"
    shutil.copy(mini, locked)
    deny(monkeypatch, locked)
    for args in commands_on(locked, mini, tmp_path):
        lines = refused(run(*args))
        assert lines and lines[0] == f"workbook: {locked}: cannot read: Permission denied", args
    result = run("portfolio", str(locked), "--format", "json")
    assert result.exit_code == 2 and "Usage:" not in result.output
    assert json.loads(result.stdout)["programs"][0]["error"] == "cannot read: Permission denied"
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "merged.toml").exists()


def test_a_folder_given_as_a_review_is_one_line_for_every_command(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    for args in commands_on(folder, mini, tmp_path):
        if args[0] in ("check", "export") and args[-1] != "md":
            continue  # check and export search a folder for reviews (an empty one: tested above)
        lines = refused(run(*args))
        assert lines and lines[0].startswith(f"workbook: {folder}: is a folder"), (args, lines)
    assert refused(run("export", str(folder), "--format", "md")) == [
        f"workbook: {folder}: is a folder; --format md exports one review (a folder of reviews exports as csv or json)"]


def test_an_unreadable_subfolder_is_reported_not_skipped(mini: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "team-b"
    locked.mkdir()
    shutil.copy(mini, locked / "hidden-review.toml")
    deny(monkeypatch, locked)
    result = run("check", str(tmp_path), "--today", "2026-11-01")
    assert result.stdout == f"{mini}: ok (overdue)\n"
    assert refused(result) == [f"workbook: {locked}: is a folder that cannot be read (permission denied): "
                               "the reviews in it were not found"]
    portfolio = run("portfolio", str(tmp_path), "--format", "json", "--today", "2026-11-01")
    assert portfolio.exit_code == 2
    assert [p["error"] for p in json.loads(portfolio.stdout)["programs"]] == [
        None, "is a folder that cannot be read (permission denied): the reviews in it were not found"]
    top = run("check", str(locked))
    assert refused(top) == [f"workbook: {locked}: is a folder that cannot be read (permission denied): "
                            "the reviews in it were not found"]


def test_a_file_in_a_folder_that_cannot_be_entered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inside = tmp_path / "locked" / "r.toml"
    real_stat = os.stat

    def fake_stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(path, (str, os.PathLike)) and os.path.abspath(path).startswith(str(tmp_path / "locked") + os.sep):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", fake_stat)
    for args in (["check", str(inside)], ["export", str(inside), "--format", "csv"], ["summary", str(inside)],
                 ["new", str(inside), "--program", "X"]):
        lines = refused(run(*args))
        assert lines and lines[0].startswith(f"workbook: {inside}: cannot "), (args, lines)
