"""Templates: the built-in ones load; a template author gets every mistake reported clearly."""

from __future__ import annotations

from pathlib import Path

from workbook.core.templates import builtin_templates, find_template
from workbook.core.validate import check_file

GOOD_QUESTION = """
[[sections.questions]]
id = "q1"
prompt = "P?"
kind = "single_choice"
choices = [{ id = "a", label = "A", risk = "none" }, { id = "b", label = "B", risk = "high" }]
"""

HEAD = 'schema = 1\nid = "t"\nversion = "1"\ntitle = "T"\n[[sections]]\nid = "s"\ntitle = "S"\n'


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "t.toml"
    path.write_text(text)
    found, kind = check_file(path)
    assert kind == "template"
    return [str(p).removeprefix(f"{path}: ") for p in found]


def test_a_good_template_has_no_problems(tmp_path: Path) -> None:
    assert problems(tmp_path, HEAD + GOOD_QUESTION) == []


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + GOOD_QUESTION + GOOD_QUESTION)
    assert found == ["sections[0].questions[1].id: duplicate question id 'q1' (also in section 's')"]


def test_unknown_kind_is_reported_with_its_key_path(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + GOOD_QUESTION.replace("single_choice", "essay"))
    assert len(found) == 1
    assert found[0].startswith("sections[0].questions[0].kind: input should be 'text'")


def test_choice_without_risk_when_required(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + GOOD_QUESTION.replace(', risk = "high"', ""))
    assert found == ["sections[0].questions[0].choices[1].risk: missing: this template requires a risk level on every choice"]


def test_choice_without_risk_is_fine_when_not_required(tmp_path: Path) -> None:
    text = HEAD.replace('title = "T"\n', 'title = "T"\nrequire_choice_risk = false\n', 1)
    assert problems(tmp_path, text + GOOD_QUESTION.replace(', risk = "high"', "")) == []


def test_unknown_framework_tag(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + GOOD_QUESTION + 'tags = ["LLM11", "LLM01"]\n')
    assert found == ["sections[0].questions[0].tags: unknown framework tag 'LLM11' (see templates/README.md)"]


def test_unknown_key_is_a_typo(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + GOOD_QUESTION + "decison = true\n")
    assert found == ["sections[0].questions[0].decison: is not a known key"]


def test_empty_section_is_reported(tmp_path: Path) -> None:
    assert problems(tmp_path, HEAD) == ["sections[0].questions: a section needs at least one question"]


def test_all_problems_at_once(tmp_path: Path) -> None:
    text = HEAD + GOOD_QUESTION + 'tags = ["X1"]\n' + GOOD_QUESTION.replace(', risk = "high"', "")
    assert len(problems(tmp_path, text)) == 3


def test_builtin_templates_load_and_are_findable_by_id() -> None:
    found = builtin_templates()
    assert {t.id for _, t in found} >= {"post-demo-review"}
    template, path = find_template("post-demo-review")
    assert path.name == "post-demo-review.toml" and template.question_count() > 10


def test_number_settings_on_other_kinds_and_inconsistent_bounds(tmp_path: Path) -> None:
    text = HEAD + GOOD_QUESTION + "minimum = 3\n" + """
[[sections.questions]]
id = "n"
prompt = "N?"
kind = "number"
minimum = 10
maximum = 1
thresholds = { medium_above = 9, high_above = 5 }
"""
    assert problems(tmp_path, text) == [
        "sections[0].questions[0].minimum: minimum only applies to number questions",
        "sections[0].questions[1].minimum: minimum 10 is above maximum 1",
        "sections[0].questions[1].thresholds: medium_above must not be above high_above",
    ]


def test_a_tag_both_used_and_out_of_scope(tmp_path: Path) -> None:
    text = HEAD.replace('title = "T"\n', 'title = "T"\nout_of_scope = ["LLM01"]\n', 1) + GOOD_QUESTION + 'tags = ["LLM01"]\n'
    assert problems(tmp_path, text) == ["out_of_scope: LLM01 is marked out of scope but questions are tagged with it"]
