"""The metrics cadence edited with the program (SetProgram): one undoable change, merged with the file on
disk as a [program] key, cleared back to the default by None."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import NOW, TODAY
from workbook.core.editing import SetProgram
from workbook.core.session import Applied, Refused, ReviewSession, part_of_unit
from workbook.core.store import load_review


def test_the_cadence_is_set_undone_and_refused_out_of_range(mini: Path) -> None:
    s = ReviewSession(load_review(mini), today=TODAY, clock=lambda: NOW)
    p = s.review.program
    assert isinstance(s.apply(SetProgram(p.name, p.stage, p.owner, p.description, 14)), Applied)
    assert s.review.program.metrics_cadence_days == 14
    outcome = s.apply(SetProgram(p.name, p.stage, p.owner, p.description, 400))
    assert isinstance(outcome, Refused) and outcome.message.startswith("metrics_cadence_days:")
    assert s.review.program.metrics_cadence_days == 14
    assert isinstance(s.undo(), Applied) and s.review.program.metrics_cadence_days is None


def test_the_cadence_is_the_program_part_for_a_disk_merge() -> None:
    assert part_of_unit(("program", "metrics_cadence_days")) == "program"
