"""Faults done for real where they can be: SIGKILL mid-save, read-only folders and files, failing
fsync and replace, a file changed on disk, a second workbook, an older template version."""

from __future__ import annotations

import json
import os
import random
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REAL_LOCK_BASE, TODAY
from workbook.core import editing
from workbook.core.errors import ConflictError, SaveError
from workbook.core.exports.common import export_data
from workbook.core.exports.write import render
from workbook.core.lock import Holder, acquire, clean_stale_temps, lock_file, other_holder, release
from workbook.core.store import load_review, save_review

SAVER = textwrap.dedent("""
    import sys
    from workbook.core import editing
    from workbook.core.store import load_review, save_review
    import datetime as dt
    rf = load_review(sys.argv[1])
    i = 0
    while True:
        i += 1
        editing.set_notes(rf.review, "notes", f"save {i} " + "x" * 20000)
        save_review(rf, force=True)
        print(i, flush=True)
""")


def temps(path: Path) -> list[Path]:
    """Temp files a save of this review left (by exact name: the file name is not a pattern)."""
    return [p for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.") and p.name.endswith(".tmp")]


@pytest.mark.subprocess
def test_sigkill_during_saves_never_loses_a_saved_answer(mini: Path) -> None:
    rng = random.Random(5)
    total = 0
    for _ in range(20):
        child = subprocess.Popen([sys.executable, "-c", SAVER, str(mini)], stdout=subprocess.PIPE, text=True,
                                 cwd=Path(__file__).resolve().parents[2])
        confirmed = 0
        deadline = time.monotonic() + rng.uniform(0.3, 1.2)
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if line.strip():
                confirmed = int(line)
        os.kill(child.pid, signal.SIGKILL)
        for line in child.stdout:  # lines written before the kill
            if line.strip():
                confirmed = int(line)
        child.wait()
        rf = load_review(mini)  # always loads: the old file or the new one, never a torn one
        saved = int(rf.review.answers["notes"].notes.split()[1])
        assert saved >= confirmed  # every save confirmed before the kill is there
        assert saved <= confirmed + 1  # at most the one in flight when it was killed
        total += confirmed
        acquire(mini)  # what opening it in the TUI does: a killed save's temp file is removed
        assert temps(mini) == []
        release(mini)
    assert total > 20  # the kills really did land among saves in progress


def wait_for(condition, what: str, timeout: float = 30.0):
    """Poll until condition() is truthy and return it; fail after timeout (a deadline, not a fixed wait)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.01)  # the polling interval


def owner_status_on_disk(path: Path) -> str:
    """The owner question's status in the file as it is now (writes are atomic: never half a file)."""
    answer = tomllib.loads(path.read_text())["answers"].get("owner", {})
    return answer.get("status", "unanswered")


@pytest.mark.tmux
@pytest.mark.subprocess
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_sigkill_the_real_tui_while_it_autosaves(mini: Path) -> None:
    rng = random.Random(7)
    for round_ in range(3):
        # A tmux server of each round's own, started with this test's environment (a shared one would
        # give the TUI its own XDG_RUNTIME_DIR; one server across rounds may still be exiting).
        sock = Path(os.environ["XDG_RUNTIME_DIR"]) / f"tmux-{round_}.sock"
        try:
            kill_the_tui_around_an_autosave(mini, sock, rng.uniform(0.0, 0.15))
        finally:
            subprocess.run(["tmux", "-S", str(sock), "kill-server"], capture_output=True)


def kill_the_tui_around_an_autosave(mini: Path, sock: Path, kill_after: float) -> None:
    root = Path(__file__).resolve().parents[2]
    runtime = Path(os.environ["XDG_RUNTIME_DIR"])  # the isolation fixture's: inherited by tmux and the TUI
    host = socket.gethostname()

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-S", str(sock), *args], capture_output=True, text=True, check=True,
                              cwd=root).stdout

    command = (f"exec {shlex.quote(sys.executable)} -m workbook open {shlex.quote(str(mini))} "
               "--autosave 0.05 --today 2026-11-26")
    tmux("new-session", "-d", "-s", "kill", "-c", str(root), "-x", "100", "-y", "30", command)
    wait_for(lambda: "Who owns the data?" in tmux("capture-pane", "-p", "-t", "kill"), "the first screen")
    pid = int(tmux("list-panes", "-t", "kill", "-F", "#{pane_pid}").split()[0])
    # The TUI took the lock in the fixture's folder, not the machine's.
    assert lock_file(mini).is_relative_to(runtime)
    assert other_holder(mini) == Holder(pid, host)

    # Saves really happen: each key's answer is in the file on disk before the next key is sent.
    for _ in range(3):
        # x (clear) and u (unknown) in turn: u on a written answer would ask first, x never does.
        key, expected = ("u", "unknown") if owner_status_on_disk(mini) == "unanswered" else ("x", "unanswered")
        tmux("send-keys", "-t", "kill", key)
        wait_for(lambda: owner_status_on_disk(mini) == expected, f"the autosave of {key!r}")  # noqa: B023
    confirmed = owner_status_on_disk(mini)

    # One more change, and the kill at a random moment around its autosave (due 0.05 s after the
    # key, written in a thread): before it, during it or after it.
    key, typed = ("u", "unknown") if confirmed == "unanswered" else ("x", "unanswered")
    tmux("send-keys", "-t", "kill", key)
    time.sleep(kill_after)  # when the fault strikes, drawn at random: not a wait for a state
    os.kill(pid, signal.SIGKILL)
    # Dead, as the lock sees it: gone, or a zombie tmux has not reaped yet (tmux takes ~1 s).
    wait_for(lambda: not Holder(pid, host).alive(), "the killed TUI to be dead")

    rf = load_review(mini)  # the review still loads: the file from before the last save or after it
    assert rf.review.answers["owner"].status.value in (confirmed, typed)
    assert rf.review.answers["boundary"].owner == "Priya"  # every other answer intact
    assert rf.review.answers["owner"].notes.startswith("Finance says")
    # Whether or not the kill landed mid-write, opening the review again removes a dead holder's
    # temp files: any the kill left, and one planted here to prove the clean-up ran.
    (mini.parent / f".{mini.name}.k1lled.tmp").write_text("half a save")
    assert other_holder(mini) is None  # the killed TUI's lock is stale
    assert acquire(mini) is None
    assert temps(mini) == []
    assert json.loads(lock_file(mini).read_text())["pid"] == os.getpid()  # the lock is ours now
    release(mini)


