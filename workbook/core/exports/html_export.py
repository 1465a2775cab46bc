"""The decision log as one self-contained HTML page, readable on screen and printed on A4.

Every piece of user text goes through `_t` (HTML-escaped, bidi-isolated). No user text ever
becomes an attribute, a link or a script; a Content-Security-Policy forbids scripts and remote
loads besides, so a hostile answer stays inert text even if a bug let it through.
"""

from __future__ import annotations

import html
from collections.abc import Sequence, Set

from workbook.core.calc.describe import cost_lines, cost_table, latency_lines, latency_table, money, ms
from workbook.core.calc.latency import LatencyResult
from workbook.core.calc.results import CostResult
from workbook.core.constraints import Constraint
from workbook.core.exports.common import ExportData, answer_text, by_severity, iso, minutes, reason_after_verdict
from workbook.core.risk import Level
from workbook.core.sections import readiness_caveat, score_text
from workbook.core.text import clean_text

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

STYLE = """
:root { --ink: #1d2330; --muted: #5b6474; --line: #d8dce3; --high: #b42318; --medium: #b54708;
        --ok: #067647; --bg-high: #fef3f2; --bg-medium: #fffaeb; --accent: #2e5aac; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       max-width: 1040px; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid var(--line); }
h3 { margin-top: 1.6rem; }
.facts { color: var(--muted); margin: 0 0 1rem; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: .3rem 1.4rem; }
.verdict { border-left: 6px solid var(--accent); background: #f4f6fb; padding: .8rem 1rem; margin: 1rem 0; }
.verdict.demo-only { border-color: var(--high); background: var(--bg-high); }
.verdict.pilot-with-guardrails { border-color: var(--medium); background: var(--bg-medium); }
.verdict.production-candidate { border-color: var(--ok); }
.verdict > strong { font-size: 1.25rem; text-transform: uppercase; letter-spacing: .02em; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f4f7; }
td.num { text-align: right; white-space: nowrap; } td.nw { white-space: nowrap; }
.flag { display: inline-block; font-size: .75rem; font-weight: 700; padding: 0 .35rem; border-radius: 3px;
        background: #eef0f3; margin: 0 .2rem .1rem 0; }
.flag.bad { background: var(--bg-high); color: var(--high); }
.level-high { color: var(--high); font-weight: 700; } .level-medium { color: var(--medium); font-weight: 700; }
.q { margin: .8rem 0; page-break-inside: avoid; break-inside: avoid; }
.q .prompt { font-weight: 600; } .q .answer { margin-left: 1.4rem; }
.q .notes { margin: .3rem 0 0 1.4rem; color: var(--muted); white-space: normal; border-left: 3px solid var(--line); padding-left: .6rem; }
.muted { color: var(--muted); }
p, li, .q, .verdict, td { overflow-wrap: break-word; }
.scroll { overflow-x: auto; margin: .6rem 0 1rem; }
.scroll > table { margin: 0; }
figure { margin: .6rem 0 1rem; break-inside: avoid; page-break-inside: avoid; }
figcaption { color: var(--muted); margin-bottom: .3rem; }
.urgent { border: 1px solid var(--high); border-radius: 4px; padding: .5rem 1rem; margin: 1rem 0; }
.urgent h2 { margin: 0 0 .3rem; border: 0; font-size: 1.1rem; color: var(--high); }
.urgent ul { margin: 0; padding-left: 1.2rem; } .urgent li { margin: .15rem 0; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
@media (max-width: 600px) { body { margin: 1rem auto; padding: 0 .75rem; font-size: 14px; } }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  section.answers { break-before: page; page-break-before: always; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .scroll { overflow: visible; }
  .urgent { break-inside: avoid; page-break-inside: avoid; }
}
"""  # noqa: E501  (two CSS rules are longer; the stylesheet is written out as is)


