"""A one-line input that never swallows keys meant for the next field.

Textual hands each key to the focused widget's queue as it arrives. Typed fast (or sent by tmux in
one burst), "Sam<tab>2026-12-15" puts the date in the owner field: the characters after tab were
queued on the owner field before tab moved the focus. A Field that no longer has the focus passes
such keys on to the widget that does.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class Field(Input):
    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused if self.is_attached else None
        if focused is not None and focused is not self and self.screen is self.app.screen:
            event.stop()
            event.prevent_default()
            focused.post_message(events.Key(event.key, event.character))
            return
        if event.key in ("tab", "shift+tab"):
            # Move now, not when the key has bubbled up to the app's binding: the keys typed after
            # it are already queued here and must follow the focus.
            event.stop()
            event.prevent_default()
            if event.key == "tab":
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        await super()._on_key(event)