def read_only(path: Path):
    """Make a file or folder really read-only, even for root (chattr +i); returns the undo."""
    if os.geteuid() != 0:
        mode = os.stat(path).st_mode
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
        return lambda: os.chmod(path, mode)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root on a file system without chattr +i: cannot make a real read-only path")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.subprocess  # chattr, when running as root
def test_read_only_folder_for_real(mini: Path) -> None:
    before = mini.read_bytes()
    rf = load_review(mini)
    editing.set_notes(rf.review, "notes", "changed")
    undo = read_only(mini.parent)
    try:
        with pytest.raises(SaveError, match="not saved, the file is unchanged: (Permission denied|Operation not permitted)"):
            save_review(rf)
    finally:
        undo()
    assert mini.read_bytes() == before
    assert rf.review.answers["notes"].notes == "changed"  # kept in memory to retry or save elsewhere
    assert temps(mini) == []
    save_review(rf)  # permission back: the same edits save
    assert load_review(mini).review.answers["notes"].notes == "changed"


@pytest.mark.subprocess  # chattr, when running as root
def test_read_only_file_is_not_replaced(mini: Path) -> None:
    before = mini.read_bytes()
    rf = load_review(mini)
    editing.set_notes(rf.review, "notes", "changed")
    undo = read_only(mini)
    try:
        with pytest.raises(SaveError, match="read-only"):
            save_review(rf)
    finally:
        undo()
    assert mini.read_bytes() == before


