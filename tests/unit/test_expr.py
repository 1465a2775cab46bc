"""The rule language over answers (core/expr.py): what a template author writes, and what it means."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.core.expr import RuleError, holds, parse, problems
from workbook.core.models import Answer, Status
from workbook.core.store import load_review


class Given:
    def __init__(self, **answers: Answer) -> None:
        self.answers = {k.replace("_", "-"): v for k, v in answers.items()}

    def answer(self, qid: str) -> Answer:
        return self.answers.get(qid, Answer())


given = Given(
    sources=Answer(value=["wiki", "email"]),
    owner=Answer(value="team"),
    threshold=Answer(value=4.5),
    good_enough=Answer(value=True),
    launch=Answer(status=Status.NOT_APPLICABLE, reason="none"),
    boundary=Answer(status=Status.DEFERRED),
)


@pytest.mark.parametrize(("rule", "expected"), [
    ("sources:email", True),
    ("sources:tickets", False),
    ("owner:team && !owner:nobody", True),
    ("owner:nobody || sources:wiki", True),
    ("!(owner:team || sources:tickets)", False),
    ("owner:nobody || sources:wiki && sources:tickets", False),  # && binds tighter than ||
    ("(owner:nobody || sources:wiki) && !sources:tickets", True),
    ("threshold > 4 && threshold <= 4.5", True),
    ("threshold == 5", False),
    ("owner < 3", False),  # not a number answer: a comparison is false, never an error
    ("good-enough:yes && !good-enough:no", True),
    ("launch.na && boundary.deferred && notes.blank", True),
    ("owner.answered && !owner.unknown", True),
])
def test_rules_mean_what_they_say(rule: str, expected: bool) -> None:
    assert holds(rule, given) is expected


def test_a_rule_on_a_question_names_its_own_choices_bare_as_well_architected_does() -> None:
    assert holds("wiki && !tickets", given, context="sources") is True
    assert holds("tickets || !email", given, context="sources") is False


@pytest.mark.parametrize(("rule", "message"), [
    ("", "is empty"),
    ("owner:team &&", "ends too early"),
    ("(owner:team", "not closed"),
    ("owner:team owner:nobody", "unexpected"),
    ("owner.maybe", "the state must be one of"),
    ("threshold > many", "needs a number"),
    ("owner:team $ x", "cannot read"),
])
def test_a_rule_that_does_not_parse_says_why(rule: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse(rule)


def test_validate_names_a_missing_question_or_choice_in_one_line(mini: Path) -> None:
    template = load_review(mini).template
    assert problems("owner:team && threshold > 1 && good-enough:yes", template) == []
    assert problems("owner:someone", template) == [
        "rule 'owner:someone' names choice 'someone', which 'owner' does not have"]
    assert problems("nosuch:x", template) == [
        "rule 'nosuch:x' names 'nosuch', which is not a question of this template"]
    assert problems("owner > 3", template) == ["rule 'owner > 3' compares 'owner', which is not a number question"]
    assert problems("good-enough:maybe", template) == ["rule 'good-enough:maybe': 'good-enough' is yes/no, so only :yes or :no"]
    assert problems("team", template) == ["rule 'team': a bare choice 'team' needs a question (qid:choice)"]
    assert problems("team && !nobody", template, template.question("owner")) == []


_STATUSES = [Status.UNANSWERED, Status.UNKNOWN, Status.DEFERRED, Status.NOT_APPLICABLE, Status.ANSWERED]


def test_compiled_rules_mean_what_the_tree_means() -> None:
    """Every rule of the built-in templates, evaluated as compiled (what judging uses), gives what walking
    its tree gives, over answers in every state: three-valued logic, bare choices and comparisons alike."""
    from itertools import product

    from workbook.core.expr import _compiled, _value
    from workbook.core.models import Review
    from workbook.core.templates import builtin_templates

    for _, template in builtin_templates():
        texts = [(r.when, q.id) for _, q in template.questions() for r in q.rules]
        texts += [(q.critical_when, q.id) for _, q in template.questions() if q.critical_when]
        texts += [(q.applies_when, q.id) for _, q in template.questions() if q.applies_when]
        texts += [(c.when, "") for c in template.checks] + [(h.when, "") for h in template.harms]
        assert texts
        for text, context in texts:
            node = parse(text)
            named = sorted(q for q in {*re_questions(text), context} if template.question(q) is not None)
            for states in product(_STATUSES, repeat=min(len(named), 3)):
                answers = {}
                for qid, status in zip(named, states):
                    question = template.question(qid)
                    value = _some_value(question) if status is Status.ANSWERED else None
                    answers[qid] = Answer(status=status, value=value, reason="r" if status is Status.NOT_APPLICABLE
                                          else "")
                review = Review(template=template.id, template_version=template.version,
                                program={"name": "p"}, answers=answers)
                for given_ in (review, Given(**{k.replace("-", "_"): v for k, v in answers.items()})):
                    assert _compiled(text)(given_, context) == _value(node, given_, context), (text, states)


def re_questions(text: str) -> list[str]:
    import re

    return [m.split(":")[0].split(".")[0] for m in re.findall(r"[A-Za-z0-9_][\w@-]*(?:[.:][\w@-]+)?", text)]


def _some_value(question: object) -> object:
    from workbook.core.models import Kind, Question

    assert isinstance(question, Question)
    if question.kind is Kind.YES_NO:
        return True
    if question.kind is Kind.NUMBER:
        return 7
    if question.choices:
        first = question.choices[0].id
        return [first] if question.kind is Kind.MULTI else first
    return "text"
