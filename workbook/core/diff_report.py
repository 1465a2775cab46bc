"""A review diff as text lines for the terminal, or as Markdown for a pull request."""

from __future__ import annotations

from workbook.core.constraints import Constraint
from workbook.core.diff import ReviewDiff
from workbook.core.exports.mdtext import md_cell, md_inline
from workbook.core.text import one_line


def _c(c: Constraint) -> str:
    when = c.decide_by.isoformat() if c.decide_by else "undated"
    return f"{c.kind.value} “{one_line(c.title, 90)}” ({c.owner or 'unowned'}, {when})"


def _score(v: int | None) -> str:
    return "n/a" if v is None else str(v)


def diff_lines(d: ReviewDiff) -> list[str]:
    out = [f"{d.old_label} → {d.new_label}"]
    v_old, v_new = d.old, d.new
    if v_old.verdict != v_new.verdict or v_old.overall != v_new.overall:
        out.append(f"Verdict: {v_old.verdict} ({v_old.overall}) → {v_new.verdict} ({v_new.overall})")
    else:
        out.append(f"Verdict unchanged: {v_new.verdict} ({v_new.overall})")
    if d.scores:
        out.append("Section scores:")
        out += [f"  {title}: {_score(a)} → {_score(b)}" for title, a, b in d.scores]
    if d.changed:
        out.append(f"Answers changed ({len(d.changed)}):")
        for ch in d.changed:
            out.append(f"  [{ch.section_title}] {one_line(ch.prompt, 90)}")
            out.append(f"      {one_line(ch.before, 110)} → {one_line(ch.after, 110)}")
    for title, items in (("Constraints opened", d.opened), ("Constraints closed", d.closed)):
        if items:
            out.append(f"{title} ({len(items)}):")
            out += [f"  {_c(c)}" for c in items]
    if d.slips:
        out.append(f"Slipped ({len(d.slips)}):")
        for s in d.slips:
            dates = (f"decide by {s.before.isoformat()} → {s.after.isoformat()}" if s.before
                     else f"undated → decide by {s.after.isoformat()}")
            out.append(f"  “{one_line(s.constraint.title, 90)}”: {dates}")
    measured = measurement_change(d)
    if measured:
        out.append(measured)
        out += [f"  {one_line(line, 200)}" for line in measurement_evidence(d)]
    if d.empty:
        out.append("No changes.")
    return out


def measurement_change(d: ReviewDiff) -> str | None:
    """The latest measurement beside the estimate: new since the old file, or as it stands."""
    old, new = (x.calc.measurement if x.calc else None for x in (d.old, d.new))
    if new is None:
        return None
    lat = d.new.calc.latency if d.new.calc else None
    estimate = f" (estimate: simulated p95 {lat.p95_ms:,.0f} ms)" if lat is not None else ""
    if old is not None and old.measurement == new.measurement:
        return f"Latest measurement (unchanged): {new.line()}{estimate}"
    return f"Latest measurement: {new.line()}{estimate}" + ("" if old is None else f"; was: {old.line()}")


def measurement_evidence(d: ReviewDiff) -> list[str]:
    """Assumptions a new latest measurement refutes (none when it is the old file's own)."""
    old, new = (x.calc.measurement if x.calc else None for x in (d.old, d.new))
    if new is None or (old is not None and old.measurement == new.measurement):
        return []
    return new.refuted()


def diff_markdown(d: ReviewDiff) -> str:
    out = [f"## Review changes: {md_inline(d.old_label)} → {md_inline(d.new_label)}", ""]
    out.append(f"**Verdict:** {md_inline(d.old.verdict)} ({d.old.overall}) → "
               f"**{md_inline(d.new.verdict)}** ({d.new.overall})")
    if d.scores:
        out += ["", "| Section | Before | After |", "| --- | --- | --- |"]
        out += [f"| {md_cell(t)} | {_score(a)} | {_score(b)} |" for t, a, b in d.scores]
    if d.changed:
        out += ["", f"### Answers changed ({len(d.changed)})", "", "| Section | Question | Before | After |",
                "| --- | --- | --- | --- |"]
        out += [f"| {md_cell(c.section_title)} | {md_cell(c.prompt)} | {md_cell(c.before)} | {md_cell(c.after)} |"
                for c in d.changed]
    for title, items in (("Constraints opened", d.opened), ("Constraints closed", d.closed)):
        if items:
            out += ["", f"### {title} ({len(items)})", ""] + [f"- {md_inline(_c(c))}" for c in items]
    if d.slips:
        out += ["", f"### Slipped ({len(d.slips)})", ""]
        out += [f"- {md_inline(s.constraint.title)}: {s.before.isoformat() if s.before else 'undated'} → "
                f"{s.after.isoformat()}" for s in d.slips]
    measured = measurement_change(d)
    if measured:
        out += ["", md_inline(measured)]
        out += [f"- {md_inline(line)}" for line in measurement_evidence(d)]
    if d.empty:
        out += ["", "No changes."]
    return "\n".join(out) + "\n"
