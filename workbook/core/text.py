"""Cleaning of user-typed text before it enters the model; making text from files safe to print."""

from __future__ import annotations

import datetime as dt
import re
from typing import TypeVar

# C0 controls except tab and newline, DEL, the C1 block, and the bidirectional embedding, override
# and isolate controls (a right-to-left override makes text display in an order other than typed).
# ANSI escapes start with ESC (0x1b), so removing ESC leaves their parameters as harmless text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """Normalise line endings and strip control characters (keeps tab and newline)."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def clean_line(value: str) -> str:
    """Like clean_text, for single-line fields: newlines and tabs become spaces."""
    return clean_text(value).replace("\n", " ").replace("\t", " ").strip()


def one_line(value: str, width: int | None = None) -> str:
    """A one-line preview of possibly multi-line text, cut to width with an ellipsis."""
    text = " ".join(clean_text(value).split())
    if width is not None and len(text) > width:
        return text[: max(width - 1, 0)] + "…"
    return text


# What a terminal acts on instead of showing: every C0 control, DEL, the C1 block (0x9b alone is a
# CSI, as ESC [ is) and the bidi embedding, override and isolate controls.
_TERMINAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TERMINAL_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_V = TypeVar("_V")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def terminal_safe(value: str, *, multiline: bool = False) -> str:
    """Text from a file, a TOML key or a file name, safe to print: what a terminal would act on (clear
    the screen, set the window title, write the clipboard, reorder the line) is shown as a visible
    escape such as ``\\x1b`` or ``\\u202e``, so the user sees that something odd is in the file.

    One line unless ``multiline`` (which keeps newline and tab). Applying it twice changes nothing.
    """
    pattern = _TERMINAL_LINES if multiline else _TERMINAL
    return pattern.sub(_visible, value) if pattern.search(value) else value


def safe_keys(mapping: dict[str, _V]) -> dict[str, _V]:
    """A mapping whose keys are names from a file (respondents under ``responses``), each made
    ``terminal_safe``: every screen, export and later merge gets the escaped name. Two keys that
    become the same keep both values ("name (2)"), as two respondents of one name do in a merge."""
    if not any(_TERMINAL.search(key) for key in mapping):
        return mapping
    out: dict[str, _V] = {}
    for key, value in mapping.items():
        base = name = terminal_safe(key)
        n = 2
        while name in out or (name != key and name in mapping):
            name, n = f"{base} ({n})", n + 1
        out[name] = value
    return out


# What json.dumps(ensure_ascii=False) leaves raw that a terminal (or a YAML reader, for U+2028 and
# U+2029) would act on; it already writes C0 controls as \u escapes.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_safe(dumped: str) -> str:
    """JSON text from json.dumps with those characters written as \\u escapes: the same data."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def parse_date(text: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD, or None. Only that form: date.fromisoformat alone would also take
    20261126 and 2026-W48-4."""
    text = text.strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def complete_name(typed: str, names: list[str]) -> str | None:
    """What the user meant by a name: the one participant whose name starts with what was typed (the
    suggestion shown), the typed text itself otherwise; None when empty."""
    if not typed:
        return None
    if typed in names:
        return typed
    matches = [n for n in names if n.casefold().startswith(typed.casefold())]
    return matches[0] if len(matches) == 1 else typed
