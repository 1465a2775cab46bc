"""A new review started from an earlier one (`workbook new full.toml --from quick.toml`).

The quick self-check and the full review share question ids wherever they ask the same question, so
a quick check's answers are a head start on the full review. Every answer whose question exists in
the new template (directly or under a renamed id) and whose value still fits it is carried whole:
status, value, notes, owner and dates. The rest is left behind with the reason, for one line of
report. The program (name, owner, stage, description, participants), the respondent, the parking
lot and the inputs of calculators the new template also has come along too.

A question the new template asks in another form (the quick check's yes/no "can personal data reach
the model?" is the full review's list of data classes) takes the answer through the map its template
gives (`carried_from`), saying so in its notes; the report line names each one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workbook.core.kinds import kind_of
from workbook.core.models import (
    SCHEMA_VERSION,
    Answer,
    Calculators,
    CarriedFrom,
    Question,
    Review,
    Status,
    Template,
)
from workbook.core.policy import value_problem


@dataclass(frozen=True)
class Carried:
    review: Review
    carried: list[str]  # question ids in the new review
    left: list[tuple[str, str]]  # (question id in the old review, why it was not carried)
    calculators: list[str]  # "cost", "latency": calculators whose inputs came along
    mapped: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id): carried in another form

    def line(self, source: str) -> str:
        """One line saying what was carried and what was not, and why."""
        n = len(self.carried)
        what = f"{n} answer{'' if n == 1 else 's'}"
        if self.mapped:
            pairs = ", ".join(f"{old} → {new}" for old, new in self.mapped)
            what += f" ({len(self.mapped)} in another form: {pairs})"
        if self.calculators:
            names = " and ".join(self.calculators)
            what += f" and the {names} calculator" + ("'s" if len(self.calculators) == 1 else "s'") + " inputs"
        if not self.left:
            return f"carried {what} from {source}; nothing left behind"
        why = ", ".join(f"{qid} ({reason})" for qid, reason in self.left)
        return f"carried {what} from {source}; {len(self.left)} not carried: {why}"


def _misfit(question: Question, answer: Answer) -> str | None:
    """Why an answer cannot be carried into this question, or None when it fits."""
    if answer.status is Status.DEFERRED and not question.decision:
        return "deferred, but not a decision here"
    values = [answer.value] if answer.has_value else []
    values += [r.value for r in answer.responses.values() if r.has_value]
    for value in values:
        why = value_problem(question, value)
        if why is None:
            continue
        kind = kind_of(question)
        names = kind.names(question)
        gone = [v for v in kind.chosen(value) if v not in names] if kind.has_choices else []
        return f"the choice {gone[0]!r} no longer exists" if gone else why
    return None


def _source_key(value: object) -> list[str]:
    """A source answer's value as a carry map names it: yes / no, a choice id, or each chosen id."""
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _in_another_form(question: Question, carried: CarriedFrom, answer: Answer) -> Answer | str:
    """The answer as this question takes it, through the template's map; or why it cannot be."""
    source = f"{carried.template}'s {carried.question}"
    if answer.status is Status.UNKNOWN:  # not knowing the one is not knowing the other
        kept = answer.model_copy(deep=True, update={"responses": {}})
        kept.notes = (kept.notes + "\n" if kept.notes else "") + f"Carried from {source} (unknown there)."
        return kept
    if answer.status is not Status.ANSWERED:
        return f"{answer.status.value.replace('_', ' ')} cannot be carried into {question.id}"
    keys = _source_key(answer.value)
    ids = [i for k in keys for i in (carried.target_of(k) or ())]
    if not ids:
        return f"{'/'.join(keys)!r} has no counterpart in {question.id}"
    kind = kind_of(question)
    chosen = [v for v in kind.names(question) if v in ids]
    if not kind.many and len(chosen) > 1:
        return f"{'/'.join(keys)!r} maps to more than one choice of {question.id}"
    value = kind.from_names(chosen)
    note = f"Carried from {source} (answered {', '.join(keys)} there); check it asks the same."
    data = answer.model_dump(exclude={"value", "responses", "status"})
    data.update(status=Status.ANSWERED, value=value, notes=(answer.notes + "\n" if answer.notes else "") + note)
    return Answer.model_validate(data)


def carry_review(source: Review, template: Template, today: dt.date, *, program_name: str | None = None,
                 template_file: str | None = None) -> Carried:
    """A new review of `template` holding what of `source` fits it. `program_name` replaces the name."""
    renamed = {old: q.id for _, q in template.questions() for old in q.renamed_from}
    # Questions asked here in another form, by the source question they take their answer from.
    forms: dict[str, list[tuple[Question, CarriedFrom]]] = {}
    for _, q in template.questions():
        for carried in q.carried_from:
            if carried.template == source.template:
                forms.setdefault(carried.question, []).append((q, carried))
    answers: dict[str, Answer] = {}
    left: list[tuple[str, str]] = []
    for qid, answer in source.answers.items():
        if answer.is_empty:
            continue
        new_id = qid if template.question(qid) is not None else renamed.get(qid)
        question = template.question(new_id) if new_id else None
        if (new_id is None or question is None) and qid in forms:
            continue  # taken below, in its other form
        if new_id is None or question is None:
            left.append((qid, "no such question"))
        elif new_id in answers or (new_id != qid and new_id in source.answers):
            left.append((qid, f"{new_id} is answered already"))
        elif why := _misfit(question, answer):
            left.append((qid, why))
        else:
            answers[new_id] = answer.model_copy(deep=True)
    mapped: list[tuple[str, str]] = []
    for qid, targets in forms.items():
        given = source.answers.get(qid)
        if given is None or given.is_empty:
            continue
        for question, carried in targets:
            taken = (f"{question.id} is answered already" if question.id in answers
                     else _in_another_form(question, carried, given))
            if isinstance(taken, str):
                left.append((qid, taken))
            else:
                answers[question.id] = taken
                mapped.append((qid, question.id))
    update: dict[str, object] = {"review_date": today}
    if program_name:
        update["name"] = program_name
    program = source.program.model_copy(deep=True, update=update)
    carried_calcs: list[str] = []
    calculators = None
    if source.calculators is not None:
        cost = source.calculators.cost if template.calculators.cost is not None else None
        latency = source.calculators.latency if template.calculators.latency is not None else None
        carried_calcs = [name for name, inputs in (("cost", cost), ("latency", latency)) if inputs is not None]
        if carried_calcs:
            calculators = Calculators(cost=cost.model_copy(deep=True) if cost else None,
                                      latency=latency.model_copy(deep=True) if latency else None)
    parking = []
    for item in source.parking_lot:  # a topic raised stays raised; its section only if the template has it
        keep_section = item.section is not None and template.section(item.section) is not None
        parking.append(item.model_copy(deep=True, update={} if keep_section else {"section": None}))
    review = Review(
        schema_version=SCHEMA_VERSION,
        template=template.id,
        template_version=template.version,
        template_file=template_file,
        respondent=source.respondent,
        program=program,
        calculators=calculators,
        parking_lot=parking,
        answers=answers,
    )
    return Carried(review, list(answers), left, carried_calcs, mapped)
