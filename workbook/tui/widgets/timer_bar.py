"""The section countdown a facilitator starts: time left of the time box, overrun shown, not enforced."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static


@dataclass(frozen=True)
class RunningTimer:
    section_id: str
    section_title: str
    started: dt.datetime
    timebox_seconds: int


def clock_text(seconds: float) -> str:
    seconds = int(abs(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def timer_content(timer: RunningTimer | None, now: dt.datetime, current_title: str,
                  timebox_minutes: int, spent_seconds: int) -> Content:
    if timer is None:
        spent = f" · spent so far {clock_text(spent_seconds)}" if spent_seconds else ""
        return Content.assemble(("Countdown: ", "$foreground-muted"),
                                (f"t starts the countdown for {current_title} (time box {timebox_minutes} min){spent}",
                                 "$foreground-muted"))
    elapsed = (now - timer.started).total_seconds()
    left = timer.timebox_seconds - elapsed
    parts: list = [("Countdown ", "bold"), (timer.section_title, "bold"), "  "]
    if left >= 0:
        style = "bold $text-warning" if left < 120 else "bold $text-success"
        parts += [(f"{clock_text(left)} left", style), (f" of {clock_text(timer.timebox_seconds)}", "$foreground-muted")]
    else:
        parts += [(f"OVERRUN +{clock_text(left)}", "bold $text-error"),
                  (f" (time box {clock_text(timer.timebox_seconds)})", "$foreground-muted")]
    parts.append(("   t stops it", "$foreground-muted"))
    return Content.assemble(*parts)


class TimerBar(Static):
    DEFAULT_CSS = """
    TimerBar { height: 1; padding: 0 1; background: $boost; }
    """
