"""The parking lot, the workshop log and the participants merge item by item (issue 24, point 4).

Two facilitators adding a topic at once keep both topics; "keep mine" and "take theirs" decide only
the item both changed, never dropping what the other side added.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import multiprocessing.synchronize
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, TODAY
from workbook.core.disk_merge import DiskMerge, Saved, merge_with_disk, save_merged, save_merging
from workbook.core.editing import LogTime, SetParkingLot, SetParticipants, apply_review_change
from workbook.core.models import ParkingItem, Participant, Review
from workbook.core.store import ReviewFile, load_review, save_review
from workbook.core.threeway import merge_lists

NOON = dt.datetime(2026, 11, 26, 12, 0)


def add_topic(review: Review, topic: str, **fields: Any) -> None:
    item = ParkingItem(topic=topic, raised_on=TODAY, **fields)
    apply_review_change(review, SetParkingLot((*review.parking_lot, item)))


def add_participant(review: Review, name: str) -> None:
    apply_review_change(review, SetParticipants((*review.program.participants, Participant(name=name))))


def log_time(review: Review, section: str, minute: int) -> None:
    apply_review_change(review, LogTime(section, NOON + dt.timedelta(minutes=minute), 60))


def on_disk(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text("utf-8"))


def topics(path: Path) -> list[str]:
    return [item["topic"] for item in on_disk(path).get("parking_lot", [])]


def test_two_facilitators_adding_a_topic_at_once_keep_both(mini: Path) -> None:
    ana, ben = load_review(mini), load_review(mini)
    add_topic(ana.review, "Who pays for the GPUs?")
    save_review(ana)
    add_topic(ben.review, "Is the vendor SOC 2?")
    result = save_merging(ben)
    assert isinstance(result, Saved), "two additions are not a conflict"
    assert ("parking_lot",) in result.merged  # Ben now holds Ana's topic, and is told so
    assert topics(mini) == ["Is the vendor SOC 2?", "Who pays for the GPUs?"]


def test_participants_and_the_workshop_log_keep_both_sides(mini: Path) -> None:
    ana, ben = load_review(mini), load_review(mini)
    add_participant(ana.review, "Ana")
    log_time(ana.review, "data", 0)
    save_review(ana)
    add_participant(ben.review, "Ben")
    log_time(ben.review, "scale", 5)
    assert isinstance(save_merging(ben), Saved)
    data = on_disk(mini)
    assert [p["name"] for p in data["program"]["participants"]] == ["Dana", "Ben", "Ana"]
    assert data["program"]["participants"][0]["pronouns"] == "she/her"  # unknown keys of an item kept
    assert sorted(e["section"] for e in data["workshop"]["log"]) == ["data", "scale"]


def test_a_topic_removed_on_one_side_is_removed(mini: Path) -> None:
    first = load_review(mini)
    add_topic(first.review, "Old topic")
    add_topic(first.review, "Still open")
    save_review(first)
    ana, ben = load_review(mini), load_review(mini)
    apply_review_change(ana.review, SetParkingLot(tuple(i for i in ana.review.parking_lot if i.topic != "Old topic")))
    save_review(ana)
    add_topic(ben.review, "New topic")
    assert isinstance(save_merging(ben), Saved)
    assert topics(mini) == ["Still open", "New topic"]


def _both_edit_one_topic(mini: Path) -> tuple[ReviewFile, DiskMerge]:
    first = load_review(mini)
    add_topic(first.review, "Budget")
    save_review(first)
    ana, ben = load_review(mini), load_review(mini)
    ana.review.parking_lot[0] = ana.review.parking_lot[0].model_copy(update={"owner": "Ana"})
    add_topic(ana.review, "Ana's topic")
    save_review(ana)
    ben.review.parking_lot[0] = ben.review.parking_lot[0].model_copy(update={"owner": "Ben"})
    add_topic(ben.review, "Ben's topic")
    dm = merge_with_disk(ben)
    assert [c.unit for c in dm.conflicts] == [("parking_lot",)]  # the one topic both changed
    return ben, dm


@pytest.mark.parametrize("side,owner", [("mine", "Ben"), ("theirs", "Ana")])
def test_keep_mine_or_take_theirs_decides_only_the_item_both_changed(mini: Path, side: str, owner: str) -> None:
    ben, dm = _both_edit_one_topic(mini)
    save_merged(ben, dm, {("parking_lot",): side})  # type: ignore[dict-item]
    items = on_disk(mini)["parking_lot"]
    assert [(i["topic"], i.get("owner")) for i in items] == [("Budget", owner), ("Ben's topic", None),
                                                              ("Ana's topic", None)]


# ------------------------------------------------------------------ the list merge itself

_items = st.lists(st.sampled_from("abcdefghij"), unique=True, max_size=8)


@settings(max_examples=300, deadline=None)
@given(base=_items, mine_drop=st.sets(st.integers(0, 7)), theirs_drop=st.sets(st.integers(0, 7)),
       mine_add=st.lists(st.sampled_from("klmnop"), max_size=4), theirs_add=st.lists(st.sampled_from("pqrstu"), max_size=4),
       edit=st.booleans())
def test_both_sides_additions_are_always_kept(base: list[str], mine_drop: set[int], theirs_drop: set[int],
                                              mine_add: list[str], theirs_add: list[str], edit: bool) -> None:
    def item(topic: str, owner: str = "") -> dict[str, str]:
        return {"topic": topic, "owner": owner}

    b = [item(x) for x in base]
    mine = [i for n, i in enumerate(b) if n not in mine_drop] + [item(x, "mine") for x in mine_add]
    theirs = [i for n, i in enumerate(b) if n not in theirs_drop] + [item(x, "theirs") for x in theirs_add]
    if edit and mine and theirs and mine[0]["topic"] == theirs[0]["topic"] and mine[0] in b:
        mine[0] = item(mine[0]["topic"], "edited here")  # one side edits an item: taken, no conflict
    as_mine, as_theirs, conflicted = merge_lists(b, mine, theirs, ("topic",))
    assert not conflicted  # no item was changed differently on both sides
    assert as_mine == as_theirs
    for added in [i for i in mine + theirs if i not in b]:
        assert added in as_mine, f"{added} was added and is lost"
    for gone in [i for n, i in enumerate(b) if n in mine_drop | theirs_drop]:
        assert gone not in as_mine, f"{gone} was removed on one side and is back"
    kept = [i for n, i in enumerate(b) if n not in mine_drop | theirs_drop and i in mine]
    assert all(i in as_mine for i in kept)


@settings(max_examples=200, deadline=None)
@given(base=_items, mine_add=st.lists(st.sampled_from("klmnop"), max_size=4),
       theirs_add=st.lists(st.sampled_from("klmnop"), max_size=4))
def test_an_item_both_edited_differently_conflicts_and_both_choices_keep_every_addition(
        base: list[str], mine_add: list[str], theirs_add: list[str]) -> None:
    b = [{"topic": x} for x in base] + [{"topic": "shared"}]
    mine = [*b[:-1], {"topic": "shared", "owner": "A"}] + [{"topic": x, "by": "m"} for x in mine_add]
    theirs = [*b[:-1], {"topic": "shared", "owner": "B"}] + [{"topic": x, "by": "t"} for x in theirs_add]
    as_mine, as_theirs, conflicted = merge_lists(b, mine, theirs, ("topic",))
    assert conflicted
    assert {"topic": "shared", "owner": "A"} in as_mine and {"topic": "shared", "owner": "B"} in as_theirs
    for added in mine[len(b):] + theirs[len(b):]:
        assert added in as_mine and added in as_theirs


# ------------------------------------------------------------------ two writers, 30 rounds

ROUNDS = 30


def _writer(path: str, who: str, start: multiprocessing.synchronize.Barrier,
            done: multiprocessing.synchronize.Barrier) -> None:
    rf = load_review(path)
    for i in range(ROUNDS):
        add_topic(rf.review, f"{who} topic {i}")
        add_participant(rf.review, f"{who} {i}")
        log_time(rf.review, "data" if who == "ana" else "scale", i)
        start.wait()
        result = save_merging(rf)
        assert isinstance(result, Saved), "additions never conflict"
        rf = result.file
        done.wait()


@pytest.mark.subprocess
def test_two_writers_adding_topics_log_entries_and_participants_lose_nothing(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "mini-template.toml", tmp_path)
    path = tmp_path / "mini-review.toml"
    shutil.copy(FIXTURES / "mini-review.toml", path)
    ctx = multiprocessing.get_context("fork")
    start, done = ctx.Barrier(3), ctx.Barrier(3)
    writers = [ctx.Process(target=_writer, args=(str(path), who, start, done)) for who in ("ana", "ben")]
    for w in writers:
        w.start()
    lost = 0
    try:
        for i in range(ROUNDS):
            start.wait(timeout=60)
            done.wait(timeout=60)
            data = on_disk(path)
            have = {item["topic"] for item in data.get("parking_lot", [])}
            have |= {p["name"] for p in data["program"].get("participants", [])}
            have |= {(e["section"], e["started"]) for e in data.get("workshop", {}).get("log", [])}
            for n in range(i + 1):
                wanted = [f"ana topic {n}", f"ben topic {n}", f"ana {n}", f"ben {n}",
                          ("data", NOON + dt.timedelta(minutes=n)), ("scale", NOON + dt.timedelta(minutes=n))]
                lost += sum(w not in have for w in wanted)
    finally:
        for w in writers:
            w.join(timeout=60)
    assert [w.exitcode for w in writers] == [0, 0]
    assert lost == 0
