"""An AWS Well-Architected custom lens read as a workbook template (templates/README.md, "Custom lenses").

pillar -> section, question -> multi_choice question (ticking a choice = selecting it), choice title
-> label, risk rules -> the question's rules, in order, ids renamed only. Every question gets a
"None of these" choice (the lens's own ``_no`` choice, or one added) that, as in the AWS tool,
clears the others: a first rule ``QID_no`` carries the risk the lens gives when only it is ticked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbook.core.errors import FileError
from workbook.core.expr import RuleError
from workbook.core.lens.conditions import DEFAULT, TO_RISK, default_rule, first_risk, to_template
from workbook.core.lens.errors import lens_problems
from workbook.core.lens.model import NONE_SUFFIX, Lens, LensQuestion, Resource
from workbook.core.models import Choice, Kind, Question, Risk, RiskRule, Section, Template
from workbook.core.templates import lint_template
from workbook.core.tomlio import read_bytes

NONE_LABEL = "None of these"
# A lens without a default rule says nothing where none of its rules holds: unknown is not safe.
NO_DEFAULT_RISK = Risk.HIGH
NO_DEFAULT_WHY = ("The lens has no default rule and none of its rules holds for these choices: judged high "
                  "until someone decides otherwise.")
NONE_WHY = "None of these is ticked: as in the AWS tool, it clears the other choices."
_WORD = {Risk.HIGH: "high risk", Risk.MEDIUM: "medium risk", Risk.NONE: "no risk"}


@dataclass
class Imported:
    template: Template
    warnings: list[str] = field(default_factory=list)
    no_default: list[str] = field(default_factory=list)  # question ids (the lens's) without a default rule


def _slug(raw: str, taken: set[str], limit: int = 80) -> str:
    base = (re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_") or "x")[:limit]
    slug, n = base, 2
    while slug in taken:
        suffix = f"_{n}"
        slug, n = base[: limit - len(suffix)] + suffix, n + 1
    taken.add(slug)
    return slug


def _decode(path: Path, data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError.at(path, "", f"is not UTF-8 text (byte {exc.start + 1})") from None
    try:
        return json.loads(text)  # NaN is read (a published lens has it) and refused or repaired below
    except json.JSONDecodeError as exc:
        raise FileError.at(path, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise FileError.at(path, "", "is nested too deeply to be a lens") from None


def _repair(raw: Any, warnings: list[str]) -> None:
    """Published lenses that break the format in one known way: a question title that is not text
    (NaN). Its id stands in, with a warning; anything else is left for the model to refuse."""
    pillars = raw.get("pillars") if isinstance(raw, dict) else None
    for pi, pillar in enumerate(pillars if isinstance(pillars, list) else []):
        questions = pillar.get("questions") if isinstance(pillar, dict) else None
        for qi, q in enumerate(questions if isinstance(questions, list) else []):
            if not isinstance(q, dict) or not isinstance(q.get("id"), str):
                continue
            if "title" in q and not isinstance(q["title"], str):
                warnings.append(f"pillars[{pi}].questions[{qi}].title is {q['title']!r}, not text: "
                                f"the question's id {q['id']} stands in")
                q["title"] = q["id"]
            if "description" in q and not isinstance(q["description"], str):
                q["description"] = ""


def read_lens(path: Path | str) -> tuple[Lens, list[str]]:
    path = Path(path)
    raw = _decode(path, read_bytes(path))
    if not isinstance(raw, dict):
        raise FileError.at(path, "(top level)", "must be a JSON object (a lens)")
    warnings: list[str] = []
    _repair(raw, warnings)
    try:
        return Lens.model_validate(raw), warnings
    except ValidationError as exc:
        raise FileError(lens_problems(path, exc)) from None


def _resource(label: str, res: Resource | None) -> str:
    if res is None or not (res.display_text or res.url):
        return ""
    url = f" ({res.url})" if res.url else ""
    return f"{label}: {res.display_text.strip()}{url}".rstrip()


def _plan(res: Resource | None) -> str:
    if res is None:
        return ""
    return " ".join(t for t in (res.display_text.strip(), res.url.strip()) if t)


def _help(q: LensQuestion) -> str:
    parts = []
    if q.description.strip() and q.description.strip() != q.title.strip():
        parts.append(q.description.strip())
    if line := _resource("Helpful resource", q.helpful_resource):
        parts.append(line)
    for c in q.choices:
        lines = [f"- {c.title}"]
        lines += [f"  {text}" for text in (_resource("Helpful resource", c.helpful_resource),
                                           _resource("Improvement plan", c.improvement_plan)) if text]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _question(q: LensQuestion, qid: str, where: str, path: str, out: Imported) -> Question:
    taken: set[str] = set()
    names = {c.id: _slug(c.id, taken) for c in q.choices}
    choices = [Choice(id=names[c.id], label=c.title, lens_id=c.id,
                      improvement_plan=_plan(c.improvement_plan))
               for c in q.choices]
    rules: list[RiskRule] = []
    for ri, rule in enumerate(q.risk_rules):
        try:
            when = to_template(rule.condition, names, qid)
        except RuleError as exc:
            raise FileError.at(path, f"{where}.riskRules[{ri}].condition", str(exc)) from None
        risk = TO_RISK[rule.risk]
        why = ("The lens's default rule." if rule.condition.strip() == DEFAULT
               else f"The lens rates this {_WORD[risk]} where {rule.condition.strip()}.")
        rules.append(RiskRule(when=when, risk=risk, why=why))
    if not any(r.condition.strip() == DEFAULT for r in q.risk_rules):
        out.no_default.append(q.id)
        rules.append(RiskRule(when=default_rule(qid), risk=NO_DEFAULT_RISK, why=NO_DEFAULT_WHY))
    none = next((names[c.id] for c in q.choices if c.is_none_of_these), None)
    if none is None:
        none = _slug(qid + NONE_SUFFIX, taken)
        choices.append(Choice(id=none, label=NONE_LABEL))
    if rules[0].when != none:
        risk = first_risk(rules, qid, [none]) or NO_DEFAULT_RISK  # a default is always there
        rules.insert(0, RiskRule(when=none, risk=risk, why=NONE_WHY))
    # A decision: a lens question is a choice a team may not settle in the room (defer it to an owner
    # and a date); deferring never changes what ticking the choices judges.
    return Question(id=qid, prompt=q.title, help=_help(q), kind=Kind.MULTI, choices=tuple(choices),
                    rules=tuple(rules), decision=True, lens_id=q.id)


def lens_to_template(lens: Lens, path: Path | str) -> Imported:
    out = Imported(template=Template(id="x", version="x", title="x"))
    where_file = str(path)
    section_ids: set[str] = set()
    question_ids: set[str] = set()
    sections = []
    for pi, pillar in enumerate(lens.pillars):
        questions = []
        for qi, q in enumerate(pillar.questions):
            qid = _slug(q.id, question_ids)
            questions.append(_question(q, qid, f"pillars[{pi}].questions[{qi}]", where_file, out))
        sections.append(Section(id=_slug(pillar.id, section_ids), title=pillar.name,
                                intro=f"Pillar {pillar.id} of the lens {lens.name}.", questions=tuple(questions)))
    extra = lens.model_extra or {}
    version = str(extra.get("_version") or "1").strip() or "1"
    notes = [f"Imported from the AWS Well-Architected custom lens {Path(path).name} (schema {lens.schema_version})."]
    for key, label in (("_version", "Lens version"), ("_release_date", "Released"), ("_release_note", "Release note"),
                       ("_note", "Note")):
        if str(extra.get(key) or "").strip():
            notes.append(f"{label}: {str(extra[key]).strip()}")
    notes.append("Each choice's helpful resource and improvement plan are in its question's help; the improvement "
                 "plan is also the choice's improvement_plan, the action the CSV and ADR exports show for a risk.")
    template_id = re.sub(r"[^a-z0-9]+", "-", lens.name.lower()).strip("-")[:80].strip("-") or "lens"
    out.template = Template(id=template_id, version=version, title=lens.name, description=lens.description,
                            notes="\n".join(notes), require_choice_risk=False, sections=tuple(sections))
    problems = lint_template(out.template, path)
    if problems:  # e.g. a question whose only choice is "None of these"
        raise FileError(problems)
    if out.no_default:
        shown = ", ".join(out.no_default[:5]) + (", …" if len(out.no_default) > 5 else "")
        out.warnings.append(f"{len(out.no_default)} question(s) have no default risk rule ({shown}); where none of "
                            f"their rules holds, the workbook judges them {NO_DEFAULT_RISK.value} risk")
    return out


def import_lens(path: Path | str) -> Imported:
    lens, repaired = read_lens(path)
    out = lens_to_template(lens, path)
    out.warnings = repaired + out.warnings
    return out


def template_toml(template: Template) -> str:
    """The template as a TOML file a person can read and edit."""
    import tomli_w

    data = template.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data = {"schema": template.schema_version, **data}
    return tomli_w.dumps(data, multiline_strings=True)
