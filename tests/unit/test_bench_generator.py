"""The benchmark generator makes valid, varied, reproducible reviews (benchmarks trust it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bench.generate import big, portfolio
from workbook.core.portfolio import build_rows
from workbook.core.scoring import assess
from workbook.core.store import load_review


def test_portfolio_files_are_valid_varied_and_reproducible(tmp_path: Path) -> None:
    paths = portfolio(tmp_path / "a", 30)
    again = portfolio(tmp_path / "b", 30)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    rows = build_rows(paths, dt.date(2026, 11, 26))
    assert all(r.error is None for r in rows)
    assert len({r.verdict for r in rows}) >= 2 and len({r.readiness for r in rows}) > 5
    templates = {load_review(p).template.id for p in paths}
    assert templates == {"post-demo-review", "quick-self-check", "agentic-addendum"}
    assert any(load_review(p).review.calculators is not None for p in paths)


def test_portfolio_rows_agree_with_the_full_assessment(tmp_path: Path) -> None:
    # The portfolio decides latency risk from bounds when it can: the verdicts must be the same.
    for path in portfolio(tmp_path, 40, seed=7):
        rf = load_review(path)
        full = assess(rf.review, rf.template, dt.date(2026, 11, 26))
        [row] = build_rows([path], dt.date(2026, 11, 26))
        assert (row.verdict, row.readiness, row.high_risks) == (full.verdict, full.overall, full.high), path.name


def test_big_review_has_a_thousand_answers(tmp_path: Path) -> None:
    rf = load_review(big(tmp_path))
    assert len(rf.review.answers) == 1000 and rf.template.question_count() == 1000