@pytest.mark.parametrize("failing, message", [
    ("fsync", "Input/output error"),
    ("replace", "No space left on device"),
    ("write", "No space left on device"),
])
def test_failing_system_calls_leave_the_original(mini: Path, monkeypatch, failing: str, message: str) -> None:
    before = mini.read_bytes()
    rf = load_review(mini)
    editing.set_notes(rf.review, "notes", "changed")
    errno_for = {"fsync": 5, "replace": 28, "write": 28}

    def boom(*args, **kwargs):
        raise OSError(errno_for[failing], os.strerror(errno_for[failing]))

    if failing == "write":
        import workbook.core.store as store

        real = store.os.fdopen

        class Full:
            def __init__(self, fd, mode):
                self.fh = real(fd, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, data):
                boom()

            def flush(self):
                pass

            def fileno(self):
                return self.fh.fileno()

        monkeypatch.setattr(store.os, "fdopen", Full)
    else:
        monkeypatch.setattr(os, failing, boom)
    with pytest.raises(SaveError, match=message):
        save_review(rf)
    monkeypatch.undo()
    assert mini.read_bytes() == before
    assert temps(mini) == []
    save_review(rf)  # the cause gone, the same edits save
    assert load_review(mini).review.answers["notes"].notes == "changed"


def test_changed_on_disk_is_detected_before_saving(mini: Path) -> None:
    rf = load_review(mini)
    other = load_review(mini)  # a second workbook on the same file
    editing.set_notes(other.review, "notes", "theirs")
    save_review(other)
    editing.set_notes(rf.review, "notes", "mine")
    with pytest.raises(ConflictError):
        save_review(rf)
    assert load_review(mini).review.answers["notes"].notes == "theirs"


def write_lock(review: Path, pid: int) -> None:
    lock_file(review).parent.mkdir(parents=True, exist_ok=True)
    lock_file(review).write_text(json.dumps({"pid": pid, "host": socket.gethostname()}))


def stale_temp(review: Path) -> Path:
    """A temp file named exactly as a save of this review names one (safe_write.write_file)."""
    fd, name = tempfile.mkstemp(prefix=f".{review.name}.", suffix=".tmp", dir=review.parent)
    os.write(fd, b"half a save")
    os.close(fd)
    return Path(name)


