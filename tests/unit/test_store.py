"""The store: round-trips, unknown keys kept, atomic saves, modes, symlinks, conflicts."""

from __future__ import annotations

import datetime as dt
import os
import stat
import tomllib
from pathlib import Path

import pytest

from workbook.core import editing
from workbook.core.errors import ConflictError, FileError, SaveError
from workbook.core.models import Status
from workbook.core.serialize import dumps
from workbook.core.store import create_review_file, load_review, new_review, save_review
from workbook.core.templates import load_template

TODAY = dt.date(2026, 11, 26)


def test_load_reads_every_part_of_the_review(mini: Path) -> None:
    rf = load_review(mini)
    review = rf.review
    assert review.program.name == "Mini program"
    assert review.program.participants[0].role == "TPM"
    assert review.answers["owner"].value == "team"
    assert review.answers["owner"].notes == "Finance says they own it.\nOps disagrees."
    boundary = review.answers["boundary"]
    assert boundary.status is Status.DEFERRED
    assert boundary.decide_by == dt.date(2026, 11, 20)
    assert boundary.decide_by_history == [dt.date(2026, 11, 1), dt.date(2026, 11, 10)]
    assert rf.template.id == "mini"
    assert rf.orphans == ["retired-question"]


def test_save_keeps_unknown_keys_everywhere(mini: Path) -> None:
    rf = load_review(mini)
    editing.set_value(rf.review, "sources", ["wiki"], TODAY)
    save_review(rf)
    data = tomllib.loads(mini.read_text())
    assert data["future_key"] == "kept"
    assert data["extra_table"] == {"anything": [1, 2, 3]}
    assert data["program"]["participants"][0]["pronouns"] == "she/her"
    assert data["answers"]["retired-question"]["value"].startswith("an answer")
    assert data["answers"]["sources"] == {"status": "answered", "value": ["wiki"]}


def test_saving_an_unchanged_review_again_gives_the_same_bytes(mini: Path) -> None:
    save_review(load_review(mini))
    first = mini.read_bytes()
    save_review(load_review(mini))
    assert mini.read_bytes() == first


def test_one_changed_answer_is_a_small_diff(mini: Path) -> None:
    rf = load_review(mini)
    save_review(rf)
    before = mini.read_text().splitlines()
    rf = load_review(mini)
    editing.set_value(rf.review, "owner", "named", TODAY)
    save_review(rf)
    after = mini.read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after)
    assert changed == [('value = "team"', 'value = "named"')]


def test_answers_are_written_in_template_order_with_orphans_last(mini: Path) -> None:
    rf = load_review(mini)
    save_review(rf)
    keys = list(tomllib.loads(mini.read_text())["answers"])
    assert keys == ["owner", "boundary", "threshold", "good-enough", "launch", "retired-question"]


def test_multiline_text_is_written_as_a_multiline_string(mini: Path) -> None:
    rf = load_review(mini)
    editing.set_notes(rf.review, "notes", "line one\nline two")
    save_review(rf)
    assert 'notes = """\nline one\nline two"""' in mini.read_text()


def test_save_keeps_the_file_mode(mini: Path) -> None:
    os.chmod(mini, 0o640)
    rf = load_review(mini)
    editing.set_value(rf.review, "owner", "named", TODAY)
    save_review(rf)
    assert stat.S_IMODE(os.stat(mini).st_mode) == 0o640


def test_a_symlinked_review_stays_a_symlink(mini: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(mini)
    rf = load_review(link)
    editing.set_value(rf.review, "owner", "named", TODAY)
    save_review(rf)
    assert link.is_symlink()
    assert load_review(mini).review.answers["owner"].value == "named"


def test_no_temp_files_are_left_behind(mini: Path) -> None:
    rf = load_review(mini)
    editing.set_value(rf.review, "owner", "named", TODAY)
    save_review(rf)
    assert sorted(p.name for p in mini.parent.iterdir()) == ["mini-review.toml", "mini-template.toml"]


def test_a_file_changed_on_disk_is_not_overwritten(mini: Path) -> None:
    rf = load_review(mini)
    mini.write_text(mini.read_text().replace("Mini program", "Changed elsewhere"))
    editing.set_value(rf.review, "owner", "named", TODAY)
    with pytest.raises(ConflictError, match="changed on disk"):
        save_review(rf)
    assert "Changed elsewhere" in mini.read_text()
    save_review(rf, force=True)  # the user chose "keep mine"
    assert load_review(mini).review.answers["owner"].value == "named"


def test_a_failed_save_leaves_the_original_untouched(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = mini.read_bytes()
    rf = load_review(mini)
    editing.set_value(rf.review, "owner", "named", TODAY)

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(SaveError, match="No space left"):
        save_review(rf)
    assert mini.read_bytes() == before
    assert len(list(mini.parent.iterdir())) == 2
    assert rf.review.answers["owner"].value == "named"  # the edit is still in memory


def test_new_review_refuses_to_overwrite(tmp_path: Path) -> None:
    template = load_template(Path(__file__).parent.parent / "fixtures" / "mini-template.toml")
    target = tmp_path / "r.toml"
    create_review_file(target, new_review(template, "P", TODAY), template)
    with pytest.raises(FileError, match="already exists"):
        create_review_file(target, new_review(template, "Q", TODAY), template)
    create_review_file(target, new_review(template, "Q", TODAY), template, force=True)


def test_dumps_is_stable_and_parses(mini: Path) -> None:
    rf = load_review(mini)
    text = dumps(rf.review, rf.template)
    assert dumps(rf.review, rf.template) == text
    assert tomllib.loads(text)["program"]["name"] == "Mini program"


def test_renamed_question_answers_move_to_the_new_id(mini: Path) -> None:
    text = mini.read_text().replace("[answers.boundary]", "[answers.data-boundary]")
    mini.write_text(text)
    rf = load_review(mini)
    assert "boundary" in rf.review.answers and "data-boundary" not in rf.review.answers
    assert any("renamed" in n for n in rf.notices)


def test_an_unknown_key_holding_crlf_still_saves_unchanged(mini: Path) -> None:
    # Found by the property test: TOML reads CRLF inside a multi-line string back as LF.
    mini.write_text(mini.read_text().replace('future_key = "kept"', 'future_key = "line one\\r\\nline two"'))
    rf = load_review(mini)
    editing.set_notes(rf.review, "notes", "a\nb")
    save_review(rf)
    assert tomllib.loads(mini.read_text())["future_key"] == "line one\r\nline two"
    assert load_review(mini).review.answers["notes"].notes == "a\nb"
