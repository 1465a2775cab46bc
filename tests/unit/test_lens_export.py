"""A template exported as a custom lens: within the format's limits, WA-safe ids, what is left out said
in one line, and the built-in post-demo-review judged the same after export and import again."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES, TEMPLATES, TODAY
from workbook.cli import cli
from workbook.core.errors import FileError
from workbook.core.expr import Ref, parse
from workbook.core.judgement import judge
from workbook.core.lens.exporter import template_to_lens, wa_id
from workbook.core.lens.importer import lens_to_template
from workbook.core.lens.model import Lens
from workbook.core.models import Answer, Kind, Question, Review, Status, Template
from workbook.core.templates import load_template


def _own_only(q: Question) -> Question:
    """The question judged on its own answer: rules that read other questions and the exposure cap
    (context a lens cannot hold) taken away."""
    def own(when: str) -> bool:
        from workbook.core.lens.exporter import _refs

        return all(isinstance(r, Ref) and r.question in ("", q.id) for r in _refs(parse(when)))
    return q.model_copy(update={"rules": tuple(r for r in q.rules if own(r.when)), "exposure": False})


def _level(template: Template, q: Question, value: object) -> str:
    section = template.section_of(q.id)
    assert section is not None
    alone = template.model_copy(update={"sections": (section.model_copy(update={"questions": (q,)}),),
                                        "checks": (), "harms": (), "concerns": ()})
    review = Review(template=template.id, template_version=template.version, program={"name": "p"},
                    answers={q.id: Answer(status=Status.ANSWERED, value=value)})
    return judge(review, alone).levels[q.id].value


def _selections(q: Question) -> list[list[str]]:
    if q.kind is Kind.YES_NO:
        return [["yes"], ["no"]]
    ids = [c.id for c in q.choices]
    if q.kind is Kind.SINGLE:
        return [[i] for i in ids]
    return [list(s) for n in range(1, len(ids) + 1) for s in itertools.combinations(ids, n)]


def test_post_demo_review_round_trips_with_the_same_risk_for_every_choice_combination(tmp_path: Path) -> None:
    original = load_template(TEMPLATES / "post-demo-review.toml")
    exported = template_to_lens(original)
    path = tmp_path / "lens.json"
    path.write_text(exported.json(), encoding="utf-8")
    back = lens_to_template(Lens.model_validate(json.loads(path.read_text())), path).template
    compared = 0
    for _, q in original.questions():
        if q.kind in (Kind.TEXT, Kind.NUMBER, Kind.DATE):
            assert q.id not in exported.question_ids
            continue
        mine = _own_only(q)
        theirs = back.question(exported.question_ids[q.id].lower())
        assert theirs is not None
        for ticked in _selections(q):
            value: object = (ticked[0] == "yes") if q.kind is Kind.YES_NO else (
                ticked[0] if q.kind is Kind.SINGLE else ticked)
            lens_ids = [exported.ids[(q.id, c)].lower() for c in ticked]
            assert _level(original, mine, value) == _level(back, theirs, lens_ids), (q.id, ticked)
            compared += 1
    assert compared > 500


def test_the_export_keeps_to_the_limits_and_says_what_it_left_out_in_one_line() -> None:
    exported = template_to_lens(load_template(TEMPLATES / "post-demo-review.toml"))
    lens = exported.lens
    assert lens is not None and len(lens.pillars) <= 10
    assert all(len(p.questions) <= 20 for p in lens.pillars)
    for p in lens.pillars:
        for q in p.questions:
            assert len(q.title) <= 128 and len(q.description) <= 2048 and len(q.choices) <= 15
            assert not any(c.id.endswith("_no") for c in q.choices)  # no "None of these" by accident
    line = exported.left_out
    assert "\n" not in line and line.startswith("left out: 17 question(s) a lens cannot hold")
    assert "launch-date-committed" in line and "sections merged to fit 10 pillars" in line
    long = next(q for p in lens.pillars for q in p.questions if q.id == "product_regulation")
    assert long.title.endswith("…") and long.description.startswith(long.title[:-1])


def test_ids_are_wa_safe_unique_and_never_none_of_these_by_accident() -> None:
    taken: set[str] = set()
    assert wa_id("data-owner", taken) == "data_owner"
    assert wa_id("data_owner", taken) == "data_owner_2"
    assert wa_id("no", taken, prefix="q1") == "q1_not"
    assert wa_id("approval_no", taken) == "approval_not"
    assert wa_id("approval_no", taken, none_of_these=True) == "approval_no"
    assert wa_id("x" * 200, taken) == "x" * 128


def test_an_export_aws_would_refuse_is_refused_naming_the_field_and_the_limit() -> None:
    template = load_template(TEMPLATES / "post-demo-review.toml")
    section = template.sections[5]
    crowded = section.model_copy(update={"questions": tuple(
        q.model_copy(update={"id": f"{q.id}-{i}"}) for i in range(2) for q in section.questions)})
    with pytest.raises(FileError) as caught:
        template_to_lens(template.model_copy(update={"sections": (crowded,)}), "t.toml")
    assert caught.value.lines() == ["t.toml: pillars[0].questions: has 32 items; the limit is 20"]


def test_an_imported_lens_exports_back_with_its_own_rules(tmp_path: Path) -> None:
    source = FIXTURES / "wa-lenses" / "Amazon-ECS-Lens__Amazon_ECS_Lens.json"
    runner = CliRunner()
    assert runner.invoke(cli, ["templates", "import-lens", str(source), "-o", str(tmp_path / "ecs.toml")]).exit_code == 0
    result = runner.invoke(cli, ["templates", "export-lens", str(tmp_path / "ecs.toml"), "-o", str(tmp_path / "e.json")])
    assert result.exit_code == 0, result.output
    original = json.loads(source.read_text())
    again = json.loads((tmp_path / "e.json").read_text())
    q0, r0 = original["pillars"][0]["questions"][0], again["pillars"][0]["questions"][0]
    assert [r["risk"] for r in r0["riskRules"]] == [r["risk"] for r in q0["riskRules"]]
    assert [r["condition"] for r in r0["riskRules"]] == [r["condition"] for r in q0["riskRules"]]
    # The lens's own ids and improvement plans come back as they were (a re-import matches the tool's).
    assert r0["id"] == q0["id"] and [c["id"] for c in r0["choices"]] == [c["id"] for c in q0["choices"]]
    def plans(q: dict[str, Any]) -> list[tuple[str, str]]:
        return [(c["improvementPlan"].get("displayText", ""), c["improvementPlan"].get("url", ""))
                for c in q["choices"] if "improvementPlan" in c]

    assert plans(r0) == plans(q0) and plans(q0)


def test_a_review_of_an_imported_lens_works_everywhere(tmp_path: Path) -> None:
    runner = CliRunner()
    lens = FIXTURES / "wa-lenses" / "Personalize__custom-lens-personalize-v1.0.json"
    template = tmp_path / "personalize.toml"
    result = runner.invoke(cli, ["templates", "import-lens", str(lens), "-o", str(template)])
    assert result.exit_code == 0 and "wrote" in result.output
    review = tmp_path / "review.toml"
    result = runner.invoke(cli, ["new", str(review), "--template", str(template), "--program", "Recs",
                                 "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    text = review.read_text()
    review.write_text(text + '\n[answers.perf1]\nstatus = "answered"\nvalue = ["perf1_no"]\n'
                      '\n[answers.perf2]\nstatus = "unknown"\nowner = "Ana"\n')
    today = ["--today", TODAY.isoformat()]
    summary = runner.invoke(cli, ["summary", str(review), "--format", "json", *today])
    assert summary.exit_code == 0, summary.output
    assert '"high"' in summary.output
    check = runner.invoke(cli, ["check", str(review), "--fail-on", "high-risk", *today])
    assert check.exit_code == 1 and "perf1" in check.output
    for fmt in ("md", "csv", "json"):
        out = runner.invoke(cli, ["export", str(review), "--format", fmt, *today])
        assert out.exit_code == 0, out.output
        assert "How do you select recipes?" in out.output


def test_bad_lens_json_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schemaVersion": "2021-11-01", "name": "L", "pillars": [{"id": "P1", "name": "p", '
                   '"questions": [{"id": "Q01", "title": "t", "choices": [{"id": "c1", "title": "c"}]}]}]}')
    result = CliRunner().invoke(cli, ["templates", "import-lens", str(bad), "-o", str(tmp_path / "t.toml")])
    assert result.exit_code == 2
    assert result.output.strip() == (f"workbook: {bad}: pillars[0].id: must be 3 to 128 letters, digits or "
                                     "underscores (an AWS lens id)\nworkbook: "
                                     f"{bad}: pillars[0].questions[0].choices[0].id: must be 3 to 128 letters, "
                                     "digits or underscores (an AWS lens id)")
    assert not (tmp_path / "t.toml").exists()
