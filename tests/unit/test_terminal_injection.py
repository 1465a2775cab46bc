"""Terminal injection: text from a file, a TOML key or a file name never drives the user's terminal.

Each route once let raw escape sequences through: clearing the screen, setting the window title,
writing the clipboard (OSC 52), a one-byte C1 CSI, or a bidi override reordering what is shown.
Every one is now shown as a visible escape (``\\x1b``, ``\\u202e``) so a user sees something odd
is in the file.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import FIXTURES, NOW, TODAY
from tests.tui.conftest import settle
from workbook.cli import cli
from workbook.core.errors import FileError, Problem
from workbook.core.exports.adr import render_record
from workbook.core.exports.common import export_data
from workbook.core.models import Participant
from workbook.core.sections import ORPHANS
from workbook.core.store import load_review
from workbook.core.templates import load_template
from workbook.core.text import terminal_safe
from workbook.tui.app import make_app
from workbook.tui.screens.portfolio import PortfolioScreen
from workbook.tui.screens.settle import SettleDialog

CLEAR = "\x1b[2J\x1b[H"
TITLE = "\x1b]0;pwned\x07"
CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
C1_CSI = "\x9b2J"
BIDI = "\u202egnp.exe\u2066x\u2069"
EVIL = CLEAR + TITLE + CLIPBOARD + C1_CSI + BIDI
# Anything a terminal would act on rather than show (newline and tab aside).
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_safe(text: str) -> None:
    found = sorted({repr(c) for c in RAW.findall(text)})
    assert not found, f"raw control characters reach the terminal: {', '.join(found)}"
    assert "\\x1b" in text, "the escape is not shown, so the user cannot see it"


def toml_str(text: str) -> str:
    return json.dumps(text)  # an ASCII JSON string is a valid TOML basic string (\uXXXX escapes)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def hostile_template(folder: Path) -> Path:
    """The mini template and review, with control sequences in every kind of template text."""
    text = (FIXTURES / "mini-template.toml").read_text(encoding="utf-8")
    for old, new in (('title = "Mini review"', f"title = {toml_str('Mini ' + EVIL)}"),
                     ('title = "Data"', f"title = {toml_str('Data ' + EVIL)}"),
                     ('prompt = "Who owns the data?"', f"prompt = {toml_str('Who owns ' + EVIL)}"),
                     ('prompt = "May the data leave the boundary?"', f"prompt = {toml_str('Leave? ' + EVIL)}"),
                     ('help = "A named person."', f"help = {toml_str('Help ' + EVIL)}"),
                     ('label = "A team"', f"label = {toml_str('Team ' + EVIL)}"),
                     ('unit = "USD"', f"unit = {toml_str('USD' + EVIL)}")):
        assert old in text
        text = text.replace(old, new)
    (folder / "mini-template.toml").write_text(text, encoding="utf-8")
    shutil.copy(FIXTURES / "mini-review.toml", folder / "mini-review.toml")
    return folder / "mini-review.toml"


def with_answers(review: Path, toml: str) -> Path:
    review.write_text(review.read_text(encoding="utf-8") + "\n" + toml, encoding="utf-8")
    return review


# --------------------------------------------------------------------------- the function


def test_terminal_safe_shows_every_control_as_a_visible_escape() -> None:
    assert terminal_safe("plain — text, ünïcode") == "plain — text, ünïcode"
    assert terminal_safe(TITLE) == "\\x1b]0;pwned\\x07"
    assert terminal_safe(C1_CSI + "\x7f\x00") == "\\x9b2J\\x7f\\x00"
    assert terminal_safe("a\u202eb\u2066c\u2069\u202a") == "a\\u202eb\\u2066c\\u2069\\u202a"
    assert terminal_safe("one\ntwo\tthree\r") == "one\\ntwo\\tthree\\r"  # one line: a name, a key
    assert terminal_safe("one\ntwo\tthree\r", multiline=True) == "one\ntwo\tthree\\r"
    assert terminal_safe(terminal_safe(EVIL)) == terminal_safe(EVIL)  # safe to apply twice
    assert_safe(terminal_safe(EVIL))


def test_problems_show_file_key_and_message_escaped() -> None:
    line = str(Problem("bad" + TITLE + ".toml", "answers." + CLEAR, "unknown " + BIDI))
    assert_safe(line)
    assert "\n" not in str(Problem("a\nb.toml", "k", "m"))  # a file name cannot forge a second line
    assert_safe("\n".join(FileError.at("x" + CLIPBOARD, "", "no").lines()))


def test_template_text_is_escaped_when_loaded(tmp_path: Path) -> None:
    hostile_template(tmp_path)
    template = load_template(tmp_path / "mini-template.toml")
    q = template.question("owner")
    assert q is not None
    for text in (template.title, template.sections[0].title, q.prompt, q.help, q.choices[1].label,
                 template.question("threshold").unit):  # type: ignore[union-attr]
        assert_safe(text)


# --------------------------------------------------------------------------- the CLI


def test_summary_shows_template_text_escaped(tmp_path: Path) -> None:
    result = run("summary", str(hostile_template(tmp_path)), "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert_safe(result.output)
    assert "Data \\x1b[2J" in " ".join(result.output.split())  # shown escaped (a long title wraps, never cut)


def test_summary_json_has_no_raw_controls(tmp_path: Path) -> None:
    review = with_answers(hostile_template(tmp_path),
                          f"[answers.{toml_str('gone' + EVIL)}]\nstatus = \"answered\"\nvalue = \"x\"\n")
    result = run("summary", str(review), "--format", "json", "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert not RAW.findall(result.output)
    json.loads(result.output)  # still JSON


def test_validate_names_a_hostile_key_escaped(mini: Path) -> None:
    with_answers(mini, f"[answers.{toml_str('gone' + EVIL)}]\nstatus = \"bogus\"\n")
    result = run("validate", str(mini))
    assert result.exit_code == 2
    assert_safe(result.output)
    assert "answers.gone\\x1b[2J" in result.output


def test_summary_of_an_unreadable_review_escapes_the_key(mini: Path) -> None:
    with_answers(mini, f"[answers.{toml_str('gone' + EVIL)}]\nstatus = \"bogus\"\n")
    result = run("summary", str(mini))
    assert result.exit_code == 2
    assert_safe(result.output)


def test_check_escapes_file_names(tmp_path: Path, mini: Path) -> None:
    evil = mini.with_name("evil" + TITLE + ".toml")
    shutil.copy(mini, evil)
    broken = tmp_path / ("broken" + CLEAR + ".toml")
    broken.write_text("[program]\nname = \n")
    result = run("check", str(evil), "--today", TODAY.isoformat())
    assert result.exit_code == 1
    assert_safe(result.output)
    assert "evil\\x1b]0;pwned\\x07.toml: overdue" in result.output
    result = run("check", str(broken), "--today", TODAY.isoformat())
    assert result.exit_code == 2
    assert_safe(result.output)


def test_portfolio_escapes_file_names(tmp_path: Path, mini: Path) -> None:
    (tmp_path / ("broken" + TITLE + C1_CSI + ".toml")).write_text("[program]\nname = \n")
    result = run("portfolio", str(tmp_path), "--today", TODAY.isoformat())
    assert result.exit_code == 2
    assert_safe(result.output)
    assert "ERROR" in result.output
    result = run("portfolio", str(tmp_path), "--format", "json", "--today", TODAY.isoformat())
    assert not RAW.findall(result.output)
    assert any(row["error"] for row in json.loads(result.output)["programs"])


def test_export_error_lines_escape_file_names(tmp_path: Path) -> None:
    broken = tmp_path / ("broken" + CLIPBOARD + ".toml")
    broken.write_text("[program]\nname = \n")
    result = run("export", str(broken), "--format", "md")
    assert result.exit_code == 2
    assert_safe(result.output)


def test_export_json_escapes_an_orphaned_key(mini: Path) -> None:
    with_answers(mini, f"[answers.{toml_str('gone' + C1_CSI + BIDI)}]\nstatus = \"answered\"\nvalue = \"x\"\n")
    result = run("export", str(mini), "--format", "json", "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert not RAW.findall(result.output)
    assert "gone" + C1_CSI + BIDI in json.dumps(json.loads(result.output), ensure_ascii=False)  # same data


def test_adr_front_matter_is_escaped_like_the_body(mini: Path) -> None:
    rf = load_review(mini)
    rf.review.program.participants.append(
        # model_construct: as if a value had skipped validation; the export must not trust it.
        Participant.model_construct(name="Eve" + C1_CSI + BIDI + "\u2028x", role="ops" + TITLE))
    data = export_data(rf.review, rf.template, TODAY)
    decision = data.decisions()[0]
    text = render_record(decision, data)
    front = text.split("---")[1]
    consulted = next(line for line in front.splitlines() if line.startswith("consulted:"))
    assert not RAW.findall(front) and "\u2028" not in front  # a YAML 1.1 reader takes U+2028 as a line break
    assert '"Eve2J' in consulted and "ops]0;pwned" in consulted  # controls dropped, as in the body


# --------------------------------------------------------------------------- the TUI


def screen_text(app) -> str:
    return app.export_screenshot()  # every character the terminal would be sent, as text


async def test_tui_shows_template_text_escaped(tmp_path: Path) -> None:
    app = make_app(load_review(hostile_template(tmp_path)), today=TODAY, clock=lambda: NOW, autosave_delay=0.05)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert_safe(shown)
        assert "Who&#160;owns&#160;\\x1b[2J" in shown or "Who owns \\x1b[2J" in shown


async def test_tui_shows_orphaned_answer_ids_escaped(mini: Path) -> None:
    with_answers(mini, f"[answers.{toml_str('gone' + EVIL)}]\nstatus = \"answered\"\nvalue = \"x\"\n")
    app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, autosave_delay=0.05)
    async with app.run_test(size=(160, 50)) as pilot:
        await app.screen.show_section(ORPHANS)
        await pilot.pause()
        shown = screen_text(app)
        assert "gone\\x1b[2J" in shown
        assert_safe(shown)


async def test_settle_dialog_shows_respondent_names_escaped(mini: Path) -> None:
    with_answers(mini, "\n".join([
        "[answers.notes.responses.ann]", 'status = "answered"', 'value = "one"',
        f"[answers.notes.responses.{toml_str('eve' + EVIL)}]", 'status = "answered"', 'value = "two"', ""]))
    rf = load_review(mini)
    app = make_app(rf, today=TODAY, clock=lambda: NOW, autosave_delay=0.05)
    async with app.run_test(size=(160, 50)) as pilot:
        question = rf.template.question("notes")
        assert question is not None
        app.push_screen(SettleDialog(question, rf.review.answers["notes"]))
        assert await settle(pilot, lambda: isinstance(app.screen, SettleDialog))
        await pilot.pause()
        shown = screen_text(app)
        assert "eve\\x1b[2J" in shown
        assert_safe(shown)


async def test_portfolio_screen_shows_file_names_escaped(tmp_path: Path, mini: Path) -> None:
    broken = tmp_path / ("broken" + TITLE + C1_CSI + BIDI + ".toml")
    broken.write_text("[program]\nname = \n")
    app = make_app(None, today=TODAY, clock=lambda: NOW, autosave_delay=0.05,
                   portfolio=([mini, broken], "verdict", ()))
    async with app.run_test(size=(160, 40)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, PortfolioScreen) and app.screen.rows)
        await pilot.press("down")  # the broken file's row (errors last): its path and error below
        await pilot.pause()
        shown = screen_text(app)
        assert "broken\\x1b]0;pwned" in shown
        assert_safe(shown)


async def test_respondents_tally_shows_stray_files_and_why_escaped(mini: Path) -> None:
    """A file in the respondents' folder is named in the tally (a review without a respondent's name
    by its file name; a stray file with why it is not counted): names and reasons come from the
    file, so they are shown escaped."""
    from workbook.tui.screens.respondents import RespondentsScreen

    folder = mini.parent / "answers"
    folder.mkdir()
    hostile_key = f"[answers.{toml_str('gone' + CLEAR)}]\nstatus = 3\n"
    (folder / ("stray" + TITLE + ".toml")).write_text(mini.read_text(encoding="utf-8") + "\n" + hostile_key)
    shutil.copy(mini, folder / ("eve" + CLEAR + ".toml"))  # a review with no respondent's name in it
    app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, workshop=True, respondents=folder,
                   autosave_delay=0.05)
    async with app.run_test(size=(160, 40)) as pilot:
        assert await settle(pilot, lambda: isinstance(app.screen, RespondentsScreen) and app.screen.folder.stray)
        await pilot.pause()
        shown = screen_text(app)
        assert "stray\\x1b]0;pwned\\x07.toml" in shown and "gone\\x1b[2J" in shown
        assert "eve\\x1b[2J\\x1b[H:" in shown  # the first question's detail: who answered what
        assert_safe(shown)


# --------------------------------------------------------------------------- names as keys


def test_respondent_names_are_escaped_when_loaded_and_two_that_meet_keep_both(mini: Path) -> None:
    from workbook.core.models import Answer
    from workbook.core.text import safe_keys

    with_answers(mini, "\n".join([
        f"[answers.notes.responses.{toml_str('eve' + EVIL)}]", 'status = "answered"', 'value = "one"',
        f"[answers.notes.responses.{toml_str('eve' + terminal_safe(EVIL))}]", 'status = "answered"', 'value = "two"',
        ""]))
    responses = load_review(mini).review.answers["notes"].responses
    assert list(responses) == [f"eve{terminal_safe(EVIL)} (2)", f"eve{terminal_safe(EVIL)}"]  # both kept
    assert [r.value for r in responses.values()] == ["one", "two"]
    for name in responses:
        assert_safe(name)
    assert safe_keys(responses) is responses  # applying it again changes nothing
    answer = Answer()
    answer.responses = {"ann" + TITLE: Answer()}  # set in code, as a merge does: escaped too
    assert list(answer.responses) == ["ann\\x1b]0;pwned\\x07"]


def test_merge_names_a_respondent_by_an_escaped_file_name(tmp_path: Path, mini: Path) -> None:
    evil = tmp_path / ("eve" + CLIPBOARD + ".toml")
    evil.write_text(mini.read_text(encoding="utf-8").replace('value = "team"', 'value = "nobody"'), encoding="utf-8")
    out = tmp_path / "merged.toml"
    result = run("merge", str(mini), str(evil), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert not RAW.findall(result.output)
    merged = load_review(out).review
    names = {name for a in merged.answers.values() for name in a.responses}
    assert "eve\\x1b]52;c;cHduZWQ=\\x07" in names
    assert not any(RAW.search(name) for name in names)
