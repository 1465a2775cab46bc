"""Less typing, fewer surprises (issue 15): a full review started from a quick check, who gave a
single respondent's answer, a portfolio whose rows can be told apart, and open constraints that say
"unowned, undated" instead of "no owner ... no date"."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from tests.conftest import SAMPLES, TEMPLATES, TODAY
from tests.unit.test_merge_diff import respondent
from workbook.cli import cli
from workbook.core import editing
from workbook.core.calc.describe import money
from workbook.core.constraints import open_constraints
from workbook.core.merge import merge_reviews
from workbook.core.models import Status
from workbook.core.portfolio import build_rows, render_text
from workbook.core.scoring import assess
from workbook.core.store import load_review

QUICK = """\
schema = 1
template = "quick-self-check"
template_version = "1.1.0"
template_file = "quick-template.toml"
respondent = "Megan"

[program]
name = "BenefitsBot"
owner = "Megan"
stage = "pilot"
review_date = 2026-10-01
description = "Answers staff questions about their benefits."
participants = [{ name = "Megan", role = "TPM" }, { name = "Tyler", role = "sponsor" }]

[calculators.cost]
users = 45

[answers.demo-data-source]
value = "vendor-demo"

[answers.peak-concurrency-tested]
value = "fraction"
notes = "Load-tested at 20% of the peak."

[answers.assume-model-good-enough]
value = true

[answers.cost-threshold-per-outcome]
value = 2.4

[answers.model-choice]
status = "deferred"
owner = "Priya"
decide_by = 2026-12-15
opened_on = 2026-10-01

[answers.personal-data-in-prompts]
value = true

[answers.workshop-must-settle]
value = "The data boundary; Priya and legal in the room."
"""

NOT_CARRIED = ("2 not carried: demo-data-source (the choice 'vendor-demo' no longer exists), "
               "workshop-must-settle (no such question)")
MAPPED = "(1 in another form: personal-data-in-prompts → data-sensitivity-classes)"


@pytest.fixture
def quick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A quick self-check in the current folder, made with a copy of the quick template that has one
    choice the full review does not (so one answer cannot be carried)."""
    template = (TEMPLATES / "quick-self-check.toml").read_text()
    template = template.replace('  { id = "random-real",',
                                '  { id = "vendor-demo", label = "The vendor\'s own demo", risk = "high" },\n'
                                '  { id = "random-real",', 1)
    (tmp_path / "quick-template.toml").write_text(template)
    (tmp_path / "quick.toml").write_text(QUICK)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "quick.toml"


# ------------------------------------------------------------------ 1. new --from


