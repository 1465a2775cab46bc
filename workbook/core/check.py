"""`workbook check`: which open constraints or answers fail a review, for CI and pre-commit.

Each failure says what is wrong and how to fix it, as one line of text or, with `--format github`,
as a GitHub Actions workflow command (`::error file=…,line=…::`) that annotates the review's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbook.core.calc.results import MEASURED_P95_QUESTION
from workbook.core.constraints import Constraint, ConstraintKind
from workbook.core.measure.latest import latest_measurement
from workbook.core.models import Review, Template
from workbook.core.risk import Level
from workbook.core.scoring import Assessment
from workbook.core.text import one_line

# How to fix each failure, with the key that does it in `workbook open` (/ finds a question by id).
FIX = {
    ("overdue", ConstraintKind.DECISION): "answer it, or re-date it with an owner (enter answers, d re-dates)",
    ("overdue", ConstraintKind.ASSUMPTION): "validate it, or re-date it with an owner (v validates, d re-dates)",
    ("overdue", ConstraintKind.UNKNOWN): "find out and answer it, or re-date it with an owner (enter, d)",
    ("unowned", None): "give it an owner (d)",
    ("undated", None): "give it a decide-by date (d)",
    ("high-risk", None): "reduce the risk and change the answer, or defer it to an owner with a date (d)",
    ("unanswered", None): "answer it, or mark it unknown (u) or not applicable with a reason (n)",
    ("over-target", None): "bring the p95 under the target and measure again (workbook measure --write), "
                           "or revisit the target with its owner",
}


@dataclass(frozen=True)
class Failure:
    rule: str
    question_id: str
    detail: str
    fix: str = ""


def _describe(c: Constraint) -> str:
    who = c.owner or "unowned"
    verb = "validate by" if c.kind is ConstraintKind.ASSUMPTION else "decide by"
    when = f"{verb} {c.decide_by.isoformat()}" if c.decide_by else "undated"
    late = f", {-(c.days_left or 0)} days overdue" if c.overdue else ""
    slips = f", slipped {c.slips}x" if c.slips else ""
    return f"{c.kind.value} “{one_line(c.title, 80)}” ({who}, {when}{late}{slips})"


def _fix(rule: str, kind: ConstraintKind | None = None) -> str:
    return FIX.get((rule, kind)) or FIX[(rule, None)]


def failures(review: Review, template: Template, a: Assessment, rules: tuple[str, ...]) -> list[Failure]:
    found: list[Failure] = []
    for c in a.constraints:
        for rule, hit in (("overdue", c.overdue), ("unowned", c.unowned), ("undated", c.undated)):
            if rule in rules and hit:
                found.append(Failure(rule, c.question_id, _describe(c), _fix(rule, c.kind)))
    for s in a.sections:
        for r in s.results:
            if "high-risk" in rules and r.level is Level.HIGH:
                found.append(Failure("high-risk", r.question.id, f"high risk “{one_line(r.question.prompt, 80)}”",
                                     _fix("high-risk")))
            if "unanswered" in rules and r.level is Level.UNANSWERED:
                found.append(Failure("unanswered", r.question.id, f"unanswered “{one_line(r.question.prompt, 80)}”",
                                     _fix("unanswered")))
    if "over-target" in rules:
        latest = latest_measurement(review, template, a.today)
        if latest is not None and latest.over_target:
            found.append(Failure("over-target", MEASURED_P95_QUESTION,
                                 f"latest {latest.line()}", _fix("over-target")))
    return found


def text_line(path: str, f: Failure) -> str:
    """One failure as one line: the file, the rule, the question, what is wrong and how to fix it."""
    return f"{path}: {f.rule}: {f.question_id}: {f.detail} — to fix: {f.fix}"


def question_line(text: str, question_id: str) -> int:
    """The 1-based line of a question's answer in a review file (its table or key), else 1."""
    quoted = re.escape(question_id)
    table = re.compile(rf"^\s*\[\s*answers\s*\.\s*(?:{quoted}|\"{quoted}\"|'{quoted}')\s*\]")
    key = re.compile(rf"^\s*(?:{quoted}|\"{quoted}\"|'{quoted}')\s*=")
    in_answers = False
    for number, line in enumerate(text.splitlines(), 1):
        if table.match(line):
            return number
        stripped = line.strip()
        if stripped.startswith("["):
            in_answers = re.match(r"^\[\s*answers\s*\]", stripped) is not None
        elif in_answers and key.match(line):
            return number
    return 1


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(path: str, line: int, f: Failure) -> str:
    """A GitHub Actions error annotation on the review's line (workflow-command escaping)."""
    title = f"workbook check: {f.rule}: {f.question_id}"
    message = f"{f.detail} — to fix: {f.fix}"
    return (f"::error file={_escape_property(path)},line={line},title={_escape_property(title)}::"
            f"{_escape_data(message)}")


def github_problem(path: str, message: str) -> str:
    """A file that could not be read, as an annotation on the file."""
    return f"::error file={_escape_property(path)},title=workbook check::{_escape_data(message)}"
