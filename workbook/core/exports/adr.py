"""One MADR 4 decision record per decision (made or deferred), in a folder log4brains can read.

Files are named NNNN-title-with-dashes.md. Each carries a marker naming its program and question,
so exporting again into the same folder rewrites the same files instead of adding duplicates
(several programs can share one folder); new decisions take the next free number. A record holds
nothing that changes by itself (no export date), so re-exporting an unchanged review changes no file.

Tools read a record's status in different places, so it is written in each of them:
- MADR 4's YAML front matter (status, date, decision-makers, consulted, informed). It ends with a
  blank line before the closing `---`: without it, a Markdown renderer that does not know front
  matter (log4brains) takes the YAML as a setext heading, and log4brains reads no metadata after it;
- the `- Status: / - Date: / - Deciders:` list under the title that log4brains reads (a record
  without it is shown as accepted);
- a `## Status` section starting "Accepted" or "Proposed", which adr-viewer reads.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from workbook.core.exports.common import Decision, ExportData, answer_text, iso, same_person
from workbook.core.exports.mdtext import md_block, md_inline
from workbook.core.kinds import kind_of
from workbook.core.lens.plans import explaining_plans
from workbook.core.models import Question, Risk, Status
from workbook.core.risk import Level
from workbook.core.text import clean_line, json_safe

MARKER = re.compile(r"<!-- workbook-record: ([A-Za-z0-9_:-]+) -->")
NUMBERED = re.compile(r"^(\d{4})-.*\.md$")


def slugify(text: str, limit: int = 60) -> str:
    """Lower-case ASCII words joined by dashes, at most `limit` characters, cut only between words."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    # Word by word, as typed ("re-scoped" and "user's" are one word each), so none is cut in two.
    words = [w for w in (re.sub(r"[^a-z0-9]+", "-", word).strip("-") for word in text.lower().split()) if w]
    slug = ""
    for word in words:
        if len(slug) + len(word) + (1 if slug else 0) > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    if not slug and words:  # one word longer than the limit: cut it, there is no other way
        slug = words[0][:limit].rstrip("-")
    return slug or "decision"


def _key_slug(text: str, limit: int) -> str:
    # The marker's key, as earlier versions wrote it (cut at the limit, even mid-word): it must stay
    # the same so a folder exported before still updates in place.
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "decision"


def _yaml(value: str) -> str:
    # Cleaned like the body (md_inline): one line, no control characters. A JSON string is a valid
    # YAML double-quoted scalar (quotes and colons stay data); json_safe writes U+2028 and U+2029,
    # which a YAML 1.1 reader takes as line breaks, as \u escapes.
    return json_safe(json.dumps(clean_line(value), ensure_ascii=False))


@dataclass(frozen=True)
class Record:
    question_id: str
    filename: str
    text: str


def _options(d: Decision) -> list[str]:
    return kind_of(d.question).labels(d.question)


def _consequences(d: Decision, data: ExportData) -> list[str]:
    q, a = d.question, d.answer
    out = []
    if q.rules and not any(c.risk for c in q.choices):  # judged by its rules only (an imported lens's question)
        level = next((r.level for r in data.assessment.risks if r.question.id == q.id and not r.extra), None)
        why = data.assessment.reasons.get(q.id, "")
        lead = ("Bad, because the review judges it a high risk" if level is Level.HIGH
                else "Neutral, because the review judges it a medium risk" if level is Level.MEDIUM
                else "Good, because the review judges it no risk")
        out.append(f"{lead}: {why}" if why else f"{lead}.")
        out += [f"Improvement plan for “{c.label}”: {plan}" for c, plan in explaining_plans(q, a)
                if level in (Level.HIGH, Level.MEDIUM)]
        return out
    if kind_of(q).has_choices and a.value is not None:
        for cid in kind_of(q).chosen(a.value):
            c = q.choice(cid)
            if c is None:
                continue
            if c.risk is Risk.HIGH:
                out.append(f"Bad, because the review flags “{c.label}” as a high risk.")
            elif c.risk is Risk.MEDIUM:
                out.append(f"Neutral, because the review flags “{c.label}” as a medium risk.")
            else:
                out.append(f"Good, because the review flags no risk for “{c.label}”.")
    return out


def bearing_on(d: Decision, data: ExportData) -> list[Question]:
    """The questions of the decision's section whose answers bear on it: linked to it (a target it
    sets, a control it names or is named by) or sharing a framework tag with it; with none of those,
    every other question of the section. Only answered ones (unknown and deferred say something too)."""
    q = d.question
    others = [o for o in d.section.questions if o.id != q.id]
    linked = [o for o in others if q.id in (o.target_question, *o.controlled_by) or o.id in (q.target_question,
              *q.controlled_by) or set(o.tags) & set(q.tags)]
    return [o for o in (linked or others) if data.review.answer(o.id).status is not Status.UNANSWERED]


def _context(d: Decision, data: ExportData) -> list[str]:
    """The program's own words on the decision: its notes while open, the answers around it, what
    breaks while it stays open. Not the template's coaching (`help`): that is the same for every program."""
    a, lines = d.answer, []
    if a.notes and not d.made:  # once made, the notes are the rationale, under Decision Outcome
        lines += [md_block(a.notes), ""]
    if a.breaks_if_open and not d.made:
        lines += [f"While it stays open: {md_inline(a.breaks_if_open)}", ""]
    answers = [(o, data.review.answer(o.id)) for o in bearing_on(d, data)]
    if answers:
        lines += ["What the review answered around it:", ""]
        for o, answer in answers:
            lines.append(f"* {md_inline(o.prompt)}\\")
            lines.append(md_block(answer_text(o, answer), prefix="  "))
        lines.append("")
    return lines


