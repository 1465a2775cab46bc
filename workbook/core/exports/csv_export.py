"""Action items and open constraints as CSV for issue trackers (Jira, Linear, GitHub importers).

Columns: Summary, Description, Assignee, Due Date, Priority, Issue Type, External ID, then one
`Labels` column per label, repeated under the same name, as Jira's CSV importer reads several labels.
External ID is stable across exports (program + question + what to do), so a re-import can be
matched to what the last one created instead of duplicating it. The Assignee is the owner the
review names: a constraint's or parking-lot item's owner, and for a risk the question's own owner
(who it was deferred to or decided by) or else its section's (the person the review names most often
on that section's decisions); a participant's email when the review has one, else the name.

Cells follow OWASP's CSV-injection guidance: a cell that starts with = + - @ tab or carriage
return (or their full-width forms) is prefixed with a single quote so no spreadsheet evaluates it,
unless it is a plain number such as -1.3. Every cell is quoted (RFC 4180). `export --excel` starts
the file with BOM, a UTF-8 byte order mark, without which Excel reads UTF-8 as its legacy code page.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from workbook.core.display import answer_summary
from workbook.core.exports.adr import slugify
from workbook.core.exports.common import ExportData, iso, same_person
from workbook.core.lens.plans import explaining_plans
from workbook.core.models import Review, Template
from workbook.core.risk import Level
from workbook.core.text import clean_text

COLUMNS = ["Summary", "Description", "Assignee", "Due Date", "Priority", "Issue Type", "External ID"]
HEADER = [*COLUMNS, "Labels"]  # at least one Labels column; as many as the row with most labels needs
BOM = "\ufeff"
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas while keeping plain numbers readable."""
    if value.startswith(_DANGEROUS) and not _NUMBER.match(value):
        return "'" + value
    return value


