"""The review's latency model re-run on the measured stages, beside the measured end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.measure.helpers import measure_files
from tests.measure.sdk import SpanSpec, Writer, chat
from workbook.core.calc.latency import _quantile, simulate
from workbook.core.measure.latency_model import ESTIMATE, MEASURED
from workbook.core.measure.report import render_json, render_md, render_text
from workbook.core.models import LatencyInputs, LatencyStage
from workbook.core.store import ReviewFile

ALL_STAGES = ("Prompt construction=build_prompt*", "Post-processing=format_*", "UI rendering=render*")


def _pilot(path: Path, retrieval: list[float], *, every_stage: bool = False, root_extra: float = 50) -> Path:
    """One request per retrieval time: retrieval, then a 200 ms model call; with every_stage also 20 ms of
    prompt construction, 30 of post-processing and 50 of rendering; the root ends root_extra ms later."""
    w = Writer(path)
    for i, r in enumerate(retrieval):
        t = i * 10_000.0
        children = [SpanSpec("retrieve", t, t + r, {"gen_ai.operation.name": "retrieval"})]
        at = t + r
        if every_stage:
            children.append(SpanSpec("build_prompt", at, at + 20))
            at += 20
        children.append(chat(at, at + 200))
        at += 200
        if every_stage:
            children += [SpanSpec("format_reply", at, at + 30), SpanSpec("render_html", at + 30, at + 80)]
            at += 80
        w.write(SpanSpec("POST /draft", t, at + root_extra, children=children))
    w.close()
    return path


def test_every_stage_measured_composes_to_the_sum_of_constant_stages(copilot: ReviewFile, tmp_path: Path) -> None:
    traces = _pilot(tmp_path / "t.jsonl", [100.0] * 4, every_stage=True)
    m, s = measure_files(copilot, traces, stages=ALL_STAGES)
    model = m.latency_model
    assert model is not None
    assert [(st.name, st.source, st.p50_ms, st.p95_ms, st.n) for st in model.stages] == [
        ("Retrieval", MEASURED, 100.0, 100.0, 4), ("Prompt construction", MEASURED, 20.0, 20.0, 4),
        ("Model inference", MEASURED, 200.0, 200.0, 4), ("Post-processing", MEASURED, 30.0, 30.0, 4),
        ("UI rendering", MEASURED, 50.0, 50.0, 4)]
    # Constant stages: the model's end to end is their sum; the root's 50 ms more is no stage's.
    assert model.predicted_p95_ms == pytest.approx(400.0)
    assert model.measured_p95_ms == pytest.approx(450.0)
    assert model.gap_ms == pytest.approx(-50.0)
    assert model.gap_share == pytest.approx(-50 / 450)
    assert model.unattributed_share == pytest.approx(50 / 450)
    assert not model.disagrees
    text = render_text(m, s)
    assert ("The model on these stages predicts an end-to-end p95 of 400 ms against 450 ms measured: it understates "
            "it by 50 ms (-11%).") in text
    assert "Unattributed: 11.1% of the measured end-to-end time is in no stage" in text
    data = json.loads(render_json(m, s))["latency_model"]
    assert data["predicted_p95_ms"] == pytest.approx(400.0) and data["measured_p95_ms"] == pytest.approx(450.0)
    assert data["gap_ms"] == pytest.approx(-50.0) and data["unattributed_share"] == pytest.approx(50 / 450)
    assert {st["source"] for st in data["stages"]} == {"measured"} and data["disagrees"] is False


def test_stages_not_in_traces_keep_the_review_estimate_labelled(copilot: ReviewFile, tmp_path: Path) -> None:
    retrieval = [80.0, 100.0, 120.0, 150.0, 400.0]
    traces = _pilot(tmp_path / "t.jsonl", retrieval, root_extra=0)
    m, s = measure_files(copilot, traces)
    model = m.latency_model
    assert model is not None
    by_name = {st.name: st for st in model.stages}
    r = by_name["Retrieval"]
    assert (r.source, r.n) == (MEASURED, 5)
    assert (r.p50_ms, r.p95_ms) == (pytest.approx(_quantile(retrieval, 0.5)), pytest.approx(_quantile(retrieval, 0.95)))
    # The sample's budget for the stages no span maps to, labelled as estimates.
    assert [(st.name, st.source, st.p50_ms, st.p95_ms) for st in model.stages if st.source == ESTIMATE] == [
        ("Prompt construction", ESTIMATE, 40, 120), ("Post-processing", ESTIMATE, 90, 250),
        ("UI rendering", ESTIMATE, 150, 500)]
    expected = simulate(LatencyInputs(stages=[
        LatencyStage(name="Retrieval", p50_ms=_quantile(retrieval, 0.5), p95_ms=_quantile(retrieval, 0.95)),
        LatencyStage(name="Prompt construction", p50_ms=40, p95_ms=120),
        LatencyStage(name="Model inference", p50_ms=200, p95_ms=200),
        LatencyStage(name="Post-processing", p50_ms=90, p95_ms=250),
        LatencyStage(name="UI rendering", p50_ms=150, p95_ms=500)]))
    assert expected is not None
    assert model.predicted_p95_ms == pytest.approx(expected.p95_ms)
    ends = sorted(x + 200 for x in retrieval)
    assert model.measured_p95_ms == pytest.approx(_quantile(ends, 0.95))
    assert model.unattributed_share == 0.0
    assert model.disagrees and model.gap_ms > 0  # the estimates for missing stages overstate it
    text = render_text(m, s)
    assert any(line.startswith("UI rendering") and "estimate (NOT IN TRACES)" in line for line in text.splitlines())
    assert "it overstates it by" in text and "more than 25% apart" in text
    assert "| Prompt construction | estimate (NOT IN TRACES) | 40 ms | 120 ms | — |" in render_md(m, s)
    stages = json.loads(render_json(m, s))["latency_model"]["stages"]
    assert stages[1] == {"name": "Prompt construction", "source": "estimate", "p50_ms": 40, "p95_ms": 120, "n": 0}


def test_no_measured_stage_no_model(copilot: ReviewFile, tmp_path: Path) -> None:
    w = Writer(tmp_path / "t.jsonl")
    w.write(SpanSpec("POST /draft", 0, 300))
    w.close()
    m, s = measure_files(copilot, tmp_path / "t.jsonl")
    assert m.latency_model is None
    assert json.loads(render_json(m, s))["latency_model"] is None
    assert "Latency model on the measured stages" not in render_text(m, s)
