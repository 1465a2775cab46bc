"""Action items and open constraints as CSV for issue trackers (Jira, Linear, GitHub importers).

Cells follow OWASP's CSV-injection guidance: a cell that starts with = + - @ tab or carriage
return (or their full-width forms) is prefixed with a single quote so no spreadsheet evaluates it,
unless it is a plain number such as -1.3. Every cell is quoted (RFC 4180).
"""

from __future__ import annotations

import csv
import io
import re

from workbook.core.display import answer_summary
from workbook.core.exports.common import ExportData, iso
from workbook.core.risk import Level
from workbook.core.text import clean_text

HEADER = ["Summary", "Description", "Assignee", "Due Date", "Labels", "Priority", "Issue Type"]
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas while keeping plain numbers readable."""
    if value.startswith(_DANGEROUS) and not _NUMBER.match(value):
        return "'" + value
    return value


def _label(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


def csv_rows(data: ExportData) -> list[list[str]]:
    review, template, a = data.review, data.template, data.assessment
    program = review.program.name
    rows: list[list[str]] = []
    for c in a.constraints:
        verb = {"decision": "Decide", "assumption": "Validate", "unknown": "Find out"}[c.kind.value]
        description = [f"Program: {program}", f"Section: {c.section_title}", f"Question: {c.title}"]
        if c.breaks_if_open:
            description.append(f"Breaks if it stays open: {c.breaks_if_open}")
        if c.opened_on:
            age = f" ({c.age_days} days)" if c.age_days is not None else ""
            description.append(f"Open since {c.opened_on.isoformat()}{age}")
        if c.slips:
            description.append(f"The date has slipped {c.slips} time(s).")
        notes = review.answer(c.question_id).notes
        if notes:
            description.append(f"Notes: {notes}")
        labels = ["workbook", c.kind.value, _label(c.section_id)]
        labels += [flag for flag, on in (("overdue", c.overdue), ("unowned", c.unowned), ("undated", c.undated)) if on]
        priority = ("Highest" if c.overdue
                    else "High" if c.high_risk_area or c.days_left is not None and c.days_left <= 7 else "Medium")
        rows.append([f"{verb}: {c.title}", "\n".join(description), c.owner or "", iso(c.decide_by),
                     " ".join(labels), priority, "Task"])
    for item in review.parking_lot:
        if item.closed_on:
            continue
        description = [f"Program: {program}", f"Raised in the review on {iso(item.raised_on) or 'an unknown date'}."]
        if item.section and (section := template.section(item.section)):
            description.append(f"Section: {section.title}")
        rows.append([f"Follow up: {item.topic}", "\n".join(description), item.owner or "", "",
                     "workbook parking-lot" + ("" if item.owner else " unowned"), "Medium", "Task"])
    for qid, answer in review.answers.items():
        if answer.disagreement:
            question = template.question(qid)
            views = "\n".join(f"{who}: {answer_summary(question, a)}" for who, a in answer.responses.items())
            rows.append([f"Settle disagreement: {question.prompt if question else qid}",
                         f"Program: {program}\nRespondents answered differently:\n{views}", "", "",
                         "workbook disagreement", "High", "Task"])
    for r in a.risks:
        answer = review.answer(r.question.id)
        description = [f"Program: {program}", f"Section: {data.section_title(r.section_id)}",
                       f"Question: {r.question.prompt}", f"Answer: {answer_summary(r.question, answer)}"]
        if answer.notes:
            description.append(f"Notes: {answer.notes}")
        priority = "High" if r.level is Level.HIGH else "Medium"
        rows.append([f"Mitigate {r.level.value} risk: {r.question.prompt}", "\n".join(description), "", "",
                     f"workbook risk {r.level.value}-risk {_label(r.section_id)}", priority, "Task"])
    return rows


def write_csv(rows: list[list[str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(clean_text(cell)) for cell in row])
    return out.getvalue()


def render_csv(data: ExportData) -> str:
    return write_csv(csv_rows(data))


def render_portfolio_csv(items: list[ExportData]) -> str:
    """Many reviews in one file: the program name is in every Summary and label."""
    rows = []
    for data in items:
        for row in csv_rows(data):
            row = list(row)
            row[0] = f"[{data.review.program.name}] {row[0]}"
            row[4] = f"{row[4]} program-{_label(data.review.program.name)}"
            rows.append(row)
    return write_csv(rows)
