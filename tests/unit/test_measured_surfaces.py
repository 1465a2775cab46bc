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
