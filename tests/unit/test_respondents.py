"""Live respondents (core/respondents.py): safe file names, exclusive claims, the tally, the merge."""

from __future__ import annotations

import errno
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import TODAY
from workbook.core.editing import MarkNotApplicable, MarkUnknown, SetAnswer, apply_change
from workbook.core.errors import WorkbookError
from workbook.core.models import Status
from workbook.core.respondents import (
    CLAIMS,
    MAX_STEM_BYTES,
    Folder,
    check_name,
    claim_key,
    invite_for,
    join,
    merge_into,
    returning,
    safe_stem,
    tally,
)
from workbook.core.store import ReviewFile, load_review, save_review


@pytest.mark.parametrize(("name", "stem"), [
    ("Ana López", "ana-lopez"),
    ("../../etc/passwd", "etc-passwd"),
    ("..", ""),
    ("/", ""),
    ("C:\\Windows\\system32", "c-windows-system32"),
    ("Ben\x00Null", "ben-null"),
    ("  Cy  ", "cy"),
    ("名前", "名前"),
    ("x" * 200, "x" * 40),
    # Other scripts are letters too: kept, lower-cased, NFC; Latin keeps its ASCII file name.
    ("Дмитрий Иванов", "дмитрий-иванов"),
    ("张伟", "张伟"),
    ("محمد علي", "محمد-علي"),
    ("ß straße", "ß-straße"),
    ("Søren Łukasz", "søren-łukasz"),
    ("हिन्दी नाम", "हिन्दी-नाम"),  # the vowel signs and virama (combining marks) stay with their letters
    ("Андре\u0438\u0306", "андреи\u0306".replace("и\u0306", "й")),  # decomposed as typed: one NFC file name
    ("../Дмитрий/..", "дмитрий"),
    (".张伟", "张伟"),
    ("\u202eevil\u200b\u2066x", "evilx"),  # bidi and zero-width characters vanish
    ("\u3164\u3164", ""),  # letters that show as nothing
    ("٣ محمد", "٣-محمد"),
])
def test_a_name_becomes_a_file_name_that_cannot_leave_the_folder(name: str, stem: str) -> None:
    assert safe_stem(name) == stem
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")


def test_unusable_names_are_refused_with_a_reason() -> None:
    assert check_name("") == "Enter your name."
    assert check_name("   ") == "Enter your name."
    assert check_name("..") == "Use at least one letter or digit."
    assert check_name("Ana") is None
    for name in ("Дмитрий Иванов", "张伟", "محمد علي", "ß straße"):
        assert check_name(name) is None, name


def test_a_file_name_from_any_script_is_bounded_in_bytes_and_never_splits_a_letter() -> None:
    assert safe_stem("张" * 60) == "张" * 40  # 120 bytes
    assert safe_stem("😀a" * 10 + "𠀀" * 60) == "a" * 10 + "𠀀" * 27  # (an emoji is no letter) 10 + 108 bytes
    assert len(safe_stem("𠀀" * 60).encode("utf-8")) == 120
    hindi = safe_stem("न्" * 40)  # a letter and its virama: cut between pairs, never inside one
    assert hindi and len(hindi) % 2 == 0 and hindi.endswith("्")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_name_makes_a_file_name_that_stays_in_the_folder(name: str) -> None:
    stem = safe_stem(name)
    assert stem == unicodedata.normalize("NFC", stem)
    assert not any(c in stem for c in "/\\\0.") and not stem.startswith("-")
    assert not any(unicodedata.category(c)[0] in "CZ" for c in stem)  # no controls, format characters or spaces
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert safe_stem(stem) == stem
    key = claim_key(stem)
    assert bool(key) == bool(stem) and "/" not in key and not key.startswith(".")


@pytest.fixture
def folder(tmp_path: Path, mini: Path) -> Path:
    answers = tmp_path / "answers"
    answers.mkdir()
    return answers


