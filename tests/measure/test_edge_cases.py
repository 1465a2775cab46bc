"""Hand-made OTLP/JSON lines: how other writers and broken files look."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from tests.measure.helpers import measure_files, row
from workbook.cli import cli
from workbook.core.errors import FileError, WorkbookError
from workbook.core.measure.otlp import read_spans
from workbook.core.store import ReviewFile

TRACE = "0af7651916cd43dd8448eb211c80319c"
ROOT, CHILD = "b7ad6b7169203331", "00f067aa0ba902b7"


def span(span_id: str, parent: str, start_ms: int, end_ms: int, trace: str = TRACE, **extra: Any) -> dict[str, Any]:
    s = {"traceId": trace, "spanId": span_id, "parentSpanId": parent, "name": extra.pop("name", "s"), "kind": 2,
         "startTimeUnixNano": str(1_700_000_000_000_000_000 + start_ms * 1_000_000),
         "endTimeUnixNano": str(1_700_000_000_000_000_000 + end_ms * 1_000_000), "status": {}}
    s.update(extra)
    return s


def line(*spans: dict[str, Any], **extra: Any) -> str:
    return json.dumps({"resourceSpans": [{"resource": {}, "scopeSpans": [{"scope": {}, "spans": list(spans)}]}], **extra})


def chat_attrs(**values: Any) -> list[dict[str, Any]]:
    out = [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}}]
    out += [{"key": k, "value": v} for k, v in values.items()]
    return out


def write(path: Path, *lines: str) -> Path:
    path.write_text("".join(f"{x}\n" for x in lines), encoding="utf-8")
    return path


def test_a_trace_split_across_files(copilot: ReviewFile, tmp_path: Path) -> None:
    a = write(tmp_path / "a.jsonl", line(span(CHILD, ROOT, 100, 700, attributes=chat_attrs())))
    b = write(tmp_path / "b.jsonl", line(span(ROOT, "", 0, 1000)))
    m, _ = measure_files(copilot, a, b)
    assert m.counts.requests == 1
    assert row(m, "stage:Model inference-p50").measured == 600
    assert row(m, "e2e-p50").measured == 1000


def test_a_trace_without_its_root_is_counted_not_dropped(copilot: ReviewFile, tmp_path: Path) -> None:
    other = "1" * 32
    path = write(tmp_path / "t.jsonl", line(span(ROOT, "", 0, 1000), span(CHILD, "a" * 16, 0, 500, trace=other)))
    m, s = measure_files(copilot, path)
    assert (m.counts.traces, m.counts.requests, m.counts.partial) == (2, 1, 1)
    from workbook.core.measure.report import render_text

    assert "1 partial (no root span: not measured)" in render_text(m, s)


def test_root_narrows_the_requests(copilot: ReviewFile, tmp_path: Path) -> None:
    health = "2" * 32
    path = write(tmp_path / "t.jsonl", line(span(ROOT, "", 0, 1000, name="POST /draft"),
                                            span(CHILD, "", 0, 3, trace=health, name="GET /health")))
    m, _ = measure_files(copilot, path, root="post /*")
    assert (m.counts.requests, m.counts.other_root, m.counts.partial) == (1, 1, 0)
    assert row(m, "e2e-p50").measured == 1000


def test_base64_ids_enum_names_and_numeric_int_values(copilot: ReviewFile, tmp_path: Path) -> None:
    b64 = {h: base64.b64encode(bytes.fromhex(h)).decode() for h in (TRACE, ROOT, CHILD)}
    path = write(tmp_path / "t.jsonl", line(
        span(b64[ROOT], "", 0, 1000, trace=b64[TRACE], kind="SPAN_KIND_SERVER", status={"code": "STATUS_CODE_ERROR"}),
        span(b64[CHILD], b64[ROOT], 10, 900, trace=b64[TRACE], kind="SPAN_KIND_CLIENT",
             attributes=chat_attrs(**{"gen_ai.usage.input_tokens": {"intValue": 1234},
                                      "gen_ai.usage.output_tokens": {"intValue": "56"}}))))
    spans = list(read_spans(path))
    assert {s.trace_id for s in spans} == {TRACE}
    assert spans[1].parent_id == ROOT and spans[0].error
    m, _ = measure_files(copilot, path)
    assert m.counts.requests == 1
    assert row(m, "input-tokens-per-call").measured == 1234
    assert row(m, "output-tokens-per-call").measured == 56
    assert row(m, "request-error-rate").measured == 1.0


def test_older_and_openinference_names(copilot: ReviewFile, tmp_path: Path) -> None:
    older = [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
             {"key": "gen_ai.system", "value": {"stringValue": "openai"}},
             {"key": "gen_ai.usage.prompt_tokens", "value": {"intValue": "100"}},
             {"key": "gen_ai.usage.completion_tokens", "value": {"intValue": "10"}}]
    oi = [{"key": "openinference.span.kind", "value": {"stringValue": "LLM"}},
          {"key": "llm.token_count.prompt", "value": {"intValue": "300"}},
          {"key": "llm.token_count.completion", "value": {"intValue": "30"}},
          {"key": "llm.token_count.prompt_details.cache_read", "value": {"intValue": "150"}}]
    retriever = [{"key": "openinference.span.kind", "value": {"stringValue": "RETRIEVER"}}]
    path = write(tmp_path / "t.jsonl", line(span(ROOT, "", 0, 1000), span(CHILD, ROOT, 0, 100, attributes=older),
                                            span("c" * 16, ROOT, 100, 300, attributes=oi),
                                            span("d" * 16, ROOT, 300, 350, attributes=retriever)))
    m, _ = measure_files(copilot, path)
    assert row(m, "calls-per-request").measured == 2
    assert row(m, "input-tokens-per-call").measured == 200
    assert row(m, "output-tokens-per-call").measured == 20
    assert row(m, "cache-hit-share").measured == 0.5 and row(m, "cache-hit-share").n == 1
    assert row(m, "stage:Retrieval-p50").measured == 50
    assert row(m, "stage:Model inference-p50").measured == 300


def test_unknown_fields_and_other_signals_are_ignored(copilot: ReviewFile, tmp_path: Path) -> None:
    path = write(tmp_path / "t.jsonl",
                 line(span(ROOT, "", 0, 1000, futureField={"x": 1}, droppedAttributesCount=3), newTopLevel=[1]),
                 json.dumps({"resourceLogs": []}), "")
    m, s = measure_files(copilot, path)
    assert m.counts.requests == 1 and s.other_signal_lines == 1


def test_an_empty_file_beside_others_measures_them(copilot: ReviewFile, tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.jsonl")
    path = write(tmp_path / "t.jsonl", line(span(ROOT, "", 0, 1000)))
    m, _ = measure_files(copilot, empty, path)
    assert m.counts.requests == 1
    with pytest.raises(WorkbookError, match="no spans to measure"):
        measure_files(copilot, empty)


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "line 2: not JSON"),
    ("[1, 2]", "line 2: not an OTLP/JSON object"),
    ('{"foo": 1}', "line 2: no resourceSpans"),
    (line(span("xyz", "", 0, 1)), "line 2: resourceSpans[0].scopeSpans[0].spans[0].spanId 'xyz' is neither"),
    (line(span(ROOT, "", 0, 1, startTimeUnixNano="soon")), "line 2: resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano 'soon'"),
    (line(span(ROOT, "", 5, 1)), "ends before it starts"),
    (line(span(ROOT, "", 0, 1, status={"code": "BROKEN"})), "is not a status code"),
    (line(span(ROOT, "", 0, 1, attributes=chat_attrs(**{"gen_ai.usage.input_tokens": {"intValue": "12a"}}))),
     "intValue '12a' is not an integer"),
    (line(span(ROOT, "", 0, 1, attributes=[{"key": ["a"], "value": {"stringValue": "x"}}])),
     "resourceSpans[0].scopeSpans[0].spans[0].attributes[0].key is not a string"),  # was a traceback
])
def test_malformed_lines_name_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "bad.jsonl", line(span(ROOT, "", 0, 1000)), text)
    with pytest.raises(FileError) as info:
        list(read_spans(path))
    assert str(info.value).startswith(f"{path}: line 2: ")
    assert message in str(info.value)


def test_the_cli_measures_and_leaves_the_review_alone(tmp_path: Path, telemetry: Path) -> None:
    review = tmp_path / "review.toml"
    review.write_bytes((SAMPLES / "customer-support-copilot.toml").read_bytes())
    before = review.read_bytes()
    files = [str(telemetry / "openai-v2-default.jsonl"), str(telemetry / "openai-v2-429-retried.jsonl")]
    for fmt in ("text", "md", "json"):
        result = CliRunner().invoke(cli, ["measure", str(review), "--traces", *files, "--format", fmt,
                                          "--stage", "Post-processing=format*"])
        assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == "workbook-measure/1" and data["requests"]["requests"] == 3
    assert data["traces"]["files"] == files
    assert review.read_bytes() == before


def test_the_cli_reports_a_malformed_line_in_one_line(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.jsonl", line(span(ROOT, "", 0, 1000)), "{oops")
    result = CliRunner().invoke(cli, ["measure", str(SAMPLES / "customer-support-copilot.toml"), "--traces", str(bad)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"workbook: {bad}: line 2: not JSON: "
                                                  "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"]


def test_the_cli_refuses_a_stage_without_a_glob() -> None:
    result = CliRunner().invoke(cli, ["measure", "r.toml", "--traces", "t.jsonl", "--stage", "Retrieval"])
    assert result.exit_code == 2 and "is not NAME=GLOB" in result.output


def test_outcomes_csv_errors_name_the_line(copilot: ReviewFile, tmp_path: Path) -> None:
    path = write(tmp_path / "t.jsonl", line(span(ROOT, "", 0, 1000)))
    csv = tmp_path / "o.csv"
    csv.write_text(f"trace_id,success\n{TRACE},maybe\n", encoding="utf-8")
    with pytest.raises(FileError, match=r"o.csv: line 2: success 'maybe' is not true or false"):
        measure_files(copilot, path, outcomes=csv)


def test_the_launcher_hands_measure_to_click(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from workbook.launch import _plain_open

    # With a folder named "measure" here (the package's own tests have one), `workbook measure` is
    # still the command (click then asks for its arguments), not a review to open.
    (tmp_path / "measure").mkdir()
    monkeypatch.chdir(tmp_path)
    assert _plain_open(["measure"]) is None


def test_the_json_is_the_documented_one(copilot: ReviewFile, telemetry: Path) -> None:
    from tests.conftest import ROOT as REPO
    from workbook.core.measure.report import render_json

    doc = (REPO / "docs" / "measure.md").read_text(encoding="utf-8")
    example = json.loads(doc.split("```json\n", 1)[1].split("```", 1)[0])
    m, s = measure_files(copilot, telemetry / "openai-v2-default.jsonl")
    data = json.loads(render_json(m, s))

    def shape(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        return shape(value[0]) if isinstance(value, list) and value and isinstance(value[0], dict) else None

    assert shape(data) == shape(example)
    assert {r["id"] for r in data["rows"]} >= {"e2e-p50", "e2e-p95", "e2e-p99", "stage:Retrieval-p95", "unattributed-p50",
                                               "calls-per-request", "calls-per-request-p95", "input-tokens-per-call",
                                               "output-tokens-per-call", "cache-hit-share", "success-rate",
                                               "request-error-rate", "call-error-rate"}
