"""--since/--until by the root's start (UTC), and --logs: negative feedback from gen_ai.evaluation.result
events and the correction rate from a named correction event, written by the real SDK."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES, TODAY
from tests.measure.helpers import measure_files, row
from tests.measure.sdk import LogWriter, SpanSpec, Writer, chat
from workbook.cli import cli
from workbook.core.measure.figures import NOT_IN_TRACES
from workbook.core.measure.logs import DEFAULT_CORRECTION, EVALUATION
from workbook.core.store import ReviewFile, load_review

DAY = 86_400_000.0  # ms; T0 is 2026-11-30 00:53:20 UTC (a Monday, ISO week 49)


def _days(path: Path, days: list[float]) -> Writer:
    w = Writer(path)
    for i, d in enumerate(days):
        start = d * DAY
        w.write(SpanSpec("POST /draft", start, start + 100 * (i + 1), children=[chat(start, start + 50)]))
    w.close()
    return w


def test_since_and_until_keep_the_requests_whose_root_starts_inside(copilot: ReviewFile, tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    _days(path, [0, 1, 2, 3])  # 2026-11-30, 12-01, 12-02, 12-03 (each 00:53 UTC)
    m, s = measure_files(copilot, path, since="2026-12-01", until="2026-12-02")  # a date --until: the day included
    assert m.counts.requests == 2 and m.counts.outside_window == 2
    assert row(m, "e2e-p50").measured == pytest.approx(250)  # the 200 and 300 ms requests
    m, _ = measure_files(copilot, path, since="2026-12-01T00:53:20Z")  # at the start: included
    assert m.counts.requests == 3
    m, _ = measure_files(copilot, path, until="2026-12-01T01:53:20+01:00")  # 00:53:20 UTC: excluded
    assert m.counts.requests == 1


def test_the_window_is_in_the_header_and_the_json(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    _days(path, [0, 1, 2, 3])
    review = str(SAMPLES / "customer-support-copilot.toml")
    result = CliRunner().invoke(cli, ["measure", review, "--traces", str(path), "--since", "2026-12-02"])
    assert result.exit_code == 0, result.stderr
    assert "Window: requests whose root starts since 2026-12-02T00:00:00Z (UTC); 2 outside it, not measured" \
        in result.stdout
    result = CliRunner().invoke(cli, ["measure", review, "--traces", str(path), "--until", "2026-12-01T12:00",
                                      "--format", "json"])
    data = json.loads(result.stdout)
    assert data["filter"] == {"since": None, "until": "2026-12-01T12:00:00Z"}
    assert data["requests"]["requests"] == 2 and data["requests"]["outside_window"] == 2


@pytest.mark.parametrize("args", [["--since", "yesterday"], ["--since", "2026-12-02", "--until", "2026-12-01"]])
def test_a_bad_window_is_one_line_exit_2(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "t.jsonl"
    _days(path, [0])
    result = CliRunner().invoke(cli, ["measure", str(SAMPLES / "customer-support-copilot.toml"), "--traces",
                                      str(path), *args])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--since" in result.stderr or "--until" in result.stderr


def _feedback(tmp_path: Path, correction: str = DEFAULT_CORRECTION) -> tuple[Path, Path, Writer]:
    traces = tmp_path / "t.jsonl"
    w = _days(traces, [0, 0.1, 0.2, 0.3])
    logs = tmp_path / "logs.jsonl"
    lw = LogWriter(logs)
    for i, label in enumerate(["negative", "positive", "thumbs_down", "relevant", "good"]):
        lw.event(EVALUATION, 1000 + i, w.trace_ids[i % 4], {"gen_ai.evaluation.score.label": label})
    lw.event(EVALUATION, 2000, w.trace_ids[0], {"gen_ai.evaluation.name": "no label"})
    lw.event(correction, 3000, w.trace_ids[1])
    lw.event(correction, 3100, w.trace_ids[1])  # twice on one request: one corrected request
    lw.event(correction, 3200, w.trace_ids[2], as_attribute=True)  # the event.name attribute convention
    lw.event(correction, 3300)  # no trace: not linked, not guessed onto a request
    lw.event("app.other", 3400, w.trace_ids[3])
    lw.close()
    return traces, logs, w


def test_logs_give_negative_feedback_and_the_correction_rate(copilot: ReviewFile, tmp_path: Path) -> None:
    traces, logs, _ = _feedback(tmp_path)
    m, s = measure_files(copilot, traces, logs=(logs,))
    neg = row(m, "negative-feedback-share")
    assert (neg.measured, neg.n) == (pytest.approx(2 / 5), 5)
    assert neg.note == "1 evaluation event(s) without a label"
    rate = row(m, "correction-rate")
    assert (rate.measured, rate.n) == (pytest.approx(2 / 4), 4)
    assert rate.note == "1 correction event(s) not linked to a measured request"
    assert m.feedback is not None and m.feedback.corrections == 4 and s.log_records == 11


def test_a_named_correction_event(copilot: ReviewFile, tmp_path: Path) -> None:
    traces, logs, _ = _feedback(tmp_path, correction="support.draft.edited")
    m, _ = measure_files(copilot, traces, logs=(logs,))
    r = row(m, "correction-rate")
    assert r.measured is None and NOT_IN_TRACES in r.flags and r.note == f"no {DEFAULT_CORRECTION} event in the logs"
    m, _ = measure_files(copilot, traces, logs=(logs,), correction_event="support.draft.edited")
    assert row(m, "correction-rate").measured == pytest.approx(0.5)


def test_write_proposes_the_correction_rate_only_from_correction_events(tmp_path: Path) -> None:
    review = tmp_path / "review.toml"
    review.write_bytes((SAMPLES / "customer-support-copilot.toml").read_bytes())
    traces, logs, _ = _feedback(tmp_path)
    base = ["measure", str(review), "--traces", str(traces), "--logs", str(logs), "--write", "--today", TODAY.isoformat()]
    result = CliRunner().invoke(cli, [*base, "--correction-event", "never.emitted"])
    assert result.exit_code == 0, result.stderr
    assert "human-correction-rate: no never.emitted event in the logs; not written" in result.stderr
    assert load_review(review).review.answers["human-correction-rate"].value is None
    result = CliRunner().invoke(cli, base)
    assert result.exit_code == 0, result.stderr
    answer = load_review(review).review.answers["human-correction-rate"]
    assert answer.value == 50.0
    assert answer.notes.startswith(f"Measured from 4 {DEFAULT_CORRECTION} event(s) over 4 requests in traces, window ")


def test_a_malformed_log_line_names_the_file_and_line(tmp_path: Path) -> None:
    traces = tmp_path / "t.jsonl"
    _days(traces, [0])
    logs = tmp_path / "logs.jsonl"
    logs.write_text('{"resourceLogs": []}\n{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"eventName": '
                    '"app.output.corrected", "traceId": "xyz"}]}]}]}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["measure", str(SAMPLES / "customer-support-copilot.toml"), "--traces",
                                      str(traces), "--logs", str(logs)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "logs.jsonl: line 2: resourceLogs[0].scopeLogs[0].logRecords[0].traceId 'xyz'" in result.stderr
