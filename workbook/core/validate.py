"""`workbook validate`: tell templates from reviews and collect every problem in a file."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from workbook.core.errors import Problem, WorkbookError
from workbook.core.models import Template, looks_like_template
from workbook.core.store import load_review
from workbook.core.templates import carry_problems, lint_template
from workbook.core.tomlio import load_toml, validation_problems


def check_file(path: Path) -> tuple[list[Problem], str]:
    """All problems in a review or template file (empty when valid), and which kind it is."""
    try:
        raw, _ = load_toml(path)
    except WorkbookError as exc:
        return exc.problems, "file"
    if looks_like_template(raw):  # reviews always have [program]; a template may lack sections
        try:
            template = Template.model_validate(raw)
        except ValidationError as exc:
            return validation_problems(path, exc), "template"
        problems = lint_template(template, path)
        return problems + (carry_problems(template, path) if not problems else []), "template"
    try:
        load_review(path)
    except WorkbookError as exc:
        return exc.problems, "review"
    return [], "review"
