"""The portfolio over the samples and over a folder with broken files."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from tests.conftest import ROOT, TODAY, sample_paths
from workbook.cli import cli
from workbook.core.discover import find_review_files
from workbook.core.portfolio import build_rows, keep, render_csv, render_json, render_md, render_text, sort_rows


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """The samples plus: bad TOML, a wrong template, an unreadable entry, and files that are not reviews."""
    folder = tmp_path / "reviews"
    (folder / "team-a").mkdir(parents=True)
    for path in sample_paths():
        shutil.copy(path, folder / "team-a" / path.name)
    (folder / "bad.toml").write_text('[program]\nname = "Broken"\ntemplate = \n')
    text = (ROOT / "sample_programs" / "sales-email-generator.toml").read_text()
    (folder / "wrong-template.toml").write_text(text.replace('template = "quick-self-check"', 'template = "gone-template"'))
    (folder / "gone.toml").symlink_to(folder / "nowhere.toml")  # unreadable: a broken link
    (folder / "pyproject.toml").write_text('[project]\nname = "x"\n')  # not a review: skipped
    shutil.copy(ROOT / "templates" / "quick-self-check.toml", folder / "a-template.toml")  # not a review either
    (folder / ".venv").mkdir()
    shutil.copy(sample_paths()[0], folder / ".venv" / "ignored.toml")
    return folder


def test_discovery_skips_non_reviews_and_keeps_broken_ones(messy: Path) -> None:
    names = sorted(p.name for p in find_review_files([messy]))
    assert names == sorted(["bad.toml", "gone.toml", "wrong-template.toml", *(p.name for p in sample_paths())])


def test_rows_for_good_and_broken_files(messy: Path) -> None:
    rows = {Path(r.path).name: r for r in build_rows(find_review_files([messy]), TODAY)}
    copilot = rows["customer-support-copilot.toml"]
    assert (copilot.name, copilot.verdict, copilot.weakest_section) == ("Support reply copilot", "demo only", "Data ownership and quality")
    assert (copilot.open_constraints, copilot.overdue, copilot.unowned) == (14, 3, 6)
    assert copilot.review_date == "2026-11-18"
    assert rows["bad.toml"].error == "3:12: invalid TOML: Invalid value"
    assert rows["wrong-template.toml"].error.startswith("template: unknown template 'gone-template'")
    assert rows["gone.toml"].error == "broken symlink (its target does not exist)"


def test_sorting_and_filtering(messy: Path) -> None:
    rows = build_rows(find_review_files([messy]), TODAY)
    by_verdict = sort_rows(rows, "verdict")
    assert [r.verdict for r in by_verdict[:4]] == ["demo only"] * 4
    assert by_verdict[-1].error is not None  # errors always last
    assert [r.name for r in sort_rows(rows, "overdue")][:2] == ["Support reply copilot", "Claims triage agent: actions"]
    overdue = [r.name for r in rows if keep(r, ("overdue",))]
    assert sorted(overdue) == ["Claims triage agent: actions", "Support reply copilot"]
    assert len([r for r in rows if keep(r, ("errors",))]) == 3
    assert [r.name for r in rows if keep(r, ("pilot", "high-risk"))] != []


def test_formats(messy: Path) -> None:
    rows = sort_rows(build_rows(find_review_files([messy]), TODAY), "name")
    md = render_md(rows)
    assert md.splitlines()[0].startswith("| Program | Stage | Verdict |") and "ERROR" in md
    table = list(csv.reader(io.StringIO(render_csv(rows))))
    assert table[0][0] == "Program" and len(table) == len(rows) + 1
    data = json.loads(render_json(rows, TODAY))
    assert data["today"] == "2026-11-26" and len(data["programs"]) == len(rows)


def test_text_table_shows_errors_below_and_the_review_date_only_when_wide(messy: Path) -> None:
    rows = sort_rows(build_rows(find_review_files([messy]), TODAY), "verdict")

    def text(width: int) -> str:
        out = io.StringIO()
        Console(width=width, file=out, highlight=False).print(render_text(rows, len(rows) + 2, 3, width))
        return out.getvalue()

    narrow, wide = text(80), text(160)
    assert "Reviewed" not in narrow and "Reviewed" in wide and "2026-11-18" in wide
    lines = wide.splitlines()
    assert lines[0] == f"{len(rows) - 3} of {len(rows) - 1} programs shown and 3 unreadable files in {messy}/"
    assert lines[1].startswith("Program / file") and "Support reply copilot" in wide
    assert [line.split(":")[0] for line in lines if line.startswith("ERROR ")] == [
        f"ERROR {r.path}" for r in rows if r.error is not None]
    assert lines[-2].startswith("Verdicts: ")


def test_cli_exit_code_is_2_when_any_file_failed_but_others_are_reported(messy: Path) -> None:
    result = CliRunner().invoke(cli, ["portfolio", str(messy), "--today", "2026-11-26", "--format", "json"])
    assert result.exit_code == 2
    programs = json.loads(result.stdout)["programs"]
    assert sum(1 for p in programs if p["error"] is None) == len(sample_paths())


def test_cli_on_the_samples_exits_0() -> None:
    result = CliRunner().invoke(cli, ["portfolio", str(ROOT / "sample_programs"), "--today", "2026-11-26",
                                      "--only", "overdue", "--sort", "overdue"])
    assert result.exit_code == 0
    assert "Support reply" in result.stdout and "Forge code" not in result.stdout


def test_cli_nothing_found(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["portfolio", str(tmp_path)])
    assert result.exit_code == 2 and "no review files found" in result.output


def test_a_file_named_twice_is_one_row(messy: Path) -> None:
    copilot = messy / "team-a" / "customer-support-copilot.toml"
    files = find_review_files([copilot, messy, copilot])
    assert sum(1 for f in files if f.name == "customer-support-copilot.toml") == 1