def _list_value(text: str) -> str:
    # log4brains splits Deciders at commas: a comma inside one name ("COO, sponsor") becomes a semicolon.
    return md_inline(clean_line(text).replace(",", ";"))


def render_record(d: Decision, data: ExportData) -> str:
    q, a = d.question, d.answer
    program = data.review.program
    status = "accepted" if d.made else "proposed"
    day = a.resolved_on if d.made and a.resolved_on else (a.opened_on or program.review_date or data.today)
    makers = [a.resolved_by] if d.made and a.resolved_by else ([a.owner] if a.owner else [])
    consulted = [f"{p.name} ({p.role})" if p.role else p.name for p in program.participants
                 if not any(same_person(m, p.name) for m in makers)]
    informed = [program.owner] if program.owner and not any(same_person(m, program.owner) for m in makers) else []
    lines = [
        "---",
        f"status: {_yaml(status)}",
        f"date: {day.isoformat()}",
        f"decision-makers: [{', '.join(_yaml(m) for m in makers)}]",
        f"consulted: [{', '.join(_yaml(c) for c in consulted)}]",
        f"informed: [{', '.join(_yaml(i) for i in informed)}]",
        "",  # a blank line first, so a renderer without front matter does not read a setext heading
        "---",
        "",
        f"# {md_inline(q.prompt)}",
        "",
        f"- Status: {status}",  # in the order of log4brains' own template, which it hides from the page
    ]
    if makers:
        lines.append(f"- Deciders: {', '.join(_list_value(m) for m in makers)}")
    lines += [
        f"- Date: {day.isoformat()}",
        "",
        f"<!-- workbook-record: {record_key(data, q.id)} -->",
        "",
        "## Status",
        "",
    ]
    if d.made:
        who = f" by {md_inline(a.resolved_by)}" if a.resolved_by else ""
        lines.append(f"Accepted{who} on {day.isoformat()}.")
    else:
        owner = f"deferred to {md_inline(a.owner)}" if a.owner else "deferred, with no owner yet"
        when = f"to decide by {a.decide_by.isoformat()}" if a.decide_by else "with no decide-by date yet"
        lines.append(f"Proposed: not decided yet; {owner}, {when}.")
    lines += [
        "",
        "## Context and Problem Statement",
        "",
        f"{md_inline(program.name)}: section “{md_inline(d.section.title)}” of “{md_inline(data.template.title)}”.",
        "",
    ]
    lines += _context(d, data)
    options = _options(d)
    if options:
        lines += ["## Considered Options", ""] + [f"* {md_inline(o)}" for o in options] + [""]
    lines += ["## Decision Outcome", ""]
    if d.made:
        # MADR writes the chosen option in straight double quotes: Chosen option: "…", because …
        lines.append(f'Chosen option: "{md_inline(d.outcome)}"' + (", because:" if a.notes else "."))
        if a.notes:
            lines += ["", md_block(a.notes)]
        consequences = _consequences(d, data)
        if consequences:
            lines += ["", "### Consequences", ""] + [f"* {md_inline(c)}" for c in consequences]
    else:
        lines.append("Not decided yet (see Status).")
    lines += ["", "## More Information", ""]
    info: list[tuple[str, str]] = []
    if d.made:
        # An accepted record says what happened; the deferral, if there was one, only as history.
        if a.opened_on:
            info.append(("Deferred on", iso(a.opened_on)))
        if a.owner and a.owner != a.resolved_by:
            info.append(("Owner while deferred", a.owner))
        if a.decide_by:
            info.append(("Was to be decided by", iso(a.decide_by)))
    else:
        info += [("Owner", a.owner or "unowned"), ("Decide by", iso(a.decide_by) or "undated")]
        if a.opened_on:
            info.append(("Deferred on", iso(a.opened_on)))
    if a.decide_by_history:
        info.append(("Earlier decide-by dates", ", ".join(x.isoformat() for x in a.decide_by_history)))
    if d.made:
        if a.resolved_by:
            info.append(("Decided by", a.resolved_by))
        if a.resolved_on:
            info.append(("Decided on", iso(a.resolved_on)))
    info.append(("Recorded by", f"workbook, from the {data.template.id} {data.template.version} review"))
    lines += [f"* {k}: {md_inline(v)}" for k, v in info]
    return "\n".join(lines).rstrip() + "\n"


def record_key(data: ExportData, question_id: str) -> str:
    return f"{_key_slug(data.review.program.name, 40)}:{question_id}"


def existing_records(folder: Path) -> dict[str, str]:
    """record key (program:question) -> file name, for records this folder already holds."""
    found: dict[str, str] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.md")):
            try:
                head = path.read_text(encoding="utf-8", errors="replace")[:4000]
            except OSError:
                continue
            m = MARKER.search(head)
            if m:
                found.setdefault(m.group(1), path.name)
    return found


def plan_records(data: ExportData, folder: Path) -> list[Record]:
    known = existing_records(folder)
    numbers = [int(m.group(1)) for p in (folder.glob("*.md") if folder.is_dir() else [])
               if (m := NUMBERED.match(p.name))]
    next_number = max(numbers, default=0) + 1
    records = []
    for d in data.decisions():
        name = known.get(record_key(data, d.question.id))
        if name is None:
            name = f"{next_number:04d}-{slugify(d.question.prompt)}.md"
            next_number += 1
        records.append(Record(d.question.id, name, render_record(d, data)))
    return records
