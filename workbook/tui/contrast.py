"""Readable text on every theme: WCAG AA (4.5:1) for the text colours the workbook uses.

Some of Textual's light themes draw accent, warning and muted text at 1.5-4:1 on their background
(the section title was #FEA62B on #E0E0E0, 1.5:1). Rather than forbid those themes, the text
colours are darkened (on light themes) or lightened (on dark ones) until they reach 4.5:1.
"""

from __future__ import annotations

from textual.color import Color, ColorParseError

AA = 4.5
TEXT_VARIABLES = ("text-accent", "text-primary", "text-secondary", "text-warning", "text-error", "text-success",
                  "foreground-muted", "foreground")


def luminance(c: Color) -> float:
    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def contrast(a: Color, b: Color) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def readable(color: Color, background: Color) -> Color:
    """The colour, moved towards black (or white) just enough to read at AA on the background."""
    color = background + color  # flatten any transparency onto the background
    if contrast(color, background) >= AA:
        return color
    target = Color(0, 0, 0) if luminance(background) > 0.18 else Color(255, 255, 255)
    for step in range(1, 21):
        moved = color.blend(target, step / 20)
        if contrast(moved, background) >= AA:
            return moved
    return target


def adjust(variables: dict[str, str]) -> dict[str, str]:
    """The theme's variables with every text colour readable on both its background and its surface."""
    try:
        background = Color.parse(variables["background"])
        surface = Color.parse(variables.get("surface", variables["background"]))
    except (KeyError, ColorParseError):
        return variables
    out = dict(variables)
    for name in TEXT_VARIABLES:
        try:
            color = background + Color.parse(variables[name])
        except (KeyError, ColorParseError):
            continue
        fixed = readable(readable(color, background), surface)  # text shows on both
        if fixed != color:
            out[name] = fixed.hex
    return out
