"""The help screen: every key binding, grouped by where it works, with the id a keymap rebinds it by."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from workbook.core.userconfig import config_path
from workbook.tui import bindings

Row = tuple[str, str, str]  # the keys, what they do, the binding's id (several: one row for them all)


def _rows(group: list[BindingType], keymap: Mapping[str, str], key_display: Callable[[Binding], str]) -> list[Row]:
    rows: dict[tuple[str, str], list[str]] = {}
    for b in group:
        if not isinstance(b, Binding):
            continue
        keys = keymap.get(b.id, b.key) if b.id else b.key
        names = [k.strip() for k in keys.split(",")]
        # key_display belongs to a one-key binding; with several keys each shows its own name.
        one = [b] if keys == b.key and len(names) == 1 else [Binding(k, b.action) for k in names]
        ids = rows.setdefault((", ".join(key_display(k) for k in one), b.tooltip or b.description), [])
        if b.id:  # every dialog's escape is one row, not one a dialog: it lists each dialog's id
            ids.append(b.id)
    return [(keys, text, ", ".join(ids)) for (keys, text), ids in rows.items()]


KEYS_WIDTH = 16  # the key column at most; longer keys get a line of their own


def help_content(rows: list[tuple[str, list[Row]]], width: int) -> Content:
    """Keys and what they do in two columns at this width: a long description wraps under itself, and
    the binding's id (what a [keymap] names) goes on a line of its own under it, muted."""
    keys_width = min(KEYS_WIDTH, max((len(keys) for _, group in rows for keys, _, _ in group), default=0))
    indent = 2 + keys_width + 1
    room = max(width - indent, 20)
    parts: list[str | tuple[str, str]] = []
    for title, group in rows:
        parts.append((f"{title}\n", "bold $text-accent"))
        for keys, text, ids in group:
            lines = textwrap.wrap(text, room) or [""]
            if len(keys) > keys_width:
                parts.append((f"  {keys}\n", "bold"))
                parts.append(" " * indent)
            else:
                parts.append((f"  {keys:<{keys_width}} ", "bold"))
            parts.append("\n".join([lines[0], *(" " * indent + line for line in lines[1:])]) + "\n")
            for line in textwrap.wrap(ids, room, break_on_hyphens=False):
                parts += [" " * indent, (line, "$foreground-muted"), "\n"]
        parts.append("\n")
    return Content.assemble(*parts)


class KeyTable(Static):
    """The key bindings, laid out for the width the table is given (see help_content)."""

    def __init__(self, rows: list[tuple[str, list[Row]]], id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows

    def render(self) -> Content:
        return help_content(self.rows, self.content_region.width or 80)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(help_content(self.rows, width).split("\n"))


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 84; height: 90%; border: thick $accent; background: $surface; padding: 0 1;
    }
    """

    BINDINGS = bindings.HELP

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            close = bindings.key_for(self.app, "help.close")
            yield Static(Content.styled(f"Keys — {close} closes this screen; under each, the id to rebind it by",
                                        "bold"))
            rows = [(title, _rows(group, self.keymap, self.app.get_key_display)) for title, group in bindings.GROUPS]
            yield KeyTable(rows, id="keys")
            yield Static(Content.styled(
                "The mouse works too: click a section, click a question, double-click to answer.\n"
                f"{bindings.key_for(self.app, bindings.PALETTE)} opens the command palette: jump to any section, "
                "views and exports.\n"
                f"Rebind any key in {config_path()}: a [keymap] table of id = \"keys\", with the ids above, "
                'e.g. "app.undo" = "f9".',
                "$foreground-muted"))

    def action_close(self) -> None:
        self.dismiss(None)
