"""An imported lens run as a workshop: its questions are decisions a team may defer to an owner and a
date, and for a high or medium risk the lens's improvement plans are the action in the CSV and the ADR."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import TODAY
from workbook.cli import cli
from workbook.core.lens.importer import import_lens
from workbook.core.lens.plans import explaining_plans
from workbook.core.models import Answer, Status
from workbook.core.policy import defer_kind

TEXT_A, URL_A = "Turn on *encryption* <b>at rest</b> [now](javascript:x)", "https://example.com/enc"
PLAN_A = f"{TEXT_A} {URL_A}"
LENS = {
    "schemaVersion": "2021-11-01", "name": "Data lens", "description": "Data handling.",
    "pillars": [{"id": "Data", "name": "Data", "questions": [
        {"id": "DATA_Q1", "title": "How do you protect stored data?", "choices": [
            {"id": "Enc_a", "title": "Encrypt at rest", "improvementPlan": {"displayText": TEXT_A, "url": URL_A}},
            {"id": "Rot_b", "title": "Rotate keys", "improvementPlan": {"displayText": "=HYPERLINK(\"x\") rotate"}},
            {"id": "DATA_Q1_no", "title": "None of these"}],
         "riskRules": [{"condition": "Enc_a && Rot_b", "risk": "NO_RISK"},
                       {"condition": "Enc_a", "risk": "MEDIUM_RISK"},
                       {"condition": "default", "risk": "HIGH_RISK"}]},
        {"id": "DATA_Q2", "title": "Do you share data with third parties?", "choices": [
            {"id": "Share_x", "title": "We sell it", "improvementPlan": {"displayText": "Stop selling data."}},
            {"id": "Keep_y", "title": "We keep logs", "improvementPlan": {"displayText": "Expire logs."}}],
         "riskRules": [{"condition": "Share_x", "risk": "HIGH_RISK"},
                       {"condition": "default", "risk": "NO_RISK"}]}]}]}


@pytest.fixture
def lens(tmp_path: Path) -> Path:
    path = tmp_path / "data-lens.json"
    path.write_text(json.dumps(LENS))
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_imported_questions_are_decisions_a_team_may_defer(lens: Path) -> None:
    template = import_lens(lens).template
    for _, q in template.questions():
        assert q.decision and defer_kind(q, Answer()) == "decision", q.id
        assert q.lens_id.startswith("DATA_Q")
    q1 = template.question("data_q1")
    assert q1 is not None and [c.lens_id for c in q1.choices] == ["Enc_a", "Rot_b", "DATA_Q1_no"]
    assert [c.improvement_plan for c in q1.choices] == [PLAN_A, '=HYPERLINK("x") rotate', ""]


def test_the_plans_that_explain_a_risk_are_the_changes_that_would_lower_it(lens: Path) -> None:
    template = import_lens(lens).template
    q1, q2 = template.question("data_q1"), template.question("data_q2")
    assert q1 is not None and q2 is not None

    def explained(q, ticked: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
        return [c.id for c, _ in explaining_plans(q, Answer(status=Status.ANSWERED, value=ticked))]

    assert explained(q1, ["enc_a"]) == ["rot_b"]  # medium: the practice not followed, not the one that is
    assert explained(q1, ["rot_b"]) == ["enc_a"]  # high: encrypting alone would lower it
    assert explained(q1, ["data_q1_no"]) == ["enc_a"]  # None of these: the one step that lowers it (high to medium)
    assert explained(q2, ["share_x", "keep_y"]) == ["share_x"]  # a bad practice ticked explains its risk


def test_csv_and_adr_show_the_lens_improvement_plan_as_the_action(lens: Path, tmp_path: Path) -> None:
    template, review = tmp_path / "data.toml", tmp_path / "review.toml"
    today = ["--today", TODAY.isoformat()]
    run("templates", "import-lens", str(lens), "-o", str(template))
    run("new", str(review), "--template", str(template), "--program", "Vault", *today)
    review.write_text(review.read_text() + '\n[answers.data_q1]\nstatus = "answered"\nvalue = ["rot_b"]\n'
                      'resolved_by = "Ana"\n\n[answers.data_q2]\nstatus = "deferred"\nowner = "Ben"\n'
                      'decide_by = 2026-12-15\n')
    rows = list(csv.DictReader(io.StringIO(run("export", str(review), "--format", "csv", *today))))
    risk = next(r for r in rows if r["Summary"] == "Mitigate high risk: How do you protect stored data?")
    assert "Action, the lens's improvement plan:" in risk["Description"]
    assert f"- Encrypt at rest: {PLAN_A}" in risk["Description"].splitlines()
    assert "Rotate keys:" not in risk["Description"]  # ticked: not what explains the risk
    deferred = next(r for r in rows if r["Summary"].startswith("Decide: Do you share data"))
    assert (deferred["Assignee"], deferred["Due Date"]) == ("Ben", "2026-12-15")  # an open decision, owned and dated
    folder = tmp_path / "adr"
    run("export", str(review), "--format", "adr", "-o", str(folder), *today)
    records = {p.name: p.read_text() for p in folder.iterdir()}
    made = next(text for text in records.values() if "\n# How do you protect stored data?\n" in text)
    assert "* Bad, because the review judges it a high risk: The lens's default rule." in made
    # Escaped as the ADR escapes every text: no emphasis, HTML or link of the lens's is live.
    assert "Improvement plan for “Encrypt at rest”: Turn on \\*encryption\\* \\<b\\>at rest\\</b\\>" in made
    assert "<b>" not in made and "[now](" not in made and "\\[now\\](javascript:x)" in made
    assert any("Proposed: not decided yet; deferred to Ben, to decide by 2026-12-15." in t for t in records.values())


def test_a_formula_in_an_improvement_plan_is_not_live_in_the_csv(lens: Path, tmp_path: Path) -> None:
    template, review = tmp_path / "data.toml", tmp_path / "review.toml"
    run("templates", "import-lens", str(lens), "-o", str(template))
    run("new", str(review), "--template", str(template), "--program", "Vault", "--today", TODAY.isoformat())
    review.write_text(review.read_text() + '\n[answers.data_q1]\nstatus = "answered"\nvalue = ["enc_a"]\n')
    out = run("export", str(review), "--format", "csv", "--today", TODAY.isoformat())
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["Summary"].startswith("Mitigate medium risk"))
    lines = row["Description"].splitlines()
    assert '- Rotate keys: =HYPERLINK("x") rotate' in lines  # inside the cell, after its first line
    assert not row["Description"].startswith(("=", "+", "-", "@"))


def test_two_respondents_of_an_imported_lens_merge(lens: Path, tmp_path: Path) -> None:
    """`workbook merge` of two solo self-assessments on an imported lens: agreement taken, disagreement kept,
    each judged by the lens's rules."""
    from workbook.core import editing
    from workbook.core.store import load_review, save_review

    template, base = tmp_path / "data.toml", tmp_path / "base.toml"
    run("templates", "import-lens", str(lens), "-o", str(template))
    run("new", str(base), "--template", str(template), "--program", "Vault", "--today", TODAY.isoformat())
    files = []
    for name, q2 in (("Ana", ["keep_y"]), ("Ben", ["share_x", "keep_y"])):
        path = tmp_path / f"{name}.toml"
        path.write_text(base.read_text())
        rf = load_review(path)
        rf.review.respondent = name
        editing.set_value(rf.review, "data_q1", ["enc_a", "rot_b"], TODAY)
        editing.set_value(rf.review, "data_q2", q2, TODAY)
        save_review(rf, force=True)
        files.append(str(path))
    out = run("merge", *files, "-o", str(tmp_path / "merged.toml"))
    assert "1 agreed, 1 disagreement(s) to settle" in out and "disagreement: data_q2" in out
    merged = load_review(tmp_path / "merged.toml")
    assert merged.review.answers["data_q1"].value == ["enc_a", "rot_b"]
    assert set(merged.review.answers["data_q2"].responses) == {"Ana", "Ben"}
    summary = json.loads(run("summary", str(tmp_path / "merged.toml"), "--format", "json",
                             "--today", TODAY.isoformat()))
    assert summary["risks"]["high"] == 0  # the settled question has both practices: no risk
