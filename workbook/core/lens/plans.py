"""Which improvement plans explain a risk on a question imported from a lens (the CSV's and ADR's action).

A choice explains the risk when changing it alone would lower the risk the question's rules give: a
practice not ticked that, ticked, would (the AWS tool's improvement plan lists the best practices
not selected), or a choice ticked that, unticked, would (a lens whose choices are bad practices).
Where no single change lowers it (two practices needed together), every practice not ticked does.
"""

from __future__ import annotations

from workbook.core.kinds import kind_of
from workbook.core.lens.conditions import first_risk
from workbook.core.lens.model import NONE_SUFFIX
from workbook.core.models import Answer, Choice, Question, Risk, Status

_RANK = {None: 3, Risk.HIGH: 2, Risk.MEDIUM: 1, Risk.NONE: 0}


def _ticked(question: Question, answer: Answer) -> set[str]:
    if answer.status is not Status.ANSWERED or answer.value is None:
        return set()
    return set(kind_of(question).chosen(answer.value))


def explaining_plans(question: Question, answer: Answer) -> list[tuple[Choice, str]]:
    """(choice, its improvement plan) for the choices that explain the question's risk, in the
    question's order; [] when its choices carry no improvement plan (a question of the workbook's own)."""
    if not any(c.improvement_plan for c in question.choices):
        return []
    ticked = _ticked(question, answer)
    practices = [c for c in question.choices if not c.id.endswith(NONE_SUFFIX)]
    none = {c.id for c in question.choices if c.id.endswith(NONE_SUFFIX)}

    def risk(choices: set[str]) -> int:
        return _RANK[first_risk(question.rules, question.id, [c.id for c in question.choices if c.id in choices])]

    now = risk(ticked)
    explains = [c for c in practices if c.improvement_plan and (
        (c.id not in ticked and risk((ticked - none) | {c.id}) < now)
        or (c.id in ticked and ticked - {c.id} and risk(ticked - {c.id}) < now))]
    if not explains:
        explains = [c for c in practices if c.id not in ticked and c.improvement_plan]
    return [(c, c.improvement_plan) for c in explains]
