"""Exports: golden files on the samples, hostile text in every format, JSON round-trip, ADR updates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from tests.conftest import ROOT, TODAY, sample_paths
from tests.hostile import FORMULA, HTML, MARKUP, make_hostile
from workbook.cli import cli
from workbook.core import editing
from workbook.core.exports.adr import plan_records
from workbook.core.exports.common import export_data
from workbook.core.exports.csv_export import HEADER, safe_cell
from workbook.core.exports.json_export import export_dict, json_schema, review_from_json
from workbook.core.exports.write import render, write_adr
from workbook.core.serialize import review_dict
from workbook.core.store import load_review

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("WORKBOOK_UPDATE_GOLDEN") == "1"


def data_for(path: Path):
    rf = load_review(path)
    return export_data(rf.review, rf.template, TODAY)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; review it and re-run")
    assert text == path.read_bytes().decode("utf-8"), f"{name} differs; WORKBOOK_UPDATE_GOLDEN=1 to accept"


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
@pytest.mark.parametrize("sample", sample_paths(), ids=lambda p: p.stem)
def test_golden_exports(sample: Path, fmt: str) -> None:
    check_golden(f"{sample.stem}.{fmt}", render(fmt, data_for(sample)))


def test_golden_adr_folder(tmp_path: Path) -> None:
    sample = ROOT / "sample_programs" / "customer-support-copilot.toml"
    written = write_adr(tmp_path, data_for(sample))
    assert [state for _, state in written] == ["created"] * len(written)
    for name, _ in written:
        check_golden(f"adr/{name}", (tmp_path / name).read_text())
    # No golden record is left over from an earlier version of the sample.
    assert sorted(p.name for p in (GOLDEN / "adr").iterdir()) == sorted(name for name, _ in written)


# ------------------------------------------------------------------ hostile text


@pytest.fixture
def hostile(mini: Path):
    rf = load_review(mini)
    make_hostile(rf.review, TODAY, "notes", "boundary")
    return export_data(rf.review, rf.template, TODAY)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def test_hostile_html_stays_text(hostile) -> None:
    page = render("html", hostile)
    parsed = _Tags()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "a" not in parsed.tags
    assert not [a for a, _ in parsed.attrs if a.startswith("on") or a in ("href", "src")]
    text = "".join(parsed.text)
    assert HTML in text  # the payload is shown, literally
    assert MARKUP in text


def test_hostile_markdown_renders_literally(hostile) -> None:
    md = render("md", hostile)
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered and "<img" not in rendered
    # The only links: the contents line's own sections, and web addresses as typed, shown as themselves.
    for href, text in re.findall(r'<a href="([^"]*)">(.*?)</a>', rendered):
        assert href.startswith("#") or (href.startswith(("http://", "https://")) and text == href), (href, text)
    assert len(re.findall(r"<a ", rendered)) == len(re.findall(r'<a href="[^"]*">', rendered))
    assert "javascript:alert(1)" in rendered and 'href="javascript' not in rendered  # shown as text
    # Every table row keeps its column count whatever the cells contain (pipes, newlines).
    for table in re.findall(r"<table>.*?</table>", rendered, re.S):
        widths = {len(re.findall(r"<t[hd]>", row)) for row in re.findall(r"<tr>.*?</tr>", table, re.S)}
        assert len(widths) == 1, widths
    # A line typed as '# heading' or '---' must not become a heading or a rule.
    assert "<h1>heading" not in rendered and "<hr" not in rendered


def test_hostile_csv_has_no_live_formula(hostile) -> None:
    text = render("csv", hostile)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:len(HEADER)] == HEADER and set(rows[0][len(HEADER) - 1:]) == {"Labels"}
    assert len({len(r) for r in rows}) == 1
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or re.fullmatch(r"-?\d+(\.\d+)?", cell), cell
    assignees = [r[2] for r in rows[1:]]
    assert "'=cmd|' /C calc'!A0" in assignees
    assert any(FORMULA in r[1] for r in rows[1:])


def test_csv_keeps_plain_negative_numbers() -> None:
    assert safe_cell("-1.3") == "-1.3" and safe_cell("=1+2") == "'=1+2" and safe_cell("-1+2") == "'-1+2"


def test_hostile_json_round_trips_and_matches_the_schema(hostile, mini: Path) -> None:
    exported = json.loads(render("json", hostile))
    jsonschema.validate(exported, json_schema(), format_checker=jsonschema.FormatChecker())
    template = load_review(mini).template
    back = review_from_json(exported["review"], template)
    assert review_dict(back, template) == review_dict(hostile.review, template)
    assert back.program.name == hostile.review.program.name


def test_hostile_adr_front_matter_is_valid_and_body_literal(hostile, tmp_path: Path) -> None:
    record = next(r for r in plan_records(hostile, tmp_path) if r.question_id == "boundary")
    front = record.text.split("---\n")[1]
    makers = next(line for line in front.splitlines() if line.startswith("decision-makers:"))
    assert json.loads(makers.split(": ", 1)[1]) == ["=cmd|' /C calc'!A0"]
    body = record.text.split("---\n", 2)[2]
    rendered = MarkdownIt("commonmark").render(body)
    assert "<script" not in rendered and "<img" not in rendered


# ------------------------------------------------------------------ JSON


@pytest.mark.parametrize("sample", sample_paths(), ids=lambda p: p.stem)
def test_json_review_part_loads_back_equal(sample: Path) -> None:
    rf = load_review(sample)
    exported = json.loads(json.dumps(export_dict(export_data(rf.review, rf.template, TODAY))))
    jsonschema.validate(exported, json_schema(), format_checker=jsonschema.FormatChecker())
    back = review_from_json(exported["review"], rf.template)
    assert back == rf.review


def test_published_schema_is_current() -> None:
    published = json.loads((ROOT / "docs" / "export-schema.json").read_text())
    assert published == json.loads(json.dumps(json_schema()))


# ------------------------------------------------------------------ ADR


def test_adr_reexport_updates_instead_of_duplicating(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "adr"
    rf = load_review(mini)
    first = write_adr(folder, export_data(rf.review, rf.template, TODAY))
    assert [s for _, s in first] == ["created", "created"]  # boundary and threshold (deferred)
    again = write_adr(folder, export_data(rf.review, rf.template, TODAY))
    assert [s for _, s in again] == ["unchanged", "unchanged"]
    from workbook.core import editing

    editing.set_value(rf.review, "boundary", "no", TODAY, decided_by="Priya", is_decision=True)
    third = write_adr(folder, export_data(rf.review, rf.template, TODAY))
    assert [s for _, s in third] == ["updated", "unchanged"]
    assert sorted(p.name for p in folder.iterdir()) == [name for name, _ in first]
    text = (folder / first[0][0]).read_text()
    assert 'status: "accepted"' in text and 'Chosen option: "No"' in text


def test_adr_new_decisions_take_the_next_number(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "adr"
    folder.mkdir()
    (folder / "0007-an-older-record.md").write_text("# Someone else's ADR\n")
    rf = load_review(mini)
    names = [n for n, _ in write_adr(folder, export_data(rf.review, rf.template, TODAY))]
    assert names == ["0008-may-the-data-leave-the-boundary.md", "0009-cost-threshold-per-outcome.md"]


# ------------------------------------------------------------------ CLI


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_export_to_a_file_and_stdout(mini: Path, tmp_path: Path) -> None:
    out = tmp_path / "log.md"
    assert run("export", str(mini), "--format", "md", "-o", str(out), "--today", "2026-11-26").exit_code == 0
    assert out.read_text().startswith("# Decision log: Mini program")
    result = run("export", str(mini), "--format", "csv", "--today", "2026-11-26")
    assert result.stdout.startswith('"Summary","Description"')


def test_cli_export_many_reviews(tmp_path: Path) -> None:
    result = run("export", str(ROOT / "sample_programs"), "--format", "json", "--today", "2026-11-26")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data["reviews"]) == len(sample_paths())
    result = run("export", str(ROOT / "sample_programs"), "--format", "csv", "--today", "2026-11-26")
    assert "[Support reply copilot] Decide:" in result.stdout
    assert run("export", str(ROOT / "sample_programs"), "--format", "md").exit_code == 2


def test_cli_export_of_an_invalid_file_writes_nothing(mini: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[program]\nname = ")
    out = tmp_path / "out.json"
    result = run("export", str(mini), str(bad), "--format", "json", "-o", str(out))
    assert result.exit_code == 2 and f"{bad}: 2:8: invalid TOML" in result.stderr
    assert not out.exists()


def test_cli_export_adr_folder(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "decisions"
    result = run("export", str(mini), "--format", "adr", "-o", str(folder), "--today", "2026-11-26")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"created {folder}/0001-may-the-data-leave-the-boundary.md"


def test_adr_reexport_on_another_day_changes_nothing(mini: Path, tmp_path: Path) -> None:
    rf = load_review(mini)
    write_adr(tmp_path / "adr", export_data(rf.review, rf.template, TODAY))
    later = write_adr(tmp_path / "adr", export_data(rf.review, rf.template, dt.date(2027, 1, 5)))
    assert [s for _, s in later] == ["unchanged", "unchanged"]


def test_two_programs_share_an_adr_folder(mini: Path, tmp_path: Path) -> None:
    rf = load_review(mini)
    folder = tmp_path / "decisions"
    first = write_adr(folder, export_data(rf.review, rf.template, TODAY))
    rf.review.program.name = "Another program"
    second = write_adr(folder, export_data(rf.review, rf.template, TODAY))
    assert [s for _, s in second] == ["created", "created"]
    assert len(list(folder.iterdir())) == len(first) + len(second) == 4


# ------------------------------------------------------------------ numbers in plain notation (issue 22)


def test_charts_and_answers_write_numbers_in_plain_notation(sample_copy) -> None:
    """A slow pipeline and large or tiny answers: 45,710 ms and 0.00001, never 4.571e+04 or 1e-05."""
    path = sample_copy("customer-support-copilot.toml")
    text = path.read_text().replace("p50_ms = 2600, p95_ms = 6000", "p50_ms = 26000, p95_ms = 60000")
    text = text.replace("users = 600", "users = 6000000")
    path.write_text(text)
    rf = load_review(path)
    editing.set_value(rf.review, "cost-tokens-per-user-day", 12345678.5, TODAY)
    editing.set_value(rf.review, "cost-per-outcome-current", 0.00001, TODAY)
    data = export_data(rf.review, rf.template, TODAY)
    scientific = re.compile(r"\d[eE][+-]\d")  # as Python writes it: 4.571e+04, 1e-05
    for fmt in ("md", "html", "csv"):
        exported = render(fmt, data)
        assert not scientific.findall(exported), (fmt, scientific.findall(exported)[:3])
    md = render("md", data)
    chart = md.split("End-to-end latency (ms)", 1)[1].split("```")[1]
    assert re.search(r"p99 █+ \d{2,3},\d{3} ms", chart), chart
    assert "12,345,700" in md and "0.00001 USD" in md.replace("\\.", ".")  # a line start "0." is escaped


def test_text_bars_group_thousands() -> None:
    from workbook.core.calc.describe import text_bars

    lines = text_bars([("p50", 20310.2), ("p95", 45710.0)], marker=40000)
    assert lines[1].endswith(" 45,710") and lines[0].endswith(" 20,310.2") and lines[2].endswith("^ 40,000")


# ------------------------------------------------------------------ summaries that read right (issue 22)


def test_md_and_html_say_not_started_and_that_the_weakest_is_barely_answered(mini: Path) -> None:
    rf = load_review(mini)
    rf.review.answers = {"owner": rf.review.answers["owner"]}  # Data: 1 of 4 answered; Cost: none
    data = export_data(rf.review, rf.template, TODAY)
    md, page = render("md", data), render("html", data)
    # Unknown is not safe: Cost's blank threshold could be high, so the section not started scores 0.
    caveat = "weakest: Cost — only 0 of 3 answered; 1 section not started"
    assert f"readiness 0/100 (the weakest section decides; {caveat}); 1 of 7" in md
    assert "| Cost | not started | 0/3 |" in md and "n/a" not in md
    assert f"the weakest section decides (<bdi>{caveat}</bdi>)" in page
    assert '<td class="num">not started</td>' in page and "n/a" not in page


def test_start_with_reasons_are_never_cut_mid_word(mini: Path) -> None:
    long = "A team nobody on the review can name, reached through a shared mailbox that is read once a week"
    template = mini.parent / "mini-template.toml"
    template.write_text(template.read_text().replace('label = "A team"', f'label = "{long}"'))  # the answer
    rf = load_review(mini)
    data = export_data(rf.review, rf.template, TODAY)
    why = next(p.why for p in data.assessment.start_with if p.question_id == "owner")
    assert why == f"medium risk: {long}"
    for fmt in ("md", "html"):
        assert long in render(fmt, data)
