"""The review's constraints the measurement speaks to, as plain sentences under the table.

- A target or threshold decision still deferred (or unanswered) now that the figure it decides on is
  measured: decide it against the number.
- An assumption the figures confirm or refute so far: `assume-cost-normalises` by the weekly cost per
  request (two weeks at least), `assume-model-good-enough` by the success rate from real outcomes
  against the review's estimate and by the correction rate against its question's medium threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbook.core.calc.results import change
from workbook.core.measure.row import Row, estimate_off, value
from workbook.core.measure.trend import Week
from workbook.core.models import Review, Status, Template

ASSUME_COST = "assume-cost-normalises"
ASSUME_MODEL = "assume-model-good-enough"
CORRECTION_QUESTION = "human-correction-rate"

OPEN, REFUTED, HOLDS = "open", "refuted", "holds"


@dataclass(frozen=True)
class Evidence:
    """One sentence, the question (decision or assumption) it touches, and what it says of it."""

    question: str
    verdict: str  # OPEN: a decision still to make; REFUTED or HOLDS: an assumption so far
    text: str


def _state(review: Review, qid: str) -> str:
    a = review.answers.get(qid)
    if a is None or a.status is Status.UNANSWERED:
        return "not answered"
    if a.status is Status.ANSWERED:
        return f"answered {'yes' if a.value is True else 'no' if a.value is False else a.value}"
    return a.status.value.replace("_", " ")


def _decision(review: Review, template: Template, qid: str | None, row: Row | None, what: str) -> Evidence | None:
    if qid is None or row is None or row.measured is None or template.question(qid) is None:
        return None
    a = review.answers.get(qid)
    if a is not None and a.status is Status.DEFERRED:
        who = ", ".join(x for x in (f"owner {a.owner}" if a.owner else "",
                                     f"due {a.decide_by.isoformat()}" if a.decide_by else "") if x)
        return Evidence(qid, OPEN, f"Decision {qid} is deferred{f' ({who})' if who else ''} and still open: the "
                        f"measured {what} is {value(row.measured, row.unit)} from {row.n:,} request(s); decide it "
                        "against that.")
    if a is None or a.status in (Status.UNANSWERED, Status.UNKNOWN):
        return Evidence(qid, OPEN, f"Decision {qid} is not made: the measured {what} is "
                        f"{value(row.measured, row.unit)} from {row.n:,} request(s); decide it against that.")
    return None


def _cost_assumption(review: Review, weeks: Sequence[Week]) -> Evidence | None:
    costed = [w for w in weeks if w.cost_per_request is not None]
    if len(costed) < 2:
        return None
    first, last = costed[0], costed[-1]
    assert first.cost_per_request is not None and last.cost_per_request is not None
    moved = change(first.cost_per_request, last.cost_per_request)
    verdict = "is borne out so far" if moved == "falls" else "is refuted so far"
    verb = {"falls": "fell", "rises": "rose", "flat": "stayed flat"}[moved]
    return Evidence(ASSUME_COST, HOLDS if moved == "falls" else REFUTED,
                    f"Assumption {ASSUME_COST} ({_state(review, ASSUME_COST)}) {verdict}: cost per request {verb} "
                    f"from {value(first.cost_per_request, 'USD')} in {first.week} to "
                    f"{value(last.cost_per_request, 'USD')} in {last.week}.")


def _model_assumption(review: Review, template: Template, rows: dict[str, Row],
                      real_outcomes: bool) -> Evidence | None:
    reasons_against: list[str] = []
    reasons_for: list[str] = []
    success = rows.get("success-rate")
    if real_outcomes and success is not None and success.measured is not None and success.estimate is not None:
        text = (f"the success rate from real outcomes is {value(success.measured, 'share')} against the "
                f"estimated {value(success.estimate, 'share')}")
        worse = success.measured < success.estimate and estimate_off(success.estimate, success.measured)
        (reasons_against if worse else reasons_for).append(text)
    correction = rows.get("correction-rate")
    question = template.question(CORRECTION_QUESTION)
    limit = question.thresholds.medium_above if question is not None and question.thresholds else None
    if correction is not None and correction.measured is not None and limit is not None:
        text = f"people correct {value(correction.measured, 'share')} of outputs (medium risk above {limit:g}%)"
        (reasons_against if correction.measured * 100 > limit else reasons_for).append(text)
    if not reasons_against and not reasons_for:
        return None
    verdict = "is refuted so far" if reasons_against else "holds so far"
    return Evidence(ASSUME_MODEL, REFUTED if reasons_against else HOLDS,
                    f"Assumption {ASSUME_MODEL} ({_state(review, ASSUME_MODEL)}) {verdict}: "
                    + "; ".join(reasons_against or reasons_for) + ".")


def evidence(review: Review, template: Template, rows: Sequence[Row], weeks: Sequence[Week],
             real_outcomes: bool) -> list[Evidence]:
    by_id = {r.id: r for r in rows}
    latency, cost = template.calculators.latency, template.calculators.cost
    out = [
        _decision(review, template, latency.target_question if latency else None, by_id.get("e2e-p95"),
                  "end-to-end p95"),
        _decision(review, template, cost.threshold_question if cost else None, by_id.get("cost-per-outcome"),
                  "cost per successful outcome"),
    ]
    if template.question(ASSUME_COST) is not None:
        out.append(_cost_assumption(review, weeks))
    if template.question(ASSUME_MODEL) is not None:
        out.append(_model_assumption(review, template, by_id, real_outcomes))
    return [line for line in out if line]
