"""The one way workbook writes a file: reviews, copies, exports, merges, its own settings.

- a regular file (or a new path) gets a temp file in the same folder, fsynced, verified and
  ``os.replace``d over it, keeping its mode and owner: a crash leaves the old file or the new one;
- a character device, pipe (FIFO) or socket, and ``-`` (standard output), is written straight into:
  renaming a file over ``/dev/null`` would replace the device for every program on the machine;
- a block device or a folder is refused.

A temp file is locked (flock) by its writer until it is renamed or removed, and carries the writer's
pid in its name, so a clean-up (``lock.clean_stale_temps``) removes only a dead writer's.
"""

from __future__ import annotations

import os
import socket
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from workbook.core.errors import Problem, SaveError

STDOUT = "-"
TEMP_SUFFIX = ".tmp"

try:
    import fcntl
except ImportError:  # Windows: no flock; temp files are then never provably a dead writer's
    fcntl = None  # type: ignore[assignment]


def temp_prefix(target: Path) -> str:
    """``.<name>.<pid>-``: the random part mkstemp adds holds no dot (lock.clean_stale_temps relies on it)."""
    return f".{target.name}.{os.getpid()}-"


def write_file(path: Path | str, data: bytes, verify: Callable[[bytes], bool] | None = None,
               *, devices: bool = True) -> None:
    """Write ``data`` to ``path`` (see the module's docstring); raise SaveError, never OSError.

    ``verify`` is asked whether the bytes are right before anything is replaced or sent. ``devices``
    False (a review's own file): a path that is now a device, a pipe or a socket is refused, never
    written to (a save into a pipe nobody reads would wait forever, and the edits are not in it)."""
    if str(path) == STDOUT:
        _check(path, data, verify)
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except OSError as exc:
            raise _failed(path, exc) from None
        return
    path = Path(path)
    target = Path(os.path.realpath(path))  # follow symlinks: rewrite the target, keep the link
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise SaveError([Problem(str(path), "", f"cannot save: {exc.strerror or exc}")]) from None
    if st is None or stat.S_ISREG(st.st_mode):
        _write_atomic(path, target, data, verify, st)
    elif devices and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode)):
        _check(path, data, verify)
        _write_straight(path, target, data, stat.S_ISSOCK(st.st_mode))
    else:
        raise SaveError([Problem(str(path), "", f"not written: it is {_kind(st.st_mode)}")])


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _check(path: Path | str, data: bytes, verify: Callable[[bytes], bool] | None) -> None:
    try:
        ok = verify is None or verify(data)
    except Exception:  # any failure to read it back means: do not write it
        ok = False
    if not ok:
        raise SaveError([Problem(str(path), "", "not written: the data did not read back as meant")])


def _failed(path: Path | str, exc: OSError) -> SaveError:
    return SaveError([Problem(str(path), "", f"not written: {exc.strerror or exc}")])


def _write_straight(path: Path, target: Path, data: bytes, is_socket: bool) -> None:
    """Into a device, a pipe (waiting for its reader, as a shell redirection does) or a socket."""
    try:
        if is_socket:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.connect(str(target))
                sock.sendall(data)
            return
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError as exc:
        raise _failed(path, exc) from None


def _write_atomic(path: Path, target: Path, data: bytes, verify: Callable[[bytes], bool] | None,
                  st: os.stat_result | None) -> None:
    """Temp file in the target's folder, fsync, verify, keep the mode, os.replace, fsync the folder."""
    folder = target.parent
    if st is not None and not os.access(target, os.W_OK):
        # Replacing would succeed (the folder is writable) but the user made the file read-only.
        raise SaveError([Problem(str(path), "", "not saved, the file is read-only (its permissions forbid writing)")])
    if st is not None:
        mode = st.st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    tmp: str | None = None
    held = -1
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=folder)
        held = os.dup(fd)  # the lock lives as long as any descriptor of it: this one, until the rename
        _hold(held)  # a clean-up by another workbook (or another reader of this review) leaves it alone
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if verify is not None:
            with open(tmp, "rb") as fh:
                written = fh.read()
            try:
                ok = written == data and verify(written)
            except Exception:  # any failure to read it back means: do not replace the file
                ok = False
            if not ok:
                raise OSError("the temporary file did not read back as written")
        os.chmod(tmp, mode)
        _keep_owner(tmp, target)
        os.replace(tmp, target)
        tmp = None
        _fsync_dir(folder)
    except OSError as exc:
        raise SaveError([Problem(str(path), "", f"not saved, the file is unchanged: {exc.strerror or exc}")]) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if held >= 0:
            os.close(held)  # after the rename or removal: the lock guarded the temp file's whole life


def _hold(fd: int) -> None:
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass  # no flock here (some network file systems): the pid in the name still protects it


def _keep_owner(tmp: str, target: Path) -> None:
    """Give the new file the old one's owner and group, where this process may (root may; a member
    of the file's group may set the group). Otherwise the file is ours, as any editor would leave it."""
    try:
        st = os.stat(target)
    except OSError:
        return  # a new file
    if not hasattr(os, "chown"):
        return
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid):
        return
    try:
        os.chown(tmp, st.st_uid, st.st_gid)
    except OSError:
        try:
            os.chown(tmp, -1, st.st_gid)
        except OSError:
            pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