@pytest.mark.subprocess
def test_a_second_workbook_is_detected(mini: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        write_lock(mini, sleeper.pid)
        tmp = stale_temp(mini)
        holder = other_holder(mini)
        assert holder is not None and holder.pid == sleeper.pid
        assert acquire(mini) is not None  # we are warned, and do not take the lock
        assert tmp.exists()  # a live holder's temp file may be a save in progress: left alone
    finally:
        sleeper.kill()
        sleeper.wait()
    assert other_holder(mini) is None  # a dead holder's lock is stale
    assert acquire(mini) is None  # taken, and the dead holder's temp file removed
    assert not tmp.exists()
    release(mini)


@pytest.mark.subprocess
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="zombies are told apart through /proc")
def test_a_killed_holder_not_yet_reaped_is_dead(mini: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        write_lock(mini, child.pid)
        tmp = stale_temp(mini)
        os.kill(child.pid, signal.SIGKILL)
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # it has exited, and is not reaped: a zombie
        os.kill(child.pid, 0)  # still "there" to a signal (this is what made the lock think it alive)
        assert not Holder(child.pid, socket.gethostname()).alive()
        assert other_holder(mini) is None
        assert acquire(mini) is None  # the lock is ours and the killed save's temp file is gone
        assert not tmp.exists()
        assert json.loads(lock_file(mini).read_text())["pid"] == os.getpid()
        release(mini)
    finally:
        child.kill()
        child.wait()


def test_stale_temps_are_only_ours(mini: Path) -> None:
    ours = stale_temp(mini)
    theirs = mini.parent / ".other.toml.abc.tmp"
    theirs.write_text("not ours")
    assert clean_stale_temps(mini) == [ours]
    assert theirs.exists()


@pytest.mark.parametrize("name, other", [
    ("r[1].toml", "r1.toml"),  # a glob would look for ".r1.toml.*" and never find its own
    ("x*.toml", "xy.toml"),  # a glob would remove another review's temp file
    ("r?.toml", "rx.toml"),
    ("a.toml", "a.toml.b.toml"),  # a prefix alone would too
])
def test_stale_temps_are_matched_by_exact_name_not_as_a_pattern(tmp_path: Path, name: str, other: str) -> None:
    review, other_review = tmp_path / name, tmp_path / other
    ours, theirs = stale_temp(review), stale_temp(other_review)
    assert clean_stale_temps(review) == [ours]
    assert theirs.exists()
    assert clean_stale_temps(other_review) == [theirs]


def test_locks_go_to_the_fixtures_folder_never_the_machines(mini: Path) -> None:
    runtime = Path(os.environ["XDG_RUNTIME_DIR"])
    real = Path(REAL_LOCK_BASE) / f"workbook-locks-{os.getuid()}" / lock_file(mini).name
    assert runtime != Path(REAL_LOCK_BASE)
    assert acquire(mini) is None
    assert lock_file(mini).is_relative_to(runtime) and lock_file(mini).exists()
    assert not real.exists()
    release(mini)
    assert not lock_file(mini).exists()


@pytest.mark.subprocess
def test_a_subprocess_locks_in_the_fixtures_folder_too(mini: Path) -> None:
    code = ("import sys; from workbook.core.lock import acquire, lock_file; "
            "acquire(sys.argv[1]); print(lock_file(sys.argv[1]))")
    out = subprocess.run([sys.executable, "-c", code, str(mini)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.strip()
    assert Path(out) == lock_file(mini)  # the child inherited the fixture's XDG_RUNTIME_DIR
    assert Path(out).is_relative_to(os.environ["XDG_RUNTIME_DIR"])
    assert json.loads(Path(out).read_text())["pid"] != os.getpid()  # written by the child
    assert not (Path(REAL_LOCK_BASE) / f"workbook-locks-{os.getuid()}" / lock_file(mini).name).exists()


def test_older_template_version_keeps_renamed_and_removed_answers(mini: Path, tmp_path: Path) -> None:
    text = mini.read_text().replace('template_version = "2.0.0"', 'template_version = "1.0.0"')
    mini.write_text(text.replace("[answers.boundary]", "[answers.data-boundary]"))
    rf = load_review(mini)
    assert any("made with mini 1.0.0; opened with 2.0.0" in n for n in rf.notices)
    assert rf.review.answers["boundary"].owner == "Priya"  # renamed: moved to the new id
    assert rf.orphans == ["retired-question"]  # removed: kept
    save_review(rf)
    assert "retired-question" in tomllib.loads(mini.read_text())["answers"]
    data = export_data(rf.review, rf.template, TODAY)
    assert "retired-question" in render("md", data) and "retired-question" in render("json", data)
    assert "an answer to a question the template no longer has" in render("html", data)


def test_an_answer_that_no_longer_fits_a_newer_template_is_kept_not_refused(mini: Path) -> None:
    text = mini.read_text().replace('template_version = "2.0.0"', 'template_version = "1.0.0"')
    mini.write_text(text.replace('value = "team"', 'value = "a-choice-since-removed"'))
    rf = load_review(mini)
    assert "owner" not in rf.review.answers
    assert rf.review.answers["owner@1.0.0"].value == "a-choice-since-removed"
    assert "owner@1.0.0" in rf.orphans
    assert any("no longer fits" in n for n in rf.notices)
    save_review(rf)
    assert tomllib.loads(mini.read_text())["answers"]["owner@1.0.0"]["value"] == "a-choice-since-removed"
