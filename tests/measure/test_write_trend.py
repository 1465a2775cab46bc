"""`--write` keeps the weekly trend and the evidence (with the question each touches) in the record;
diff and the summary show an assumption the latest measurement refutes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES, TODAY
from tests.measure.helpers import measure_files
from tests.measure.test_trend_evidence import _two_weeks
from workbook.cli import cli
from workbook.core.errors import FileError
from workbook.core.store import load_review, save_review

REFUTED = "Assumption assume-cost-normalises (answered yes) is refuted so far: cost per request rose from $"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = tmp_path / "review.toml"
    path.write_bytes((SAMPLES / "customer-support-copilot.toml").read_bytes())
    return path


def _write(review: Path, tmp_path: Path) -> None:
    traces, logs, _ = _two_weeks(tmp_path)
    result = CliRunner().invoke(cli, ["measure", str(review), "--traces", str(traces), "--logs", str(logs),
                                      "--write", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output


def test_write_records_the_weeks_and_the_evidence(review: Path, tmp_path: Path) -> None:
    _write(review, tmp_path)
    rf = load_review(review)
    (rec,) = rf.review.measurements
    (tmp_path / "again").mkdir()
    traces, logs, _ = _two_weeks(tmp_path / "again")
    m, _ = measure_files(load_review(SAMPLES / "customer-support-copilot.toml"), traces, logs=(logs,))
    assert [(w.week, w.requests, w.p95_ms, w.cost_per_request, w.correction_rate, w.negative_feedback_share,
             w.feedback_n) for w in rec.weeks] == [
        (w.week, w.requests, w.p95_ms, round(w.cost_per_request or 0, 6), w.correction_rate, w.negative_share,
         w.feedback_n) for w in m.weeks]
    assert [w.week for w in rec.weeks] == ["2026-W49", "2026-W50"]
    assert [(e.question, e.verdict) for e in rec.evidence] == [
        ("latency-target-p95-ms", "open"), ("cost-threshold-per-outcome", "open"), ("assume-cost-normalises", "refuted"),
        ("assume-model-good-enough", "holds")]
    assert [e.text for e in rec.evidence] == list(m.sentences)
    saved = tomllib.loads(review.read_text())["measurements"][0]
    assert saved["weeks"][1]["correction_rate"] == 0.5
    assert "p95_ms" in saved["weeks"][0] and saved["evidence"][2]["question"] == "assume-cost-normalises"
    # Loaded, saved and loaded again: the same record.
    save_review(rf, force=True)
    assert load_review(review).review.measurements == rf.review.measurements


def test_a_week_not_measured_leaves_its_figure_out_and_unknown_keys_stay(review: Path, tmp_path: Path) -> None:
    _write(review, tmp_path)
    text = review.read_text()
    assert "negative_feedback_share" in text
    text = text.replace('week = "2026-W49"\n', 'week = "2026-W49"\np99_ms = 812.5\n', 1)
    text = text.replace('verdict = "refuted"\n', 'verdict = "refuted"\nseen_by = "Raj"\n', 1)
    review.write_text(text)
    rf = load_review(review)
    save_review(rf, force=True)
    saved = tomllib.loads(review.read_text())["measurements"][0]
    assert saved["weeks"][0]["p99_ms"] == 812.5 and saved["evidence"][2]["seen_by"] == "Raj"
    # Without --outcomes and with no correction in week 49, nothing is invented: 0.0 is measured, None is left out.
    assert saved["weeks"][0]["correction_rate"] == 0.0


@pytest.mark.parametrize(("old", "new", "where"), [
    ('week = "2026-W49"\n', 'week = "week 49"\n', "measurements[0].weeks[0].week"),
    ("feedback_n = 1\n", "feedback_n = -1\n", "measurements[0].weeks[0].feedback_n"),
    ('verdict = "refuted"\n', 'verdict = ""\n', "measurements[0].evidence[2].verdict"),
])
def test_a_bad_week_or_evidence_names_its_key(review: Path, tmp_path: Path, old: str, new: str, where: str) -> None:
    _write(review, tmp_path)
    text = review.read_text()
    assert old in text
    review.write_text(text.replace(old, new, 1))
    with pytest.raises(FileError) as info:
        load_review(review)
    assert where in str(info.value)


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_diff_and_summary_show_the_refuted_assumption(review: Path, tmp_path: Path) -> None:
    _write(review, tmp_path)
    before = str(SAMPLES / "customer-support-copilot.toml")
    text = _run("diff", before, str(review), "--today", TODAY.isoformat())
    (line,) = [x for x in text.splitlines() if "assume-cost-normalises" in x]
    assert line.startswith("  Assumption assume-cost-normalises")  # indented under the measurement's line
    assert REFUTED in " ".join(text.split())  # the text wraps at 80 columns
    md = _run("diff", before, str(review), "--format", "md", "--today", TODAY.isoformat())
    assert any(x.startswith("- " + REFUTED.replace("$", "\\$")) for x in md.splitlines())
    assert "assume-cost-normalises" not in _run("diff", str(review), str(review), "--today", TODAY.isoformat())
    summary = " ".join(_run("summary", str(review), "--today", TODAY.isoformat()).split())
    assert REFUTED in summary
