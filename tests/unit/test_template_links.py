"""Template keys that name other questions (issue 22): the latency calculator's estimate question, and
answers carried from a quick check in another form. A name that does not resolve is one line."""

from __future__ import annotations

from pathlib import Path

from workbook.core.validate import check_file

HEAD = 'schema = 1\nid = "t"\nversion = "1"\ntitle = "T"\n'
SECTION = '''
[[sections]]
id = "s"
title = "S"

[[sections.questions]]
id = "measured"
prompt = "Measured p95?"
kind = "number"

[[sections.questions]]
id = "pick"
prompt = "Pick?"
kind = "single_choice"
choices = [{ id = "a", label = "A", risk = "none" }, { id = "b", label = "B", risk = "high" }]
'''


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "t.toml"
    path.write_text(text)
    found, kind = check_file(path)
    assert kind == "template"
    return [str(p).removeprefix(f"{path}: ") for p in found]


def latency(estimate: str) -> str:
    return f'[calculators.latency]\nsection = "s"\nestimate_question = "{estimate}"\n'


def test_the_estimate_question_must_be_a_number_question_of_the_template(tmp_path: Path) -> None:
    assert problems(tmp_path, HEAD + latency("measured") + SECTION) == []
    assert problems(tmp_path, HEAD + latency("missing") + SECTION) == [
        "calculators.latency.estimate_question: 'missing' must be a number question of this template"]
    assert problems(tmp_path, HEAD + latency("pick") + SECTION) == [
        "calculators.latency.estimate_question: 'pick' must be a number question of this template"]


def test_a_1_1_0_template_naming_a_latency_result_question_still_loads(tmp_path: Path) -> None:
    text = HEAD + '[calculators.latency]\nsection = "s"\nresult_question = "measured"\n' + SECTION
    assert problems(tmp_path, text) == []  # read, never used: nothing offers the simulation to it


# ------------------------------------------------------------------ carried in another form

QUICK = '''\
schema = 1
template = "quick-self-check"
template_version = "1.1.0"

[program]
name = "BenefitsBot"

[answers.personal-data-in-prompts]
'''


def carried_from_quick(tmp_path: Path, answer: str):
    from tests.conftest import TODAY
    from workbook.core.carry import carry_review
    from workbook.core.store import load_review
    from workbook.core.templates import find_template

    path = tmp_path / "quick.toml"
    path.write_text(QUICK + answer + "\n")
    return carry_review(load_review(path).review, find_template("post-demo-review")[0], TODAY)


def test_yes_becomes_the_personal_data_class_and_the_line_says_so(tmp_path: Path) -> None:
    result = carried_from_quick(tmp_path, 'value = true\nnotes = "Users paste payslips."')
    answer = result.review.answers["data-sensitivity-classes"]
    assert answer.value == ["personal"]
    assert answer.notes.startswith("Users paste payslips.\nCarried from quick-self-check's personal-data-in-prompts")
    assert result.line("quick.toml") == ("carried 1 answer (1 in another form: personal-data-in-prompts → "
                                         "data-sensitivity-classes) from quick.toml; nothing left behind")


def test_no_has_no_counterpart_and_is_left_with_the_reason(tmp_path: Path) -> None:
    result = carried_from_quick(tmp_path, "value = false")
    assert "data-sensitivity-classes" not in result.review.answers
    assert result.line("q.toml").endswith("1 not carried: personal-data-in-prompts ('no' has no counterpart in "
                                          "data-sensitivity-classes)")


def test_unknown_stays_unknown_in_its_other_form(tmp_path: Path) -> None:
    from workbook.core.models import Status

    result = carried_from_quick(tmp_path, 'status = "unknown"\nowner = "Priya"')
    answer = result.review.answers["data-sensitivity-classes"]
    assert (answer.status, answer.owner) == (Status.UNKNOWN, "Priya")


def carry_map(question: str = "personal-data-in-prompts", target: str = "a", value: str = "yes",
              template: str = "quick-self-check") -> str:
    return (f'carried_from = {{ template = "{template}", question = "{question}", '
            f'map = {{ {value} = ["{target}"] }} }}\n')


def with_map(line: str) -> str:
    return HEAD + SECTION.replace('kind = "single_choice"\n', 'kind = "single_choice"\n' + line)


def test_validate_accepts_a_map_that_resolves(tmp_path: Path) -> None:
    assert problems(tmp_path, with_map(carry_map())) == []


def test_validate_refuses_a_map_naming_a_missing_question_or_choice_in_one_line(tmp_path: Path) -> None:
    where = "sections[0].questions[1].carried_from[0]"
    assert problems(tmp_path, with_map(carry_map(target="zz"))) == [
        f"{where}: map.yes: no choice 'zz' in question 'pick'"]
    assert problems(tmp_path, with_map(carry_map(question="personal-data"))) == [
        f"{where}.question: no question 'personal-data' in template 'quick-self-check'"]
    assert problems(tmp_path, with_map(carry_map(value="maybe"))) == [
        f"{where}.map.maybe: 'maybe' is not an answer to 'personal-data-in-prompts' in template "
        "'quick-self-check' (yes, no)"]
    unknown = problems(tmp_path, with_map(carry_map(template="quick-check")))
    assert len(unknown) == 1 and unknown[0].startswith(f"{where}.template: unknown template 'quick-check'")


def test_a_map_into_a_number_question_is_refused(tmp_path: Path) -> None:
    text = HEAD + SECTION.replace('kind = "number"\n', 'kind = "number"\n' + carry_map(), 1)
    assert problems(tmp_path, text) == [
        "sections[0].questions[0].carried_from[0]: carried_from only applies to choice and yes_no questions, "
        "not number"]


def test_the_cli_exits_2_with_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from workbook.cli import cli

    (tmp_path / "t.toml").write_text(with_map(carry_map(target="zz")))
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "t.toml")])
    assert result.exit_code == 2
    assert [line for line in result.output.splitlines() if "zz" in line] == [
        f"workbook: {tmp_path / 't.toml'}: sections[0].questions[1].carried_from[0]: map.yes: no choice 'zz' in question 'pick'"]
