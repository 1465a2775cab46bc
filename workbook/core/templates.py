"""Loading question-bank templates, finding the built-in ones, and checking a template's content."""

from __future__ import annotations

import os
from collections import Counter
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from workbook.core import template_cache
from workbook.core.errors import FileError, Problem
from workbook.core.frameworks import ALL_TAGS
from workbook.core.kinds import KINDS, kind_of
from workbook.core.models import CarriedFrom, Check, Harm, Kind, Question, Template
from workbook.core.tomlio import decode, parse, read_bytes, validation_problems

_PACKAGE = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """A data folder shipped with workbook: inside the wheel, or at the repository's top level."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    return _PACKAGE.parent / name


def builtin_dir() -> Path:
    return data_dir("templates")


def samples_dir() -> Path:
    return data_dir("sample_programs")


def lint_template(template: Template, path: Path | str) -> list[Problem]:
    """Content problems pydantic cannot see: duplicates, kinds and choices, unknown tags."""
    problems: list[Problem] = []
    where = str(path)

    def add(key: str, message: str) -> None:
        problems.append(Problem(where, key, message))

    if not template.sections:
        add("sections", "a template needs at least one section")
    for si, section in enumerate(template.sections):
        if not section.questions:
            add(f"sections[{si}].questions", "a section needs at least one question")
    for sid, n in Counter(s.id for s in template.sections).items():
        if n > 1:
            add(f"sections.{sid}", f"duplicate section id ({n} sections use it)")
    seen: dict[str, str] = {}
    old_ids: dict[str, str] = {}
    for si, section in enumerate(template.sections):
        for qi, q in enumerate(section.questions):
            key = f"sections[{si}].questions[{qi}]"
            if q.id in seen:
                add(f"{key}.id", f"duplicate question id {q.id!r} (also in section {seen[q.id]!r})")
            seen.setdefault(q.id, section.id)
            for old in q.renamed_from:
                if old in old_ids:
                    add(f"{key}.renamed_from", f"{old!r} is already claimed by {old_ids[old]!r}")
                old_ids[old] = q.id
            kind = kind_of(q)
            choice_kind = kind.has_choices
            if choice_kind and len(q.choices) < 2:
                add(f"{key}.choices", f"a {q.kind.value} question needs at least two choices")
            if not choice_kind and q.choices:
                add(f"{key}.choices", f"choices only apply to choice questions, not {q.kind.value}")
            for cid, n in Counter(c.id for c in q.choices).items():
                if n > 1:
                    add(f"{key}.choices", f"duplicate choice id {cid!r}")
            if template.require_choice_risk and choice_kind:
                for ci, c in enumerate(q.choices):
                    if c.risk is None:
                        add(f"{key}.choices[{ci}].risk", "missing: this template requires a risk level on every choice")
            for name in _OWN_KEYS:  # a key another kind takes, set on this one
                owner = _OWN_KEYS[name]
                if owner is not q.kind and getattr(q, name) not in (None, "") and name != "target_question":
                    add(f"{key}.{name}", _NOT_HERE.get(name, f"{name} only applies to {owner.value} questions"))
            if q.assumption and q.kind is not Kind.YES_NO:
                add(f"{key}.assumption", "an assumption question must be yes_no (yes = the team relies on it)")
            if q.kind is Kind.NUMBER and q.minimum is not None and q.maximum is not None and q.minimum > q.maximum:
                add(f"{key}.minimum", f"minimum {q.minimum:g} is above maximum {q.maximum:g}")
            t = q.thresholds
            if t is not None:
                if t.medium_above is not None and t.high_above is not None and t.medium_above > t.high_above:
                    add(f"{key}.thresholds", "medium_above must not be above high_above")
                if t.medium_below is not None and t.high_below is not None and t.medium_below < t.high_below:
                    add(f"{key}.thresholds", "medium_below must not be below high_below")
            if any(c.blocker for c in q.choices) and not choice_kind:
                add(f"{key}.choices", "blocker only applies to choices of a choice question")
            if q.target_question is not None:
                target = template.question(q.target_question)
                if q.kind is not Kind.NUMBER:
                    add(f"{key}.target_question", "only a number question can be judged against a target")
                elif target is None:
                    add(f"{key}.target_question", f"no question {q.target_question!r} in this template")
                elif target.kind is not Kind.NUMBER:
                    add(f"{key}.target_question", f"{q.target_question!r} is not a number question")
            if q.controlled_by and not q.exposure:
                add(f"{key}.controlled_by", "controlled_by only applies to exposure questions (exposure = true)")
            for cid in q.controlled_by:
                if template.question(cid) is None:
                    add(f"{key}.controlled_by", f"no question {cid!r} in this template")
            for ci, carried in enumerate(q.carried_from):
                for message in _carry_target_problems(q, carried):
                    add(f"{key}.carried_from[{ci}]", message)
            for tag in q.tags:
                if tag not in ALL_TAGS:
                    add(f"{key}.tags", f"unknown framework tag {tag!r} (see templates/README.md)")
    section_ids = {s.id for s in template.sections}
    for name, config, question_key in (("cost", template.calculators.cost, "threshold_question"),
                                       ("latency", template.calculators.latency, "target_question")):
        if config is None:
            continue
        if config.section not in section_ids:
            add(f"calculators.{name}.section", f"no section {config.section!r} in this template")
        qid = getattr(config, question_key)
        if qid is not None:
            target = template.question(qid)
            if target is None or target.kind is not Kind.NUMBER:
                add(f"calculators.{name}.{question_key}", f"{qid!r} must be a number question of this template")
    latency = template.calculators.latency
    if latency is not None and latency.estimate_question is not None:
        estimate = template.question(latency.estimate_question)
        if estimate is None or estimate.kind is not Kind.NUMBER:
            add("calculators.latency.estimate_question",
                f"{latency.estimate_question!r} must be a number question of this template")
    problems += rule_problems(template, where)
    used = {tag for _, q in template.questions() for tag in q.tags}
    for tag in template.out_of_scope:
        if tag not in ALL_TAGS:
            add("out_of_scope", f"unknown framework tag {tag!r}")
        elif tag in used:
            add("out_of_scope", f"{tag} is marked out of scope but questions are tagged with it")
    for old in old_ids:
        if old in seen:
            add("renamed_from", f"{old!r} is listed as a former id but is still a question id")
    return problems


# Which kind takes each kind-specific key (core/kinds.py), and the message for a key set elsewhere.
_OWN_KEYS = {name: kind for kind, spec in KINDS.items() for name in spec.own_keys}
_NOT_HERE = {"thresholds": "thresholds only apply to number questions",
             "risk_if_yes": "risk_if_yes/risk_if_no only apply to yes_no questions",
             "risk_if_no": "risk_if_yes/risk_if_no only apply to yes_no questions"}


def rule_problems(template: Template, where: str) -> list[Problem]:
    """Every rule in context, check and harm names questions and choices the template has (one line each)."""
    from workbook.core.expr import problems as expr_problems

    found: list[Problem] = []
    for si, section in enumerate(template.sections):
        for qi, q in enumerate(section.questions):
            key = f"sections[{si}].questions[{qi}]"
            for name in ("critical_when", "applies_when"):
                if text := getattr(q, name):
                    found += [Problem(where, f"{key}.{name}", m) for m in expr_problems(text, template, q)]
            for ri, rule in enumerate(q.rules):
                found += [Problem(where, f"{key}.rules[{ri}].when", m) for m in expr_problems(rule.when, template, q)]
    named: list[tuple[str, tuple[Check | Harm, ...]]] = [("checks", template.checks), ("harms", template.harms)]
    for name, items in named:
        for i, item in enumerate(items):
            found += [Problem(where, f"{name}[{i}].when", m) for m in expr_problems(item.when, template)]
            found += [Problem(where, f"{name}[{i}].questions", f"no question {qid!r} in this template")
                      for qid in item.questions if template.question(qid) is None]
    ids = [c.id for c in template.checks]
    found += [Problem(where, "checks", f"duplicate check id {cid!r}") for cid in sorted(set(ids)) if ids.count(cid) > 1]
    found += [Problem(where, f"launch_gate[{i}]", f"no question {qid!r} in this template")
              for i, qid in enumerate(template.launch_gate) if template.question(qid) is None]
    return found + _concern_problems(template, where)


def _concern_problems(template: Template, where: str) -> list[Problem]:
    """A concern names questions the template has, and a question is in one concern at most (its
    priority is folded into exactly one)."""
    found: list[Problem] = []
    seen: dict[str, str] = {}
    for i, concern in enumerate(template.concerns):
        for qid in concern.questions:
            if template.question(qid) is None:
                found.append(Problem(where, f"concerns[{i}].questions", f"no question {qid!r} in this template"))
            elif qid in seen:
                found.append(Problem(where, f"concerns[{i}].questions",
                                     f"question {qid!r} is already in concern {seen[qid]!r}"))
            else:
                seen[qid] = concern.id
    ids = [c.id for c in template.concerns]
    return found + [Problem(where, "concerns", f"duplicate concern id {cid!r}")
                    for cid in sorted(set(ids)) if ids.count(cid) > 1]


def _carry_target_problems(q: Question, carried: CarriedFrom) -> list[str]:
    """This template's side of a carry map: the choices it names are this question's own."""
    names = kind_of(q).names(q)
    if not names:
        return [f"carried_from only applies to choice and yes_no questions, not {q.kind.value}"]
    out = []
    for source_value, ids in carried.map:
        missing = [i for i in ids if i not in names]
        if missing:
            out.append(f"map.{source_value}: no choice {missing[0]!r} in question {q.id!r}")
        elif not kind_of(q).many and len(ids) != 1:
            out.append(f"map.{source_value}: a {q.kind.value} question takes one choice, not {len(ids)}")
    return out


def carry_problems(template: Template, path: Path | str) -> list[Problem]:
    """The other side of each carry map, in the template it names: the question and the values exist.

    Checked by `workbook validate`, not on every load: it reads the other template."""
    problems: list[Problem] = []
    near = Path(path).parent
    for si, section in enumerate(template.sections):
        for qi, q in enumerate(section.questions):
            for ci, carried in enumerate(q.carried_from):
                key = f"sections[{si}].questions[{qi}].carried_from[{ci}]"
                try:
                    source, _ = find_template(carried.template, near)
                except FileError as exc:
                    problems.append(Problem(str(path), f"{key}.template", exc.problems[0].message))
                    continue
                asked = source.question(carried.question)
                if asked is None or not kind_of(asked).names(asked):
                    what = "no" if asked is None else "no choice or yes_no"
                    problems.append(Problem(str(path), f"{key}.question",
                                            f"{what} question {carried.question!r} in template {source.id!r}"))
                    continue
                for source_value, _ in carried.map:
                    if source_value not in kind_of(asked).names(asked):
                        problems.append(Problem(str(path), f"{key}.map.{source_value}",
                                                f"{source_value!r} is not an answer to {carried.question!r} in "
                                                f"template {source.id!r} ({', '.join(kind_of(asked).names(asked))})"))
    return problems


def load_template(path: Path | str) -> Template:
    path = Path(path)
    return _load_template_cached(path.resolve(), *_stamp(path))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return 0, 0


@lru_cache(maxsize=64)
def _load_template_cached(path: Path, _mtime: int, _size: int) -> Template:
    data = read_bytes(path)
    template = template_cache.cached(data)  # checked before, byte for byte: no TOML to parse
    if template is not None:
        return template
    raw = parse(path, decode(path, data))
    try:
        template = Template.model_validate(raw)
    except ValidationError as exc:
        raise FileError(validation_problems(path, exc)) from None
    problems = lint_template(template, path)
    if problems:
        raise FileError(problems)
    template_cache.keep(data, template)
    return template


def builtin_templates() -> list[tuple[Path, Template]]:
    folder = builtin_dir()
    return [(p, load_template(p)) for p in sorted(folder.glob("*.toml"))]


def find_template(id_or_file: str, near: Path | None = None) -> tuple[Template, Path]:
    """A template by file path, or by id among files near a review and then the built-in ones."""
    candidate = Path(id_or_file)
    if candidate.suffix == ".toml" or os.path.exists(candidate):  # never raises (Path.exists may)
        if near is not None and not candidate.is_absolute():
            candidate = near / candidate
        return load_template(candidate), candidate
    folders = ([near, near / "templates"] if near is not None else []) + [builtin_dir()]
    for folder in folders:
        path = folder / f"{id_or_file}.toml"
        if os.path.isfile(path):
            template = load_template(path)
            if template.id == id_or_file:
                return template, path
    for path, template in builtin_templates():
        if template.id == id_or_file:
            return template, path
    known = ", ".join(t.id for _, t in builtin_templates())
    raise FileError([Problem("", "", f"unknown template {id_or_file!r} (built-in: {known})")])
