"""Who else has a review open, and the temp files a killed save left behind.

A lock is a small file outside the user's folder (so it never shows in `git status`), keyed by the
review's real path, holding the pid and host of the workbook that has it open. It only warns: the
digest check in the store is what prevents overwriting (it also covers other editors and git).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _lock_dir() -> Path:
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(base) / f"workbook-locks-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def lock_file(review: Path) -> Path:
    real = os.path.realpath(review)
    return _lock_dir() / (hashlib.sha256(real.encode()).hexdigest()[:24] + ".json")


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str

    def alive(self) -> bool:
        if self.host != socket.gethostname():
            return True  # cannot tell: assume it is
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def other_holder(review: Path) -> Holder | None:
    """A live workbook (not this process) that has the review open, if any."""
    try:
        data = json.loads(lock_file(review).read_text())
        holder = Holder(int(data["pid"]), str(data["host"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if holder.pid == os.getpid() and holder.host == socket.gethostname():
        return None
    return holder if holder.alive() else None


def acquire(review: Path) -> Holder | None:
    """Record that this process has the review open. Returns another live holder to warn about."""
    other = other_holder(review)
    if other is None:
        path = lock_file(review)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                        "path": os.path.realpath(review)}))
        except OSError:
            pass  # a lock is advice; failing to write one must not stop anyone working
        clean_stale_temps(review)
    return other


def release(review: Path) -> None:
    path = lock_file(review)
    try:
        data = json.loads(path.read_text())
        if data.get("pid") == os.getpid() and data.get("host") == socket.gethostname():
            path.unlink()
    except (OSError, ValueError):
        pass


def clean_stale_temps(review: Path) -> list[Path]:
    """Remove temp files a save killed mid-write left beside the review (only ours, by name)."""
    target = Path(os.path.realpath(review))
    removed = []
    for tmp in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            tmp.unlink()
            removed.append(tmp)
        except OSError:
            pass
    return removed
