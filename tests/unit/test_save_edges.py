"""Around the save path (issue 24): special files as outputs, links swapped in, a live writer's temp file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import TODAY
from workbook.core import editing
from workbook.core.errors import SaveError
from workbook.core.lock import acquire, release
from workbook.core.store import commit_save, load_review, prepare_save, save_review

ROOT = Path(__file__).resolve().parents[2]


def workbook(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbook", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def pipe_reader(fifo: Path) -> int:
    """The reading end of the pipe, held open (read-write, so opening never waits): what a writer puts
    in it stays in the pipe's buffer, read afterwards without blocking."""
    return os.open(fifo, os.O_RDWR | os.O_NONBLOCK)


def drain(fd: int) -> bytes:
    try:
        return os.read(fd, 1 << 20)
    except BlockingIOError:  # nothing came through the pipe
        return b""
    finally:
        os.close(fd)


def waiting_writer(fifo: Path) -> threading.Thread:
    """Someone about to write into the pipe: a read of it that waits for a writer gets an empty one."""
    def write() -> None:
        os.close(os.open(fifo, os.O_WRONLY))

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


# ------------------------------------------------------------------ outputs that are not regular files

@pytest.mark.subprocess
def test_export_into_a_fifo_writes_straight_into_it(mini: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    reader = pipe_reader(fifo)
    result = workbook("export", str(mini), "--format", "md", "-o", str(fifo), "--today", TODAY.isoformat(),
                      cwd=tmp_path)
    got = drain(reader)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a pipe, not a file renamed over it
    assert got.startswith(b"# ")  # the export went through the pipe to its reader
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.subprocess
def test_merge_into_a_fifo_writes_straight_into_it(mini: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "merged.pipe"
    os.mkfifo(fifo)
    reader = pipe_reader(fifo)
    result = workbook("merge", str(mini), str(mini), "-o", str(fifo), "--force", cwd=tmp_path)
    got = drain(reader)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"[program]" in got


@pytest.mark.subprocess
@pytest.mark.skipif(os.geteuid() != 0, reason="only root may make a device node (and replace /dev/null)")
def test_export_to_a_null_device_as_root_keeps_the_device(mini: Path, tmp_path: Path) -> None:
    # A private twin of /dev/null (the same major and minor), so a regression breaks this test only,
    # not the machine: the real /dev/null replaced by a file stops tmux and every daemon() caller.
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = workbook("export", str(mini), "--format", "csv", "-o", str(null), "--today", TODAY.isoformat(),
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode)


@pytest.mark.subprocess
def test_dash_is_standard_output(mini: Path, tmp_path: Path) -> None:
    exported = workbook("export", str(mini), "--format", "md", "-o", "-", "--today", TODAY.isoformat(), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("# ")
    merged = workbook("merge", str(mini), str(mini), "-o", "-", cwd=tmp_path)
    assert merged.returncode == 0, merged.stderr
    assert "[program]" in merged.stdout and "wrote" not in merged.stdout  # the summary goes to stderr
    assert not (tmp_path / "-").exists()


def test_a_unix_socket_is_written_through(tmp_path: Path) -> None:
    import socket

    from workbook.core.safe_write import write_file

    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    got: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
            got.append(b"".join(chunks))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    write_file(path, b"hello")
    thread.join()
    server.close()
    assert got == [b"hello"] and stat.S_ISSOCK(os.stat(path).st_mode)


def test_a_folder_is_refused_with_a_save_error(tmp_path: Path) -> None:
    from workbook.core.safe_write import write_file

    with pytest.raises(SaveError, match="folder"):
        write_file(tmp_path, b"x")


# ------------------------------------------------------------------ a symlink swapped in for the review

def swap_for_link(review: Path, victim: Path) -> None:
    review.unlink()
    review.symlink_to(victim)


@pytest.mark.parametrize("force", [False, True], ids=["save", "keep-mine"])
def test_a_symlink_swapped_in_is_never_written_through(mini: Path, tmp_path: Path, force: bool) -> None:
    victim = tmp_path / "bashrc"
    victim.write_text("export PATH=$HOME/bin:$PATH\n")
    rf = load_review(mini)
    editing.set_notes(rf.review, "notes", "mine")
    swap_for_link(mini, victim)
    with pytest.raises(SaveError, match="replaced by a link"):
        save_review(rf, force=force)  # force: what "keep mine" does
    assert victim.read_text() == "export PATH=$HOME/bin:$PATH\n"
    assert mini.is_symlink()


def test_a_link_retargeted_after_opening_is_refused(mini: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_bytes(mini.read_bytes())
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    rf = load_review(link)
    editing.set_notes(rf.review, "notes", "mine")
    link.unlink()
    link.symlink_to(victim)
    with pytest.raises(SaveError, match="different link"):
        save_review(rf, force=True)
    assert victim.read_text() == "keep me"


def test_a_review_opened_through_a_link_still_saves_through_it(mini: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(mini)
    rf = load_review(link)
    editing.set_notes(rf.review, "notes", "through the link")
    save_review(rf)
    save_review(rf)  # and again, after its own save replaced the target
    assert link.is_symlink() and load_review(mini).review.answers["notes"].notes == "through the link"


# ------------------------------------------------------------------ the review made unreadable or replaced

def test_a_review_replaced_by_a_folder_or_pipe_is_a_save_error(mini: Path) -> None:
    rf = load_review(mini)
    editing.set_notes(rf.review, "notes", "mine")
    mini.unlink()
    os.mkfifo(mini)
    writer = waiting_writer(mini)  # so that a read waiting for a writer fails this test instead of hanging
    try:
        with pytest.raises(SaveError, match="pipe"):
            save_review(rf)  # never opens the pipe in a way that waits for a writer
    finally:
        # Let the writer go: the reader stays open until it has (under load the writer may not even
        # have reached its open yet, and a reader come and gone before it would leave it waiting).
        reader = os.open(mini, os.O_RDONLY | os.O_NONBLOCK)
        writer.join()
        os.close(reader)
    mini.unlink()
    mini.mkdir()
    with pytest.raises(SaveError, match="folder"):
        save_review(rf)


# ------------------------------------------------------------------ another reader's open and a live save

def test_opening_leaves_a_live_writers_temp_file_alone(mini: Path, monkeypatch) -> None:
    """A second workbook opening the review (it records no lock: the first holds it... or nobody does,
    as here) must not remove the temp file of a save in progress."""
    rf = load_review(mini)
    editing.set_notes(rf.review, "notes", "a slow save")
    pending = prepare_save(rf)
    writing, go_on = threading.Event(), threading.Event()
    real_replace = os.replace

    def slow_replace(src, dst, *args, **kwargs):
        writing.set()  # the temp file is written and fsynced; the rename is about to happen
        go_on.wait()
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", slow_replace)
    outcome: list[object] = []

    def save() -> None:
        try:
            outcome.append(commit_save(rf, pending))
        except SaveError as exc:
            outcome.append(exc)

    writer = threading.Thread(target=save, daemon=True)
    writer.start()
    writing.wait()
    try:
        assert acquire(mini) is None  # another reader opens the review: no live holder is recorded
        temps = [p for p in mini.parent.iterdir() if p.name.startswith(f".{mini.name}.") and p.name.endswith(".tmp")]
        assert len(temps) == 1  # the writer's, still there
    finally:
        go_on.set()
        writer.join()
        release(mini)
    assert not isinstance(outcome[0], SaveError), outcome[0]
    assert load_review(mini).review.answers["notes"].notes == "a slow save"


@pytest.mark.subprocess
def test_a_killed_writers_temp_file_is_still_cleaned_up(mini: Path) -> None:
    script = (
        "import os, sys, signal\n"
        "from pathlib import Path\n"
        "from workbook.core import safe_write\n"
        "os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"safe_write.write_file(Path({str(mini)!r}), b'half a save')\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60)
    temps = [p for p in mini.parent.iterdir() if p.name.startswith(f".{mini.name}.") and p.name.endswith(".tmp")]
    assert len(temps) == 1  # killed between writing the temp file and renaming it
    assert acquire(mini) is None
    assert not temps[0].exists()  # its writer is dead: removed
    release(mini)


@pytest.mark.parametrize("force", [False, True], ids=["save", "keep-mine"])
def test_a_review_replaced_by_a_pipe_is_refused_never_written_into(mini: Path, force: bool) -> None:
    # "Keep mine" and the exit save skip the unchanged-check: before, they wrote straight into the pipe
    # (as `-o` does, rightly, for an output path) and waited forever for a reader, edits unsaved.
    rf = load_review(mini)
    editing.set_notes(rf.review, "notes", "mine")
    mini.unlink()
    os.mkfifo(mini)
    done: list[BaseException | None] = []

    def save() -> None:
        try:
            save_review(rf, force=force)
            done.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            done.append(exc)

    saver = threading.Thread(target=save, daemon=True)
    saver.start()
    saver.join(30)
    if saver.is_alive():  # free the blocked writer so the test run can go on, then fail
        os.close(os.open(mini, os.O_RDONLY | os.O_NONBLOCK))
        saver.join(5)
        pytest.fail("the save waited on the pipe")
    assert isinstance(done[0], SaveError) and "pipe" in str(done[0])
    assert stat.S_ISFIFO(os.stat(mini).st_mode)
