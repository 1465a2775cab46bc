"""A progress bar on stderr for work over many review files (`check`, `portfolio`, `export`).

Only for a person watching: shown when stderr is a terminal, CI is not set and there are at least
MIN_ITEMS files; never when stderr is piped, so what a script reads stays the same. The bar is
transient: it is erased when the work ends. WORKBOOK_PROGRESS=1 forces it (tests, a terminal the
check misses), WORKBOOK_PROGRESS=0 turns it off.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

ENV = "WORKBOOK_PROGRESS"
MIN_ITEMS = 20  # fewer files are done before a bar would tell anything
REFRESH = 0.1  # seconds between two drawings of the bar
T = TypeVar("T")


def wanted(stream: TextIO | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether a person is watching `stream` (stderr by default) outside CI, or the bar is forced."""
    stream = sys.stderr if stream is None else stream
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a real stream
        terminal = False
    return watching(terminal, environ)


def watching(terminal: bool, environ: Mapping[str, str] | None = None) -> bool:
    """The one rule for every progress bar: WORKBOOK_PROGRESS=1/0 forces it; CI or a dumb terminal
    never; otherwise only on a terminal."""
    env = os.environ if environ is None else environ
    forced = env.get(ENV, "")
    if forced in ("0", "1"):
        return forced == "1"
    if env.get("CI") or env.get("TERM") == "dumb":
        return False
    return terminal


def _same_terminal() -> bool:
    """stdout is the terminal stderr is: its lines must be printed above the bar, not through it."""
    try:
        return os.isatty(1) and os.isatty(2) and os.fstat(1).st_rdev == os.fstat(2).st_rdev
    except OSError:
        return False


def tracked(items: Sequence[T], description: str, console: Console | None = None) -> Iterator[T]:
    """Yield the items, with a bar on stderr while they are worked through (when `wanted`).

    `console` (a rich Console) is where the bar goes; given, the bar is shown whatever `wanted` says."""
    if console is None and (len(items) < MIN_ITEMS or not wanted()):
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    if console is None:
        console = Console(stderr=True, force_terminal=True if os.environ.get(ENV) == "1" else None)
    # Drawn from this thread only (no refresh thread): a line printed meanwhile goes above the bar, never
    # into it. stdout is redirected above the bar only when it is the bar's own terminal.
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=console, transient=True, auto_refresh=False, redirect_stdout=_same_terminal(),
                   redirect_stderr=True)
    with bar:
        task = bar.add_task(description, total=len(items))
        bar.refresh()
        drawn = time.monotonic()
        for item in items:
            yield item
            bar.advance(task)
            if time.monotonic() - drawn >= REFRESH:
                bar.refresh()
                drawn = time.monotonic()
