"""`workbook measure --write`: the measurement recorded in the review, the measured p95 answered, saved
like every save (atomic, merged with the file if it changed meanwhile, unknown keys kept)."""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SAMPLES, TODAY
from tests.measure.helpers import measure_files, row
from workbook.cli import cli
from workbook.core.disk_merge import DiskMerge, save_merging
from workbook.core.errors import FileError
from workbook.core.measure.record import record, write
from workbook.core.models import Status
from workbook.core.serialize import review_dict
from workbook.core.store import load_review, save_review

FILES = ("openai-v2-default.jsonl", "openai-v2-429-retried.jsonl")


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = tmp_path / "review.toml"
    path.write_bytes((SAMPLES / "customer-support-copilot.toml").read_bytes())
    return path


def run_write(review: Path, telemetry: Path, *extra: str) -> tuple[int, str, str]:
    files = [str(telemetry / f) for f in FILES]
    result = CliRunner().invoke(cli, ["measure", str(review), "--traces", *files, "--write",
                                      "--today", TODAY.isoformat(), *extra])
    return result.exit_code, result.stdout, result.stderr


def test_write_records_the_measurement(review: Path, telemetry: Path) -> None:
    code, out, err = run_write(review, telemetry)
    assert code == 0, err
    (rec,) = load_review(review).review.measurements
    assert rec.recorded_on == TODAY
    assert rec.requests == 3
    assert rec.window_start == dt.datetime(2026, 12, 6, 6, 16, 9, 21951, tzinfo=dt.UTC)
    assert rec.window_start < rec.window_end
    assert [(f.name, f.sha256) for f in rec.files] == [
        (str(telemetry / f), hashlib.sha256((telemetry / f).read_bytes()).hexdigest()) for f in FILES]
    p95 = rec.figure("e2e-p95")
    assert p95 is not None and (p95.unit, p95.n) == ("ms", 3)
    assert {f.unit for f in rec.figures} == {"ms", "calls", "tokens", "share", "ratio", "USD"}
    assert "recorded: 3 requests" in err and "latency-measured-p95-ms" in err


def test_write_proposes_only_the_measured_p95(review: Path, telemetry: Path, copilot) -> None:
    before = load_review(review).review
    m, _ = measure_files(copilot, *(telemetry / f for f in FILES))
    code, _, err = run_write(review, telemetry)
    assert code == 0, err
    after = load_review(review).review
    answer = after.answers["latency-measured-p95-ms"]
    assert answer.status is Status.ANSWERED
    assert answer.value == round(row(m, "e2e-p95").measured, 1)
    first, *rest = answer.notes.splitlines()
    assert first.startswith("Measured from 3 requests in traces, window 2026-12-06 06:16 to 2026-12-06 06:19 UTC")
    assert "\n".join(rest) == before.answers["latency-measured-p95-ms"].notes  # the team's notes kept
    changed = {q for q in after.answers if after.answers[q] != before.answers.get(q)}
    assert changed == {"latency-measured-p95-ms"}  # no cost per outcome, no correction rate
    assert "cost-per-outcome-current: not written (technical success is not an outcome" in err
    assert "human-correction-rate: not written (needs correction events" in err


def test_a_second_write_adds_a_measurement_and_replaces_its_own_note(review: Path, telemetry: Path) -> None:
    assert run_write(review, telemetry)[0] == 0
    assert run_write(review, telemetry)[0] == 0
    r = load_review(review).review
    assert len(r.measurements) == 2
    assert r.answers["latency-measured-p95-ms"].notes.count("Measured from ") == 1


def test_json_output_stays_parseable_with_write(review: Path, telemetry: Path) -> None:
    import json

    code, out, _ = run_write(review, telemetry, "--format", "json")
    assert code == 0
    assert json.loads(out)["schema"] == "workbook-measure/1"


def test_nothing_measured_writes_nothing(review: Path, tmp_path: Path) -> None:
    from tests.measure.test_edge_cases import CHILD, line, span
    from tests.measure.test_edge_cases import write as write_lines

    partial = write_lines(tmp_path / "t.jsonl", line(span(CHILD, "a" * 16, 0, 500)))  # no root: no request
    before = review.read_bytes()
    result = CliRunner().invoke(cli, ["measure", str(review), "--traces", str(partial), "--write"])
    assert result.exit_code == 2
    assert "no request measured: nothing to record" in result.stderr
    assert review.read_bytes() == before


def test_the_write_merges_with_a_file_changed_meanwhile(review: Path, telemetry: Path) -> None:
    rf = load_review(review)
    m, _ = measure_files(rf, *(telemetry / f for f in FILES))
    other = load_review(review)  # someone else saves another answer meanwhile
    other.review.answers["usage-mode"] = other.review.answers["usage-mode"].model_copy(update={"notes": "changed meanwhile"})
    save_review(other)
    write(rf.review, rf.template, m, tuple(telemetry / f for f in FILES), TODAY)
    save_merging(rf)
    merged = load_review(review).review
    assert merged.answers["usage-mode"].notes == "changed meanwhile"
    assert len(merged.measurements) == 1


def test_files_without_measurements_load_and_save_as_before(review: Path) -> None:
    rf = load_review(review)
    assert rf.review.measurements == []
    assert "measurements" not in review_dict(rf.review, rf.template)


def test_unknown_keys_in_a_measurement_are_kept(review: Path, telemetry: Path) -> None:
    assert run_write(review, telemetry)[0] == 0
    text = review.read_text().replace("requests = 3\n", "requests = 3\ndashboard = \"grafana/d/abc\"\n", 1)
    review.write_text(text)
    rf = load_review(review)
    save_review(rf, force=True)
    assert tomllib.loads(review.read_text())["measurements"][0]["dashboard"] == "grafana/d/abc"


@pytest.mark.parametrize(("old", "new", "where"), [
    ("requests = 3\n", "requests = \"3\"\n", "measurements[0].requests"),
    ("unit = \"ms\", value = ", "unit = \"ms\", value = \"x\", v = ", "measurements[0].figures[0].value"),
    ("sha256 = \"", "sha256 = \"zz", "measurements[0].files[0].sha256"),
    ("window_start = ", "window_start = 1700000000\nws = ", "measurements[0].window_start"),
])
def test_a_bad_measurement_names_its_key(review: Path, telemetry: Path, old: str, new: str, where: str) -> None:
    assert run_write(review, telemetry)[0] == 0
    review.write_text(review.read_text().replace(old, new, 1))
    with pytest.raises(FileError) as info:
        load_review(review)
    assert where in str(info.value)


def test_two_measurements_recorded_at_once_are_both_kept(review: Path, telemetry: Path) -> None:
    first, second = load_review(review), load_review(review)
    for rf, name in ((first, FILES[0]), (second, FILES[1])):
        m, _ = measure_files(rf, telemetry / name)
        rf.review.measurements = [record(m, (telemetry / name,), TODAY)]
    save_review(first)
    assert not isinstance(save_merging(second), DiskMerge)  # merged item by item, not a conflict
    names = [r.files[0].name for r in load_review(review).review.measurements]
    assert sorted(names) == sorted(str(telemetry / f) for f in FILES)
