"""A sample review with a recorded measurement (`workbook measure --write` on the shared real traces),
for the surfaces that show it: the TUI cost card, the measurements CSV, the portfolio."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.conftest import FIXTURES, TODAY
from workbook.cli import cli
from workbook.core.models import Status
from workbook.core.store import load_review, save_review

TELEMETRY = FIXTURES / "telemetry"


def costed_copy(sample_copy, threshold: float | None = 0.25, outcomes: bool = True) -> Path:
    """A measurement with real outcomes (one success in two: $0.2880 per outcome against a $0.2618
    estimate), its window a month and more before TODAY (stale), and the cost threshold decided."""
    path = sample_copy("customer-support-copilot.toml")
    args = ["measure", str(path), "--traces", str(TELEMETRY / "openai-v2-default.jsonl"), "--write",
            "--today", TODAY.isoformat()]
    if outcomes:
        csv = path.parent / "outcomes.csv"
        csv.write_text("trace_id,success\n127efdf85fc6d14ebdfcd2d386622b8f,true\n"
                       "29168719620e2849da3e32746b5a7bb8,false\n")
        args += ["--outcomes", str(csv)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    path.write_text(path.read_text().replace("window_start = 2026-12-06", "window_start = 2026-10-01")
                    .replace("window_end = 2026-12-06", "window_end = 2026-10-02"))
    if threshold is not None:
        rf = load_review(path)
        answer = rf.review.answers["cost-threshold-per-outcome"]
        rf.review.answers["cost-threshold-per-outcome"] = answer.model_copy(
            update={"status": Status.ANSWERED, "value": threshold, "decide_by": None})
        save_review(rf)
    return path

