"""Success from the root span's outcome attribute: after --outcomes, before technical success, labelled."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import SAMPLES
from tests.measure.helpers import measure_files, row
from tests.measure.sdk import SpanSpec, Writer, chat
from workbook.cli import cli
from workbook.core.measure.figures import OUTCOMES, TECHNICAL
from workbook.core.measure.report import render_json, render_md, render_text
from workbook.core.measure.traces import outcome_of
from workbook.core.store import ReviewFile


def _requests(path: Path, values: list[object], key: str = "app.outcome") -> Writer:
    """One request per value, its root carrying `key` = value (None: no attribute); every root in error,
    so technical success would be 0%."""
    w = Writer(path, seed=13)
    for i, value in enumerate(values):
        a = {} if value is None else {key: value}
        w.write(SpanSpec("POST /draft", i * 1000, i * 1000 + 500, a, error=True, children=[chat(i * 1000 + 10,
                                                                                              i * 1000 + 400)]))
    w.close()
    return w


def test_the_default_attribute_gives_the_success_rate(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    _requests(path, [True, True, "success", False, "failure", None])
    m, s = measure_files(copilot, path)
    assert m.success_source == "root attribute app.outcome"
    success = row(m, "success-rate")
    assert (success.measured, success.n, success.note) == (0.6, 5, "root attribute app.outcome")
    assert m.without_outcome == 1
    assert "Success: root attribute app.outcome; 1 request(s) whose root span carries no outcome (app.outcome)" in (
        render_text(m, s))
    assert "root attribute app.outcome" in render_md(m, s)
    doc = json.loads(render_json(m, s))
    assert doc["success"] == {"source": "attribute", "label": "root attribute app.outcome", "without_outcome": 1}
    assert "root attribute app.outcome" in (row(m, "cost-per-outcome").note or "")


def test_another_attribute_by_name(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    _requests(path, [1, 0, 0, "OK"], key="myapp.resolved")
    default, _ = measure_files(copilot, path)
    assert default.success_source == TECHNICAL and row(default, "success-rate").measured == 0.0  # roots in error
    m, _ = measure_files(copilot, path, outcome_attribute="myapp.resolved")
    assert (m.success_source, row(m, "success-rate").measured) == ("root attribute myapp.resolved", 0.5)
    result = CliRunner().invoke(cli, ["measure", str(SAMPLES / "customer-support-copilot.toml"), "--traces", str(path),
                                      "--outcome-attribute", "myapp.resolved", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["success"]["label"] == "root attribute myapp.resolved"
    empty = CliRunner().invoke(cli, ["measure", str(SAMPLES / "customer-support-copilot.toml"), "--traces", str(path),
                                     "--outcome-attribute", " "])
    assert empty.exit_code == 2 and "--outcome-attribute" in empty.output


def test_the_outcomes_file_comes_first(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    w = _requests(path, [False, False])
    outcomes = tmp_path / "o.csv"
    outcomes.write_text("trace_id,success\n" + "".join(f"{t},true\n" for t in w.trace_ids))
    m, _ = measure_files(copilot, path, outcomes=outcomes)
    assert (m.success_source, row(m, "success-rate").measured) == (OUTCOMES, 1.0)


def test_unreadable_values_are_no_outcome_and_none_at_all_is_technical(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    _requests(path, ["maybe", 2, 0.5])
    m, _ = measure_files(copilot, path)
    assert m.success_source == TECHNICAL and row(m, "success-rate").n == 3
    assert [outcome_of(v) for v in (True, "Yes", " succeeded ", 1, False, "FAIL", 0, "maybe", 2, None, 1.0)] == [
        True, True, True, True, False, False, False, None, None, None, None]


def test_write_proposes_the_cost_per_outcome_from_the_root_attribute(tmp_path: Path) -> None:
    # The application's own outcome on the root span is a real outcome: --write proposes the cost per
    # successful outcome from it, as from an outcomes file (never from technical success).
    import shutil

    from workbook.core.store import load_review

    review = tmp_path / "r.toml"
    shutil.copy(SAMPLES / "customer-support-copilot.toml", review)
    path = tmp_path / "t.jsonl"
    _requests(path, [True, True, False, True])
    result = CliRunner().invoke(cli, ["measure", str(review), "--traces", str(path), "--write"])
    assert result.exit_code == 0, result.output
    answer = load_review(review).review.answers["cost-per-outcome-current"]
    assert isinstance(answer.value, float) and "real outcomes (root attribute app.outcome)" in answer.notes
