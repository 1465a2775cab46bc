"""The recorded measurements (`workbook measure --write`) where a review is read outside the TUI: the
measurements CSV (`export --format csv --measurements`) read back with pandas, and the portfolio."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from tests.conftest import SAMPLES, TODAY
from tests.measured import costed_copy
from workbook.cli import cli
from workbook.core.store import load_review, save_review


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def measurements_csv(*paths: Path) -> pd.DataFrame:
    out = run("export", *map(str, paths), "--format", "csv", "--measurements")
    return pd.read_csv(io.StringIO(out), keep_default_na=False)


def test_the_measurements_csv_reads_back_with_pandas(sample_copy) -> None:
    path = costed_copy(sample_copy)
    recorded = load_review(path).review.measurements[0]
    df = measurements_csv(path)
    assert list(df["Figure"]) == [f.id for f in recorded.figures]
    assert df["Value"].dtype == "float64" and df["Requests"].dtype == "int64" and df["N"].dtype == "int64"
    assert df["Latest"].dtype == "bool" and df["Latest"].all()
    by = df.set_index("Figure")
    assert by.loc["e2e-p95", "Value"] == 492.102584 and by.loc["e2e-p95", "Unit"] == "ms"
    assert by.loc["cost-per-outcome", "Value"] == 0.287981
    assert by.loc["cost-per-outcome", "Flags"] == "over threshold; stale"  # $0.2880 against $0.25, 55 days
    assert by.loc["e2e-p50", "Flags"] == "stale"
    assert set(df["Success"]) == {"outcomes file"} and set(df["Program"]) == {"Support reply copilot"}
    assert pd.to_datetime(df["Window End"]).iloc[0] == pd.Timestamp("2026-10-02 06:16:09.551266", tz="UTC")


def test_only_the_latest_measurement_is_flagged(sample_copy) -> None:
    path = costed_copy(sample_copy)
    rf = load_review(path)
    first = rf.review.measurements[0]
    older = first.model_copy(update={"window_start": first.window_start.replace(month=8),
                                     "window_end": first.window_end.replace(month=8)})
    rf.review.measurements = [first, older]  # recorded later, over an older window: not the latest
    save_review(rf)
    df = measurements_csv(path)
    assert len(df) == 2 * len(first.figures)
    assert list(df["Latest"]) == [True] * len(first.figures) + [False] * len(first.figures)
    assert set(df[~df["Latest"]]["Flags"]) == {""}


def test_the_measurements_csv_neutralises_formulas_and_spans_a_folder(sample_copy, tmp_path: Path) -> None:
    path = costed_copy(sample_copy)
    rf = load_review(path)
    rf.review.program.name = '=HYPERLINK("http://evil.example","x")'
    save_review(rf)
    shutil.copy(SAMPLES / "contract-clause-extractor.toml", tmp_path)  # no measurement: no rows
    df = measurements_csv(tmp_path)
    assert set(df["Program"]) == {'\'=HYPERLINK("http://evil.example","x")'}
    assert len(df) == len(rf.review.measurements[0].figures)


def test_the_measurements_csv_of_a_review_without_any_is_its_header(sample_copy) -> None:
    df = measurements_csv(sample_copy("contract-clause-extractor.toml"))
    assert df.empty and list(df.columns)[:3] == ["Program", "Recorded On", "Window Start"]


def test_measurements_is_for_csv() -> None:
    result = CliRunner().invoke(cli, ["export", str(SAMPLES / "contract-clause-extractor.toml"), "--format", "json",
                                      "--measurements"])
    assert result.exit_code == 2 and "--measurements is for --format csv" in result.output


def measured_folder(sample_copy, tmp_path: Path) -> Path:
    """A measured review (p95 492 ms against a target of 400 ms, 55 days old) beside one never measured."""
    path = costed_copy(sample_copy)
    rf = load_review(path)
    target = rf.review.answers["latency-target-p95-ms"]
    rf.review.answers["latency-target-p95-ms"] = target.model_copy(
        update={"status": "answered", "value": 400, "decide_by": None})
    save_review(rf)
    shutil.copy(SAMPLES / "contract-clause-extractor.toml", tmp_path)
    (tmp_path / "outcomes.csv").unlink()
    return tmp_path


def test_the_portfolio_shows_the_latest_measured_p95(sample_copy, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(measured_folder(sample_copy, tmp_path))
    df = pd.read_csv(io.StringIO(run("portfolio", ".", "--format", "csv")), keep_default_na=False)
    assert list(df.columns).index("Measured p95") == list(df.columns).index("Cost per outcome") + 1
    measured = dict(zip(df["Program"], df["Measured p95"]))
    assert measured == {"Support reply copilot": "492 ms, over target, stale", "Contract clause extractor": ""}
    assert "| \\$0.2618 | 492 ms, over target, stale | 2026-11-18 |" in run("portfolio", ".", "--format", "md")
    rows = {r["name"]: r for r in json.loads(run("portfolio", ".", "--format", "json"))["programs"]}
    assert rows["Support reply copilot"]["measured"] == {
        "p95_ms": 492.102584, "target_ms": 400.0, "over_target": True, "stale": True,
        "window_end": "2026-10-02T06:16:09.551266+00:00", "age_days": 55}
    assert "measured" not in rows["Contract clause extractor"]  # a row without one is as it was


def test_the_portfolio_text_shows_it_narrow_and_wide(sample_copy, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(measured_folder(sample_copy, tmp_path))
    monkeypatch.setenv("COLUMNS", "80")
    narrow = run("portfolio", ".")  # 80 columns: a line under the measured program's file
    lines = [line.rstrip() for line in narrow.splitlines()]
    at = lines.index("p95 492 ms, over")
    assert lines[at + 1] == "target, stale" and "Measured p95" not in lines[1]
    monkeypatch.setenv("COLUMNS", "120")
    wide = run("portfolio", ".").splitlines()
    assert "Measured p95" in wide[1]
    col = wide[1].index("Measured p95")
    assert [line[col:col + 12].strip() for line in wide[2:5]] == ["492 ms", "over target", "stale"]
    assert wide[5][col:col + 12].strip() == "—"
