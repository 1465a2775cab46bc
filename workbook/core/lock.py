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
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbook.core.safe_write import TEMP_SUFFIX

try:
    import fcntl
except ImportError:  # Windows: no flock, so no temp file is ever provably a dead writer's
    fcntl = None  # type: ignore[assignment]


def _lock_dir() -> Path:
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(base) / f"workbook-locks-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def lock_file(review: Path) -> Path:
    real = os.path.realpath(review)
    return _lock_dir() / (hashlib.sha256(real.encode()).hexdigest()[:24] + ".json")


@dataclass(frozen=True)
class Holder:
    """The process holding a review's lock."""

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
        return not _zombie(self.pid)


def _zombie(pid: int) -> bool:
    """A killed process its parent has not reaped yet: still signalable, but it will never save again."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return False  # no /proc (macOS) or it just went: os.kill already answered
    # The state follows the command name, which is in parentheses and may itself hold ") ".
    state = stat[stat.rfind(b")") + 2:][:1]
    return state in (b"Z", b"X")


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
    """Record that this process has the review open. Returns another live holder to warn about.

    With no live other holder (none, or the previous one is dead: killed, crashed, zombie) this
    process takes the lock and removes the temp files a killed save left beside the review. With a
    live one, nothing is taken or removed: its temp file may be a save in progress.
    """
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
    """Remove temp files a save killed mid-write left beside the review (only ours, by name, and only
    a dead writer's: another workbook reading the same review records no lock, and may be saving)."""
    target = Path(os.path.realpath(review))
    # The names safe_write makes: "." + name + "." + [pid "-"] + random + ".tmp", never a dot after the
    # name's. Matched as plain text, never as a glob: a review named "r[1].toml" or "x*.toml" must
    # neither miss its own temp files nor remove another review's; and the dot-free middle keeps
    # "a.toml" off the temp files of a review named "a.toml.b.toml".
    prefix, suffix = f".{target.name}.", TEMP_SUFFIX
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    removed = []
    for name in sorted(names):
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        middle = name[len(prefix):-len(suffix)]
        if not middle or "." in middle:
            continue
        tmp = target.parent / name
        try:
            if writer_gone(tmp):
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            pass
    return removed


def writer_gone(tmp: Path) -> bool:
    """True only when the temp file's writer is provably dead: nobody holds its lock (a writer does
    until it renames or removes it) and the pid in its name, if any, is not alive. What cannot be told
    (no flock on this platform or file system) counts as alive: a leftover is better than a lost save."""
    if fcntl is None:
        return False
    try:
        fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # its writer holds it: a save in progress
        pid = _pid_in(tmp.name)
        if pid is not None and Holder(pid, socket.gethostname()).alive():
            return False
        now = os.lstat(tmp)
        return (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)  # still the file that was checked
    except OSError:
        return False
    finally:
        os.close(fd)


def _pid_in(name: str) -> int | None:
    middle = name[:-len(TEMP_SUFFIX)].rsplit(".", 1)[-1]
    head, dash, _ = middle.partition("-")
    return int(head) if dash and head.isdigit() else None
