"""Faults done for real where they can be: SIGKILL mid-save, read-only folders and files, failing
fsync and replace, a file changed on disk, a second workbook, an older template version."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from tests.conftest import TODAY
from workbook.core import editing
from workbook.core.errors import ConflictError, SaveError
from workbook.core.exports.common import export_data
from workbook.core.exports.write import render
from workbook.core.lock import acquire, clean_stale_temps, other_holder, release
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
    return list(path.parent.glob(f".{path.name}.*.tmp"))


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


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_sigkill_the_real_tui_while_it_autosaves(mini: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    for round_ in range(3):
        name = f"wb-kill-{os.getpid()}-{round_}"
        command = f"exec {sys.executable} -m workbook open {mini} --autosave 0.05 --today 2026-11-26"
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
                       check=True, cwd=root)
        try:
            for _ in range(100):
                if "Who owns the data?" in subprocess.run(["tmux", "capture-pane", "-p", "-t", name],
                                                          capture_output=True, text=True).stdout:
                    break
                time.sleep(0.05)
            pid = int(subprocess.run(["tmux", "list-panes", "-t", name, "-F", "#{pane_pid}"],
                                     capture_output=True, text=True).stdout.split()[0])
            for i in range(12):
                subprocess.run(["tmux", "send-keys", "-t", name, "u" if i % 2 == 0 else "x"], check=True)
                time.sleep(0.04)
            os.kill(pid, signal.SIGKILL)
        finally:
            subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
        rf = load_review(mini)  # the review still loads, with every other answer intact
        assert rf.review.answers["boundary"].owner == "Priya"
        assert rf.review.answers["owner"].notes.startswith("Finance says")
        acquire(mini)
        assert temps(mini) == []
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


def test_a_second_workbook_is_detected(mini: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        from workbook.core.lock import lock_file
        import json
        import socket

        lock_file(mini).parent.mkdir(parents=True, exist_ok=True)
        lock_file(mini).write_text(json.dumps({"pid": sleeper.pid, "host": socket.gethostname()}))
        holder = other_holder(mini)
        assert holder is not None and holder.pid == sleeper.pid
        assert acquire(mini) is not None  # we are warned, and do not take the lock
    finally:
        sleeper.kill()
        sleeper.wait()
    assert other_holder(mini) is None  # a dead holder's lock is stale
    assert acquire(mini) is None
    release(mini)


def test_stale_temps_are_only_ours(mini: Path) -> None:
    ours = mini.parent / f".{mini.name}.abc123.tmp"
    ours.write_text("half a save")
    theirs = mini.parent / ".other.toml.abc.tmp"
    theirs.write_text("not ours")
    assert clean_stale_temps(mini) == [ours]
    assert theirs.exists()


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
