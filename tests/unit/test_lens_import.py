"""Every published sample lens imports, and for every question every combination of ticked choices
gets the risk the AWS Well-Architected Tool gives it (its semantics written out again here, apart
from workbook's rule language), as judged by the workbook on the imported template."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from workbook.core.errors import FileError
from workbook.core.judgement import judge
from workbook.core.lens.importer import import_lens, template_toml
from workbook.core.models import Answer, Review, Status, Template
from workbook.core.templates import load_template

LENSES = sorted((FIXTURES / "wa-lenses").glob("*.json"))


# --------------------------------------------------------------------------- AWS semantics, independently


def _holds(condition: str, ticked: set[str]) -> bool:
    """A WA condition over the ticked choice ids: ids, !, &&, || (&& binds tighter), parentheses."""
    tokens = re.findall(r"&&|\|\||[!()]|[A-Za-z0-9_]+", condition)
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def either() -> bool:
        value = both()
        while peek() == "||":
            take()
            value = both() or value  # no short cut: every token is read
        return value

    def both() -> bool:
        value = negation()
        while peek() == "&&":
            take()
            value = negation() and value
        return value

    def negation() -> bool:
        if peek() == "!":
            take()
            return not negation()
        token = take()
        if token == "(":
            value = either()
            assert take() == ")"
            return value
        return token in ticked

    result = either()
    assert pos == len(tokens), condition
    return result


def aws_risk(question: dict, ticked: set[str]) -> str | None:
    """UNANSWERED with nothing ticked; ticking a `_no` choice clears the others; then the first rule
    that holds (default always does). None: the lens names no risk for this (it has no default)."""
    if not ticked:
        return "UNANSWERED"
    none = sorted(c for c in ticked if c.endswith("_no"))
    if none:
        ticked = {none[0]}
    for rule in question["riskRules"]:
        if rule["condition"].strip() == "default" or _holds(rule["condition"], ticked):
            return rule["risk"]
    return None


EXPECTED_LEVEL = {"UNANSWERED": "unanswered", "HIGH_RISK": "high", "MEDIUM_RISK": "medium", "NO_RISK": "none",
                  None: "high"}  # templates/README.md: no default rule and none holds -> high


def _levels(template: Template, qid: str, selections: list[list[str]]) -> list[str]:
    """The workbook's judgement of the question for each selection (a template of that question only:
    a lens rule names only its own question's choices)."""
    section = template.section_of(qid)
    question = template.question(qid)
    assert section is not None and question is not None
    alone = template.model_copy(update={"sections": (section.model_copy(update={"questions": (question,)}),)})
    out = []
    for ticked in selections:
        answers = {qid: Answer(status=Status.ANSWERED, value=ticked)} if ticked else {}
        review = Review(template=template.id, template_version=template.version, program={"name": "p"},
                        answers=answers)
        out.append(judge(review, alone).levels[qid].value)
    return out


@pytest.mark.parametrize("path", LENSES, ids=[p.stem for p in LENSES])
def test_every_combination_of_every_question_is_judged_as_aws_does(path: Path) -> None:
    lens = json.loads(path.read_text(encoding="utf-8"))
    imported = import_lens(path)
    template = imported.template
    asked = [q for p in lens["pillars"] for q in p["questions"]]
    for q, tq in zip(asked, [q for _, q in template.questions()], strict=True):
        lens_ids = [c["id"] for c in q["choices"]]
        ours = [c.id for c in tq.choices]
        # The lens's choices, in order, then the added "None of these" where the lens has none.
        added = [] if any(i.endswith("_no") for i in lens_ids) else [f"{q['id']}_no"]
        to_lens = dict(zip(ours, lens_ids + added, strict=True))
        selections = [list(s) for n in range(len(ours) + 1) for s in itertools.combinations(ours, n)]
        expected = [EXPECTED_LEVEL[aws_risk(q, {to_lens[c] for c in s})] for s in selections]
        got = _levels(template, tq.id, selections)
        wrong = [(s, e, g) for s, e, g in zip(selections, expected, got, strict=True) if e != g]
        assert not wrong, f"{q['id']}: {len(wrong)} of {len(selections)} differ, e.g. {wrong[:3]}"


def test_all_22_lenses_import_and_load_back_as_templates(tmp_path: Path) -> None:
    assert len(LENSES) == 22
    questions = 0
    for path in LENSES:
        template = import_lens(path).template
        out = tmp_path / f"{template.id}.toml"
        out.write_text(template_toml(template), encoding="utf-8")
        assert load_template(out) == template  # the file is a valid template, equal to what was built
        questions += template.question_count()
    assert questions == 554


