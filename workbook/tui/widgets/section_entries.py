"""What the section view draws, entry by entry: the section's intro, calculator cards, question cards
and the page note, each laid out as lines of text at a width (the view adds the bar and colours)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual.content import Content

from workbook.core.models import Section
from workbook.tui.widgets.question_card import Card

if TYPE_CHECKING:
    from workbook.tui.messages import CalculatorKind


def section_intro(section: Section, show_guidance: bool, guidance_key: str = "g") -> Content:
    parts: list[str | tuple[str, str]] = [(section.title, "bold $text-accent")]
    if section.timebox_minutes:
        parts.append((f"  · time box {section.timebox_minutes} min", "$foreground-muted"))
    if section.guidance and not show_guidance:
        parts.append((f"  · {guidance_key}: facilitator guidance", "$foreground-muted"))  # one key away
    if section.intro:
        parts += ["\n", (section.intro, "$foreground-muted")]
    if show_guidance and section.guidance:
        parts += ["\n", ("Facilitator: ", "bold $text-primary"), (section.guidance, "$text-primary")]
    return Content.assemble(*parts)


PAGE_SIZE = 50  # cards drawn at once: a 5,000-question section opens as fast as a 50-question one


def page_note(page: int, pages: int, total: int, keys: tuple[str, str, str] = ("j", "k", "end")) -> Content:
    """``keys``: the keys that move to the next question, the previous one and the last one."""
    first, last = page * PAGE_SIZE + 1, min(total, (page + 1) * PAGE_SIZE)
    down, up, end = keys
    return Content.styled(
        f"Questions {first:,}–{last:,} of {total:,} (page {page + 1} of {pages}) · {down} past the last card shows "
        f"the next {PAGE_SIZE}, {up} before the first the previous ones, {end} the last", "$foreground-muted")


EntryKind = Literal["intro", "calculator", "question", "note"]


@dataclass
class Entry:
    """One thing drawn in the section: its intro, a calculator card, a question card or the page note."""

    kind: EntryKind
    key: str
    card: Card | None = None
    calculator: CalculatorKind | None = None

    @property
    def selectable(self) -> bool:
        return self.kind in ("question", "calculator")


def entry_lines(entry: Entry, content: Content | None, width: int) -> list[Content]:
    """An entry's lines at the view's width, leaving a cell for the bar of a card (a card builds its
    own text: content is for the other entries)."""
    if entry.card is not None:
        return entry.card.wrapped(width - 2) + [Content("")]  # bar, text, a blank line under it
    assert content is not None
    if entry.kind == "calculator":
        return [Content("   ") + line for line in content.wrap(max(width - 5, 10))] + [Content("")]
    if entry.kind == "intro":
        return content.wrap(max(width, 10)) + [Content("")]
    return [Content("")] + content.wrap(max(width, 10))
