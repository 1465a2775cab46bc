"""Programs written blind (tests/judgement/programs/*.md): each team's answers, and the verdict and first
three priorities a reviewer wrote down before anything was run. This reads them into reviews.

A program file has three parts: a profile, "## 2. Expected verdict and priorities" (the expectation,
never edited after it was written) and "## 3. Answers", one line a question:

    question-id: choice | [a, b] | yes | no | 12.5 | 2026-12-01 | "text" | unknown | n/a "why"
                 | deferred owner="Name" decide_by=2027-01-15     (then optionally  # notes: ...)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook.core.models import Answer, Kind, Review, Status, Template
from workbook.core.models import Program as ProgramInfo
from workbook.core.templates import builtin_dir, load_template

HERE = Path(__file__).resolve().parent / "programs"
TODAY = dt.date(2026, 12, 6)
_LINE = re.compile(r"^([a-z0-9][a-z0-9-]*):\s*(.*?)\s*(?:#\s*notes:\s*(.*))?$")
_QID = re.compile(r"`([a-z0-9][a-z0-9-]+)`")


@dataclass
class BlindProgram:
    slug: str
    title: str
    verdict: str
    priorities: list[str]  # question ids, in order ("" where the reviewer named none of the bank's)
    answers: dict[str, Answer] = field(default_factory=dict)
    addendum: dict[str, Answer] = field(default_factory=dict)


def _value(text: str, kind: Kind) -> Any:
    if kind is Kind.MULTI:
        return [v.strip() for v in text.strip("[]").split(",") if v.strip()]
    if kind is Kind.YES_NO:
        return text.lower() == "yes"
    if kind is Kind.NUMBER:
        number = float(text.replace(",", ""))
        return int(number) if number.is_integer() else number
    if kind is Kind.DATE:
        return dt.date.fromisoformat(text)
    return text.strip('"')


def _answer(text: str, notes: str, kind: Kind) -> Answer:
    notes = (notes or "").strip()
    if text == "unknown":
        return Answer(status=Status.UNKNOWN, notes=notes, opened_on=TODAY)
    if text.startswith("n/a"):
        return Answer(status=Status.NOT_APPLICABLE, reason=text[3:].strip().strip('"') or "n/a", notes=notes)
    if text.startswith("deferred"):
        owner = re.search(r'owner="([^"]*)"', text)
        when = re.search(r"decide_by=(\d{4}-\d{2}-\d{2})", text)
        return Answer(status=Status.DEFERRED, owner=owner.group(1) if owner else None,
                      decide_by=dt.date.fromisoformat(when.group(1)) if when else None, notes=notes,
                      opened_on=TODAY - dt.timedelta(days=30))
    return Answer(value=_value(text, kind), notes=notes)


def _expectation(part: str) -> tuple[str, list[str]]:
    verdict = re.search(r"Expected verdict:\s*\**\s*([a-z ]+?)[.*]", part, re.IGNORECASE)
    assert verdict is not None, "no expected verdict"
    lines = [line for line in part.splitlines() if re.match(r"^\d\.\s", line)]
    ids = [(_QID.search(line).group(1) if _QID.search(line) else "") for line in lines[:3]]  # type: ignore[union-attr]
    return verdict.group(1).strip().lower(), ids


def load(path: Path) -> BlindProgram:
    text = path.read_text(encoding="utf-8")
    title = text.splitlines()[0].lstrip("# ").strip()
    expected = text.split("## 2.", 1)[1].split("## 3.", 1)[0]
    verdict, ids = _expectation(expected)
    program = BlindProgram(path.stem, title, verdict, ids)
    main = load_template(builtin_dir() / "post-demo-review.toml")
    addendum = load_template(builtin_dir() / "agentic-addendum.toml")
    for line in text.split("## 3.", 1)[1].splitlines():
        match = _LINE.match(line.strip())
        if match is None:
            continue
        qid, value, notes = match.groups()
        for template, into in ((main, program.answers), (addendum, program.addendum)):
            question = template.question(qid)
            if question is not None:
                into[qid] = _answer(value, notes or "", question.kind)
    return program


def reviews(program: BlindProgram) -> list[tuple[Review, Template]]:
    """The program's main review, and its agentic addendum when the team answered it."""
    out = []
    for name, answers in (("post-demo-review", program.answers), ("agentic-addendum", program.addendum)):
        if not answers:
            continue
        template = load_template(builtin_dir() / f"{name}.toml")
        review = Review(template=template.id, template_version=template.version,
                        program=ProgramInfo(name=program.title, stage="pilot", review_date=TODAY), answers=answers)
        out.append((review, template))
    return out


def all_programs() -> list[BlindProgram]:
    return [load(p) for p in sorted(HERE.glob("*.md")) if p.name != "README.md"]
