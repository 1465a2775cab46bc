"""The section view redraws only what a key changed: in a real terminal, what is on screen after
moving must be exactly what a full repaint of the same state shows (no card left highlighted)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.generate import big

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)  # the polling interval
    return value


@pytest.mark.tmux
@pytest.mark.subprocess
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_moving_up_in_a_scrolled_section_leaves_no_stale_highlight(tmp_path: Path) -> None:
    path = big(tmp_path, sections=1, per_section=20)
    sock = Path(os.environ["XDG_RUNTIME_DIR"]) / "tmux-redraw.sock"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-S", str(sock), *args], capture_output=True, text=True, check=True,
                              cwd=ROOT).stdout

    def screen() -> str:
        return tmux("capture-pane", "-e", "-p", "-t", "r")  # with colours: a highlight is part of it

    def settled() -> str:
        """The screen once two captures a fifth of a second apart agree (the last frame has landed)."""
        def same() -> str | None:
            first = screen()
            time.sleep(0.2)
            return first if screen() == first else None
        return wait_for(same, "the screen to settle")

    command = f"exec {shlex.quote(sys.executable)} -m workbook open {shlex.quote(str(path))} --today 2026-11-26"
    try:
        tmux("new-session", "-d", "-s", "r", "-x", "100", "-y", "30", command)
        wait_for(lambda: " 1. " in tmux("capture-pane", "-p", "-t", "r"), "the first screen")
        for key in "jjjjjjjjjj":  # down past the bottom: the section scrolls
            tmux("send-keys", "-t", "r", key)
        wait_for(lambda: "11. " in tmux("capture-pane", "-p", "-t", "r"), "card 11 on screen")
        before = settled()
        tmux("send-keys", "-t", "r", "k")  # up to a card in view: no scroll, only the two cards are redrawn
        wait_for(lambda: screen() != before, "the move up")
        moved = settled()
        tmux("send-keys", "-t", "r", "?")  # the help over it, then back: the screen is repainted whole
        wait_for(lambda: "Every key" in tmux("capture-pane", "-p", "-t", "r") or screen() != moved, "the help screen")
        settled()
        tmux("send-keys", "-t", "r", "Escape")
        # On a busy machine a frame can take longer than the settle window: wait for the repaint to
        # match (a stale highlight never does), then compare what stays on screen.
        deadline = time.monotonic() + 20
        while screen() != moved and time.monotonic() < deadline:
            time.sleep(0.05)
        assert settled() == moved
    finally:
        subprocess.run(["tmux", "-S", str(sock), "kill-server"], capture_output=True)
