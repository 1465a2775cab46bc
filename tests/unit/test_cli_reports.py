"""`workbook summary` and `workbook check`: output and every exit code."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from workbook.cli import cli

SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_programs"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_summary_text_names_the_verdict_and_why(mini: Path) -> None:
    result = run("summary", str(mini), "--today", "2026-11-26")
    assert result.exit_code == 0
    assert "Verdict: DEMO ONLY" in result.output
    assert "The weakest section is Data at 23/100" in result.output  # a medium 0.7, a deferral 0, sources blank (could be high) 0; notes unscored
    assert "Start with:" in result.output and "overdue by 6 days, Priya" in result.output
    assert "Open constraints: 3 (1 overdue)" in result.output


def test_summary_json_is_reproducible_with_today(mini: Path) -> None:
    first = run("summary", str(mini), "--format", "json", "--today", "2026-11-26").output
    again = run("summary", str(mini), "--format", "json", "--today", "2026-11-26").output
    assert first == again
    data = json.loads(first)
    assert data["today"] == "2026-11-26" and data["readiness"]["verdict"] == "demo only"
    later = json.loads(run("summary", str(mini), "--format", "json", "--today", "2026-12-26").output)
    assert later["open_constraints"][0]["age_days"] == data["open_constraints"][0]["age_days"] + 30


def test_summary_of_a_broken_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[program\n")
    result = run("summary", str(bad))
    assert result.exit_code == 2 and result.output.startswith(f"workbook: {bad}: 1:9: invalid TOML")


def test_check_passes_when_nothing_is_overdue(mini: Path) -> None:
    result = run("check", str(mini), "--today", "2026-11-20")  # the boundary is due that very day
    assert result.exit_code == 0
    assert result.output == f"{mini}: ok (overdue)\n"


def test_check_fails_with_one_line_per_failed_constraint(mini: Path) -> None:
    result = run("check", str(mini), "--today", "2026-11-26")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{mini}: overdue: boundary: decision “May the data leave the boundary?” "
        "(Priya, decide by 2026-11-20, 6 days overdue, slipped 2x) — to fix: answer it, or re-date it with an owner "
        "(enter answers, d re-dates)"
    ]
    assert "1 of 1 review(s) failed the check" in result.stderr


def test_check_more_rules(mini: Path) -> None:
    result = run("check", str(mini), "--today", "2026-11-26", "--fail-on", "unowned,undated,unanswered")
    assert result.exit_code == 1
    rules = [line.split(": ")[1] for line in result.stdout.splitlines()]
    assert rules == ["unowned", "undated", "unowned", "undated", "unanswered", "unanswered"]


def test_check_unknown_rule_is_a_usage_error(mini: Path) -> None:
    result = run("check", str(mini), "--fail-on", "late")
    assert result.exit_code == 2 and "unknown rule 'late'" in result.output


def test_check_unreadable_input_exits_2_even_when_others_fail(mini: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("x = \n")
    result = run("check", str(mini), str(bad), "--today", "2026-11-26")
    assert result.exit_code == 2
    assert f"workbook: {bad}: 1:5: invalid TOML" in result.stderr
    assert f"{mini}: overdue: boundary" in result.stdout


def test_check_on_the_samples_finds_the_overdue_decisions() -> None:
    result = run("check", *map(str, sorted(SAMPLES.glob("*.toml"))), "--today", "2026-11-26")
    assert result.exit_code == 1
    assert "customer-support-copilot.toml: overdue: escalation-owner" in result.stdout
    assert "internal-code-assistant.toml: ok (overdue)" in result.stdout


def test_check_a_folder_and_skip_non_reviews_for_pre_commit(tmp_path: Path, mini: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "ruff.toml").write_text("line-length = 100\n")
    result = run("check", "--only-reviews", str(tmp_path / "ruff.toml"), str(mini), "--today", "2026-11-20")
    assert result.exit_code == 0 and result.stdout == f"{mini}: ok (overdue)\n"
    folder = run("check", str(tmp_path), "--today", "2026-11-26")
    assert folder.exit_code == 1 and "overdue: boundary" in folder.stdout


def test_export_refuses_to_overwrite_its_input(mini: Path) -> None:
    before = mini.read_bytes()
    result = run("export", str(mini), "--format", "md", "-o", str(mini))
    assert result.exit_code == 2 and "is one of the reviews being exported" in result.output
    assert mini.read_bytes() == before


def barely_started(mini: Path) -> Path:
    """The mini review with one answer left: Data 1 of 4 answered, Cost not started (but scored: unknown is not safe)."""
    from workbook.core.store import load_review, save_review

    rf = load_review(mini)
    rf.review.answers = {"owner": rf.review.answers["owner"]}
    save_review(rf, force=True)
    return mini


def test_summary_text_says_not_started_and_that_the_weakest_is_barely_answered(mini: Path) -> None:
    out = run("summary", str(barely_started(mini)), "--today", "2026-11-26").output
    headline = next(line for line in out.splitlines() if line.startswith("Verdict:"))
    # Cost is not started, yet its blank threshold could be high, so it scores 0 and is the weakest.
    assert "(weakest: Cost — only 0 of 3 answered; 1 section not started)" in " ".join(out.split())
    assert "readiness 0/100" in headline
    cost = next(line for line in out.splitlines() if line.startswith("Cost "))
    assert "not started" in cost and "n/a" not in out


def test_summary_text_at_80_columns_wraps_and_cuts_nothing(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run("summary", str(SAMPLES / "claims-triage-agent-actions.toml"), "--today", "2026-11-26").output
    assert "…" not in out and max(len(line.rstrip()) for line in out.splitlines()) <= 80
    words = " ".join(out.split())
    # Each "Start with" item whole, wrapped on its words; the longest section title whole, on two lines.
    assert ("Which irreversible or external actions require a person's explicit approval, and where is the gate "
            "enforced? — blocker: None are gated") in words
    assert "Untrusted content and" in out and "\ncredentials" in out
