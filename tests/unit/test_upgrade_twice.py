"""A review upgraded through two template versions keeps every answer (issue 24, point 3).

Each upgrade keeps an answer that no longer fits under '<id>@<version it was made with>'. The file
records the template version it was last saved under, so a second upgrade keeps the re-answer as
'q@1.1.0' beside the first one's 'q@1.0.0'; and a kept answer is never overwritten, even in a file
whose version is stale (saved by a workbook before this fix).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.conftest import TODAY
from workbook.core.models import Answer, Status, Template
from workbook.core.store import create_review_file, load_review, new_review, save_review

# One question whose choices change at each version: the answer of the one before no longer fits.
CHOICES = {"1.0.0": ("a", "b"), "1.1.0": ("b", "c"), "1.2.0": ("b", "d")}


def template(version: str) -> Template:
    choices = ", ".join(f'{{ id = "{c}", label = "Choice {c}", risk = "none" }}' for c in CHOICES[version])
    text = f"""
schema = 1
id = "chain"
version = "{version}"
title = "Chain"
[[sections]]
id = "s"
title = "S"
[[sections.questions]]
id = "q"
prompt = "Which one?"
kind = "single_choice"
choices = [{choices}]
[[sections.questions]]
id = "other"
prompt = "Anything else?"
kind = "yes_no"
"""
    return Template.model_validate(tomllib.loads(text))


def answered(value: str, notes: str = "") -> Answer:
    return Answer(status=Status.ANSWERED, value=value, notes=notes)


def saved_version(path: Path) -> str:
    return str(tomllib.loads(path.read_text("utf-8"))["template_version"])


def test_two_upgrades_and_saves_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    v1, v2, v3 = (template(v) for v in CHOICES)
    review = new_review(v1, "Chain", TODAY)
    review.answers["q"] = answered("a", "first, under 1.0.0")
    create_review_file(path, review, v1)

    rf = load_review(path, v2)  # 'a' is gone in 1.1.0: kept, and q answered again
    assert rf.review.answers["q@1.0.0"].value == "a"
    rf.review.answers["q"] = answered("c", "second, under 1.1.0")
    save_review(rf)
    assert saved_version(path) == "1.1.0"  # the file records the version it was saved under

    rf = load_review(path, v3)  # 'c' is gone in 1.2.0: kept beside the first, not over it
    assert rf.review.answers["q@1.0.0"].value == "a"
    assert rf.review.answers["q@1.1.0"].value == "c"
    assert "q" not in rf.review.answers
    rf.review.answers["q"] = answered("d", "third, under 1.2.0")
    save_review(rf)
    assert saved_version(path) == "1.2.0"

    final = load_review(path, v3).review.answers
    assert {k: (a.value, a.notes) for k, a in final.items()} == {
        "q": ("d", "third, under 1.2.0"),
        "q@1.0.0": ("a", "first, under 1.0.0"),
        "q@1.1.0": ("c", "second, under 1.1.0"),
    }


def test_reopening_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "review.toml"
    v1, v2, v3 = (template(v) for v in CHOICES)
    review = new_review(v1, "Chain", TODAY)
    review.answers["q"] = answered("a")
    create_review_file(path, review, v1)
    rf = load_review(path, v2)
    rf.review.answers["q"] = answered("c")
    save_review(rf)

    before = path.read_bytes()
    first, second = load_review(path, v3), load_review(path, v3)  # opened twice, nothing saved
    assert path.read_bytes() == before
    assert first.review.answers == second.review.answers
    save_review(first)
    after = path.read_bytes()
    again = load_review(path, v3)
    assert not [n for n in again.notices if "made with" in n or "no longer fits" in n]  # nothing to upgrade
    save_review(again)
    assert path.read_bytes() == after  # a second open and save changes nothing
    assert {k: a.value for k, a in again.review.answers.items()} == {"q@1.0.0": "a", "q@1.1.0": "c"}


def test_a_kept_answer_is_never_overwritten_in_a_stale_file(tmp_path: Path) -> None:
    """A file saved before the version advanced on save: 1.0.0 on top, yet re-answered under 1.1.0."""
    path = tmp_path / "review.toml"
    v1, _, v3 = (template(v) for v in CHOICES)
    review = new_review(v1, "Chain", TODAY)
    review.answers["q@1.0.0"] = answered("a", "the first answer")
    review.answers["q"] = answered("c", "the re-answer")
    create_review_file(path, review, v1)

    rf = load_review(path, v3)
    kept = {k: (a.value, a.notes) for k, a in rf.review.answers.items()}
    assert kept["q@1.0.0"] == ("a", "the first answer")
    assert ("c", "the re-answer") in kept.values()
    assert len(kept) == 2
    save_review(rf)
    assert {k: (a.value, a.notes) for k, a in load_review(path, v3).review.answers.items()} == kept