def _label(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


@dataclass
class Row:
    summary: str
    description: list[str]
    assignee: str
    due: str
    priority: str
    external_id: str
    labels: list[str] = field(default_factory=list)
    issue_type: str = "Task"

    def cells(self, width: int) -> list[str]:
        labels = self.labels + [""] * (width - len(self.labels))
        return [self.summary, "\n".join(self.description), self.assignee, self.due, self.priority,
                self.issue_type, self.external_id, *labels]


def assignee(review: Review, owner: str | None) -> str:
    """The tracker's Assignee for an owner: the participant's email when the review has one."""
    if not owner:
        return ""
    for p in review.program.participants:
        if p.email and same_person(owner, p.name):
            return p.email
    return owner


def section_owners(review: Review, template: Template) -> dict[str, str]:
    """Per section, the person the review names most often on its questions (owner or decided by)."""
    owners: dict[str, str] = {}
    for section in template.sections:
        counts: Counter[str] = Counter()
        for q in section.questions:
            a = review.answers.get(q.id)
            if a is not None:
                for who in dict.fromkeys(w for w in (a.owner, a.resolved_by) if w):
                    counts[who] += 1
        if counts:
            top = max(counts.values())
            owners[section.id] = next(who for who in counts if counts[who] == top)  # first named wins a tie
    return owners


def tracker_rows(data: ExportData) -> list[Row]:
    review, template, a = data.review, data.template, data.assessment
    program = review.program.name
    key = _label(program) or "program"
    rows: list[Row] = []
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
        rows.append(Row(f"{verb}: {c.title}", description, assignee(review, c.owner), iso(c.decide_by), priority,
                        f"{key}:{c.question_id}:{_label(verb)}", labels))
    for item in review.parking_lot:
        if item.closed_on:
            continue
        description = [f"Program: {program}", f"Raised in the review on {iso(item.raised_on) or 'an unknown date'}."]
        if item.section and (section := template.section(item.section)):
            description.append(f"Section: {section.title}")
        labels = ["workbook", "parking-lot"] + ([] if item.owner else ["unowned"])
        rows.append(Row(f"Follow up: {item.topic}", description, assignee(review, item.owner), "", "Medium",
                        f"{key}:parking-lot:{slugify(item.topic, 60)}", labels))
    for qid, answer in review.answers.items():
        if answer.disagreement:
            question = template.question(qid)
            views = "\n".join(f"{who}: {answer_summary(question, a)}" for who, a in answer.responses.items())
            rows.append(Row(f"Settle disagreement: {question.prompt if question else qid}",
                            [f"Program: {program}", "Respondents answered differently:", views], "", "", "High",
                            f"{key}:{qid}:settle", ["workbook", "disagreement"]))
    by_section = section_owners(review, template)
    for r in a.risks:
        answer = review.answer(r.question.id)
        description = [f"Program: {program}", f"Section: {data.section_title(r.section_id)}",
                       f"Question: {r.question.prompt}", f"Answer: {answer_summary(r.question, answer)}"]
        if answer.notes:
            description.append(f"Notes: {answer.notes}")
        plans = explaining_plans(r.question, answer)
        if plans:  # an imported lens's question: its improvement plans are the action
            description.append("Action, the lens's improvement plan:")
            description += [f"- {c.label}: {plan}" for c, plan in plans]
        owner = answer.owner or answer.resolved_by
        if owner:
            description.append(f"Owner: {owner}, the question's owner in the review.")
        elif owner := by_section.get(r.section_id):
            description.append(f"Owner: {owner}, who owns most of this section's decisions in the review.")
        labels = ["workbook", "risk", f"{r.level.value}-risk", _label(r.section_id)] + ([] if owner else ["unowned"])
        rows.append(Row(f"Mitigate {r.level.value} risk: {r.question.prompt}", description, assignee(review, owner),
                        "", "High" if r.level is Level.HIGH else "Medium", f"{key}:{r.question.id}:risk", labels))
    _unique_ids(rows)
    return rows


def _unique_ids(rows: list[Row]) -> None:
    seen: Counter[str] = Counter()
    for row in rows:
        seen[row.external_id] += 1
        if seen[row.external_id] > 1:  # two rows from one question (an answer's risk and a calculator's)
            row.external_id = f"{row.external_id}-{seen[row.external_id]}"


def write_csv(rows: list[list[str]], header: list[str]) -> str:
    """Cells made safe, every one quoted, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(clean_text(cell)) for cell in row])
    return out.getvalue()


def write_tracker_csv(rows: list[Row]) -> str:
    width = max([1, *(len(r.labels) for r in rows)])
    return write_csv([row.cells(width) for row in rows], COLUMNS + ["Labels"] * width)


def render_csv(data: ExportData) -> str:
    return write_tracker_csv(tracker_rows(data))


def render_portfolio_csv(items: list[ExportData]) -> str:
    """Many reviews in one file: the program name is in every Summary, and a label."""
    rows = []
    for data in items:
        for row in tracker_rows(data):
            row.summary = f"[{data.review.program.name}] {row.summary}"
            row.labels.append(f"program-{_label(data.review.program.name)}")
            rows.append(row)
    return write_tracker_csv(rows)


# `export --format csv --measurements`: what `workbook measure --write` recorded, one row per figure (a long
# table, as pandas and a spreadsheet's pivot read it), kept apart from the tracker rows: a tracker would
# import every figure as an issue.
MEASUREMENT_COLUMNS = ["Program", "Recorded On", "Window Start", "Window End", "Requests", "Success", "Latest",
                       "Figure", "Unit", "Value", "N", "Flags"]


def measurement_rows(data: ExportData) -> list[list[str]]:
    """Every recorded measurement's figures; the latest's rows are flagged as the card and check flag them
    (over target on the end-to-end p95, over threshold on the cost per outcome, stale on each)."""
    calc = data.assessment.calc
    latest = calc.measurement if calc else None
    rows = []
    for rec in data.review.measurements:
        is_latest = latest is not None and rec is latest.measurement
        for f in rec.figures:
            flags = []
            if is_latest and latest is not None:
                if f.id == "e2e-p95" and latest.over_target:
                    flags.append("over target")
                if f.id == "cost-per-outcome" and calc is not None and calc.cost is not None:
                    from workbook.core.measure.latest_cost import over_threshold

                    flags += ["over threshold"] if over_threshold(latest, calc.cost) else []
                flags += ["stale"] if latest.stale else []
            rows.append([data.review.program.name, rec.recorded_on.isoformat(), rec.window_start.isoformat(),
                         rec.window_end.isoformat(), str(rec.requests), rec.success, str(is_latest).lower(),
                         f.id, f.unit, repr(f.value), str(f.n), "; ".join(flags)])
    return rows


def render_measurements_csv(items: list[ExportData]) -> str:
    """The measurements of one review or many (the Program column tells them apart); the header alone
    when none has any."""
    return write_csv([row for data in items for row in measurement_rows(data)], MEASUREMENT_COLUMNS)
