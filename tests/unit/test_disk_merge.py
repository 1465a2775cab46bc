"""Two editors on one file: edits to different questions merge, the same question asks, nothing is lost."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tomllib
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, TODAY
from workbook.core import editing
from workbook.core.disk_merge import DiskMerge, Saved, merge_with_disk, save_merged, save_merging
from workbook.core.errors import ConflictError
from workbook.core.store import commit_save, load_review, prepare_save, save_review


def answers(path: Path) -> dict:
    return tomllib.loads(path.read_text())["answers"]


def test_edits_to_different_questions_merge(mini: Path) -> None:
    ana, ben = load_review(mini), load_review(mini)
    editing.set_value(ana.review, "owner", "named", TODAY)
    save_review(ana)
    editing.set_value(ben.review, "notes", "Ben's note", TODAY)
    with pytest.raises(ConflictError):
        save_review(ben)  # the file changed since Ben loaded it: never overwritten silently
    result = save_merging(ben)
    assert isinstance(result, Saved) and result.merged == [("answers", "owner")]
    on_disk = answers(mini)
    assert on_disk["owner"]["value"] == "named" and on_disk["notes"]["value"] == "Ben's note"
    assert result.file.review.answers["owner"].value == "named"  # Ben now holds Ana's answer too


def test_keep_mine_never_removes_an_answer_it_did_not_change(mini: Path) -> None:
    ana, ben = load_review(mini), load_review(mini)
    editing.set_value(ana.review, "notes", "Ana's note", TODAY)
    editing.set_value(ana.review, "owner", "nobody", TODAY)
    save_review(ana)
    editing.set_value(ben.review, "owner", "named", TODAY)  # the same question: a real conflict
    dm = save_merging(ben)
    assert isinstance(dm, DiskMerge)
    assert [c.unit for c in dm.conflicts] == [("answers", "owner")]
    conflict = dm.conflicts[0]
    assert conflict.mine["value"] == "named" and conflict.theirs["value"] == "nobody"
    save_merged(ben, dm, {("answers", "owner"): "mine"})
    on_disk = answers(mini)
    assert on_disk["owner"]["value"] == "named"
    assert on_disk["notes"]["value"] == "Ana's note"  # Ana's other answer survives "keep mine"


def test_take_theirs_and_unknown_keys_survive(mini: Path) -> None:
    ana, ben = load_review(mini), load_review(mini)
    editing.set_value(ana.review, "owner", "nobody", TODAY)
    ana.review.answers["owner"].notes = "Ana"
    save_review(ana)
    editing.set_value(ben.review, "owner", "named", TODAY)
    dm = merge_with_disk(ben)
    save_merged(ben, dm, {("answers", "owner"): "theirs"})
    data = tomllib.loads(mini.read_text())
    assert data["answers"]["owner"]["value"] == "nobody"
    assert data["future_key"] == "kept" and data["extra_table"] == {"anything": [1, 2, 3]}


def test_a_deleted_answer_on_disk_is_deleted_unless_mine_changed_it(mini: Path) -> None:
    ana, ben = load_review(mini), load_review(mini)
    editing.clear(ana.review, "good-enough")
    save_review(ana)
    editing.set_value(ben.review, "notes", "x", TODAY)
    result = save_merging(ben)
    assert isinstance(result, Saved)
    assert "good-enough" not in answers(mini) and answers(mini)["notes"]["value"] == "x"


def test_an_edit_that_changes_nothing_does_not_rewrite_the_file(mini: Path) -> None:
    rf = load_review(mini)
    save_review(rf)  # normalises the hand-written fixture once
    before = os.stat(mini)
    rf = load_review(mini)
    editing.set_value(rf.review, "owner", "team", TODAY)  # what it already was
    assert commit_save(rf, prepare_save(rf)) is False
    after = os.stat(mini)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_saving_keeps_owner_and_group(mini: Path) -> None:
    os.chown(mini, 65534, 65534)  # nobody:nogroup, edited by root
    rf = load_review(mini)
    editing.set_value(rf.review, "owner", "named", TODAY)
    save_review(rf)
    st = os.stat(mini)
    assert (st.st_uid, st.st_gid) == (65534, 65534)


# ------------------------------------------------------------------ two writers at once

ROUNDS = 100  # each round both save at the same instant: 200 simultaneous saves


def _value(qid: str, i: int) -> object:
    return f"note {i}" if qid == "notes" else i + 1  # a text question and a number question


def _writer(path: str, qid: str, start: multiprocessing.synchronize.Barrier,
            done: multiprocessing.synchronize.Barrier, conflicts: multiprocessing.sharedctypes.Synchronized) -> None:
    rf = load_review(path)
    for i in range(ROUNDS):
        editing.set_value(rf.review, qid, _value(qid, i), TODAY)
        start.wait()
        result = save_merging(rf)
        assert isinstance(result, Saved), "different questions never conflict"
        if result.merged:
            with conflicts.get_lock():
                conflicts.value += 1
        rf = result.file
        done.wait()


@pytest.mark.subprocess
def test_two_writers_saving_at_the_same_instant_lose_nothing(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "mini-template.toml", tmp_path)
    path = tmp_path / "mini-review.toml"
    shutil.copy(FIXTURES / "mini-review.toml", path)
    ctx = multiprocessing.get_context("fork")
    start, done = ctx.Barrier(3), ctx.Barrier(3)
    merged = ctx.Value("i", 0)
    qids = ("notes", "threshold")
    writers = [ctx.Process(target=_writer, args=(str(path), qid, start, done, merged)) for qid in qids]
    for w in writers:
        w.start()
    lost = 0
    try:
        for i in range(ROUNDS):
            start.wait(timeout=60)
            done.wait(timeout=60)
            on_disk = answers(path)
            expected = {qid: _value(qid, i) for qid in qids}
            lost += sum(on_disk.get(q, {}).get("value") != v for q, v in expected.items())
    finally:
        for w in writers:
            w.join(timeout=60)
    assert [w.exitcode for w in writers] == [0, 0]
    assert lost == 0
    assert merged.value > 0  # the two really did collide (and merged) rather than take turns


def test_a_save_written_elsewhere_returns_its_fingerprint_and_changes_no_review_file(mini: Path) -> None:
    from workbook.core.store import Fingerprint, adopt_fingerprint, write_save

    rf = load_review(mini)
    editing.set_value(rf.review, "notes", "written from a save thread", TODAY)
    pending = prepare_save(rf)
    digest_before, base_before = rf.disk_digest, rf.base_data
    fingerprint = write_save(rf.path, rf.disk_digest, pending, link=rf.link)
    assert isinstance(fingerprint, Fingerprint) and fingerprint.written
    assert (rf.disk_digest, rf.base_data) == (digest_before, base_before)  # the caller records it
    assert fingerprint.data == mini.read_bytes()
    adopt_fingerprint(rf, fingerprint)
    assert commit_save(rf, prepare_save(rf)) is False  # the file holds exactly this now: nothing to write
