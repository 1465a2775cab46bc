"""The latest measurement shown beside the estimate: summary (text, json), exports (md, html) and diff,
with its window, requests and age; older than 30 days it is stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES
from workbook.cli import cli

TRACES = ("openai-v2-default.jsonl", "openai-v2-429-retried.jsonl")
LINE = "easured p95 470.9 ms from 3 requests, window 2026-12-06 06:16 to 2026-12-06 06:19 UTC"


@pytest.fixture
def measured(tmp_path: Path, telemetry: Path) -> Path:
    path = tmp_path / "review.toml"
    path.write_bytes((SAMPLES / "customer-support-copilot.toml").read_bytes())
    result = CliRunner().invoke(cli, ["measure", str(path), "--traces", *(str(telemetry / f) for f in TRACES),
                                      "--write", "--today", "2026-12-07"])
    assert result.exit_code == 0, result.output
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_summary_json_has_the_latest_measurement(measured: Path) -> None:
    m = json.loads(run("summary", str(measured), "--format", "json", "--today", "2026-12-16"))["measurement"]
    assert (m["requests"], m["age_days"], m["stale"], m["p95_ms"] > 470) == (3, 10, False, True)
    assert m["window"]["start"] == "2026-12-06T06:16:09.021951+00:00"
    assert m["target_p95_ms"] == 5000 and m["over_target"] is False
    stale = json.loads(run("summary", str(measured), "--format", "json", "--today", "2027-01-20"))["measurement"]
    assert (stale["age_days"], stale["stale"]) == (45, True)


def test_summary_json_without_a_measurement_says_null() -> None:
    data = json.loads(run("summary", str(SAMPLES / "customer-support-copilot.toml"), "--format", "json"))
    assert data["measurement"] is None


@pytest.mark.parametrize("how", [("summary",), ("export", "--format", "md"), ("export", "--format", "html")])
def test_the_reports_show_it_beside_the_estimate(measured: Path, how: tuple[str, ...]) -> None:
    out = " ".join(run(how[0], str(measured), *how[1:], "--today", "2027-01-20").replace("\\[", "[")
                   .replace("\\]", "]").split())  # the text wraps at 80 columns; Markdown escapes brackets
    assert f"M{LINE}, 45 days ago [stale]" in out
    assert out.index("p95 target of 5,000 ms") < out.index(f"M{LINE}")  # after the estimate


def test_diff_shows_the_new_measurement(measured: Path) -> None:
    out = " ".join(run("diff", str(SAMPLES / "customer-support-copilot.toml"), str(measured),
                       "--today", "2026-12-16").split())
    assert f"Latest measurement: m{LINE}, 10 days ago (estimate: simulated p95 6,680 ms)" in out
    md = run("diff", str(SAMPLES / "customer-support-copilot.toml"), str(measured), "--format", "md",
             "--today", "2026-12-16")
    assert f"m{LINE}, 10 days ago" in md


def test_the_json_export_carries_the_measurement_and_loads_back(measured: Path) -> None:
    import jsonschema

    from workbook.core.exports.json_export import json_schema, review_from_json
    from workbook.core.store import load_review

    exported = json.loads(run("export", str(measured), "--format", "json", "--today", "2026-12-16"))
    jsonschema.validate(exported, json_schema(), format_checker=jsonschema.FormatChecker())
    assert exported["summary"]["measurement"]["age_days"] == 10
    rf = load_review(measured)
    assert review_from_json(exported["review"], rf.template).measurements == rf.review.measurements
