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
