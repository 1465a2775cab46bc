"""Several respondents merged; what moved between versions, from files and from git history."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES, ROOT, TODAY
from workbook.cli import cli
from workbook.core import editing
from workbook.core.diff import diff_reviews
from workbook.core.diff_report import diff_lines, diff_markdown
from workbook.core.errors import WorkbookError
from workbook.core.merge import merge_reviews
from workbook.core.models import Status
from workbook.core.store import ReviewFile, load_review, save_review

D = dt.date


def respondent(tmp_path: Path, name: str, edits) -> Path:
    """A solo self-assessment of the mini template, filled in by `name`."""
    path = tmp_path / f"{name.lower()}.toml"
    if not (tmp_path / "mini-template.toml").exists():
        shutil.copy(FIXTURES / "mini-template.toml", tmp_path)
    shutil.copy(FIXTURES / "mini-review.toml", path)
    rf = load_review(path)
    rf.review.answers = {}
    rf.review.respondent = name
    for edit in edits:
        edit(rf.review)
    save_review(rf, force=True)
    return path


def answer(qid, value, notes=""):
    def edit(review):
        editing.set_value(review, qid, value, TODAY)
        if notes:
            editing.set_notes(review, qid, notes)
    return edit


@pytest.fixture
def three(tmp_path: Path) -> list[ReviewFile]:
    a = respondent(tmp_path, "Ana", [answer("owner", "team", "Finance, I think"), answer("sources", ["wiki", "tickets"]),
                                      answer("threshold", 2)])
    b = respondent(tmp_path, "Ben", [answer("owner", "team"), answer("sources", ["tickets", "wiki"]), answer("threshold", 5),
                                      lambda r: editing.defer(r, "boundary", TODAY, owner="Priya", decide_by=D(2026, 12, 1))])
    c = respondent(tmp_path, "Cy", [answer("owner", "team", "Ops says finance"),
                                     lambda r: editing.defer(r, "boundary", TODAY, owner="Priya", decide_by=D(2026, 12, 1))])
    return [load_review(p) for p in (a, b, c)]


def test_agreement_is_taken_with_attributed_notes(three) -> None:
    report = merge_reviews(three)
    owner = report.review.answers["owner"]
    assert (owner.status, owner.value, owner.responses) == (Status.ANSWERED, "team", {})
    assert owner.notes == "Ana: Finance, I think\nCy: Ops says finance"
    assert report.review.answers["sources"].value in (["wiki", "tickets"], ["tickets", "wiki"])  # order does not matter
    boundary = report.review.answers["boundary"]  # both deferrals name the same owner and date
    assert (boundary.status, boundary.owner) == (Status.DEFERRED, "Priya")


def test_disagreement_keeps_every_answer_and_stays_unanswered(three) -> None:
    report = merge_reviews(three)
    assert report.disagreed == ["threshold"]
    threshold = report.review.answers["threshold"]
    assert threshold.disagreement and threshold.status is Status.UNANSWERED
    assert {who: a.value for who, a in threshold.responses.items()} == {"Ana": 2, "Ben": 5}


def test_missing_answers_are_not_disagreements(three) -> None:
    report = merge_reviews(three)
    assert "notes" not in report.review.answers  # nobody answered it
    assert sorted(report.agreed) == ["boundary", "owner", "sources"]


def test_respondents_become_participants(three) -> None:
    names = [p.name for p in merge_reviews(three).review.program.participants]
    assert names[:1] == ["Dana"] and {"Ana", "Ben", "Cy"} <= set(names)


def test_mismatched_templates_are_refused(three, tmp_path: Path) -> None:
    other = load_review(ROOT / "sample_programs" / "sales-email-generator.toml")
    with pytest.raises(WorkbookError, match="only reviews of the same template and version can be merged"):
        merge_reviews([three[0], other])
    newer = three[1]
    newer.review.template_version = "3.0.0"
    with pytest.raises(WorkbookError, match="made with mini 3.0.0"):
        merge_reviews([three[0], newer])


def test_merged_review_round_trips_through_the_file(three, tmp_path: Path) -> None:
    out = tmp_path / "merged.toml"
    result = CliRunner().invoke(cli, ["merge", *(str(rf.path) for rf in three), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 agreed, 1 disagreement(s) to settle" in result.output
    data = tomllib.loads(out.read_text())
    assert data["answers"]["threshold"]["responses"] == {"Ana": {"status": "answered", "value": 2},
                                                          "Ben": {"status": "answered", "value": 5}}
    assert load_review(out).review.answers["threshold"].disagreement
    again = CliRunner().invoke(cli, ["merge", *(str(rf.path) for rf in three), "-o", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_merge_cli_mismatch_exits_2(three, tmp_path: Path) -> None:
    other = ROOT / "sample_programs" / "sales-email-generator.toml"
    result = CliRunner().invoke(cli, ["merge", str(three[0].path), str(other), "-o", str(tmp_path / "m.toml")])
    assert result.exit_code == 2 and "only reviews of the same template" in result.output
    assert not (tmp_path / "m.toml").exists()


# ------------------------------------------------------------------ diff


def test_diff_of_two_versions(mini: Path, tmp_path: Path) -> None:
    old = load_review(mini)
    new = load_review(mini)
    editing.set_value(new.review, "owner", "named", TODAY)
    editing.defer(new.review, "boundary", TODAY, owner="Priya", decide_by=D(2026, 12, 20))
    editing.set_value(new.review, "threshold", 3, TODAY, is_decision=True)
    editing.mark_unknown(new.review, "sources", TODAY)
    d = diff_reviews(old.review, new.review, new.template, TODAY, "v1", "v2")
    assert [c.question_id for c in d.changed] == ["owner", "boundary", "sources", "threshold"]
    assert [c.question_id for c in d.closed] == ["threshold"]
    assert d.opened == []  # sources is not critical: unknown there is no constraint
    assert [(s.before, s.after) for s in d.slips] == [(D(2026, 11, 20), D(2026, 12, 20))]
    # Data: a medium (0.7) → no risk, sources blank → unknown (0 either way: it could be high), notes unscored.
    # Cost: the deferred threshold (0) answered 3, a medium (0.7), beside the assumption's medium.
    assert ("Data", 23, 33) in d.scores and ("Cost", 35, 70) in d.scores
    text = "\n".join(diff_lines(d))
    assert "A team → A named person" in text and "decide by 2026-11-20 → 2026-12-20" in text
    md = diff_markdown(d)
    assert md.startswith("## Review changes: v1 → v2") and "| Data | 23 | 33 |" in md


def test_diff_of_identical_reviews_says_so(mini: Path) -> None:
    rf = load_review(mini)
    d = diff_reviews(rf.review, rf.review, rf.template, TODAY)
    assert d.empty and diff_lines(d)[-1] == "No changes."


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(repo), "PATH": "/usr/bin:/bin"})


@pytest.mark.subprocess  # git
def test_diff_against_git_history(mini: Path) -> None:
    repo = mini.parent
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first review")
    rf = load_review(mini)
    editing.set_value(rf.review, "boundary", "no", TODAY, decided_by="Priya", is_decision=True)
    save_review(rf)
    git(repo, "commit", "-qam", "boundary decided")
    rf = load_review(mini)
    editing.defer(rf.review, "threshold", TODAY, owner="Sam", decide_by=D(2026, 12, 24))
    save_review(rf)  # uncommitted working copy
    runner = CliRunner()
    result = runner.invoke(cli, ["diff", str(mini), "--rev", "HEAD~1", "--today", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert "Constraints closed (1):" in result.output and "May the data leave the boundary?" in result.output
    assert "deferred, unowned, undated → deferred to Sam, decide by 2026-12-24" in result.output
    head = runner.invoke(cli, ["diff", str(mini), "--rev", "HEAD", "--format", "md", "--today", "2026-11-26"])
    assert head.exit_code == 0 and "Constraints closed" not in head.output and "Answers changed (1)" in head.output


@pytest.mark.subprocess  # git
def test_diff_rev_errors_are_one_line(mini: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["diff", str(mini), "--rev", "HEAD"])
    assert result.exit_code == 2 and "not in a git repository" in result.output
    git(mini.parent, "init", "-q")
    git(mini.parent, "add", ".")
    git(mini.parent, "commit", "-qm", "x")
    result = runner.invoke(cli, ["diff", str(mini), "--rev", "nosuchrev"])
    assert result.exit_code == 2 and result.output.startswith(f"workbook: {mini}@nosuchrev: ")
    assert len(result.output.strip().splitlines()) == 1


def test_diff_usage(mini: Path) -> None:
    assert CliRunner().invoke(cli, ["diff", str(mini)]).exit_code == 2
    assert CliRunner().invoke(cli, ["diff", str(mini), str(mini), "--rev", "HEAD"]).exit_code == 2


def test_diff_of_two_samples_of_different_templates_is_refused() -> None:
    result = CliRunner().invoke(cli, ["diff", str(ROOT / "sample_programs" / "customer-support-copilot.toml"),
                                      str(ROOT / "sample_programs" / "sales-email-generator.toml")])
    assert result.exit_code == 2 and "only versions of the same review can be compared" in result.output


def test_diff_of_two_samples_of_one_template() -> None:
    result = CliRunner().invoke(cli, ["diff", str(ROOT / "sample_programs" / "customer-support-copilot.toml"),
                                      str(ROOT / "sample_programs" / "internal-code-assistant.toml"), "--today", "2026-11-26"])
    assert result.exit_code == 0
    assert "Verdict: demo only (6) → pilot with guardrails (82)" in result.output


def test_workshop_log_and_parking_lot_round_trip(mini: Path) -> None:
    from workbook.core.editing import LogTime, SetParkingLot, apply_review_change
    from workbook.core.models import ParkingItem

    rf = load_review(mini)
    apply_review_change(rf.review, LogTime("data", dt.datetime(2026, 11, 26, 9, 0, 5, 123), 600))
    apply_review_change(rf.review, LogTime("data", dt.datetime(2026, 11, 26, 9, 30), 120))
    apply_review_change(rf.review, SetParkingLot((ParkingItem(topic="Who pays?", owner="Dana", raised_on=TODAY),)))
    save_review(rf)
    back = load_review(mini).review
    assert back.workshop.seconds_by_section() == {"data": 720}
    assert back.workshop.log[0].started == dt.datetime(2026, 11, 26, 9, 0, 5)
    assert back.parking_lot[0].topic == "Who pays?"


def test_merge_keeps_everyones_parking_lot_and_time_log(three) -> None:
    from workbook.core.editing import LogTime, SetParkingLot, apply_review_change
    from workbook.core.models import ParkingItem

    apply_review_change(three[0].review, SetParkingLot((ParkingItem(topic="Ana's worry"),)))
    apply_review_change(three[2].review, SetParkingLot((ParkingItem(topic="Cy's worry"),)))
    apply_review_change(three[1].review, LogTime("data", __import__("datetime").datetime(2026, 11, 20, 9), 300))
    report = merge_reviews(three)
    assert [i.topic for i in report.review.parking_lot] == ["Ana's worry", "Cy's worry"]
    assert report.review.workshop.seconds_by_section() == {"data": 300}


def test_merging_a_merged_file_keeps_its_respondents(three, tmp_path: Path) -> None:
    first = merge_reviews(three[:2])  # Ana and Ben disagree on the threshold
    merged = tmp_path / "ab.toml"
    from workbook.core.store import create_review_file

    create_review_file(merged, first.review, three[0].template)
    again = merge_reviews([load_review(merged), three[2]])
    assert set(again.review.answers["threshold"].responses) == {"Ana", "Ben"}
    assert again.review.answers["threshold"].disagreement
