"""The list of sections on the left, each with progress and its open constraints."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workbook.core.sections import SectionStatus


def section_prompt(status: SectionStatus) -> Content:
    parts: list[str | tuple[str, str]] = [(status.title, "bold"), "\n"]
    done = status.answered == status.total
    parts.append((f" {status.answered}/{status.total}", "$text-success" if done else "$foreground-muted"))
    if status.open:
        parts.append((f"  ◆{status.open} open", "$text-warning"))
    if status.overdue:
        parts.append((f" {status.overdue}!", "bold $text-error"))
    if status.disagreements:
        parts.append((f"  ⚡{status.disagreements}", "bold $text-warning"))
    return Content.assemble(*parts)


class SectionList(OptionList):
    """Sections of the review; highlighting one shows it."""

    DEFAULT_CSS = """
    SectionList { width: 28; height: 1fr; padding: 0 0 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    SectionList > .option-list--option-highlighted { background: $primary 30%; }
    """

    def __init__(self, statuses: list[SectionStatus], **kwargs: Any) -> None:
        super().__init__(*(Option(section_prompt(s), id=s.section_id) for s in statuses), compact=True, **kwargs)
        self._statuses = {s.section_id: s for s in statuses}

    def update_status(self, status: SectionStatus) -> None:
        if self._statuses.get(status.section_id) != status:
            self._statuses[status.section_id] = status
            self.replace_option_prompt(status.section_id, section_prompt(status))

    def select_section(self, section_id: str) -> None:
        index = self.get_option_index(section_id)
        if self.highlighted != index:
            self.highlighted = index
