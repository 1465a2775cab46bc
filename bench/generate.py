"""Generated review files for benchmarks: realistic sizes, seeded so every run is the same.

    python -m bench.generate portfolio OUT_DIR N      # N reviews of the built-in templates
    python -m bench.generate big OUT_DIR             # one review of 1,000 answers (and its template)
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import tomli_w

from workbook.core import editing
from workbook.core.models import Calculators, CostInputs, Kind, LatencyInputs, LatencyStage, Question, Template
from workbook.core.serialize import dumps
from workbook.core.store import new_review
from workbook.core.templates import builtin_templates

TODAY = dt.date(2026, 11, 26)
WORDS = ("latency budget vendor data owner retention eval pilot cost escalation reviewer drift "
         "contract prompt injection guardrail rollback on-call threshold context").split()


def _sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _value(rng: random.Random, q: Question):
    if q.kind is Kind.SINGLE:
        return rng.choice(q.choices).id
    if q.kind is Kind.MULTI:
        return sorted({rng.choice(q.choices).id for _ in range(rng.randint(1, len(q.choices)))})
    if q.kind is Kind.YES_NO:
        return rng.random() < 0.5
    if q.kind is Kind.NUMBER:
        low = q.minimum if q.minimum is not None else 0
        high = q.maximum if q.maximum is not None else low + 5000
        return round(rng.uniform(low, high), 2)
    if q.kind is Kind.DATE:
        return TODAY + dt.timedelta(days=rng.randint(-60, 120))
    return _sentence(rng, rng.randint(5, 40))


def fill(template: Template, name: str, rng: random.Random):
    """A review answered the way teams answer: mostly answered, some deferred, unknown, N/A, blank."""
    review = new_review(template, name, TODAY - dt.timedelta(days=rng.randint(0, 90)))
    review.program.owner = f"Owner {rng.randint(1, 400)}"
    for _, q in template.questions():
        roll = rng.random()
        if roll < 0.08:
            continue  # unanswered
        if roll < 0.14 and q.decision:
            editing.defer(review, q.id, TODAY - dt.timedelta(days=rng.randint(5, 60)),
                          owner=None if rng.random() < 0.2 else f"Person {rng.randint(1, 50)}",
                          decide_by=TODAY + dt.timedelta(days=rng.randint(-20, 60)),
                          breaks_if_open=_sentence(rng, 8))
            continue
        if roll < 0.18:
            if q.critical:
                editing.mark_unknown(review, q.id, TODAY)
            else:
                editing.mark_not_applicable(review, q.id, _sentence(rng, 6))
            continue
        editing.set_value(review, q.id, _value(rng, q), TODAY, decided_by="Lead", is_decision=q.decision)
        if rng.random() < 0.5:
            editing.set_notes(review, q.id, _sentence(rng, rng.randint(8, 60)))
    calculators = {}
    if template.calculators.cost is not None and rng.random() < 0.5:
        calculators["cost"] = CostInputs(users=rng.randint(20, 5000), input_tokens=rng.randint(500, 20000),
                                         output_tokens=rng.randint(100, 2000), cache_hit_rate=round(rng.random(), 2),
                                         success_rate=round(rng.uniform(0.2, 1), 2))
    if template.calculators.latency is not None and rng.random() < 0.4:
        stages = []
        for name in template.calculators.latency.stages:
            p50 = rng.randint(10, 3000)
            stages.append(LatencyStage(name=name, p50_ms=p50, p95_ms=p50 * rng.uniform(1.2, 4)))
        calculators["latency"] = LatencyInputs(target_p95_ms=rng.choice([1000, 3000, 5000, 8000, 15000]), stages=stages)
    if calculators:
        review.calculators = Calculators(**calculators)
    return review


def portfolio(out: Path, n: int, seed: int = 1) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    templates = [t for _, t in builtin_templates()]
    paths = []
    for i in range(n):
        template = rng.choice(templates)
        review = fill(template, f"Program {i:05d}", rng)
        path = out / f"program-{i:05d}.toml"
        path.write_text(dumps(review, template), encoding="utf-8")
        paths.append(path)
    return paths


def big_template(sections: int = 50, per_section: int = 20) -> dict:
    """A synthetic question bank of sections x per_section questions, all kinds."""
    kinds = ["single_choice", "text", "yes_no", "number", "multi_choice", "date"]
    choice = [{"id": f"c{j}", "label": f"Choice {j}", "risk": r} for j, r in enumerate(("none", "medium", "high"))]
    out = {"schema": 1, "id": "bench-big", "version": "1.0.0", "title": "Benchmark bank", "sections": []}
    for s in range(sections):
        questions = []
        for k in range(per_section):
            kind = kinds[(s + k) % len(kinds)]
            q = {"id": f"s{s:02d}-q{k:02d}", "prompt": f"Question {k + 1} of section {s + 1}: " + "what about it? " * 3,
                 "help": "Why it matters. " * 6, "kind": kind}
            if kind in ("single_choice", "multi_choice"):
                q["choices"] = choice
            if kind == "yes_no":
                q.update(risk_if_yes="none", risk_if_no="medium")
            if k % 7 == 0:
                q["decision"] = True
            questions.append(q)
        out["sections"].append({"id": f"s{s:02d}", "title": f"Section {s + 1}", "intro": "Intro. " * 10,
                                "guidance": "Guidance. " * 5, "timebox_minutes": 10, "questions": questions})
    return out


def big(out: Path, sections: int = 50, per_section: int = 20, seed: int = 2) -> Path:
    """One review answering every question of the synthetic bank (1,000 answers by default)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench-big.toml").write_text(tomli_w.dumps(big_template(sections, per_section)), encoding="utf-8")
    template = Template.model_validate(big_template(sections, per_section))
    rng = random.Random(seed)
    review = new_review(template, "Big program", TODAY)
    review.template_file = "bench-big.toml"
    for _, q in template.questions():
        editing.set_value(review, q.id, _value(rng, q), TODAY)
        editing.set_notes(review, q.id, _sentence(rng, 20))
    path = out / "big-review.toml"
    path.write_text(dumps(review, template), encoding="utf-8")
    return path


if __name__ == "__main__":
    if sys.argv[1] == "portfolio":
        print(len(portfolio(Path(sys.argv[2]), int(sys.argv[3]))), "files")
    else:
        print(big(Path(sys.argv[2])))
