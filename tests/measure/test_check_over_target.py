"""`workbook check --fail-on over-target`: a nightly `measure --write` as a CI gate."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.conftest import SAMPLES, TODAY
from workbook.cli import cli
from workbook.core.models import Answer, Status
from workbook.core.store import load_review, save_review

TRACES = ("openai-v2-default.jsonl", "openai-v2-429-retried.jsonl")  # end-to-end p95 470.9 ms


def measured(tmp_path: Path, telemetry: Path, target_ms: float | None) -> Path:
    path = tmp_path / "review.toml"
    path.write_bytes((SAMPLES / "customer-support-copilot.toml").read_bytes())
    if target_ms is not None:
        rf = load_review(path)
        rf.review.answers["latency-target-p95-ms"] = Answer(status=Status.ANSWERED, value=target_ms)
        save_review(rf)
    result = CliRunner().invoke(cli, ["measure", str(path), "--traces", *(str(telemetry / f) for f in TRACES),
                                      "--write", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return path


def check(path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(path), "--fail-on", "over-target", "--today",
                                      TODAY.isoformat(), *extra])
    return result.exit_code, result.stdout


def test_within_the_target_passes(tmp_path: Path, telemetry: Path) -> None:
    code, out = check(measured(tmp_path, telemetry, 5000))
    assert code == 0, out
    assert "ok (over-target)" in out


def test_over_the_teams_target_fails(tmp_path: Path, telemetry: Path) -> None:
    code, out = check(measured(tmp_path, telemetry, 400))
    assert code == 1
    assert ("over-target: latency-measured-p95-ms: latest measured p95 470.9 ms from 3 requests, window "
            "2026-12-06 06:16 to 2026-12-06 06:19 UTC, today, over the target of 400 ms") in out


def test_the_latest_measurement_decides(tmp_path: Path, telemetry: Path) -> None:
    path = measured(tmp_path, telemetry, 400)
    rf = load_review(path)
    (first,) = rf.review.measurements
    later = first.model_copy(update={"window_end": first.window_end.replace(year=2027), "figures": [
        f.model_copy(update={"value": 300.0}) if f.id == "e2e-p95" else f for f in first.figures]})
    rf.review.measurements = [later, first]  # the later window wins, wherever it is in the file
    save_review(rf)
    assert check(path)[0] == 0


def test_no_measurement_passes(tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    path.write_bytes((SAMPLES / "customer-support-copilot.toml").read_bytes())
    assert check(path)[0] == 0


def test_github_annotates_the_measured_answer(tmp_path: Path, telemetry: Path) -> None:
    path = measured(tmp_path, telemetry, 400)
    code, out = check(path, "--format", "github")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1)
                if text.strip() == "[answers.latency-measured-p95-ms]")
    assert code == 1
    assert f",line={line},title=workbook check%3A over-target%3A latency-measured-p95-ms::" in out
