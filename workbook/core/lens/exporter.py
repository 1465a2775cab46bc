"""A workbook template written as an AWS Well-Architected custom lens (templates/README.md, "Custom lenses").

section -> pillar, choice question (multi, single, yes/no) -> question whose choices are ticked, the
choices' risk marks -> up to three risk rules (any high ticked, any medium ticked, default no risk),
and the question's own rules (naming only its own choices) carried as written. What a lens cannot
hold (text, number and date questions; rules that read other questions; exposure caps) is left out
and said in one line. Ids become WA-safe (3-128 of [A-Za-z0-9_]) and unique; only a "None of these"
choice made by the importer keeps an id ending ``_no``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from workbook.core.errors import FileError
from workbook.core.expr import Both, Compare, Either, Node, Not, Ref, parse
from workbook.core.lens.conditions import TO_WA, default_rule, first_risk
from workbook.core.lens.errors import lens_problems
from workbook.core.lens.model import MAX_PILLARS, MAX_QUESTIONS, NONE_SUFFIX, TEXT_MAX, TITLE_MAX, Lens
from workbook.core.models import Kind, Question, Risk, RiskRule, Section, Template

_NAME = re.compile(r"[A-Za-z0-9_][\w@-]*(?:[.:][\w@-]+)?")
_FRAMEWORK_PILLARS = {p.lower(): p for p in ("operationalExcellence", "security", "reliability", "performance",
                                             "costOptimization", "sustainability")}


@dataclass
class _Names:
    ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (question id, choice id) -> lens choice id
    question_ids: dict[str, str] = field(default_factory=dict)


@dataclass
class Exported(_Names):
    lens: Lens | None = None
    left_out: str = ""  # one line, empty when nothing was

    def json(self) -> str:
        import json

        assert self.lens is not None
        return json.dumps(self.lens.dump(), indent=2, ensure_ascii=False) + "\n"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split()) if limit == TITLE_MAX else text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut).rstrip() + "…"


def wa_id(raw: str, taken: set[str], *, prefix: str = "", none_of_these: bool = False) -> str:
    """A WA-safe id, unique in ``taken``: 3-128 of [A-Za-z0-9_], ending ``_no`` only when meant."""
    base = re.sub(r"[^A-Za-z0-9_]", "_", raw)
    if len(base) < 3:
        base = f"{prefix}_{base}" if prefix else base.ljust(3, "_")
    if base.endswith(NONE_SUFFIX) and not none_of_these:
        base += "t"  # x_no -> x_not: not a "None of these" by accident
    base = base[:128]
    out, n = base, 2
    while out in taken or (out.endswith(NONE_SUFFIX) and not none_of_these):
        suffix = f"_{n}"
        out, n = base[: 128 - len(suffix)] + suffix, n + 1
    taken.add(out)
    return out


def _refs(node: Node) -> list[Ref | Compare]:
    if isinstance(node, (Ref, Compare)):
        return [node]
    if isinstance(node, Not):
        return _refs(node.operand)
    assert isinstance(node, (Both, Either))
    return _refs(node.left) + _refs(node.right)


def _own_rule(rule: RiskRule, q: Question, names: dict[str, str]) -> str | None:
    """The rule as a WA condition, or None when it reads anything but this question's choices."""
    if rule.when.strip() == default_rule(q.id):
        return "default"
    for ref in _refs(parse(rule.when)):
        if not isinstance(ref, Ref) or ref.question not in ("", q.id) or ref.state or ref.choice not in names:
            return None

    def rename(match: re.Match[str]) -> str:
        return names[match.group(0).split(":", 1)[-1]]

    return _NAME.sub(rename, rule.when.strip())


def _choices(q: Question) -> list[tuple[str, str, Risk]]:
    """(id, label, risk mark) of each choice a lens question would have."""
    if q.kind is Kind.YES_NO:
        return [("yes", "Yes", q.risk_if_yes or Risk.NONE), ("no", "No", q.risk_if_no or Risk.NONE)]
    return [(c.id, c.label, c.risk or Risk.NONE) for c in q.choices]


def _plan(text: str) -> dict[str, str]:
    """A choice's improvement_plan as the lens's improvementPlan (a trailing URL back in ``url``)."""
    head, _, last = text.strip().rpartition(" ")
    if last.startswith(("https://", "http://")) and len(last) <= TEXT_MAX:
        return {"displayText": _short(head, TEXT_MAX), "url": last} if head else {"url": last}
    return {"displayText": _short(text, TEXT_MAX)}


def _is_none_of_these(q: Question, cid: str) -> bool:
    # Only the importer's (or a lens's) "None of these": its id ends _no and it is the first rule alone.
    return cid.endswith(NONE_SUFFIX) and bool(q.rules) and q.rules[0].when.strip() == cid