def answer(rf: ReviewFile, qid: str, change: object) -> None:
    question = rf.template.question(qid)
    assert question is not None
    apply_change(rf.review, question, change, TODAY)  # type: ignore[arg-type]
    save_review(rf)


def test_join_creates_the_respondents_own_file_with_the_reviews_template(mini: Path, folder: Path) -> None:
    invite = invite_for(load_review(mini), folder, visitor="browser-a")
    rf = join(invite, "Ana López", TODAY)
    assert rf.path == folder / "ana-lopez.toml"
    loaded = load_review(rf.path)  # its template is found from the respondents' folder
    assert loaded.review.respondent == "Ana López"
    assert loaded.review.program.name == "Mini program"
    assert loaded.review.template_file == os.path.join("..", "mini-template.toml")
    assert loaded.review.answers == {}


def test_a_name_taken_by_another_browser_is_refused_and_nothing_is_overwritten(mini: Path, folder: Path) -> None:
    review = load_review(mini)
    ana = join(invite_for(review, folder, visitor="browser-a"), "Ana", TODAY)
    answer(ana, "owner", SetAnswer("named", ""))
    before = ana.path.read_bytes()
    for other in ("Ana", "ana", " ANA ", "Aña"):
        with pytest.raises(WorkbookError, match="already answers as"):
            join(invite_for(review, folder, visitor="browser-b"), other, TODAY)
    with pytest.raises(WorkbookError):  # a visitor without a browser key never resumes anyone
        join(invite_for(review, folder, visitor=""), "Ana", TODAY)
    assert ana.path.read_bytes() == before


def test_the_same_browser_gets_its_own_file_back(mini: Path, folder: Path) -> None:
    review = load_review(mini)
    ana = join(invite_for(review, folder, visitor="browser-a"), "Ana", TODAY)
    answer(ana, "owner", SetAnswer("named", ""))
    again = join(invite_for(review, folder, visitor="browser-a"), "Ana", TODAY)
    assert again.path == ana.path
    assert again.review.answers["owner"].value == "named"


def test_a_file_put_there_by_hand_is_never_replaced(mini: Path, folder: Path) -> None:
    (folder / "dana.toml").write_text("not ours")
    invite = invite_for(load_review(mini), folder, visitor="browser-a")
    for _ in range(2):  # asking again must not open it as this visitor's own (found in review)
        with pytest.raises(WorkbookError, match="is taken"):
            join(invite, "Dana", TODAY)
    assert (folder / "dana.toml").read_text() == "not ours"


def test_the_claim_is_not_a_respondent_and_a_symlinked_claim_is_not_followed(mini: Path, folder: Path,
                                                                          tmp_path: Path) -> None:
    (folder / CLAIMS).mkdir()
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (folder / CLAIMS / "eve").symlink_to(victim)
    with pytest.raises(WorkbookError):
        join(invite_for(load_review(mini), folder, visitor="browser-e"), "Eve", TODAY)
    assert victim.read_text() == "keep"
    assert not (folder / "eve.toml").exists()


def test_non_latin_names_join_with_their_own_file_and_collisions_are_refused(mini: Path, folder: Path) -> None:
    review = load_review(mini)
    for i, name in enumerate(("Дмитрий Иванов", "张伟", "محمد علي", "ß straße")):
        rf = join(invite_for(review, folder, visitor=f"browser-{i}"), name, TODAY)
        assert rf.path == folder / f"{safe_stem(name)}.toml"
        assert load_review(rf.path).review.respondent == name
        assert returning(invite_for(review, folder, visitor=f"browser-{i}")) == name
    assert sorted(p.name for p in folder.glob("*.toml")) == sorted(
        ["дмитрий-иванов.toml", "张伟.toml", "محمد-علي.toml", "ß-straße.toml"])
    # The same name in another case, another form or decomposed, from another browser: refused.
    for other in ("ДМИТРИЙ ИВАНОВ", "SS STRASSE", "ss strasse", unicodedata.normalize("NFD", "Дмитрий Иванов")):
        with pytest.raises(WorkbookError, match="already answers as"):
            join(invite_for(review, folder, visitor="browser-x"), other, TODAY)
    # The same browser typing it in capitals gets its own file back.
    again = join(invite_for(review, folder, visitor="browser-3"), "SS STRASSE", TODAY)
    assert again.path == folder / "ß-straße.toml"
    assert len(list(folder.glob("*.toml"))) == 4


