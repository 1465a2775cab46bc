"""Escaping user text for GitHub-flavoured Markdown: it must render as the literal text typed.

Two exceptions keep what people typed working rather than merely literal:
- a web address (http or https) becomes an autolink, `<https://…>`, written unescaped: GitHub
  turns a bare address into a link itself, and would put the backslashes of escaped text into it
  (`Support\\_Copilot` became `Support%5C_Copilot`);
- a line break inside a paragraph is a backslash at the end of the line (CommonMark's hard break),
  never two trailing spaces, which editors and pre-commit's trailing-whitespace hook strip.
"""

from __future__ import annotations

import re

from workbook.core.text import clean_text

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that can start
# markup inline (emphasis, code, links and images, HTML, table cells, strikethrough, entities, math).
_INLINE = re.compile(r"([\\`*_\[\]<>|~&$])")
# At the start of a line these make headings, lists, quotes, rules or setext underlines.
_LINE_START = re.compile(r"^(\s*)([-=+>#])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")
# A web address as typed: up to whitespace or a character an autolink cannot hold (< >), or one that
# ends it in running text (quotes, backticks, brackets) or would split a table cell (|).
_URL = re.compile(r"https?://[^\s<>\"'`|\\\[\]{}]+", re.IGNORECASE)
# Trailing punctuation ends the sentence, not the address (as GitHub's own autolinker decides).
_TRAILING = ".,:;!?*_~"


def _url_end(url: str) -> str:
    """The address without the punctuation that ends the sentence around it."""
    while url and (url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


def _escape(text: str) -> str:
    return _INLINE.sub(r"\\\1", text)


def md_inline(text: str) -> str:
    """One line of literal text (newlines become spaces); web addresses stay working links."""
    text = " ".join(clean_text(text).split("\n"))
    out, last = [], 0
    for m in _URL.finditer(text):
        url = _url_end(m.group(0))
        if "://" not in url or url.endswith("://"):
            continue
        out.append(_escape(text[last:m.start()]))
        out.append(f"<{url}>")
        last = m.start() + len(url)
    out.append(_escape(text[last:]))
    line = "".join(out)
    line = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
    return _ORDERED.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def md_cell(text: str) -> str:
    """Literal text inside a table cell: pipes escaped, line breaks kept as <br>."""
    lines = [md_inline(line) for line in clean_text(text).split("\n")]
    return "<br>".join(lines) or " "


def md_block(text: str, prefix: str = "") -> str:
    """Multi-line literal text as paragraphs; every line escaped, line breaks kept (a trailing backslash).

    Leading blanks are dropped: CommonMark ignores them inside a paragraph, and four of them after a
    blank line would start a code block."""
    lines = [line.lstrip() for line in clean_text(text).split("\n")]
    out = []
    for i, line in enumerate(lines):
        follows = i + 1 < len(lines) and lines[i + 1].strip() != ""
        hard_break = "\\" if line.strip() and follows else ""
        out.append((prefix + md_inline(line)).rstrip() + hard_break if line.strip() else prefix.rstrip())
    return "\n".join(out).rstrip()
