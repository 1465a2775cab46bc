"""A light footer: the keys that work here, redrawn only when they change.

Textual's Footer recomposes a widget per key on every focus change; moving between 20 questions
made that the slowest thing on screen (see bench/). This is one Static; clicking a key presses it.
"""

from __future__ import annotations

from textual.content import Content
from textual.events import Click
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__("")
        self._signature: tuple[object, ...] = ()
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        seen: set[str] = set()
        entries = []
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or binding.action in seen or not enabled:
                continue  # a disabled key is not worth the room on an 80-column line
            seen.add(binding.action)
            entries.append((binding.key, self.app.get_key_display(binding), binding.description, node is self.app))
        signature = (tuple(entries), self.size.width)
        if signature == self._signature:
            return
        self._signature = signature
        self._draw(entries)

    def on_resize(self) -> None:
        self._signature = ()
        self.bindings_changed(self.screen)

    def _draw(self, entries: list[tuple[str, str, str, bool]]) -> None:
        """The keys for what has focus first, the app's (help, quit) always last; what does not fit
        in between is left out, marked with …."""
        room = max(self.size.width - 2, 20)
        local = [e for e in entries if not e[3]]
        pinned = [e for e in entries if e[3]]

        def width(items: list[tuple[str, str, str, bool]]) -> int:
            return sum(len(f"{d} {t}") + 2 for _, d, t, _ in items)

        shown = list(local)
        while shown and width(shown) + width(pinned) + 2 > room:
            shown.pop()
        cut = len(shown) < len(local)
        parts: list[str | tuple[str, str]] = []
        spans = []
        x = 0
        for key, display, description, _ in shown + ([("", "…", "", False)] if cut else []) + pinned:
            text = f"{display} {description}".rstrip()
            parts += [(display, "bold $text-accent"), (f" {description}" if description else "", ""), "  "]
            if key:
                spans.append((x, x + len(text), key.split(",")[0]))
            x += len(text) + 2
        self._spans = spans
        self.update(Content.assemble(*parts), layout=False)  # one fixed line: never a re-layout

    def on_click(self, event: Click) -> None:
        x = event.x - 1  # padding
        for start, end, key in self._spans:
            if start <= x < end:
                self.app.simulate_key(key)
                return
