"""What workbook remembers between runs, outside any review file: where you were in each review.

Kept in the platform's state folder ($XDG_STATE_HOME/workbook, ~/.local/state/workbook), keyed by the
review's real path; the newest 200 reviews are kept. A broken state file is ignored, never fatal.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from workbook.core.errors import WorkbookError
from workbook.core.safe_write import write_file

KEPT = 200


def state_dir() -> Path:
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "workbook"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "workbook"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "workbook"


def _positions_file() -> Path:
    return state_dir() / "positions.json"


def _load() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(_positions_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def last_position(review: Path) -> tuple[str | None, str | None]:
    """The section and question last shown in this review, if any."""
    entry = _load().get(os.path.realpath(review), {})
    section, question = entry.get("section"), entry.get("question")
    return (section if isinstance(section, str) else None, question if isinstance(question, str) else None)


def remember_position(review: Path, section: str | None, question: str | None) -> None:
    """Record where the user was; failing to is not worth an error (it is a convenience)."""
    positions = _load()
    key = os.path.realpath(review)
    positions.pop(key, None)
    positions[key] = {k: v for k, v in (("section", section), ("question", question)) if v}
    newest = dict(list(positions.items())[-KEPT:])
    try:
        _positions_file().parent.mkdir(parents=True, exist_ok=True)
        write_file(_positions_file(), json.dumps(newest, indent=1).encode("utf-8"))
    except (OSError, WorkbookError):
        pass
