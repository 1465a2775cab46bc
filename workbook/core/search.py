"""Finding a question by what it says or what was answered: prompt, help, answer, notes, owner."""

from __future__ import annotations

from dataclasses import dataclass

from workbook.core.display import answer_summary
from workbook.core.models import Review, Template
from workbook.core.text import one_line


@dataclass(frozen=True)
class Found:
    question_id: str
    section_id: str
    section_title: str
    prompt: str
    where: str  # the field that matched: name (the question's id) | prompt | help | answer | notes | owner
    snippet: str  # a short piece of that field around the match


FIELDS = ("name", "prompt", "answer", "notes", "owner", "help")  # the order a match ranks in


def _snippet(text: str, word: str, width: int = 70) -> str:
    flat = one_line(text)
    at = flat.casefold().find(word)
    start = max(0, at - width // 3)
    piece = flat[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def search(review: Review, template: Template, query: str, limit: int = 50) -> list[Found]:
    """Questions whose id, prompt, help, answer, notes or owner hold every word of the query (any case).

    Ranked: the whole phrase in one field first (the id, then the prompt, the answer, the notes, the
    owner, the help), then the words spread over fields; then in the template's order."""
    words = query.casefold().split()
    if not words:
        return []
    ranked: list[tuple[int, int, Found]] = []
    for order, (section, q) in enumerate(template.questions()):
        answer = review.answer(q.id)
        fields = {"name": q.id.replace("-", " "), "prompt": q.prompt,
                  "answer": answer_summary(q, answer) if answer.has_value else "",
                  "notes": answer.notes, "owner": answer.owner or "", "help": q.help}
        haystack = " ".join(fields.values()).casefold()
        if not all(w in haystack for w in words):
            continue
        phrase = " ".join(words)
        # A field holding the whole phrase ranks first ("kill switch" is the kill-switch question),
        # then a field holding the first word.
        where = next((f for f in FIELDS if phrase in fields[f].casefold()), None)
        rank = FIELDS.index(where) if where else len(FIELDS)
        where = where or next((f for f in FIELDS if words[0] in fields[f].casefold()), "prompt")
        found = Found(q.id, section.id, section.title, q.prompt, where, _snippet(fields[where], words[0]))
        ranked.append((rank * 10 + FIELDS.index(where), order, found))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [f for _, _, f in ranked[:limit]]
