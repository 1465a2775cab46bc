"""Lens validation errors as one line each: the file, the key path in the lens's own names, the limit."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from workbook.core.errors import Problem
from workbook.core.lens.model import ID_PATTERN
from workbook.core.tomlio import key_path

_PLAIN = {
    "missing": "is required",
    "string_type": "must be text (a JSON string)",
    "list_type": "must be a list (a JSON array)",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "literal_error": "",
}


def _message(err: ErrorDetails) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        return "must be 3 to 128 letters, digits or underscores (an AWS lens id)"
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} items; the limit is {ctx.get('max_length')}"
    if kind == "too_short":
        return "must not be empty" if isinstance(err.get("input"), str) else "must have at least one item"
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}"
    if _PLAIN.get(kind):
        return _PLAIN[kind]
    msg = str(err.get("msg", "invalid"))
    msg = msg.removeprefix("Value error, ")
    return msg[:1].lower() + msg[1:]


def lens_problems(path: Path | str, exc: ValidationError) -> list[Problem]:
    return [Problem(str(path), key_path(tuple(e["loc"])), _message(e)) for e in exc.errors(include_url=False)]
