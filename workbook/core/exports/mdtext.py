"""Escaping user text for GitHub-flavoured Markdown: it must render as the literal text typed."""

from __future__ import annotations

import re

from workbook.core.text import clean_text

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can start
# markup inline (emphasis, code, links and images, HTML, table cells, strikethrough, entities, math).
_INLINE = re.compile(r"([\\`*_\[\]<>|~&$])")
# At the start of a line these make headings, lists, quotes, rules or setext underlines.
_LINE_START = re.compile(r"^(\s*)([-=+>#])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")


def md_inline(text: str) -> str:
    """One line of literal text (newlines become spaces)."""
    text = " ".join(clean_text(text).split("\n"))
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_cell(text: str) -> str:
    """Literal text inside a table cell: pipes escaped, line breaks kept as <br>."""
    lines = [md_inline(line) for line in clean_text(text).split("\n")]
    return "<br>".join(lines) or " "


def md_block(text: str, prefix: str = "") -> str:
    """Multi-line literal text as paragraphs; every line escaped, hard breaks kept."""
    out = []
    for line in clean_text(text).split("\n"):
        out.append(prefix + md_inline(line) + ("  " if line.strip() else ""))
    return "\n".join(out).rstrip()
