"""A progress bar on stderr while `workbook measure` reads its trace files.

Shown by the rule every bar follows (core/progress.py ``watching``: a terminal, not CI, not a dumb
terminal; WORKBOOK_PROGRESS=1/0 forces it): piped, redirected or in a CI log nothing is written, so
the output is the same as without it. Transient: gone once read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from workbook.core.progress import watching
from workbook.core.text import terminal_safe


class FileProgress:
    def __init__(self, files: tuple[Path, ...], console: Console | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        console = console if console is not None else Console(stderr=True)
        environ = environ if environ is not None else os.environ
        self.enabled = watching(console.is_terminal, environ)  # the rule every bar follows
        self._before: dict[Path, int] = {}  # bytes of the files before each one
        total = 0
        for path in files:
            self._before.setdefault(path, total)
            try:
                total += path.stat().st_size
            except OSError:  # reading it says why, with the file's name
                pass
        # markup=False: a file name is data, never markup.
        self._progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(),
                                  TimeRemainingColumn(), console=console, transient=True)
        self._task = self._progress.add_task("reading traces", total=total or None)

    def update(self, path: Path, done: int) -> None:
        """done: bytes read so far in path."""
        self._progress.update(self._task, completed=self._before.get(path, 0) + done,
                              description=f"reading {terminal_safe(path.name)}")

    def __enter__(self) -> FileProgress:
        if self.enabled:
            self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.enabled:
            self._progress.stop()
