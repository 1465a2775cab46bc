"""A review as TOML text: stable key order so one changed answer is a small diff in git."""

from __future__ import annotations

from enum import Enum
from typing import Any

import tomli_w
from pydantic import BaseModel

from workbook.core.models import Answer, Program, Review, Template

_ANSWER_KEYS = (
    "status",
    "value",
    "owner",
    "decide_by",
    "opened_on",
    "decide_by_history",
    "breaks_if_open",
    "reason",
    "resolved_by",
    "resolved_on",
    "notes",
    "responses",
)
_PROGRAM_KEYS = ("name", "owner", "stage", "review_date", "description")


def _plain(value: Any) -> Any:
    if isinstance(value, Answer):
        return answer_dict(value)
    if isinstance(value, BaseModel):
        return _model_dict(value, tuple(type(value).model_fields))
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _model_dict(model: BaseModel, order: tuple[str, ...], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Fields in the given order (empty ones left out unless kept), then unknown keys as found."""
    out: dict[str, Any] = {}
    fields = type(model).model_fields
    for name in order:
        value = getattr(model, name)
        if name in keep or not _empty(value):
            key = fields[name].alias or name
            out[key] = _plain(value)
    for name in fields:
        if name not in order:
            value = getattr(model, name)
            if not _empty(value):
                out[fields[name].alias or name] = _plain(value)
    for key, value in (model.model_extra or {}).items():
        out[key] = _plain(value)
    return out


def answer_dict(answer: Answer) -> dict[str, Any]:
    return _model_dict(answer, _ANSWER_KEYS, keep=("status",))


def program_dict(program: Program) -> dict[str, Any]:
    out = _model_dict(program, _PROGRAM_KEYS + ("participants",), keep=("name", "stage"))
    return out


def answer_order(review: Review, template: Template | None) -> list[str]:
    """Template order first, then answers the template does not know (orphans), sorted."""
    known = [q.id for _, q in template.questions()] if template else []
    known_set = set(known)
    ordered = [qid for qid in known if qid in review.answers]
    return ordered + sorted(qid for qid in review.answers if qid not in known_set)


def review_dict(review: Review, template: Template | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "schema": review.schema_version,
        "template": review.template,
        "template_version": review.template_version,
    }
    if review.template_file:
        out["template_file"] = review.template_file
    if review.respondent:
        out["respondent"] = review.respondent
    out["program"] = program_dict(review.program)
    for name in ("calculators", "workshop"):
        part = getattr(review, name)
        if part is not None:
            plain = _plain(part)
            if plain:
                out[name] = plain
    if review.parking_lot:
        out["parking_lot"] = _plain(review.parking_lot)
    if review.measurements:
        out["measurements"] = _plain(review.measurements)
    for key, value in (review.model_extra or {}).items():
        out[key] = _plain(value)
    answers = {}
    for qid in answer_order(review, template):
        answer = review.answers[qid]
        if not answer.is_empty:
            answers[qid] = answer_dict(answer)
    out["answers"] = answers
    return out


HEADER = "# workbook review — edit in the TUI (`workbook open`) or by hand; format: templates/README.md\n"


def _has_crlf(value: Any) -> bool:
    if isinstance(value, str):
        return "\r\n" in value
    if isinstance(value, dict):
        return any(_has_crlf(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_crlf(v) for v in value)
    return False


def dumps_dict(data: dict[str, Any]) -> str:
    # Multi-line strings read best, but TOML reads a CRLF inside one back as LF. Our own text never
    # holds CR (it is cleaned on the way in); a key we do not know might: then keep every string
    # on one line, escaped, so nothing changes.
    return HEADER + tomli_w.dumps(data, multiline_strings=not _has_crlf(data))


def dumps(review: Review, template: Template | None = None) -> str:
    return dumps_dict(review_dict(review, template))


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down: 0 == False and 1.0 == 1 in Python, not in TOML."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


class DumpCache:
    """The TOML text of each answer, kept between saves: a save re-dumps (and re-checks) only the
    answers that changed. Joined with the rest of the file, the texts are byte-identical to a
    whole-file dump (tests/unit/test_roundtrip_property.py holds it to that)."""

    def __init__(self) -> None:
        self._texts: dict[str, tuple[bool, dict[str, Any], str]] = {}

    def dumps(self, data: dict[str, Any]) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
        """The file's text, and each fragment dumped afresh with the data it must read back as."""
        multiline = not _has_crlf(data)
        answers: dict[str, Any] = data.get("answers") or {}
        if not answers:
            text = dumps_dict(data)
            return text, [(text, data)]
        rest = {k: v for k, v in data.items() if k != "answers"}
        head = tomli_w.dumps({**rest, "answers": {}}, multiline_strings=multiline)
        fresh: list[tuple[str, dict[str, Any]]] = [(head, {**rest, "answers": {}})]
        head = head.removesuffix("[answers]\n")
        parts = []
        for qid, answer in answers.items():
            hit = self._texts.get(qid)
            if hit is not None and hit[0] == multiline and _same(hit[1], answer):
                parts.append(hit[2])
                continue
            text = tomli_w.dumps({"answers": {qid: answer}}, multiline_strings=multiline).rstrip("\n") + "\n"
            self._texts[qid] = (multiline, answer, text)
            fresh.append((text, {"answers": {qid: answer}}))
            parts.append(text)
        for gone in self._texts.keys() - answers.keys():
            del self._texts[gone]
        return HEADER + head + "\n".join(parts), fresh
