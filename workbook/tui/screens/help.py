"""The help screen: every key binding, grouped by where it works."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from workbook.core.userconfig import config_path
from workbook.tui import bindings


def _rows(group: list[BindingType], keymap: Mapping[str, str],
          key_display: Callable[[Binding], str]) -> list[tuple[str, str]]:
    rows = []
    for b in group:
        if not isinstance(b, Binding):
            continue
        keys = keymap.get(b.id, b.key) if b.id else b.key
        names = [k.strip() for k in keys.split(",")]
        # key_display belongs to a one-key binding; with several keys each shows its own name.
        one = [b] if keys == b.key and len(names) == 1 else [Binding(k, b.action) for k in names]
        rows.append((", ".join(key_display(k) for k in one), b.tooltip or b.description))
    return rows


def help_content(groups: list[tuple[str, list[BindingType]]], keymap: Mapping[str, str],
                 key_display: Callable[[Binding], str]) -> Content:
    parts: list[str | tuple[str, str]] = []
    for title, group in groups:
        parts.append((f"{title}\n", "bold $accent"))
        for keys, text in _rows(group, keymap, key_display):
            parts.append((f"  {keys:<16} ", "bold"))
            parts.append(f"{text}\n")
        parts.append("\n")
    return Content.assemble(*parts)


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
            yield Static(Content.styled("Keys — escape closes this screen", "bold"))
            yield Static(help_content(bindings.GROUPS, self.keymap, self.app.get_key_display), id="keys")
            yield Static(Content.styled(
                "The mouse works too: click a section, click a question, double-click to answer.\n"
                "ctrl+p opens the command palette: jump to any section, views and exports.\n"
                f"Rebind any key in {config_path()}: a [keymap] table of binding id = \"keys\" (ids in the README).",
                "$foreground-muted"))

    def action_close(self) -> None:
        self.dismiss(None)
