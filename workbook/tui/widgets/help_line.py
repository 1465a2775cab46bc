"""What a focusable card says in the help line under the section while it has the focus."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class HasHelpLine(Protocol):
    def help_line(self) -> tuple[str, str]:
        """(a bold label, the text)."""
        ...
