"""Each question kind as one object: which values fit, the risk a value carries, how it reads, and
what its input shows as a hint. The validation, scoring, display and the editor ask the kind instead
of branching on it.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from workbook.core.models import Answer, Kind, Question, Risk
from workbook.core.text import clean_text

_ORDER = {Risk.HIGH: 2, Risk.MEDIUM: 1, Risk.NONE: 0}


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def format_number(value: float) -> str:
    """A number in plain notation with grouped thousands, six significant digits: 45,710.5 and
    0.00001, never 4.5710e+04 or 1e-05."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    whole, _, fraction = format(Decimal(f"{value:.6g}"), "f").partition(".")
    grouped = f"{int(whole):,}" if whole not in ("-0", "0") else whole
    return f"{grouped}.{fraction}" if fraction else grouped


def plain(value: Any, unit: str = "") -> str:
    """Any stored value as a person reads it, whatever question it answers (orphans keep any type)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_number(value):
        return format_number(value) + (f" {unit}" if unit else "")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


class QuestionKind:
    """The behaviour shared by every kind; each kind overrides what is its own."""

    kind: Kind
    has_choices = False  # answered with choice ids ("choices", "blocker" and rules on choices apply)
    many = False  # several choices at once
    # The template keys that only this kind takes (a lint checks no other kind carries them).
    own_keys: tuple[str, ...] = ()

    def value_problem(self, question: Question, value: Any) -> str | None:
        """Why a value does not fit (a phrase after "it": "must be text"), or None when it does."""
        raise NotImplementedError

    def risk(self, question: Question, answer: Answer) -> Risk:
        """The risk the answered value carries by the template's own marks."""
        return Risk.NONE

    def format(self, question: Question, value: Any) -> str:
        return plain(value, question.unit)

    def placeholder(self, question: Question) -> str:
        """The hint an empty input shows."""
        return question.example

    def chosen(self, value: Any) -> list[str]:
        """The choice ids a value picks (none for kinds without choices)."""
        return []

    def names(self, question: Question) -> list[str]:
        """What an answer is called in rules and carry maps: choice ids, or yes / no."""
        return [c.id for c in question.choices] if self.has_choices else []

    def labels(self, question: Question) -> list[str]:
        """The options a person chooses from, as they read them (none for a free answer)."""
        return [c.label for c in question.choices] if self.has_choices else []

    def from_names(self, ids: list[str]) -> Any:
        """The value that picks these names (the inverse of ``chosen``)."""
        return ids if self.many else ids[0]

    def from_json(self, value: Any) -> Any:
        """A value as JSON holds it, back as this kind stores it."""
        return value


class TextKind(QuestionKind):
    kind = Kind.TEXT

    def value_problem(self, question: Question, value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be text"
        # What is stored is the text without control characters: text of nothing else is no answer.
        return None if value == "" or clean_text(value) else "holds nothing but control characters"


class YesNoKind(QuestionKind):
    kind = Kind.YES_NO
    own_keys = ("risk_if_yes", "risk_if_no")

    def chosen(self, value: Any) -> list[str]:
        return [("yes" if value else "no")] if isinstance(value, bool) else []

    def names(self, question: Question) -> list[str]:
        return ["yes", "no"]

    def labels(self, question: Question) -> list[str]:
        return ["Yes", "No"]

    def from_names(self, ids: list[str]) -> Any:
        return ids[0] == "yes"

    def value_problem(self, question: Question, value: Any) -> str | None:
        return None if isinstance(value, bool) else "must be true or false"

    def risk(self, question: Question, answer: Answer) -> Risk:
        value = answer.value
        if not isinstance(value, bool):
            return Risk.NONE
        if question.assumption and value and answer.resolved_on is not None:
            return Risk.NONE  # relied on, but validated
        return (question.risk_if_yes if value else question.risk_if_no) or Risk.NONE



class DateKind(QuestionKind):
    kind = Kind.DATE

    def value_problem(self, question: Question, value: Any) -> str | None:
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        return None if ok else "must be a date (YYYY-MM-DD)"

    def placeholder(self, question: Question) -> str:
        return question.example or "YYYY-MM-DD"

    def from_json(self, value: Any) -> Any:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value


class NumberKind(QuestionKind):
    kind = Kind.NUMBER
    own_keys = ("thresholds", "unit", "minimum", "maximum", "target_question")

    def value_problem(self, question: Question, value: Any) -> str | None:
        if not is_number(value):
            return "must be a number"
        if question.minimum is not None and value < question.minimum:
            return f"must be at least {format_number(question.minimum)}"
        if question.maximum is not None and value > question.maximum:
            return f"must be at most {format_number(question.maximum)}"
        return None

    def risk(self, question: Question, answer: Answer) -> Risk:
        if question.thresholds is not None and is_number(answer.value):
            return question.thresholds.risk_of(float(answer.value))
        return Risk.NONE

    def placeholder(self, question: Question) -> str:
        """The template's own example, else the range and unit the question accepts (never a made-up
        figure: "e.g. 1200" on a percentage misleads)."""
        if question.example:
            return question.example
        unit = f" {question.unit}" if question.unit else ""
        low, high = question.minimum, question.maximum
        if low is not None and high is not None:
            return f"{format_number(low)}–{format_number(high)}{unit}"
        if low is not None:
            return f"at least {format_number(low)}{unit}"
        if high is not None:
            return f"at most {format_number(high)}{unit}"
        return f"a number{(' in ' + question.unit) if question.unit else ''}"


class SingleKind(QuestionKind):
    kind = Kind.SINGLE
    has_choices = True

    def value_problem(self, question: Question, value: Any) -> str | None:
        ids = [c.id for c in question.choices]
        if not isinstance(value, str) or value not in ids:
            return f"must be one of: {', '.join(ids)}"
        return None

    def chosen(self, value: Any) -> list[str]:
        return [value] if isinstance(value, str) else []

    def risk(self, question: Question, answer: Answer) -> Risk:
        choice = question.choice(answer.value) if isinstance(answer.value, str) else None
        return (choice.risk or Risk.NONE) if choice else Risk.NONE

    def format(self, question: Question, value: Any) -> str:
        if isinstance(value, str):
            choice = question.choice(value)
            return choice.label if choice else value
        return plain(value, question.unit)


class MultiKind(QuestionKind):
    kind = Kind.MULTI
    has_choices = True
    many = True

    def value_problem(self, question: Question, value: Any) -> str | None:
        ids = [c.id for c in question.choices]
        if not isinstance(value, list):
            return f"must be a list of: {', '.join(ids)}"
        unknown = [v for v in value if v not in ids]
        if unknown:
            return f"unknown choice {unknown[0]!r} (choices: {', '.join(ids)})"
        return None

    def chosen(self, value: Any) -> list[str]:
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def risk(self, question: Question, answer: Answer) -> Risk:
        if not isinstance(answer.value, list):
            return Risk.NONE
        risks = [c.risk or Risk.NONE for c in question.choices if c.id in answer.value]
        return max(risks, key=_ORDER.__getitem__, default=Risk.NONE)

    def format(self, question: Question, value: Any) -> str:
        if isinstance(value, list):
            return "; ".join((c.label if (c := question.choice(v)) else v) for v in value)
        return plain(value, question.unit)


KINDS: dict[Kind, QuestionKind] = {k.kind: k for k in (TextKind(), YesNoKind(), DateKind(), NumberKind(),
                                                        SingleKind(), MultiKind())}


def kind_of(question: Question) -> QuestionKind:
    return KINDS[question.kind]
