"""A lens's risk rules in the template rule language (core/expr.py), and how they are judged.

A WA condition is already that language (``a && !b``, ``||``, parentheses) once its choice ids are
the template's: only the ids change, the operators and their order stay as written. ``default``
becomes ``QID.answered``, which always holds where rules are tried (on an answered question).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from workbook.core.expr import RuleError, evaluate, parse
from workbook.core.models import Answer, Risk, RiskRule, Status

DEFAULT = "default"
_NAME = re.compile(r"[A-Za-z0-9_]+")
_OPERATORS = re.compile(r"\s+|&&|\|\||[!()]")
TO_RISK = {"HIGH_RISK": Risk.HIGH, "MEDIUM_RISK": Risk.MEDIUM, "NO_RISK": Risk.NONE}
TO_WA = {risk: name for name, risk in TO_RISK.items()}


def default_rule(question_id: str) -> str:
    return f"{question_id}.answered"


def to_template(condition: str, names: dict[str, str], question_id: str) -> str:
    """The condition with each choice id replaced by the template's; RuleError says what is wrong."""
    text = condition.strip()
    if text == DEFAULT:
        return default_rule(question_id)
    if _OPERATORS.sub("", _NAME.sub("", text)):
        raise RuleError(f"{text!r} holds something other than choice ids, &&, ||, ! and parentheses")

    def rename(match: re.Match[str]) -> str:
        name = match.group(0)
        if name not in names:
            raise RuleError(f"names {name!r}, which is not a choice of this question")
        return names[name]

    out = _NAME.sub(rename, text)
    parse(out)  # an operator out of place (``a && || b``) is refused here, not when judged
    return out


class _Ticked:
    """One question answered with these choices, and nothing else answered (rules see only it)."""

    def __init__(self, question_id: str, ticked: Iterable[str]) -> None:
        value = list(ticked)
        self.question_id = question_id
        self.only = Answer(status=Status.ANSWERED, value=value) if value else Answer()

    def answer(self, question_id: str) -> Answer:
        return self.only if question_id == self.question_id else Answer()


def first_risk(rules: Sequence[RiskRule], question_id: str, ticked: Iterable[str]) -> Risk | None:
    """The risk of the first rule that holds of these ticked choices (None: none holds)."""
    answers = _Ticked(question_id, ticked)
    return next((r.risk for r in rules if evaluate(r.when, answers, question_id) is True), None)