def _question(q: Question, taken: set[str], out: _Names, dropped_rules: list[str]) -> dict[str, Any]:
    qid = wa_id(q.lens_id or q.id, taken, prefix="q")  # an imported question keeps its lens id
    out.question_ids[q.id] = qid
    choice_taken: set[str] = set()
    names: dict[str, str] = {}
    choices = []
    for cid, label, _ in _choices(q):
        own = q.choice(cid)
        names[cid] = wa_id((own.lens_id if own else "") or cid, choice_taken, prefix=qid,
                           none_of_these=_is_none_of_these(q, cid))
        out.ids[(q.id, cid)] = names[cid]
        choice: dict[str, Any] = {"id": names[cid], "title": _short(label, TITLE_MAX)}
        if len(" ".join(label.split())) > TITLE_MAX:
            choice["helpfulResource"] = {"displayText": _short(label, TEXT_MAX)}
        if own is not None and own.improvement_plan.strip():
            choice["improvementPlan"] = _plan(own.improvement_plan)
        choices.append(choice)
    rules = list(q.rules)
    if rules and _is_none_of_these(q, rules[0].when.strip()):
        none = rules[0].when.strip()
        if first_risk(rules[1:], q.id, [none]) == rules[0].risk:  # the lens's own rules say it already
            rules = rules[1:]
    wa_rules: list[dict[str, str]] = []
    for rule in rules:
        condition = _own_rule(rule, q, names)
        if condition is None:
            dropped_rules.append(q.id)
            continue
        wa_rules.append({"condition": condition, "risk": TO_WA[rule.risk]})
        if condition == "default":
            break
    if not wa_rules or wa_rules[-1]["condition"] != "default":
        wa_rules += _marks_only(q, names)
    risks = [r["risk"] for r in wa_rules]
    if len(set(risks)) < len(risks) or len(wa_rules) > 3:  # own rules and marks do not fit: the marks win
        dropped_rules.append(q.id)
        wa_rules = _marks_only(q, names)
    long_prompt = len(" ".join(q.prompt.split())) > TITLE_MAX
    description = "\n\n".join(t for t in ((q.prompt.strip() if long_prompt else ""), q.help.strip()) if t)
    data: dict[str, Any] = {"id": qid, "title": _short(q.prompt, TITLE_MAX), "choices": choices,
                            "riskRules": wa_rules}
    if description:
        data["description"] = _short(description, TEXT_MAX)
    return data


def _marks_only(q: Question, names: dict[str, str]) -> list[dict[str, str]]:
    rules = []
    for risk in (Risk.HIGH, Risk.MEDIUM):
        ticked = [names[cid] for cid, _, r in _choices(q) if r is risk]
        if ticked:
            rules.append({"condition": " || ".join(ticked), "risk": TO_WA[risk]})
    return [*rules, {"condition": "default", "risk": TO_WA[Risk.NONE]}]


def _fit(sections: list[tuple[Section, list[Question]]], merged: list[str]) -> list[tuple[str, str, list[Question]]]:
    """At most 10 pillars: the two neighbouring sections with the fewest questions together are merged
    (within 20 questions a pillar) until they fit; what was merged is said."""
    groups = [([s.id], [s.title], qs) for s, qs in sections]
    while len(groups) > MAX_PILLARS:
        pairs = [(len(groups[i][2]) + len(groups[i + 1][2]), i) for i in range(len(groups) - 1)]
        size, i = min(pairs)
        if size > MAX_QUESTIONS:
            break  # the lens model refuses it, naming the limit
        a, b = groups[i], groups[i + 1]
        groups[i : i + 2] = [(a[0] + b[0], a[1] + b[1], a[2] + b[2])]
    for ids, _, _ in groups:
        if len(ids) > 1:
            merged.append(" + ".join(ids))
    return [("_".join(ids), " & ".join(titles), qs) for ids, titles, qs in groups]


def template_to_lens(template: Template, where: str = "") -> Exported:
    left: dict[str, list[str]] = {}
    kept: list[tuple[Section, list[Question]]] = []
    for section in template.sections:
        qs = []
        for q in section.questions:
            if q.kind in (Kind.TEXT, Kind.NUMBER, Kind.DATE):
                left.setdefault(q.kind.value, []).append(q.id)
            else:
                qs.append(q)
        if qs:
            kept.append((section, qs))
    merged: list[str] = []
    out = Exported()
    taken: set[str] = set()
    dropped_rules: list[str] = []
    pillars = []
    for sid, title, qs in _fit(kept, merged):
        pid = _FRAMEWORK_PILLARS.get(sid.lower()) or sid
        pillars.append({"id": wa_id(pid, taken, prefix="p"), "name": _short(title, TITLE_MAX),
                        "questions": [_question(q, taken, out, dropped_rules) for q in qs]})
    exposure = [q.id for s in kept for q in s[1] if q.exposure]
    data = {"schemaVersion": "2021-11-01", "name": _short(template.title, TITLE_MAX),
            "description": _short(template.description, TEXT_MAX), "_version": template.version,
            "pillars": pillars}
    try:
        out.lens = Lens.model_validate(data)
    except ValidationError as exc:
        raise FileError(lens_problems(where or template.id, exc)) from None
    out.left_out = _left_out_line(left, sorted(set(dropped_rules), key=dropped_rules.index), exposure, merged)
    return out


def _left_out_line(left: dict[str, list[str]], rules: list[str], exposure: list[str], merged: list[str]) -> str:
    def some(ids: list[str]) -> str:
        return ", ".join(ids[:4]) + (f" and {len(ids) - 4} more" if len(ids) > 4 else "")

    parts = []
    if left:
        count = sum(len(v) for v in left.values())
        kinds = "; ".join(f"{kind}: {some(ids)}" for kind, ids in left.items())
        parts.append(f"{count} question(s) a lens cannot hold ({kinds}): a lens question is answered by ticking "
                     "choices")
    if rules:
        parts.append(f"rules that read other questions' answers in {len(rules)} question(s) ({some(rules)}): "
                     "a lens rule sees only its own question's choices")
    if exposure:
        parts.append(f"the exposure cap of {some(exposure)}: it depends on other questions")
    if merged:
        parts.append(f"sections merged to fit {MAX_PILLARS} pillars: {'; '.join(merged)}")
    return ("left out: " + "; ".join(parts)) if parts else ""
