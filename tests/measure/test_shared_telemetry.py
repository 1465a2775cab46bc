"""The real OpenAI instrumentation's output (tests/fixtures/telemetry, copied from shared/telemetry)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.measure.helpers import measure_files, row
from workbook.core.measure.figures import ESTIMATE_OFF, NOT_IN_TRACES, TECHNICAL
from workbook.core.measure.otlp import read_spans
from workbook.core.store import ReviewFile

# From the files' own nanosecond times (root POST /draft; retrieval holds the embeddings call).
DEFAULT_E2E = sorted([(1796537769539351118 - 1796537769021951421) / 1e6, (1796537769551266306 - 1796537769539808872) / 1e6])
DEFAULT_RETRIEVAL = sorted([(1796537769028802672 - 1796537769022061456) / 1e6, (1796537769546863362 - 1796537769539907526) / 1e6])
DEFAULT_MODEL = sorted([(1796537769538762349 - 1796537769029535248) / 1e6, (1796537769551022781 - 1796537769547246306) / 1e6])


def test_hex_ids_are_read_as_hex_not_base64(telemetry: Path) -> None:
    spans = list(read_spans(telemetry / "openai-v2-default.jsonl"))
    assert len(spans) == 8
    assert spans[0].trace_id == "29168719620e2849da3e32746b5a7bb8"
    assert spans[0].parent_id == "80d20662d7452ac3"
    assert spans[3].parent_id == "" and spans[3].name == "POST /draft"
    assert spans[2].attributes["gen_ai.usage.input_tokens"] == 6000  # intValue "6000", a string


@pytest.mark.parametrize("name", ["openai-v2-default.jsonl", "openai-v2-latest-experimental.jsonl"])
def test_default_and_latest_names_read_the_same_figures(copilot: ReviewFile, telemetry: Path, name: str) -> None:
    m, s = measure_files(copilot, telemetry / name)
    assert (s.spans, m.counts.traces, m.counts.requests, m.counts.partial) == (8, 2, 2, 0)
    assert row(m, "calls-per-request").measured == 1 and row(m, "calls-per-request").change == 0
    assert row(m, "input-tokens-per-call").measured == 6000 and row(m, "input-tokens-per-call").n == 2
    assert row(m, "output-tokens-per-call").measured == 350
    assert NOT_IN_TRACES in row(m, "cache-hit-share").flags  # the instrumentation emits no cached tokens
    assert row(m, "cache-hit-share").measured is None
    assert row(m, "success-rate").measured == 1.0 and m.success_source == TECHNICAL
    assert NOT_IN_TRACES in row(m, "stage:Prompt construction-p50").flags
    assert row(m, "e2e-p99").measured is None  # two requests: no p99


def test_default_file_figures(copilot: ReviewFile, telemetry: Path) -> None:
    m, _ = measure_files(copilot, telemetry / "openai-v2-default.jsonl")
    assert row(m, "e2e-p50").measured == pytest.approx(sum(DEFAULT_E2E) / 2)
    assert row(m, "e2e-p95").measured == pytest.approx(DEFAULT_E2E[0] + 0.95 * (DEFAULT_E2E[1] - DEFAULT_E2E[0]))
    # The embeddings span nested in retrieval is not counted twice.
    assert row(m, "stage:Retrieval-p50").measured == pytest.approx(sum(DEFAULT_RETRIEVAL) / 2)
    assert row(m, "stage:Model inference-p50").measured == pytest.approx(sum(DEFAULT_MODEL) / 2)
    unattributed = sorted(e - r - c for e, r, c in zip(
        [DEFAULT_E2E[1], DEFAULT_E2E[0]], [DEFAULT_RETRIEVAL[0], DEFAULT_RETRIEVAL[1]], [DEFAULT_MODEL[1], DEFAULT_MODEL[0]]))
    assert row(m, "unattributed-p50").measured == pytest.approx(sum(unattributed) / 2)
    # The sample estimates a 6,680 ms end-to-end p95 from its stage budget: the fake server is far faster.
    assert ESTIMATE_OFF in row(m, "e2e-p95").flags
    assert row(m, "e2e-p95").target == 5000 and "OVER TARGET" not in row(m, "e2e-p95").flags


def test_a_429_retried_inside_one_span(copilot: ReviewFile, telemetry: Path) -> None:
    m, _ = measure_files(copilot, telemetry / "openai-v2-429-retried.jsonl")
    assert m.counts.requests == 1
    assert row(m, "call-error-rate").measured == 1.0
    assert row(m, "request-error-rate").measured == 1.0
    assert row(m, "success-rate").measured == 0.0
    # No usage on the failed call: absent, not zero.
    assert row(m, "input-tokens-per-call").measured is None
    assert NOT_IN_TRACES in row(m, "input-tokens-per-call").flags
    assert NOT_IN_TRACES in row(m, "stage:Retrieval-p50").flags
    assert row(m, "e2e-p50").measured == pytest.approx((1796537971175203960 - 1796537971123006404) / 1e6)
