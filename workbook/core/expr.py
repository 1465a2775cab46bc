"""Rules over answers, as template data: one small expression language, parsed and evaluated here.

    data-classes:health && !redaction:automatic      a choice picked, and another not
    (actions:pay || actions:delete) && approval.blank  answer states: blank, unknown, deferred, na, answered
    correction-rate < 5 && reviewer-load:heavy       number comparisons: < <= > >= == !=
    pick_a && !pick_b                                a rule on one question may name its own choices bare
                                                     (as AWS Well-Architected risk rules do)

``qid:choice`` is true when the question is answered with that choice (one of the chosen, for a
multiple choice; ``qid:yes`` / ``qid:no`` for a yes/no question). ``qid.state`` tests how the question
stands. A comparison is false unless the question is answered with a number. ``&&`` binds tighter
than ``||``; ``!`` negates; parentheses group.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from workbook.core.models import Answer, Kind, Question, Review, Status, Template

STATES = {"blank", "unknown", "deferred", "na", "answered"}
_TOKEN = re.compile(r"\s*(?:(&&|\|\||!=|==|<=|>=|[!()<>])|(-?\d+(?:\.\d+)?)(?![\w.:@-])|([A-Za-z0-9_][\w@-]*"
                    r"(?:[.:][\w@-]+)?))")


class RuleError(ValueError):
    """A rule that does not parse, or names a question or choice the template does not have."""


class Answers(Protocol):
    def answer(self, question_id: str) -> Answer: ...


@dataclass(frozen=True)
class Ref:
    """``qid:choice``, ``qid.state`` or a bare choice of the question in context (``question`` empty)."""

    question: str
    choice: str = ""
    state: str = ""


@dataclass(frozen=True)
class Compare:
    """``qid < number`` (or <=, >, >=, ==, !=) on a number question."""

    question: str
    op: str
    number: float


@dataclass(frozen=True)
class Not:
    """``!operand``."""

    operand: Node


@dataclass(frozen=True)
class Both:
    """``left && right``."""

    left: Node
    right: Node


@dataclass(frozen=True)
class Either:
    """``left || right``."""

    left: Node
    right: Node


Node = Ref | Compare | Not | Both | Either


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise RuleError(f"cannot read {text[pos:].strip()[:20]!r} at character {pos + 1}")
        out.append(next(g for g in match.groups() if g is not None))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise RuleError("ends too early")
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise RuleError("is empty")
        node = self.either()
        if self.peek() is not None:
            raise RuleError(f"unexpected {self.peek()!r}")
        return node

    def either(self) -> Node:
        node = self.both()
        while self.peek() == "||":
            self.take()
            node = Either(node, self.both())
        return node

    def both(self) -> Node:
        node = self.negation()
        while self.peek() == "&&":
            self.take()
            node = Both(node, self.negation())
        return node

    def negation(self) -> Node:
        if self.peek() == "!":
            self.take()
            return Not(self.negation())
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token == "(":
            node = self.either()
            if self.peek() is None or self.take() != ")":
                raise RuleError("a parenthesis is not closed")
            return node
        if not re.match(r"[A-Za-z0-9_]", token):
            raise RuleError(f"unexpected {token!r}")
        if self.peek() in ("<", "<=", ">", ">=", "==", "!="):
            op = self.take()
            number = self.take()
            try:
                return Compare(token, op, float(number))
            except ValueError:
                raise RuleError(f"{token} {op} needs a number, not {number!r}") from None
        if ":" in token:
            question, choice = token.split(":", 1)
            return Ref(question, choice=choice)
        if "." in token:
            question, state = token.split(".", 1)
            if state not in STATES:
                raise RuleError(f"{token!r}: the state must be one of {', '.join(sorted(STATES))}")
            return Ref(question, state=state)
        return Ref("", choice=token)


@lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """The rule as a tree (cached: templates repeat their rules across every evaluation)."""
    return _Parser(text).parse()


def _refs(node: Node) -> list[Ref | Compare]:
    if isinstance(node, (Ref, Compare)):
        return [node]
    if isinstance(node, Not):
        return _refs(node.operand)
    return _refs(node.left) + _refs(node.right)


def problems(text: str, template: Template, context: Question | None = None) -> list[str]:
    """Why a rule cannot be used with this template (empty when it can), one sentence each."""
    try:
        node = parse(text)
    except RuleError as exc:
        return [f"rule {text!r} {exc}"]
    found = []
    for ref in _refs(node):
        question = template.question(ref.question) if ref.question else context
        if question is None:
            where = ref.question or (ref.choice if isinstance(ref, Ref) else "")
            found.append(f"rule {text!r} names {where!r}, which is not a question of this template"
                         if ref.question else f"rule {text!r}: a bare choice {where!r} needs a question (qid:choice)")
            continue
        if isinstance(ref, Compare):
            if question.kind is not Kind.NUMBER:
                found.append(f"rule {text!r} compares {question.id!r}, which is not a number question")
        elif ref.choice and question.kind is Kind.YES_NO:
            if ref.choice not in ("yes", "no"):
                found.append(f"rule {text!r}: {question.id!r} is yes/no, so only :yes or :no")
        elif ref.choice and question.choice(ref.choice) is None:
            found.append(f"rule {text!r} names choice {ref.choice!r}, which {question.id!r} does not have")
    return found


def _picked(question_id: str, answer: Answer, choice: str) -> bool:
    if answer.status is not Status.ANSWERED:
        return False
    value = answer.value
    if isinstance(value, bool):
        return choice == ("yes" if value else "no")
    if isinstance(value, list):
        return choice in value
    return isinstance(value, str) and value == choice


def _state(answer: Answer, state: str) -> bool:
    status = answer.status
    if state == "blank":
        return status is Status.UNANSWERED
    if state == "unknown":
        return status is Status.UNKNOWN
    if state == "deferred":
        return status is Status.DEFERRED
    if state == "na":
        return status is Status.NOT_APPLICABLE
    return status is Status.ANSWERED


def _compare(value: float, op: str, number: float) -> bool:
    return {"<": value < number, "<=": value <= number, ">": value > number, ">=": value >= number,
            "==": value == number, "!=": value != number}[op]


def holds(text: str, answers: Answers, context: str = "") -> bool:
    """Whether the rule is true of these answers; ``context`` is the question bare choices belong to.
    A choice or number of a question not answered (blank or unknown) is not there: false."""
    return evaluate(text, answers, context) is True


def may_hold(text: str, answers: Answers, context: str = "") -> bool:
    """Whether the rule is true, or could be once the blank or unknown questions it names are answered
    (unknown is not safe: a rule that raises a risk is assumed until the answers say otherwise)."""
    return evaluate(text, answers, context) is not False


def evaluate(text: str, answers: Answers, context: str = "") -> bool | None:
    """True, false, or None when it depends on a question not answered yet (three-valued logic)."""
    return _compiled(text)(answers, context)


Evaluator = Callable[[Answers, str], "bool | None"]


@lru_cache(maxsize=4096)
def _compiled(text: str) -> Evaluator:
    """The rule as nested functions, built once: a gate evaluates each rule thousands of times, and walking
    the tree (a type test per node) took most of that. The same logic as `_value`, which stays the reference."""
    return _compile(parse(text))


def _compile(node: Node) -> Evaluator:
    if isinstance(node, (Either, Both)):
        left, right = _compile(node.left), _compile(node.right)
        # Either: True wins, then None; Both: False wins, then None (both sides have no effects: stop early).
        wins = isinstance(node, Either)

        def join(answers: Answers, context: str) -> bool | None:
            first = left(answers, context)
            if first is wins:
                return wins
            second = right(answers, context)
            if second is wins:
                return wins
            return None if first is None or second is None else not wins
        return join
    if isinstance(node, Not):
        inner = _compile(node.operand)

        def negate(answers: Answers, context: str) -> bool | None:
            value = inner(answers, context)
            return None if value is None else not value
        return negate
    return _leaf(node)


def _leaf(node: Ref | Compare) -> Evaluator:
    question = node.question
    if isinstance(node, Ref) and node.state:
        state = node.state
        return lambda answers, context: _state(_answer(answers, question or context), state)

    def leaf(answers: Answers, context: str) -> bool | None:
        answer = _answer(answers, question or context)
        if answer.status in (Status.UNANSWERED, Status.UNKNOWN):
            return None  # not known yet
        if isinstance(node, Compare):
            value = answer.value
            if answer.status is not Status.ANSWERED or isinstance(value, bool) or not isinstance(value, (int, float)):
                return False
            return _compare(float(value), node.op, node.number)
        return _picked(question or context, answer, node.choice)
    return leaf


# What a question nobody answered looks like to a rule. Read only, never handed out: a review's own
# `answer()` builds (and validates) a fresh placeholder at each call, a third of judging a review.
BLANK = Answer()


def _answer(answers: Answers, qid: str) -> Answer:
    if type(answers) is Review:
        return answers.answers.get(qid) or BLANK
    return answers.answer(qid)


def _value(node: Node, answers: Answers, context: str) -> bool | None:
    if isinstance(node, Either):
        left, right = _value(node.left, answers, context), _value(node.right, answers, context)
        return True if True in (left, right) else None if None in (left, right) else False
    if isinstance(node, Both):
        left, right = _value(node.left, answers, context), _value(node.right, answers, context)
        return False if False in (left, right) else None if None in (left, right) else True
    if isinstance(node, Not):
        inner = _value(node.operand, answers, context)
        return None if inner is None else not inner
    if isinstance(node, Ref) and node.state:
        return _state(_answer(answers, node.question or context), node.state)
    qid = node.question or context
    answer = _answer(answers, qid)
    if answer.status in (Status.UNANSWERED, Status.UNKNOWN):
        return None  # not known yet
    if isinstance(node, Compare):
        value = answer.value
        if answer.status is not Status.ANSWERED or isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        return _compare(float(value), node.op, node.number)
    return _picked(qid, answer, node.choice)