def _t(text: str | None) -> str:
    """User text as inert HTML: escaped, line breaks kept, direction isolated from the page."""
    if not text:
        return ""
    escaped = html.escape(clean_text(text), quote=True).replace("\n", "<br>")
    return f"<bdi>{escaped}</bdi>"


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def _table(headers: list[str], rows: list[list[str]], numeric: Set[int] = frozenset(),
           nowrap: Set[int] = frozenset()) -> str:
    def cell(i: int, c: str) -> str:
        cls = "num" if i in numeric else "nw" if i in nowrap else ""
        return f'<td class="{cls}">{c}</td>' if cls else f"<td>{c}</td>"

    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    # Wide tables scroll sideways on a narrow screen instead of widening the page; focusable, so
    # the keyboard can scroll them too.
    return (f'<div class="scroll" tabindex="0"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def score_chart(data: ExportData) -> str:
    """Section scores as an inline SVG bar chart (no script, no external asset)."""
    sections = data.assessment.sections
    row, label_w, bar_w = 24, 250, 560
    height = row * len(sections) + 30
    parts = [f'<svg role="img" aria-label="Readiness score per section" width="100%" '
             f'viewBox="0 0 {label_w + bar_w + 60} {height}" xmlns="http://www.w3.org/2000/svg">']
    for x in (0, 50, 80, 100):
        gx = label_w + bar_w * x / 100
        parts.append(f'<line x1="{gx:.1f}" y1="0" x2="{gx:.1f}" y2="{height - 20}" stroke="#d8dce3" '
                     f'stroke-dasharray="{"0" if x == 0 else "3 3"}"/>')
        parts.append(f'<text x="{gx:.1f}" y="{height - 6}" text-anchor="middle">{x}</text>')
    for i, s in enumerate(sections):
        y = i * row + 4
        score = s.score or 0
        color = "#b42318" if score < 50 else "#b54708" if score < 80 else "#067647"
        title = html.escape(s.title if len(s.title) <= 34 else s.title[:33] + "…")
        weakest = data.assessment.weakest is not None and s.id == data.assessment.weakest.id
        weight = ' font-weight="700"' if weakest else ""
        parts.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end"{weight}>{title}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w * score / 100:.1f}" height="{row - 8}" '
                     f'fill="{color}" rx="2"/>')
        value = score_text(s)
        parts.append(f'<text x="{label_w + bar_w * score / 100 + 6:.1f}" y="{y + 14}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def cost_chart(cost: CostResult) -> str:
    """Cost per successful outcome at 1x, 10x, 100x as bars, with the threshold as a line."""
    values = [p.cost_per_success or 0.0 for p in cost.curve]
    top = max(values + ([cost.threshold] if cost.threshold else []) + [1e-9]) * 1.15
    w, h, left, base = 520, 220, 70, 180
    parts = [f'<svg role="img" aria-label="Cost per successful outcome by scale" width="100%" '
             f'viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">']
    for i, (p, v) in enumerate(zip(cost.curve, values)):
        x = left + 30 + i * 140
        bh = (base - 20) * v / top
        over = cost.threshold is not None and v > cost.threshold
        parts.append(f'<rect x="{x}" y="{base - bh:.1f}" width="80" height="{bh:.1f}" '
                     f'fill="{"#b42318" if over else "#2e5aac"}" rx="2"/>')
        parts.append(f'<text x="{x + 40}" y="{base - bh - 6:.1f}" text-anchor="middle">{html.escape(money(v))}</text>')
        parts.append(f'<text x="{x + 40}" y="{base + 18}" text-anchor="middle">'
                     f'{p.scale}x ({p.users:,.0f} users)</text>')
    parts.append(f'<line x1="{left}" y1="{base}" x2="{w - 10}" y2="{base}" stroke="#5b6474"/>')
    if cost.threshold:
        ty = base - (base - 20) * cost.threshold / top
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{w - 10}" y2="{ty:.1f}" '
                     f'stroke="#b42318" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{left - 4}" y="{ty + 4:.1f}" text-anchor="end">'
                     f'{html.escape(money(cost.threshold))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def latency_chart(lat: LatencyResult) -> str:
    """The end-to-end latency distribution as a histogram, with the p95 target and p95 marked."""
    w, h, left, base = 620, 230, 20, 190
    top_count = max(n for _, n in lat.histogram) or 1
    width_ms = lat.histogram[-1][0] + (lat.histogram[1][0] - lat.histogram[0][0] if len(lat.histogram) > 1 else 1)
    span = max(width_ms, (lat.target_p95_ms or 0) * 1.05)
    bar = (w - left - 20) / len(lat.histogram) * (width_ms / span)

    def x_of(v: float) -> float:
        return left + (w - left - 20) * v / span

    parts = [f'<svg role="img" aria-label="End-to-end latency distribution" width="100%" '
             f'viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">']
    for i, (_, n) in enumerate(lat.histogram):
        bh = (base - 30) * n / top_count
        parts.append(f'<rect x="{left + i * bar:.1f}" y="{base - bh:.1f}" width="{max(bar - 1, 1):.1f}" '
                     f'height="{bh:.1f}" fill="#2e5aac"/>')
    parts.append(f'<line x1="{left}" y1="{base}" x2="{w - 10}" y2="{base}" stroke="#5b6474"/>')
    marks = [("p95", lat.p95_ms, "#1d2330")]
    if lat.target_p95_ms:
        marks.append(("target", lat.target_p95_ms, "#b42318"))
    for i, (label, value, color) in enumerate(marks):
        x = x_of(value)
        parts.append(f'<line x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{base}" stroke="{color}" stroke-dasharray="5 3"/>')
        parts.append(f'<text x="{x + 4:.1f}" y="{12 + i * 14}" fill="{color}">{label} {html.escape(ms(value))}</text>')
    for frac in (0, 0.25, 0.5, 0.75, 1.0):
        v = span * frac
        parts.append(f'<text x="{x_of(v):.1f}" y="{base + 18}" text-anchor="middle">{v / 1000:,.1f}s</text>')
    parts.append("</svg>")
    return "".join(parts)


def _flags(c: Constraint) -> str:
    flags = [("overdue", c.overdue, True), ("unowned", c.unowned, True), ("undated", c.undated, False),
             (f"slipped {c.slips}×", c.slips, False), ("high-risk area", c.high_risk_area, True)]
    return "".join(f'<span class="flag{" bad" if bad else ""}">{name}</span>' for name, on, bad in flags if on)


def _urgent(constraints: Sequence[Constraint]) -> str:
    """Overdue and unowned constraints, on the first page beside the verdict: what to chase first."""
    chase = sorted((c for c in constraints if c.overdue or c.unowned),
                   key=lambda c: (not c.overdue, c.days_left if c.days_left is not None else 0))
    if not chase:
        return ""
    items = []
    for c in chase:
        when = ("undated" if c.decide_by is None
                else f"{'validate' if c.kind.value == 'assumption' else 'decide'} by {c.decide_by.isoformat()}")
        late = f'<span class="flag bad">{-(c.days_left or 0)} days overdue</span>' if c.overdue else ""
        owner = _t(c.owner) if c.owner else '<span class="flag bad">unowned</span>'
        items.append(f"<li><strong>{_t(c.title)}</strong><br>{' · '.join((c.kind.value, owner, when))} {late}</li>")
    overdue, unowned = sum(c.overdue for c in chase), sum(c.unowned for c in chase)
    return (f'<section class="urgent" aria-labelledby="urgent"><h2 id="urgent">Chase first: {overdue} overdue, '
            f"{unowned} unowned</h2><ul>{''.join(items)}</ul></section>")


def render_html(data: ExportData) -> str:
    review, template, a = data.review, data.template, data.assessment
    p = review.program
    facts = [("Owner", p.owner or "—"), ("Stage", p.stage.value.replace("_", " ")),
             ("Review date", iso(p.review_date) or "—"), ("Template", f"{template.id} {template.version}"),
             ("As of", a.today.isoformat())]
    body = [f"<header><h1>Decision log: {_t(p.name)}</h1>",
            '<ul class="facts">' + "".join(f"<li>{k}: {_t(v)}</li>" for k, v in facts) + "</ul>", "</header>\n<main>"]

    start = "".join(f"<li>{_t(p.prompt)} — {_t(p.why)}<br><small>{_t(p.next_step)}</small></li>"
                    for p in a.start_with)
    body.append(f'<div class="verdict {_slug(a.verdict)}"><strong>{html.escape(a.verdict)}</strong> '
                f"— readiness {a.overall}/100, the weakest section decides"
                + (f" ({_t(caveat)})" if (caveat := readiness_caveat(a)) else "")
                + f"; {a.answered} of {a.applicable} "
                f"questions answered.<br>{_t(reason_after_verdict(a))}"
                + (f"<p><strong>Start with:</strong></p><ol>{start}</ol>" if start else "") + "</div>")
    body.append(_urgent(a.constraints))  # on the first page, with the verdict: what to chase first
    if p.participants or p.description:  # the program's own words after what the reader acts on
        body.append("<h2>The program</h2>")
    if p.participants:
        people = ", ".join(f"{x.name} ({x.role})" if x.role else x.name for x in p.participants)
        body.append(f'<p class="muted">Participants: {_t(people)}</p>')
    if p.description:
        body.append(f"<p>{_t(p.description)}</p>")
    body.append("<h2>Section scores</h2><figure><figcaption>Readiness per section, out of 100; dashed at 50 and 80,"
                " the verdict's thresholds; the weakest section, in bold, decides.</figcaption>"
                + score_chart(data) + "</figure>")
    body.append(_table(
        ["Section", "Score", "Answered", "High", "Medium", "Open"],
        [[_t(s.title), score_text(s), f"{s.answered}/{s.total}", str(s.high),
          str(s.medium), str(s.open_constraints)] for s in a.sections],
        numeric={1, 2, 3, 4, 5},
    ))

    made = data.made()
    body.append("<h2>Decisions made</h2>")
    body.append(_table(
        ["Decision", "Outcome", "Decided by", "When", "Rationale"],
        [[_t(d.question.prompt), _t(d.outcome), _t(d.answer.resolved_by or "—"), iso(d.answer.resolved_on) or "—",
          _t(d.answer.notes or "—")] for d in made],
        nowrap={3},
    ) if made else '<p class="muted">No decisions recorded yet.</p>')

    body.append("<h2>Open constraints</h2>")
    body.append(_table(
        ["Constraint", "Kind", "Owner", "Decide by", "Open for", "Flags", "Breaks if open"],
        [[_t(c.title), c.kind.value, _t(c.owner or "—"), iso(c.decide_by) or "—",
          f"{c.age_days}d" if c.age_days is not None else "—", _flags(c), _t(c.breaks_if_open or "—")]
         for c in a.constraints],
        nowrap={3, 4},
    ) if a.constraints else '<p class="muted">None: every decision is made and every assumption validated.</p>')

    body.append(f"<h2>Risk register</h2><p>{a.high} high, {a.medium} medium.</p>")
    if a.risks:
        body.append(_table(
            ["Risk", "Section", "Question", "Answer that raised it"],
            [[f'<span class="level-{r.level.value}">{r.level.value}</span>', _t(data.section_title(r.section_id)),
              _t(r.question.prompt), _t(data.risk_answer(r))]
             for r in by_severity(a.risks)],
        ))

    if review.parking_lot:
        body.append("<h2>Parking lot</h2>" + _table(
            ["Topic", "Owner", "Raised", "State", "Resolution"],
            [[_t(i.topic), _t(i.owner or "unowned"), iso(i.raised_on) or "—",
              f"closed {iso(i.closed_on)}" if i.closed_on else '<span class="flag bad">open</span>',
              _t(i.resolution or "—")] for i in review.parking_lot],
            nowrap={2},
        ))
    spent = review.workshop.seconds_by_section() if review.workshop else {}
    if spent:
        body.append("<h2>Session log</h2>" + _table(
            ["Section", "Time box", "Time spent"],
            [[_t(s.title), f"{s.timebox_minutes} min", minutes(spent[s.id])]
             for s in template.sections if s.id in spent],
            numeric={1, 2},
        ))

    calc = a.calc
    if calc is not None and calc.cost is not None:
        headers, rows = cost_table(calc.cost)
        body.append("<h2>Cost</h2><ul>" + "".join(f"<li>{_t(line)}</li>" for line in cost_lines(calc.cost)) + "</ul>")
        caption = ("Cost per successful outcome at 1x, 10x and 100x users"
                   + ("; dashed: the threshold." if calc.cost.threshold else "."))
        body.append(f"<figure><figcaption>{caption}</figcaption>{cost_chart(calc.cost)}</figure>"
                    + _table(headers, [[_t(c) for c in row] for row in rows], numeric={1, 2, 3, 4}))
    if calc is not None and calc.latency is not None:
        headers, rows = latency_table(calc.latency)
        body.append("<h2>Latency</h2><ul>" + "".join(f"<li>{_t(line)}</li>" for line in latency_lines(calc.latency))
                    + "</ul>")
        caption = ("End-to-end latency over 20,000 simulated requests; dashed: the p95"
                   + (" and the target." if calc.latency.target_p95_ms else "."))
        body.append(f"<figure><figcaption>{caption}</figcaption>{latency_chart(calc.latency)}</figure>"
                    + _table(headers, [[_t(c) for c in row] for row in rows], numeric={1, 2, 3}))

    coverage_rows = [[html.escape(c.framework), html.escape(c.tag), html.escape(c.name), html.escape(c.status)]
                     for c in a.coverage]
    body.append("<h2>Framework coverage</h2>" + _table(["Framework", "Id", "Category", "Status"], coverage_rows))

    for section, answers in data.answers_by_section():
        body.append(f'<section class="answers"><h2>{_t(section.title)}</h2>')
        if section.intro:
            body.append(f'<p class="muted">{_t(section.intro)}</p>')
        for i, (q, ans, level) in enumerate(answers, 1):
            badge = (f' <span class="level-{level.value}">{level.value} risk</span>'
                     if level in (Level.HIGH, Level.MEDIUM) else "")
            notes = f'<div class="notes">{_t(ans.notes)}</div>' if ans.notes else ""
            body.append(f'<div class="q"><div class="prompt">{i}. {_t(q.prompt)}</div>'
                        f'<div class="answer">{_t(answer_text(q, ans))}{badge}</div>{notes}</div>')
        body.append("</section>")
    orphans = data.orphans()
    if orphans:
        body.append('<section class="answers"><h2>Answers to questions this template no longer has</h2>')
        for qid, orphan in orphans:
            notes = f'<div class="notes">{_t(orphan.notes)}</div>' if orphan.notes else ""
            body.append(f'<div class="q"><div class="prompt">{_t(qid)}</div><div class="answer">'
                        f"{_t(answer_text(None, orphan))}</div>{notes}</div>")
        body.append("</section>")
    body.append("</main>")

    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Decision log: {html.escape(clean_text(p.name))}</title><style>{STYLE}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
