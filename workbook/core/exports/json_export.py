"""The whole review plus everything derived, as JSON; the review part loads back to an equal review.

The shape is published as a JSON Schema in docs/export-schema.json (`json_schema()` makes it;
a test keeps the file in step).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from workbook.core.exports.common import ExportData
from workbook.core.kinds import kind_of
from workbook.core.models import Review, Template
from workbook.core.serialize import review_dict
from workbook.core.store import review_from_data
from workbook.core.summary import summary_dict
from workbook.core.text import json_safe

EXPORT_SCHEMA = 1


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # TOML has inf and nan (in keys workbook does not know); JSON does not
    return value


def export_dict(data: ExportData) -> dict[str, Any]:
    return {
        "export_schema": EXPORT_SCHEMA,
        "review": _jsonable(review_dict(data.review, data.template)),
        "summary": summary_dict(data.review, data.template, data.assessment),
    }


def render_json(data: ExportData) -> str:
    # json_safe: keys and kept unknown values come from the file as typed; often printed to a terminal.
    return json_safe(json.dumps(export_dict(data), indent=2, ensure_ascii=False, allow_nan=False)) + "\n"


def render_portfolio_json(items: list[ExportData]) -> str:
    return json_safe(json.dumps({"export_schema": EXPORT_SCHEMA, "reviews": [export_dict(d) for d in items]},
                                indent=2, ensure_ascii=False, allow_nan=False)) + "\n"


def review_from_json(review_part: dict[str, Any], template: Template, source: str = "<json>") -> Review:
    """Load the `review` part of an export back into a Review (date answers become dates again)."""
    review = review_from_data(review_part, source)
    for qid, answer in review.answers.items():
        question = template.question(qid)
        if question is not None and answer.value is not None:
            answer.value = kind_of(question).from_json(answer.value)
    return review


_STR = {"type": "string"}
_INT = {"type": "integer"}
_NULL_STR = {"type": ["string", "null"]}
_NULL_INT = {"type": ["integer", "null"]}
_BOOL = {"type": "boolean"}
_DATE = {"type": "string", "format": "date"}
# TOML's local date-time, as Python's isoformat() writes it: no offset, seconds, maybe a fraction.
LOCAL_DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$"


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required if required is not None else list(props)}


def json_schema() -> dict[str, Any]:
    review_schema = Review.model_json_schema(by_alias=True)
    defs = review_schema.pop("$defs", {})
    summary = _obj({
        "summary_schema": _INT,
        "today": _DATE,
        "program": _obj({"name": _STR, "owner": _NULL_STR, "stage": _STR, "review_date": _NULL_STR}),
        "template": _obj({"id": _STR, "version": _STR, "review_made_with": _STR}),
        "readiness": _obj({
            "overall": _INT,
            "verdict": {"enum": ["demo only", "pilot with guardrails", "production candidate"]},
            "reason": _STR,
            "weakest_section": _NULL_STR,
            "sections": {"type": "array", "items": _obj({
                "id": _STR, "title": _STR, "score": _NULL_INT, "answered": _INT, "total": _INT,
                "high": _INT, "medium": _INT, "open_constraints": _INT})},
        }),
        "risks": _obj({"high": _INT, "medium": _INT, "items": {"type": "array", "items": _obj({
            "question_id": _STR, "section_id": _STR, "level": {"enum": ["high", "medium"]},
            "question": _STR, "answer": _STR})}}),
        "open_constraints": {"type": "array", "items": _obj({
            "question_id": _STR, "section_id": _STR, "title": _STR,
            "kind": {"enum": ["decision", "assumption", "unknown"]}, "owner": _NULL_STR,
            "decide_by": _NULL_STR, "days_left": _NULL_INT, "overdue": _BOOL, "unowned": _BOOL,
            "undated": _BOOL, "slips": _INT, "age_days": _NULL_INT, "high_risk_area": _BOOL,
            "breaks_if_open": _STR})},
        "cost": {"type": ["object", "null"], "required": ["expected_scale", "monthly_cost",
                 "cost_per_successful_outcome", "threshold", "over_threshold", "scale_points"]},
        "latency": {"type": ["object", "null"], "required": ["p50_ms", "p95_ms", "p99_ms", "target_p95_ms",
                    "gap_ms", "over_target", "dominant_stage", "stages"]},
        "frameworks": {"type": "array", "items": _obj({
            "framework": _STR, "id": _STR, "name": _STR,
            "status": {"enum": ["addressed", "open", "high-risk", "out-of-scope", "not-covered"]},
            "questions": {"type": "array", "items": _STR}})},
    })
    # A workshop log's start time is written as the review file holds it: an RFC 3339 date-time
    # with its offset, or a local date-time without one (what TOML calls a local date-time: the
    # facilitator's clock, offset unknown). Both are described, so format checking passes on either.
    defs["TimeLog"]["properties"]["started"] = {
        "title": "Started",
        "description": ("When the section's countdown started: an RFC 3339 date-time with its offset "
                        "(2026-11-18T09:05:00+00:00), or, from a file that holds no offset, a local "
                        "date-time (2026-11-18T09:05:00) in the facilitator's time zone."),
        "anyOf": [
            {"type": "string", "format": "date-time"},
            {"type": "string", "pattern": LOCAL_DATE_TIME},
        ],
    }
    defs["Export"] = {
        "description": "One review: `workbook export REVIEW --format json`.",
        "type": "object",
        "required": ["export_schema", "review", "summary"],
        "properties": {
            "export_schema": {"const": EXPORT_SCHEMA},
            "review": review_schema,
            "summary": summary,
        },
    }
    defs["Portfolio"] = {
        "description": ("Many reviews: `workbook export FOLDER --format json` (or several files); "
                        "each item of `reviews` is one review's export."),
        "type": "object",
        "required": ["export_schema", "reviews"],
        "properties": {
            "export_schema": {"const": EXPORT_SCHEMA},
            "reviews": {"type": "array", "items": {"$ref": "#/$defs/Export"}},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://workbook.invalid/schemas/export-1.json",
        "title": "workbook export",
        "description": ("`workbook export --format json`: the review as saved (dates as ISO strings)"
                        " and everything derived from it; for many reviews, {export_schema, reviews}."),
        "oneOf": [{"$ref": "#/$defs/Export"}, {"$ref": "#/$defs/Portfolio"}],
        "$defs": defs,
    }
