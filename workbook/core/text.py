"""Cleaning of user-typed text before it enters the model."""

from __future__ import annotations

import datetime as dt
import re

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


def parse_date(text: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD, or None."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
