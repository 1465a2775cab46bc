"""The summary as plain data: the stable JSON object of `workbook summary --format json`.

Documented in docs/summary-json.md; fields are only ever added, never renamed or removed, within a
`summary_schema` version.
"""

from __future__ import annotations

from typing import Any

from workbook.core.constraints import Constraint
from workbook.core.display import answer_summary
from workbook.core.models import Review, Template
from workbook.core.priorities import Priority
from workbook.core.scoring import Assessment

SUMMARY_SCHEMA = 1


def constraint_dict(c: Constraint) -> dict[str, Any]:
    return {
        "question_id": c.question_id,
        "section_id": c.section_id,
        "title": c.title,
        "kind": c.kind.value,
        "owner": c.owner,
        "decide_by": c.decide_by.isoformat() if c.decide_by else None,
        "days_left": c.days_left,
        "overdue": c.overdue,
        "unowned": c.unowned,
        "undated": c.undated,
        "slips": c.slips,
        "age_days": c.age_days,
        "high_risk_area": c.high_risk_area,
        "breaks_if_open": c.breaks_if_open,
    }


def priority_dict(p: Priority) -> dict[str, Any]:
    return {
        "question_id": p.question_id,
        "section": p.section_id,
        "severity": p.severity,
        "critical": p.critical,
        "why": p.why,
        "next_step": p.next_step,
        "band": p.tier,
        "harm": p.harm,
        "question": p.prompt,
        "concern": p.concern or None,
        "also": list(p.also),
    }


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def cost_dict(a: Assessment) -> dict[str, Any] | None:
    cost = a.calc.cost if a.calc else None
    if cost is None:
        return None
    e = cost.expected
    return {
        "expected_scale": e.scale,
        "monthly_cost": _r(e.monthly_cost, 2),
        "cost_per_successful_outcome": _r(e.cost_per_success),
        "threshold": cost.threshold,
        "over_threshold": cost.over_threshold,
        "improves_until_scale": cost.improves_until,
        "scale_points": [
            {"scale": p.scale, "users": p.users, "input_tokens": _r(p.input_tokens, 1), "requests": p.requests,
             "monthly_cost": _r(p.monthly_cost, 2), "cost_per_successful_outcome": _r(p.cost_per_success)}
            for p in cost.curve
        ],
    }


def latency_dict(a: Assessment) -> dict[str, Any] | None:
    lat = a.calc.latency if a.calc else None
    if lat is None:
        return None
    return {
        "p50_ms": _r(lat.p50_ms, 1),
        "p95_ms": _r(lat.p95_ms, 1),
        "p99_ms": _r(lat.p99_ms, 1),
        "spread_ms": _r(lat.spread_ms, 1),
        "target_p95_ms": lat.target_p95_ms,
        "gap_ms": _r(lat.gap_ms, 1),
        "over_target": lat.over_target,
        "dominant_stage": lat.dominant_stage,
        "sum_of_stage_p50_ms": _r(lat.sum_p50_ms, 1),
        "sum_of_stage_p95_ms": _r(lat.sum_p95_ms, 1),
        "stages": [{"name": f.name, "p50_ms": f.p50_ms, "p95_ms": f.p95_ms, "variance_share": _r(f.variance_share, 4)}
                   for f in lat.stages],
        # The team's measured p95 against the simulated one: a data-quality flag, not a risk.
        "measured_p95_ms": lat.measured.measured_p95_ms if lat.measured else None,
        "measured_vs_simulated": _r(lat.measured.difference, 4) if lat.measured else None,
        "measured_disagrees": lat.measured.disagrees if lat.measured else None,
    }


def measurement_dict(a: Assessment) -> dict[str, Any] | None:
    """The latest `workbook measure --write`, beside the estimate in "latency"."""
    m = a.calc.measurement if a.calc else None
    if m is None:
        return None
    rec = m.measurement
    return {
        "recorded_on": rec.recorded_on.isoformat(),
        "window": {"start": rec.window_start.isoformat(), "end": rec.window_end.isoformat()},
        "requests": rec.requests,
        "age_days": m.age_days,
        "stale": m.stale,
        "stale_after_days": m.stale_after_days,
        "stale_rule": m.stale_rule if m.stale else None,
        "p95_ms": m.p95_ms,
        "target_p95_ms": m.target_ms,
        "over_target": m.over_target,
        "files": [f.name for f in rec.files],
    }


def summary_dict(review: Review, template: Template, a: Assessment) -> dict[str, Any]:
    program = review.program
    return {
        "summary_schema": SUMMARY_SCHEMA,
        "today": a.today.isoformat(),
        "program": {
            "name": program.name,
            "owner": program.owner,
            "stage": program.stage.value,
            "review_date": program.review_date.isoformat() if program.review_date else None,
        },
        "template": {
            "id": template.id,
            "version": template.version,
            "review_made_with": review.template_version,
        },
        "readiness": {
            "overall": a.overall,
            "verdict": a.verdict,
            "reason": a.reason,
            "weakest_section": a.weakest.id if a.weakest else None,
            "completeness": round(a.completeness, 4),
            "answered": a.answered,
            "applicable": a.applicable,
            "blockers": [b.question.id for b in a.blockers],
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "score": s.score,
                    "answered": s.answered,
                    "total": s.total,
                    "high": s.high,
                    "medium": s.medium,
                    "open_constraints": s.open_constraints,
                }
                for s in a.sections
            ],
        },
        "priorities": [priority_dict(p) for p in a.priorities],
        "risks": {
            "high": a.high,
            "medium": a.medium,
            "items": [
                {
                    "question_id": r.question.id,
                    "section_id": r.section_id,
                    "level": r.level.value,
                    "question": r.question.prompt,
                    "answer": answer_summary(r.question, review.answer(r.question.id)),
                }
                for r in a.risks
            ],
        },
        "open_constraints": [constraint_dict(c) for c in a.constraints],
        "cost": cost_dict(a),
        "latency": latency_dict(a),
        "measurement": measurement_dict(a),
        "frameworks": [
            {
                "framework": c.framework,
                "id": c.tag,
                "name": c.name,
                "status": c.status,
                "questions": list(c.questions),
            }
            for c in a.coverage
        ],
    }
