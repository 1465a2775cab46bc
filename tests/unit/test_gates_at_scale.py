"""`check` and `portfolio` at scale print exactly what they printed before: check no longer builds the
report-only details of the assessment, and the portfolio's text table is printed a chunk of rows at a time."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from bench.generate import portfolio as generate
from tests.conftest import TODAY, sample_paths
from workbook.cli import cli
from workbook.core.check import failures, text_line
from workbook.core.discover import find_review_files
from workbook.core.portfolio import (
    PILOT,
    PortfolioRow,
    _Layout,
    _plain_lines,
    _widths,
    build_rows,
    print_text,
    render_text,
)
from workbook.core.rules import RULES
from workbook.core.scoring import assess
from workbook.core.store import load_review


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples and 40 generated reviews of the built-in templates, one of them broken."""
    out = tmp_path_factory.mktemp("reviews")
    for path in sample_paths():
        shutil.copy(path, out / path.name)
    generate(out / "generated", 40)
    (out / "generated" / "broken.toml").write_text('[program]\nname = "x\n', encoding="utf-8")
    return out


def test_check_prints_what_the_full_assessment_gave(folder: Path) -> None:
    files = find_review_files([folder])
    expected = []
    for path in files:
        try:
            rf = load_review(path)
        except Exception:
            continue
        found = failures(rf.review, rf.template, assess(rf.review, rf.template, TODAY), RULES)  # detail=True
        expected += [text_line(str(path), f) for f in found] or [f"{path}: ok ({', '.join(RULES)})"]
    out = CliRunner().invoke(cli, ["check", str(folder), "--fail-on", ",".join(RULES), "--today", TODAY.isoformat()])
    assert out.exit_code == 2  # the broken file
    assert out.stdout.splitlines() == expected


@pytest.mark.parametrize("width", [60, 80, 100, 120, 160])
def test_the_streamed_portfolio_table_is_the_one_table(folder: Path, width: int) -> None:
    rows = build_rows(find_review_files([folder]), TODAY)
    failed = sum(1 for r in rows if r.error is not None)

    def printed(streamed: bool) -> str:
        out = io.StringIO()
        console = Console(width=width, file=out, highlight=False, force_terminal=True, color_system="truecolor")
        if streamed:
            print_text(console, rows, len(rows), failed, chunk=7)
        else:
            console.print(render_text(rows, len(rows), failed, width))
        return out.getvalue()

    assert printed(streamed=True) == printed(streamed=False)


def test_a_portfolio_of_only_unreadable_files_prints_as_before(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("[program\n", encoding="utf-8")
    rows = build_rows([tmp_path / "broken.toml"], TODAY)
    one, streamed = io.StringIO(), io.StringIO()
    Console(width=100, file=one, highlight=False).print(render_text(rows, 1, 1, 100))
    print_text(Console(width=100, file=streamed, highlight=False), rows, 1, 1)
    assert streamed.getvalue() == one.getvalue()


def _awkward_rows() -> list[PortfolioRow]:
    """Rows whose cells rich has to wrap, fold, cut or measure: long names with and without spaces, wide
    characters, combining marks, a file name longer than its column, and a number too wide for it."""
    names = ["Claims triage agent for the northern region with a long name", "Zoë Müller-Łukasz", "日本語の名前",
             "e\u0301te\u0301", "x" * 70, "Short"]
    return [PortfolioRow(path=f"reviews/{'deep/' * i}{name[:12].replace(' ', '-')}-{'y' * 5 * i}.toml", name=name,
                         stage="pilot", verdict=PILOT, readiness=55 + i, weakest_section="Untrusted content and "
                         "credentials" if i % 2 else "Data", open_constraints=10 ** i, overdue=i, unowned=1,
                         high_risks=2, review_date="2026-11-01", cost_per_outcome=1234.5 * 10 ** i)
            for i, name in enumerate(names)]


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 160])
def test_the_portfolio_without_colour_is_the_one_table(folder: Path, width: int) -> None:
    """Piped or in CI (no colour) rows whose cells fit or fold are laid out without rich: the same lines."""
    rows = build_rows(find_review_files([folder]), TODAY) + _awkward_rows()
    failed = sum(1 for r in rows if r.error is not None)
    one, streamed = io.StringIO(), io.StringIO()
    Console(width=width, file=one, highlight=False).print(render_text(rows, len(rows), failed, width))
    print_text(Console(width=width, file=streamed, highlight=False), rows, len(rows), failed, chunk=5)
    assert streamed.getvalue() == one.getvalue()


@pytest.mark.parametrize("width", [80, 120])
def test_the_plain_layout_is_taken_for_generated_rows(folder: Path, width: int) -> None:
    """The rows a gate prints at scale (generated names, files longer than their column) need no rich."""
    rows = [r for r in build_rows(find_review_files([folder / "generated"]), TODAY) if r.error is None]
    console = Console(width=width, file=io.StringIO(), highlight=False)
    layout = _Layout(rows, width)
    widths, _, _ = _widths(console, layout, rows)
    assert _plain_lines([layout.texts(r) for r in rows], widths, layout.columns) is not None


def test_each_folder_judges_its_reviews_by_its_own_template(tmp_path: Path) -> None:
    """check and portfolio find a template once per folder, not once per run: a review beside its own
    copy of a template (same id, another question) is judged by that copy."""
    builtin = (Path(__file__).parents[2] / "templates" / "quick-self-check.toml").read_text(encoding="utf-8")
    review = ('schema = 1\ntemplate = "quick-self-check"\ntemplate_version = "1.2.0"\n\n'
              '[program]\nname = "P"\nstage = "demo"\n')
    for name, prompt in (("a", "What data did the demo actually run on?"), ("b", "Which data fed the demo in folder b?")):
        (tmp_path / name / "templates").mkdir(parents=True)
        (tmp_path / name / "templates" / "quick-self-check.toml").write_text(
            builtin.replace("What data did the demo actually run on?", prompt), encoding="utf-8")
        (tmp_path / name / "review.toml").write_text(review, encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(tmp_path), "--fail-on", "unanswered", "--today", TODAY.isoformat()])
    lines = [line for line in out.stdout.splitlines() if ": demo-data-source: " in line]
    assert [line.split("/")[-2] for line in lines] == ["a", "b"]
    assert "actually run on" in lines[0] and "in folder b" in lines[1]
