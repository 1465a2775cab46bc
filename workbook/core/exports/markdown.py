"""The decision log as GitHub-flavoured Markdown, for a wiki or a repository."""

from __future__ import annotations

from workbook.core.calc.describe import cost_lines, cost_table, latency_lines, latency_table, money, ms, text_bars
from workbook.core.exports.common import ExportData, answer_text, by_severity, iso, minutes, reason_after_verdict
from workbook.core.exports.mdtext import md_block, md_cell, md_inline
from workbook.core.risk import Level
from workbook.core.sections import readiness_caveat, score_text


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_markdown(data: ExportData) -> str:
    review, template, a = data.review, data.template, data.assessment
    p = review.program
    out: list[str] = [f"# Decision log: {md_inline(p.name)}", ""]
    facts = [
        ("Owner", p.owner or "—"),
        ("Stage", p.stage.value.replace("_", " ")),
        ("Review date", iso(p.review_date) or "—"),
        ("Template", f"{template.id} {template.version}"),
        ("As of", a.today.isoformat()),
    ]
    out += [f"- **{k}:** {md_inline(v)}" for k, v in facts]
    if p.participants:
        people = ", ".join(f"{x.name} ({x.role})" if x.role else x.name for x in p.participants)
        out.append(f"- **Participants:** {md_inline(people)}")
    if p.description:
        out += ["", md_block(p.description)]
    contents_at = len(out)  # the table of contents goes here, once every heading is known

    caveat = readiness_caveat(a)
    out += ["", "## Verdict", "", f"**{md_inline(a.verdict.capitalize())}** — readiness {a.overall}/100 "
            f"(the weakest section decides{'; ' + md_inline(caveat) if caveat else ''}); "
            f"{a.answered} of {a.applicable} questions answered.", "",
            md_block(reason_after_verdict(a)), ""]
    if a.start_with:
        out += ["**Start with:**", ""]
        out += [f"{i}. {md_inline(p.prompt)} — {md_inline(p.why)}\\\n   {md_inline(p.next_step)}"
                for i, p in enumerate(a.start_with, 1)]
        out.append("")
    out += _table(
        ["Section", "Score", "Answered", "High", "Medium", "Open"],
        [[md_cell(s.title), score_text(s), f"{s.answered}/{s.total}",
          str(s.high), str(s.medium), str(s.open_constraints)] for s in a.sections],
    )

    made = data.made()
    out += ["", "## Decisions made", ""]
    if made:
        out += _table(
            ["Decision", "Outcome", "Decided by", "When", "Rationale"],
            [[md_cell(d.question.prompt), md_cell(d.outcome), md_cell(d.answer.resolved_by or "—"),
              iso(d.answer.resolved_on) or "—", md_cell(d.answer.notes or "—")] for d in made],
        )
    else:
        out.append("No decisions recorded yet.")

    out += ["", "## Open constraints", ""]
    if a.constraints:
        rows = []
        for c in a.constraints:
            flags = [f for f, on in (("**OVERDUE**", c.overdue), ("**unowned**", c.unowned),
                                     ("undated", c.undated), (f"slipped {c.slips}×", c.slips),
                                     ("high-risk area", c.high_risk_area)) if on]
            rows.append([md_cell(c.title), c.kind.value, md_cell(c.owner or "—"), iso(c.decide_by) or "—",
                         f"{c.age_days}d" if c.age_days is not None else "—", " ".join(flags) or "—",
                         md_cell(c.breaks_if_open or "—")])
        out += _table(["Constraint", "Kind", "Owner", "Decide by", "Open for", "Flags", "Breaks if open"], rows)
    else:
        out.append("None: every decision is made and every assumption validated.")

    out += ["", "## Risk register", ""]
    if a.risks:
        out += _table(
            ["Risk", "Section", "Question", "Answer that raised it"],
            [[r.level.value, md_cell(data.section_title(r.section_id)), md_cell(r.question.prompt),
              md_cell(data.risk_answer(r))] for r in by_severity(a.risks)],
        )
    else:
        out.append("No high or medium risks in the answers.")

    lot = review.parking_lot
    if lot:
        out += ["", "## Parking lot", ""]
        out += _table(["Topic", "Owner", "Raised", "State", "Resolution"],
                      [[md_cell(i.topic), md_cell(i.owner or "unowned"), iso(i.raised_on) or "—",
                        f"closed {iso(i.closed_on)}" if i.closed_on else "**open**", md_cell(i.resolution or "—")]
                       for i in lot])
    spent = review.workshop.seconds_by_section() if review.workshop else {}
    if spent:
        out += ["", "## Session log", ""]
        out += _table(["Section", "Time box", "Time spent"],
                      [[md_cell(s.title), f"{s.timebox_minutes} min", minutes(spent[s.id])]
                       for s in template.sections if s.id in spent])

    calc = a.calc
    if calc is not None and calc.cost is not None:
        out += ["", "## Cost", ""] + [f"- {md_inline(line)}" for line in cost_lines(calc.cost)]
        headers, rows = cost_table(calc.cost)
        out += [""] + _table(headers, [[md_cell(c) for c in row] for row in rows])
        pairs = [(f"{p.scale}x", p.cost_per_success or 0.0) for p in calc.cost.curve]
        out += ["", "Cost per successful outcome by scale (USD):", "", "```text",
                *text_bars(pairs, marker=calc.cost.threshold, fmt=money), "```"]
    if calc is not None and calc.latency is not None:
        lat = calc.latency
        out += ["", "## Latency", ""] + [f"- {md_inline(line)}" for line in latency_lines(lat)]
        headers, rows = latency_table(lat)
        out += [""] + _table(headers, [[md_cell(c) for c in row] for row in rows])
        pairs = [("p50", lat.p50_ms), ("p95", lat.p95_ms), ("p99", lat.p99_ms)]
        out += ["", "End-to-end latency (ms)" + (", ^ marks the p95 target" if lat.target_p95_ms else "") + ":",
                "", "```text", *text_bars(pairs, marker=lat.target_p95_ms, fmt=ms), "```"]

    out += ["", "## Answers by section"]
    for section, answers in data.answers_by_section():
        out += ["", f"### {md_inline(section.title)}", ""]
        for i, (q, ans, level) in enumerate(answers, 1):
            badge = f" — *{level.value} risk*" if level in (Level.HIGH, Level.MEDIUM) else ""
            out.append(f"**{i}. {md_inline(q.prompt)}**\\")  # a hard break that survives whitespace stripping
            out.append(md_block(answer_text(q, ans), prefix="   ") + badge)  # the answer's own line breaks kept
            if ans.notes:
                out += ["", md_block(ans.notes, prefix="   > ")]
            out.append("")
    orphans = data.orphans()
    if orphans:
        out += ["## Answers to questions this template no longer has", ""]
        for qid, orphan in orphans:
            out.append(f"- {md_inline(qid)}: {md_block(answer_text(None, orphan), prefix='  ').lstrip()}")
            if orphan.notes:
                out.append(md_block(orphan.notes, prefix="  > "))
        out.append("")
    out[contents_at:contents_at] = ["", _contents(out)]
    return "\n".join(out).rstrip() + "\n"


def _contents(lines: list[str]) -> str:
    """One line of links to the document's own sections (their titles are ours, never user text)."""
    titles = [line[3:] for line in lines if line.startswith("## ")]
    return "**Contents:** " + " · ".join(f"[{t}](#{t.lower().replace(' ', '-')})" for t in titles)