def test_a_lens_without_default_rules_imports_with_one_warning_line() -> None:
    imported = import_lens(FIXTURES / "wa-lenses" / "ElastiCache__custom-lens-elasticache-v2.0.json")
    assert len(imported.no_default) == 22
    [line] = imported.warnings
    assert "22 question(s) have no default risk rule" in line and "\n" not in line and "high risk" in line


def test_what_the_lens_carries_is_kept() -> None:
    template = import_lens(FIXTURES / "wa-lenses" / "Personalize__custom-lens-personalize-v1.0.json").template
    section = template.sections[0]
    assert (section.id, section.title) == ("perf", "Performance Efficiency") and "Pillar PERF" in section.intro
    q = template.question("perf1")
    assert q is not None and q.kind.value == "multi_choice" and q.prompt == "How do you select recipes?"
    assert [c.label for c in q.choices] == ["Select the right recipe for your use case.", "None of these"]
    assert "Improvement plan: Review your use case and select the most suitable recipe" in q.help
    assert "https://docs.aws.amazon.com/personalize/latest/dg/working-with-predefined-recipes.html" in q.help
    assert [r.when for r in q.rules] == ["perf1_no", "perf1_1", "(!perf1_1)", "perf1.answered"]
    s3 = import_lens(FIXTURES / "wa-lenses" / "Amazon-S3-Lens__Amazon_S3_Lens.json").template
    assert s3.version == "v3.1.0" and "Note: Append new info" in s3.notes


def test_a_lens_none_of_these_choice_clears_the_others() -> None:
    template = import_lens(FIXTURES / "wa-lenses" / "Amazon-ECS-Lens__Amazon_ECS_Lens.json").template
    q = template.question("net3")
    assert q is not None and q.choices[-1].id == "net3_4_no" and q.rules[0].when == "net3_4_no"
    # NET3_3 alone is no risk; ticked with None of these, None of these wins (as in the AWS tool).
    assert _levels(template, "net3", [["net3_3"], ["net3_3", "net3_4_no"]]) == ["none", "high"]


def test_a_nan_title_in_a_published_lens_is_repaired_with_a_warning() -> None:
    imported = import_lens(FIXTURES / "wa-lenses" / "EMR-spark-lens__custom-lens-emr-spark-v1.0.json")
    assert imported.warnings == ["pillars[3].questions[4].title is nan, not text: the question's id REL5 stands in"]
    q = imported.template.question("rel5")
    assert q is not None and q.prompt == "REL5"


@pytest.mark.parametrize(("change", "where", "message"), [
    (lambda d: d["pillars"][0]["questions"][0].pop("choices"), "pillars[0].questions[0].choices", "is required"),
    (lambda d: d["pillars"][0]["questions"][0].update(id="Q1"), "pillars[0].questions[0].id", "3 to 128"),
    (lambda d: d["pillars"][0]["questions"][0]["choices"][0].update(title="x" * 129),
     "pillars[0].questions[0].choices[0].title", "the limit is 128"),
    (lambda d: d["pillars"][0]["questions"][0].update(description="x" * 2049),
     "pillars[0].questions[0].description", "the limit is 2048"),
    (lambda d: d["pillars"][0]["questions"][0]["riskRules"][0].update(condition="PERF1_1 && NOPE"),
     "pillars[0].questions[0].riskRules[0].condition", "'NOPE', which is not a choice"),
    (lambda d: d["pillars"][0]["questions"][0]["riskRules"][0].update(risk="LOW_RISK"),
     "pillars[0].questions[0].riskRules[0].risk", "must be 'HIGH_RISK'"),
    (lambda d: d["pillars"].extend([d["pillars"][0]] * 10), "pillars", "has 14 items; the limit is 10"),
    (lambda d: d["pillars"][0]["questions"].extend([d["pillars"][0]["questions"][0]] * 18),
     "pillars[0].questions", "has 21 items; the limit is 20"),
])
def test_a_bad_lens_is_one_line_naming_the_key_path(tmp_path: Path, change, where: str, message: str) -> None:
    data = json.loads((FIXTURES / "wa-lenses" / "Personalize__custom-lens-personalize-v1.0.json").read_text())
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(FileError) as caught:
        import_lens(path)
    line = caught.value.lines()[0]
    assert line.startswith(f"{path}: {where}: ") and message in line, line


def test_not_json_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "name": "x",\n  "pillars": [,]\n}', encoding="utf-8")
    with pytest.raises(FileError) as caught:
        import_lens(path)
    assert caught.value.lines() == [f"{path}: line 3, column 15: not valid JSON: Expecting value"]
