"""The section countdown a facilitator starts: time left of the time box, overrun shown, not enforced."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from workbook.core.models import Section
from workbook.core.session import ReviewSession

if TYPE_CHECKING:
    from workbook.core.editing import LogTime


@dataclass(frozen=True)
class RunningTimer:
    """The countdown running: its section, when it started and the time box."""

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
    parts: list[str | tuple[str, str]] = [("Countdown ", "bold"), (timer.section_title, "bold"), "  "]
    if left >= 0:
        style = "bold $text-warning" if left < 120 else "bold $text-success"
        parts += [(f"{clock_text(left)} left", style),
                  (f" of {clock_text(timer.timebox_seconds)}", "$foreground-muted")]
    else:
        parts += [(f"OVERRUN +{clock_text(left)}", "bold $text-error"),
                  (f" (time box {clock_text(timer.timebox_seconds)})", "$foreground-muted")]
    parts.append(("   t stops it", "$foreground-muted"))
    return Content.assemble(*parts)


class TimerBar(Static):
    """The countdown bar; it owns the running countdown and logs the time spent when it stops."""

    DEFAULT_CSS = """
    TimerBar { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, session: ReviewSession, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.running: RunningTimer | None = None
        self._ticker: Timer | None = None
        self._section: Section | None = None

    def show_section(self, section: Section | None) -> None:
        self._section = section
        self.tick()

    def countdown(self) -> Content | None:
        """The countdown line as it reads now (the presentation view shows it too)."""
        section = self._section
        if section is None:
            return None
        workshop = self.session.review.workshop
        spent = workshop.seconds_by_section().get(section.id, 0) if workshop else 0
        return timer_content(self.running, self.session.clock(), section.title, section.timebox_minutes, spent)

    def tick(self) -> None:
        """Redraw the countdown (every second while it runs; the clock is the session's, so tests set it)."""
        content = self.countdown()
        if content is not None:
            self.update(content, layout=False)

    def start(self, section: Section) -> None:
        self.running = RunningTimer(section.id, section.title, self.session.clock(), section.timebox_minutes * 60)
        self.display = True
        self._ticker = self.set_interval(1, self.tick)
        self.tick()

    def stop(self) -> LogTime | None:
        """Stop the countdown and return the time spent on its section, for the session log."""
        timer, self.running = self.running, None
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if timer is None:
            return None
        from workbook.core.editing import LogTime  # edits load when the first one is made

        seconds = int((self.session.clock() - timer.started).total_seconds())
        self.tick()
        return LogTime(timer.section_id, timer.started, seconds)