def _disk_full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("where", ["the file", "the file's temporary copy", "the claim"])
def test_a_join_that_could_not_write_leaves_the_name_free(mini: Path, folder: Path, where: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from workbook.core import safe_write, store

    review = load_review(mini)
    with monkeypatch.context() as patch:
        if where == "the file":
            patch.setattr(store, "write_file", _disk_full)
        elif where == "the file's temporary copy":
            patch.setattr(safe_write.tempfile, "mkstemp", _disk_full)
        else:
            real = os.fdopen
            patch.setattr(os, "fdopen", lambda fd, mode="r", *a, **k: _disk_full() if "w" in mode
                          else real(fd, mode, *a, **k))
        with pytest.raises(WorkbookError, match="could not be created \\(the disk is full\\)"):
            join(invite_for(review, folder, visitor="browser-a"), "Ana", TODAY)
    assert not (folder / "ana.toml").exists()
    assert not (folder / CLAIMS / "ana").exists()  # the claim went with the file
    # Once there is room again: the same person, from this browser or another, joins.
    assert join(invite_for(review, folder, visitor="browser-b"), "Ana", TODAY).path == folder / "ana.toml"
    assert join(invite_for(review, folder, visitor="browser-b"), "Ana", TODAY).path == folder / "ana.toml"


def three_respondents(mini: Path, folder: Path) -> list[ReviewFile]:
    review = load_review(mini)
    ana = join(invite_for(review, folder, visitor="a"), "Ana", TODAY)
    ben = join(invite_for(review, folder, visitor="b"), "Ben", TODAY)
    cy = join(invite_for(review, folder, visitor="c"), "Cy", TODAY)
    answer(ana, "owner", SetAnswer("named", ""))
    answer(ben, "owner", SetAnswer("named", ""))
    answer(ana, "boundary", SetAnswer("no", ""))
    answer(ben, "boundary", MarkUnknown())
    answer(cy, "boundary", MarkNotApplicable("no boundary here"))
    answer(cy, "notes", SetAnswer("only Cy wrote this", ""))
    return [ana, ben, cy]


def test_the_tally_counts_answers_and_finds_disagreements(mini: Path, folder: Path) -> None:
    three_respondents(mini, folder)
    scanned = Folder(folder, load_review(mini).template)
    assert scanned.scan() is True
    assert scanned.scan() is False  # nothing changed: nothing re-read
    counts = tally(scanned.respondents, scanned.template)
    assert (counts["owner"].answered, counts["owner"].respondents, counts["owner"].disagree) == (2, 3, False)
    assert (counts["boundary"].answered, counts["boundary"].disagree) == (3, True)
    assert set(counts["boundary"].answers) == {"Ana", "Ben", "Cy"}
    assert (counts["notes"].answered, counts["notes"].disagree) == (1, False)
    assert counts["sources"].answered == 0


def test_the_tally_follows_the_files_as_they_change(mini: Path, folder: Path) -> None:
    ana, ben, cy = three_respondents(mini, folder)
    scanned = Folder(folder, load_review(mini).template)
    scanned.scan()
    answer(ben, "boundary", SetAnswer("no", ""))
    answer(cy, "boundary", SetAnswer("no", ""))
    os.utime(ben.path, ns=(1, 1))  # even within one clock tick, a changed size or time is noticed
    assert scanned.scan() is True
    assert tally(scanned.respondents, scanned.template)["boundary"].disagree is False
    cy.path.unlink()
    assert scanned.scan() is True
    assert len(scanned.respondents) == 2


def test_a_broken_or_foreign_file_is_reported_not_counted(mini: Path, folder: Path, sample_copy) -> None:
    three_respondents(mini, folder)
    (folder / "broken.toml").write_text("answers = [")
    other = sample_copy("customer-support-copilot.toml")
    (folder / "other.toml").write_bytes(other.read_bytes())
    scanned = Folder(folder, load_review(mini).template)
    scanned.scan()
    assert len(scanned.respondents) == 3
    assert set(scanned.stray) == {folder / "broken.toml", folder / "other.toml"}


def test_merge_into_takes_agreement_keeps_disagreement_and_never_overrides_the_review(mini: Path,
                                                                                     folder: Path) -> None:
    files = three_respondents(mini, folder)
    review = load_review(mini).review
    review.answers.pop("owner", None)
    review.answers.pop("boundary", None)
    review.answers.pop("notes", None)
    merged = merge_into(review, files)
    assert merged.answers["owner"].value == "named" and merged.answers["owner"].status is Status.ANSWERED
    assert merged.answers["boundary"].disagreement
    assert set(merged.answers["boundary"].responses) == {"Ana", "Ben", "Cy"}
    assert merged.answers["notes"].responses.keys() == {"Cy"}  # one respondent: taken, with who gave it
    assert (merged.agreed, merged.single, merged.disagreed) == (1, 1, 1)
    # What the review already answers stays as it is.
    decided = load_review(mini).review
    question = load_review(mini).template.question("owner")
    assert question is not None
    apply_change(decided, question, SetAnswer("team", "the facilitator decided"), TODAY)
    again = merge_into(decided, files)
    assert "owner" not in again.answers and "owner" in again.kept


def test_merge_into_with_one_respondent_and_with_none(mini: Path, folder: Path) -> None:
    review = load_review(mini)
    ana = join(invite_for(review, folder, visitor="a"), "Ana", TODAY)
    answer(ana, "sources", SetAnswer(["wiki"], ""))
    review.review.answers.pop("sources", None)
    merged = merge_into(review.review, [ana])
    assert merged.answers["sources"].value == ["wiki"]
    assert list(merged.answers["sources"].responses) == ["Ana"]
    with pytest.raises(WorkbookError, match="no respondent"):
        merge_into(review.review, [])


# --------------------------------------------------------------------------- issue 22: counts that add up


def test_a_merge_reports_each_updated_question_once_and_the_disagreements_left(mini: Path, folder: Path) -> None:
    files = three_respondents(mini, folder)  # owner agreed by Ana and Ben, boundary disputed, notes Cy's alone
    review = load_review(mini).review
    review.answers.pop("boundary")  # the review answers owner already: only boundary and notes are updated
    merged = merge_into(review, files)
    assert set(merged.answers) == {"boundary", "notes"}
    # The kinds partition what was updated (they counted every merged question: 1 + 1 + 1 for 2 updated).
    assert (merged.agreed, merged.single, merged.disagreed) == (0, 1, 1)
    assert merged.notes == 0
    assert merged.kept == ["owner"] and merged.open_disagreements == 1
    assert merged.summary(3) == ("Merged 3 respondent(s): 2 question(s) updated (0 agreed, 1 by one respondent, "
                                 "1 disagreement(s)); 1 disagreement(s) left to settle; 1 question(s) the review "
                                 "already answers kept as they are.")
    # Merged in, then settled: the next merge changes nothing and says no disagreement is left.
    review.answers.update(merged.answers)
    question = load_review(mini).template.question("boundary")
    assert question is not None
    apply_change(review, question, SetAnswer("no", ""), TODAY)
    again = merge_into(review, files)
    assert (len(again.answers), again.agreed, again.single, again.disagreed) == (0, 0, 0, 0)
    assert again.open_disagreements == 0 and "0 disagreement(s) left to settle" in again.summary(3)


def test_notes_only_questions_are_a_kind_of_their_own(mini: Path, folder: Path) -> None:
    review = load_review(mini)
    ana = join(invite_for(review, folder, visitor="a"), "Ana", TODAY)
    ben = join(invite_for(review, folder, visitor="b"), "Ben", TODAY)
    for rf, note in ((ana, "ask legal"), (ben, "ask ops")):
        rf.review.answers["sources"] = rf.review.answer("sources").model_copy(update={"notes": note})
        save_review(rf)
    answer(ana, "owner", SetAnswer("named", ""))
    review.review.answers.pop("owner")
    merged = merge_into(review.review, [ana, ben])
    assert set(merged.answers) == {"owner", "sources"}
    assert (merged.agreed, merged.single, merged.disagreed, merged.notes) == (0, 1, 0, 1)
    assert "(0 agreed, 1 by one respondent, 0 disagreement(s), 1 notes only)" in merged.summary(2)


def test_the_tally_shows_a_disagreement_the_review_settled_as_settled(mini: Path, folder: Path) -> None:
    files = three_respondents(mini, folder)
    review = load_review(mini).review  # the review answers boundary (deferred to Priya)
    counts = tally(files, files[0].template, review)
    assert counts["boundary"].disagree and counts["boundary"].settled
    assert not counts["boundary"].open_disagreement
    review.answers.pop("boundary")
    assert tally(files, files[0].template, review)["boundary"].open_disagreement


def test_the_tally_never_says_settled_for_what_the_review_left_open(mini: Path, folder: Path) -> None:
    """'Not settled today' defers a decision or leaves the question unknown: the card says 'not
    settled', so the tally says what the review did instead of '✓ settled'."""
    from workbook.tui.screens.respondents import state_cell

    files = three_respondents(mini, folder)
    review = load_review(mini).review
    assert review.answers["boundary"].status is Status.DEFERRED  # deferred to Priya
    assert str(state_cell(tally(files, files[0].template, review)["boundary"])) == "◆ deferred"
    apply_change(review, files[0].template.question("boundary"), MarkUnknown(), TODAY)  # type: ignore[arg-type]
    assert str(state_cell(tally(files, files[0].template, review)["boundary"])) == "? unknown"
    apply_change(review, files[0].template.question("boundary"), SetAnswer("no", ""), TODAY)  # type: ignore[arg-type]
    assert str(state_cell(tally(files, files[0].template, review)["boundary"])) == "✓ settled"


def test_only_this_programs_reviews_count_and_strays_are_listed_with_why(mini: Path, folder: Path) -> None:
    ana, ben, cy = three_respondents(mini, folder)
    review = load_review(mini)
    join(invite_for(review, folder, visitor="d"), "Dee", TODAY)  # joined, recorded nothing
    (folder / "empty.toml").write_bytes(b"")
    (folder / "notes.toml").write_text('todo = "ask Ben"\n')
    (folder / "template.toml").write_bytes((mini.parent / "mini-template.toml").read_bytes())
    (folder / "binary.toml").write_bytes(b"\xff\xfe\x00")
    (folder / "elsewhere.toml").write_bytes(ben.path.read_bytes().replace(b"Mini program", b"Another program"))
    scanned = Folder(folder, review.template, "Mini program")
    scanned.scan()
    assert {p.name: why for p, why in scanned.stray.items()} == {
        "empty.toml": "empty file",
        "notes.toml": "not a review (it has none of a review's keys: [program], template, template_version, "
                      "answers)",
        "template.toml": "a template (a question bank, with no [program] table), not a review",
        "binary.toml": "unreadable: 1:1: not UTF-8 text (byte 0xff)",
        "elsewhere.toml": "another program's review ('Another program')",
    }
    assert [rf.review.respondent for rf in scanned.respondents] == ["Ana", "Ben", "Cy", "Dee"]
    assert [rf.review.respondent for rf in scanned.unanswered] == ["Dee"]
    assert tally(scanned.respondents, review.template)["owner"].respondents == 4
    scanned.leave_out_unanswered = True  # the facilitator's x
    assert [rf.review.respondent for rf in scanned.respondents] == ["Ana", "Ben", "Cy"]
    assert tally(scanned.respondents, review.template)["owner"].respondents == 3


def test_the_same_browser_is_recognised_by_name_in_this_review_only(mini: Path, folder: Path, tmp_path: Path) -> None:
    from workbook.core.respondents import returning

    review = load_review(mini)
    assert returning(invite_for(review, folder, visitor="browser-b")) is None
    join(invite_for(review, folder, visitor="browser-b"), "Ben", TODAY)
    ben = join(invite_for(review, folder, visitor="browser-b"), "Ben Okoro", TODAY)  # the right name, second
    answer(ben, "owner", SetAnswer("named", ""))
    assert returning(invite_for(review, folder, visitor="browser-b")) == "Ben Okoro"
    assert returning(invite_for(review, folder, visitor="browser-a")) is None
    assert returning(invite_for(review, folder, visitor="")) is None
    other = tmp_path / "other-answers"
    other.mkdir()
    assert returning(invite_for(review, other, visitor="browser-b")) is None  # another review's folder


def test_a_refusal_never_names_another_respondents_file(mini: Path, folder: Path) -> None:
    review = load_review(mini)
    join(invite_for(review, folder, visitor="a"), "Ana López", TODAY)
    (folder / "dana.toml").write_text("not ours")
    for name in ("ana lopez", "Dana"):
        with pytest.raises(WorkbookError) as refused:
            join(invite_for(review, folder, visitor="e"), name, TODAY)
        assert ".toml" not in str(refused.value) and "ana-lopez" not in str(refused.value)


def test_a_lone_answer_taken_before_is_updated_when_a_second_respondent_answers(mini: Path, folder: Path) -> None:
    review = load_review(mini)
    ana = join(invite_for(review, folder, visitor="a"), "Ana", TODAY)
    ben = join(invite_for(review, folder, visitor="b"), "Ben", TODAY)
    answer(ana, "sources", SetAnswer(["wiki"], ""))
    first = merge_into(review.review, [ana, ben])
    review.review.answers.update(first.answers)
    assert tally([ana, ben], review.template, review.review)["sources"].settled is False
    answer(ben, "sources", SetAnswer(["tickets"], ""))  # Ben answers later, differently
    counts = tally([ana, ben], review.template, review.review)
    assert counts["sources"].open_disagreement  # not "settled": nobody settled Ana's lone answer
    second = merge_into(review.review, [ana, ben])
    assert second.answers["sources"].disagreement and "sources" not in second.kept
    assert (second.disagreed, second.open_disagreements) == (1, 1)
    # Once the facilitator edits that lone answer, it is the review's own: kept.
    question = review.template.question("sources")
    assert question is not None
    review.review.answers["sources"] = first.answers["sources"]
    apply_change(review.review, question, SetAnswer(["wiki", "tickets"], "both, says the room"), TODAY)
    third = merge_into(review.review, [ana, ben])
    assert "sources" not in third.answers and "sources" in third.kept


def test_a_card_says_where_an_answer_came_from(mini: Path, folder: Path) -> None:
    from workbook.core.merge import attribution

    files = three_respondents(mini, folder)
    review = load_review(mini).review
    for qid in ("owner", "boundary", "notes"):
        review.answers.pop(qid, None)
    merged = merge_into(review, files).answers
    assert attribution(merged["notes"]) == "from Cy"
    assert attribution(merged["boundary"]) == ""  # still a disagreement: the card lists each answer instead
    settled = merged["boundary"].model_copy(update={"status": Status.ANSWERED, "value": "yes"})
    assert attribution(settled) == "settled from Ana, Ben, Cy"
    left_open = merged["boundary"].model_copy(update={"status": Status.UNKNOWN})
    assert attribution(left_open) == "not settled: Ana, Ben, Cy disagreed"
    both = merged["owner"].model_copy(update={"responses": {"Ana": merged["owner"], "Ben": merged["owner"]}})
    assert attribution(both) == "agreed by Ana, Ben"
