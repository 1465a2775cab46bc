"""`export --format wa-answers`: a review of an imported lens as the AWS Well-Architected Tool's
UpdateAnswer calls (the lens's own ids), and one line refusing a review of any other template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tests.conftest import FIXTURES, TODAY
from workbook.cli import cli
from workbook.core.exports.wa_answers import NOTES_MAX

LENS = FIXTURES / "wa-lenses" / "Amazon-ECS-Lens__Amazon_ECS_Lens.json"
TODAY_ARGS = ["--today", TODAY.isoformat()]


def run(*args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def ecs_review(tmp_path: Path, answers: str, lens: Path = LENS) -> Path:
    tmp_path.mkdir(exist_ok=True)
    template, review = tmp_path / "lens.toml", tmp_path / "review.toml"
    run("templates", "import-lens", str(lens), "-o", str(template))
    run("new", str(review), "--template", str(template), "--program", "Shop", *TODAY_ARGS)
    review.write_text(review.read_text() + answers)
    return review


def test_the_calls_carry_the_lens_ids_and_the_update_answer_fields(tmp_path: Path) -> None:
    lens = json.loads(LENS.read_text())
    questions = [q for p in lens["pillars"] for q in p["questions"]]
    q0, q1, q2 = questions[:3]
    slug = [q["id"].lower() for q in (q0, q1, q2)]
    picked = [c["id"] for c in q0["choices"] if not c["id"].endswith("_no")][:2]
    long_notes = "x" * 3000
    review = ecs_review(tmp_path, f'\n[answers.{slug[0]}]\nstatus = "answered"\nvalue = {json.dumps([p.lower() for p in picked])}\n'
                                  f'notes = "Checked in the room"\n'
                                  f'\n[answers.{slug[1]}]\nstatus = "not_applicable"\nreason = "No containers yet"\nnotes = "{long_notes}"\n'
                                  f'\n[answers.{slug[2]}]\nstatus = "deferred"\nowner = "Ana"\ndecide_by = 2026-12-15\n')
    doc = json.loads(run("export", str(review), "--format", "wa-answers", *TODAY_ARGS).output)
    assert doc["Api"].endswith("/APIReference/API_UpdateAnswer.html")
    first, second = doc["UpdateAnswer"]
    assert first == {"WorkloadId": "REPLACE_WITH_WORKLOAD_ID", "LensAlias": "REPLACE_WITH_LENS_ARN",
                     "QuestionId": q0["id"], "IsApplicable": True, "SelectedChoices": picked,
                     "ChoiceUpdates": {cid: {"Status": "SELECTED"} for cid in picked}, "Notes": "Checked in the room"}
    assert (second["QuestionId"], second["IsApplicable"], second["Reason"]) == (q1["id"], False, "OTHER")
    assert second["Notes"].startswith("No containers yet\n\nxxx") and len(second["Notes"]) == NOTES_MAX
    assert {"QuestionId": q2["id"], "Why": "deferred: not settled"} in doc["Skipped"]
    assert len(doc["Skipped"]) == len(questions) - 2  # every other question: not answered yet


def test_a_none_of_these_the_workbook_added_is_not_sent_and_the_lens_own_is(tmp_path: Path) -> None:
    msk = FIXTURES / "wa-lenses" / "Amazon-MSK-Lens__custom-lens-msk-v1.0.json"
    q0 = json.loads(msk.read_text())["pillars"][0]["questions"][0]
    assert not any(c["id"].endswith("_no") for c in q0["choices"])  # the importer added one
    qid = q0["id"].lower()
    review = ecs_review(tmp_path, f'\n[answers.{qid}]\nstatus = "answered"\nvalue = ["{qid}_no"]\n', msk)
    doc = json.loads(run("export", str(review), "--format", "wa-answers", *TODAY_ARGS).output)
    assert doc["UpdateAnswer"] == []
    assert doc["Skipped"][0]["QuestionId"] == q0["id"] and "added by the workbook" in doc["Skipped"][0]["Why"]
    e0 = json.loads(LENS.read_text())["pillars"][0]["questions"][0]
    own = next(c["id"] for c in e0["choices"] if c["id"].endswith("_no"))
    review = ecs_review(tmp_path / "e", f'\n[answers.{e0["id"].lower()}]\nstatus = "answered"\nvalue = ["{own.lower()}"]\n')
    doc = json.loads(run("export", str(review), "--format", "wa-answers", *TODAY_ARGS).output)
    assert doc["UpdateAnswer"][0]["SelectedChoices"] == [own]


def test_a_review_of_a_template_not_from_a_lens_is_refused_in_one_line(tmp_path: Path) -> None:
    review = tmp_path / "r.toml"
    run("new", str(review), "--template", "post-demo-review", "--program", "X", *TODAY_ARGS)
    result = run("export", str(review), "--format", "wa-answers", "-o", str(tmp_path / "out.json"), code=2)
    assert result.output == (f"workbook: {review}: wa-answers is for a review of an imported lens; template "
                             "post-demo-review was not imported from an AWS Well-Architected lens (no lens ids to "
                             "answer with); see templates/README.md\n")
    assert not (tmp_path / "out.json").exists()


def test_in_a_browser_it_downloads_or_says_why_not(tmp_path: Path) -> None:
    """`workbook serve`: exports are downloads; wa-answers of a review not from a lens is a notice, not a crash."""
    from tests.unit.test_export_registry import FakeApp
    from workbook.core.session import ReviewSession
    from workbook.core.store import load_review
    from workbook.tui.file_actions import deliver_export

    lens_review = ecs_review(tmp_path / "lens", "")
    app = FakeApp(is_web=True)
    deliver_export(app, ReviewSession(load_review(lens_review), today=TODAY), "wa-answers")  # type: ignore[arg-type]
    assert app.sent[0]["save_filename"] == "review-wa-answers.json"
    assert json.loads(app.sent[0]["data"])["Lens"] == "Amazon ECS Lens"
    other = tmp_path / "other.toml"
    run("new", str(other), "--template", "post-demo-review", "--program", "X", *TODAY_ARGS)
    app = FakeApp(is_web=True)
    deliver_export(app, ReviewSession(load_review(other), today=TODAY), "wa-answers")  # type: ignore[arg-type]
    assert app.sent == [] and app.notices[0].startswith("wa-answers is for a review of an imported lens")
