"""When the review file changed on disk since it was loaded: merge this workbook's edits with it.

Three-way, keyed by question (core.threeway): edits to different questions merge silently; only the
same question changed on both sides asks, showing both values. Nothing either side did not change is
lost: "keep mine" keeps mine for that question only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook.core.answer_values import check_review
from workbook.core.display import answer_summary
from workbook.core.errors import ConflictError, FileError, Problem, SaveError
from workbook.core.models import Answer, Template
from workbook.core.serialize import review_dict
from workbook.core.store import ReviewFile, digest, load_review_bytes, read_current, review_from_data, save_review
from workbook.core.text import one_line
from workbook.core.threeway import Conflict, Merge3, Side, Unit, merge3


@dataclass
class DiskMerge:
    """This workbook's review merged with the file on disk, and what is left to decide."""

    merge: Merge3
    theirs_data: bytes

    @property
    def conflicts(self) -> list[Conflict]:
        return self.merge.conflicts

    @property
    def from_theirs(self) -> list[Unit]:
        return self.merge.from_theirs


def _normal(data: bytes | None, path: Path, template: Template) -> dict[str, Any]:
    """A file's bytes in the same normal form mine is in (renames applied, keys in template order)."""
    if data is None:
        return {}
    rf = load_review_bytes(path.name, data, path.parent, template)
    return review_dict(rf.review, template)


def merge_with_disk(rf: ReviewFile) -> DiskMerge:
    """Merge mine with what is on disk now; raises FileError when the file on disk cannot be read."""
    try:
        theirs_data = read_current(rf.path)  # never blocks on a pipe put in its place
    except SaveError as exc:
        raise FileError.at(rf.path, "", f"cannot read the changed file: {exc.problems[0].message}") from None
    if theirs_data is None:
        raise FileError.at(rf.path, "", "cannot read the changed file: it is gone")
    base = _normal(rf.base_data, rf.path, rf.template)
    theirs = _normal(theirs_data, rf.path, rf.template)
    mine = review_dict(rf.review, rf.template)
    return DiskMerge(merge3(base, mine, theirs), theirs_data)


def save_merged(rf: ReviewFile, dm: DiskMerge, choices: dict[Unit, Side] | None = None) -> ReviewFile:
    """Write the merged review over the file on disk (only if it still holds what was merged).

    Raises ConflictError if the file changed yet again (merge again), FileError if the merge is not a
    valid review (it cannot be, when both sides were; checked all the same before anything is written).
    """
    merged = dm.merge.resolved(choices or {})
    review = review_from_data(merged, rf.path)
    problems = check_review(review, rf.template, str(rf.path))
    if problems:
        raise FileError(problems)
    new = ReviewFile(rf.path, review, rf.template, digest(dm.theirs_data), rf.notices, dm.theirs_data, link=rf.link)
    save_review(new)
    return new


def describe_unit(unit: Unit, template: Template) -> str:
    """What a unit is, for a person: the question's prompt, or the part of the review."""
    if unit[0] == "answers":
        question = template.question(unit[1])
        return one_line(question.prompt, 70) if question else unit[1]
    if unit[0] == "program":
        return f"program {unit[1]}"
    return unit[0].replace("_", " ")


def describe_value(unit: Unit, value: Any, template: Template) -> str:
    """One side's value of a conflicting unit, as the summary cards show it."""
    if value is None:
        return "(nothing)"
    if unit[0] == "answers" and isinstance(value, dict):
        question = template.question(unit[1])
        try:
            answer = Answer.model_validate(value)
        except ValueError:
            return one_line(str(value), 120)
        if question is not None:
            shown = answer_summary(question, answer) or answer.status.value.replace("_", " ")
            return one_line(f"{shown}{' · notes: ' + answer.notes if answer.notes else ''}", 160)
    if isinstance(value, list):  # the parking lot, the participants: each item by its name
        names = [str(i.get("topic") or i.get("name") or i) if isinstance(i, dict) else str(i) for i in value]
        return one_line("; ".join(names), 160)
    if unit == ("workshop",) and isinstance(value, dict) and isinstance(value.get("log"), list):
        return f"{len(value['log'])} time entries"
    return one_line(str(value), 160)


@dataclass
class Saved:
    """The outcome of save_merging: the file now on disk, and what was merged from the other side."""

    file: ReviewFile
    merged: list[Unit]


def save_merging(rf: ReviewFile, attempts: int = 5) -> Saved | DiskMerge:
    """Save; when the file changed on disk, merge and save the merge if no question conflicts.

    Returns Saved, or the DiskMerge whose conflicts the user must decide (then call save_merged).
    """
    for _ in range(attempts):
        try:
            save_review(rf)
            return Saved(rf, [])
        except ConflictError:
            dm = merge_with_disk(rf)
            if dm.conflicts:
                return dm
            try:
                return Saved(save_merged(rf, dm), dm.from_theirs)
            except ConflictError:
                continue  # changed yet again while merging: merge with the newer file
    raise ConflictError([Problem(str(rf.path), "", "the file keeps changing on disk; not saved, your edits are kept")])