def test_new_from_a_quick_check_carries_what_fits_and_says_what_did_not(quick: Path) -> None:
    result = CliRunner().invoke(cli, ["new", "full.toml", "--from", "quick.toml", "--today", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert (f"carried 5 answers {MAPPED} and the cost calculator's inputs from quick.toml; " + NOT_CARRIED
            in result.output)
    assert "created full.toml from post-demo-review" in result.output
    rf = load_review(quick.parent / "full.toml")
    review = rf.review
    assert (review.template, review.template_version) == ("post-demo-review", rf.template.version)
    assert review.template_file is None
    program = review.program
    assert (program.name, program.owner, program.stage.value) == ("BenefitsBot", "Megan", "pilot")
    assert program.description == "Answers staff questions about their benefits."
    assert [p.name for p in program.participants] == ["Megan", "Tyler"]
    assert program.review_date == TODAY  # a new review: reviewed today
    assert review.respondent == "Megan"  # her pre-fill of the full review
    assert sorted(review.answers) == ["assume-model-good-enough", "cost-threshold-per-outcome",
                                      "data-sensitivity-classes", "model-choice", "peak-concurrency-tested"]
    classes = review.answers["data-sensitivity-classes"]  # "personal data can reach the model", as a class
    assert (classes.status, classes.value) == (Status.ANSWERED, ["personal"])
    assert "Carried from quick-self-check's personal-data-in-prompts (answered yes there)" in classes.notes
    assert review.answers["peak-concurrency-tested"].notes == "Load-tested at 20% of the peak."
    choice = review.answers["model-choice"]
    assert (choice.status, choice.owner, choice.decide_by.isoformat()) == (Status.DEFERRED, "Priya", "2026-12-15")
    assert review.calculators is not None and review.calculators.cost is not None
    assert review.calculators.cost.users == 45
    assert not rf.orphans  # nothing that does not fit was written


def test_new_from_with_program_renames_but_keeps_the_rest(quick: Path) -> None:
    result = CliRunner().invoke(cli, ["new", "full.toml", "--from", "quick.toml", "--program", "Benefits assistant"])
    assert result.exit_code == 0, result.output
    program = load_review(quick.parent / "full.toml").review.program
    assert (program.name, program.owner) == ("Benefits assistant", "Megan")


def test_new_needs_a_program_or_a_review_to_start_from(quick: Path) -> None:
    result = CliRunner().invoke(cli, ["new", "full.toml"])
    assert result.exit_code == 2 and "--program" in result.output and "--from" in result.output
    assert not (quick.parent / "full.toml").exists()
    bad = CliRunner().invoke(cli, ["new", "full.toml", "--from", "missing.toml"])
    assert bad.exit_code == 2 and "missing.toml" in bad.output and not (quick.parent / "full.toml").exists()


def test_new_from_a_file_that_fits_entirely(quick: Path) -> None:
    text = QUICK.split("[answers.demo-data-source]")[0] + '[answers.kill-switch]\nstatus = "unknown"\n'
    (quick.parent / "small.toml").write_text(text.replace("[calculators.cost]\nusers = 45\n", ""))
    result = CliRunner().invoke(cli, ["new", "full.toml", "--from", "small.toml"])
    assert result.exit_code == 0, result.output
    assert "carried 1 answer from small.toml; nothing left behind" in result.output


# ------------------------------------------------------------------ 2. merge keeps who answered alone




def test_an_answer_only_one_respondent_gave_keeps_who_gave_it(tmp_path: Path) -> None:
    ana = respondent(tmp_path, "Ana", [lambda r: editing.set_value(r, "owner", "team", TODAY),
                                        lambda r: editing.set_notes(r, "owner", "Finance, I think"),
                                        lambda r: editing.set_value(r, "threshold", 2, TODAY)])
    ben = respondent(tmp_path, "Ben", [lambda r: editing.set_value(r, "threshold", 2, TODAY)])
    out = tmp_path / "merged.toml"
    result = CliRunner().invoke(cli, ["merge", str(ana), str(ben), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 agreed, 0 disagreement(s) to settle; 1 given by one respondent only" in result.output
    merged = load_review(out).review
    owner = merged.answers["owner"]
    assert (owner.status, owner.value, owner.notes) == (Status.ANSWERED, "team", "Finance, I think")
    assert list(owner.responses) == ["Ana"] and owner.responses["Ana"].value == "team"
    assert not owner.disagreement  # answered, not something to settle
    assert merged.answers["threshold"].responses == {}  # agreement of two: taken as before
    assert assess(merged, load_review(out).template, TODAY).answered == 2  # owner and threshold count as answered
    report = merge_reviews([load_review(ana), load_review(ben)])
    assert report.single == {"owner": "Ana"} and report.agreed == ["threshold"] and report.disagreed == []
    # Merged again with a third respondent, the answer is still Ana's, not the merged file's.
    cy = respondent(tmp_path, "Cy", [lambda r: editing.set_value(r, "sources", ["wiki"], TODAY)])
    again = merge_reviews([load_review(out), load_review(cy)])
    assert list(again.review.answers["owner"].responses) == ["Ana"]
    assert list(again.review.answers["sources"].responses) == ["Cy"]


# ------------------------------------------------------------------ 3. portfolio text


def _text(rows, total: int, failed: int, width: int = 100) -> str:
    out = io.StringIO()
    Console(width=width, file=out, highlight=False).print(render_text(rows, total, failed, width))
    return out.getvalue()


def test_portfolio_rows_of_one_name_are_told_apart_by_their_file(tmp_path: Path, monkeypatch) -> None:
    sample = SAMPLES / "sales-email-generator.toml"
    for team in ("a", "b", "c"):
        (tmp_path / team).mkdir()
        shutil.copy(sample, tmp_path / team / "bot.toml")
    (tmp_path / "broken.toml").write_text("x = [")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["portfolio", str(tmp_path), "--today", "2026-11-26"])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0] == "3 programs and 1 unreadable file"
    assert lines[1].startswith("Program / file")
    for team in ("a", "b", "c"):  # relative to the current folder, not the absolute path given
        assert sum(1 for line in lines if f"{team}/bot.toml" in line) == 1
    assert str(tmp_path) not in result.stdout.replace(f"{tmp_path}/broken.toml", "")
    rf = load_review(sample)
    cost = assess(rf.review, rf.template, TODAY).calc.cost
    assert cost is not None and money(cost.expected.cost_per_success) in result.stdout
    assert "USD" not in result.stdout and "program(s)" not in result.stdout


def test_portfolio_title_singular_plural_and_filtered(monkeypatch) -> None:
    monkeypatch.chdir(SAMPLES)
    one = build_rows([SAMPLES / "sales-email-generator.toml"], TODAY)
    lines = _text(one, 1, 0).splitlines()
    assert lines[0] == "1 program" and lines[1].startswith("Program / file")
    assert lines[2].startswith("Outbound email") and lines[3].startswith("sales-email-generator.toml")
    two = build_rows([SAMPLES / "sales-email-generator.toml", SAMPLES / "customer-support-copilot.toml"], TODAY)
    assert _text(two[:1], 4, 2).splitlines()[0] == "1 of 2 programs shown and 2 unreadable files"
    monkeypatch.chdir(SAMPLES.parent)  # all in one folder: named once, in the title
    assert _text(two, 2, 0).splitlines()[0] == "2 programs in sample_programs/"


def test_money_is_dollars_and_cents() -> None:
    assert (money(2.4), money(1234.5), money(0.2618)) == ("$2.40", "$1,234", "$0.2618")


# ------------------------------------------------------------------ 4. unowned, undated


def test_check_says_unowned_undated(mini: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(mini), "--fail-on", "unowned,undated", "--today", "2026-11-26"])
    assert result.exit_code == 1
    assert "no owner" not in result.output and "no date" not in result.output
    assert "threshold: decision “Cost threshold per outcome?” (unowned, undated)" in result.output
    assert "good-enough: assumption “Are you relying on the model being good enough?” (unowned, undated)" in result.output


def test_cards_say_unowned_undated(mini: Path) -> None:
    from workbook.tui.widgets.question_card import card_content

    rf = load_review(mini)
    constraints = {c.question_id: c for c in open_constraints(rf.review, rf.template, TODAY)}
    for qid in ("threshold", "good-enough"):
        text = str(card_content(rf.template.question(qid), rf.review.answer(qid), constraints[qid]))
        assert "no owner" not in text and "no date" not in text
        assert "unowned, undated" in text, text
    rf.review.answers["threshold"].owner = "Sam"
    text = str(card_content(rf.template.question("threshold"), rf.review.answer("threshold"), constraints["threshold"]))
    assert "deferred to Sam, undated" in text
