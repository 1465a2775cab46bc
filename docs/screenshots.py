"""Regenerate the README's screenshots from the shipped samples, so they never go stale.

    python docs/screenshots.py            # writes docs/images/*.svg

Each picture is Textual's own SVG export of the real app, driven by Pilot as a user would, on a
copy of a sample program with a fixed "today" (so dates and overdue flags read the same every run).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "images"
SIZE = (100, 30)
TODAY = dt.date(2026, 12, 6)
NOW = dt.datetime(2026, 12, 6, 10, 0)

Steps = Callable[[Any], Awaitable[None]]


def samples() -> Path:
    from workbook.core.templates import samples_dir

    return samples_dir()


async def shoot(name: str, review: Path, steps: Steps, **app_args: Any) -> Path:
    from workbook.core.store import load_review
    from workbook.tui.app import make_app

    app = make_app(load_review(review), today=TODAY, clock=lambda: NOW, **app_args)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await steps(pilot)
        await pilot.pause(0.3)
        app.save_screenshot(filename=f"{name}.svg", path=str(OUT))
        await pilot.press("escape")
        app.exit()
    return OUT / f"{name}.svg"


async def review_screen(pilot: Any) -> None:
    await pilot.app.screen.jump_to("prompt-injection-tested") if pilot.app.session.template.question(
        "prompt-injection-tested") else None


async def summary(pilot: Any) -> None:
    await pilot.press("r")


async def board(pilot: Any) -> None:
    await pilot.press("c")


async def tally(pilot: Any) -> None:
    for _ in range(40):  # the tally opens by itself in a workshop with respondents
        if pilot.app.screen.__class__.__name__ == "RespondentsScreen":
            return
        await pilot.pause(0.05)


def respondents(folder: Path, sample: Path) -> Path:
    """Three respondents who pre-filled the first sections alone: mostly agreeing, two disagreements,
    and one who has not reached the last questions yet."""
    from workbook.core.editing import TakeMerged, apply_change
    from workbook.core.respondents import invite_for, join
    from workbook.core.store import load_review, save_review

    answers = folder / "answers"
    answers.mkdir()
    review = load_review(sample)
    asked = [q for section in review.template.sections[:2] for q in section.questions]
    given = [q for q in asked if q.id in review.review.answers and q.kind.value == "single_choice"][:12]
    for i, who in enumerate(("Ana Lopez", "Ben Okoro", "Cy Park")):
        rf = join(invite_for(review, answers, visitor=str(i)), who, TODAY)
        for n, question in enumerate(given[: 12 - 3 * (i == 2)]):
            answer = review.review.answers[question.id].model_copy(deep=True)
            answer.responses = {}
            if i == 1 and n in (2, 5):  # Ben sees two questions differently
                answer.value = next(c.id for c in question.choices if c.id != answer.value)
            apply_change(rf.review, question, TakeMerged(answer), TODAY)
        save_review(rf)
    return answers


def clear_first_sections(path: Path) -> None:
    from workbook.core.store import load_review, save_review

    rf = load_review(path)
    for section in rf.template.sections[:2]:
        for question in section.questions:
            rf.review.answers.pop(question.id, None)
    save_review(rf, force=True)


async def tally_answered(pilot: Any) -> None:
    await tally(pilot)
    await pilot.press("f")  # only the questions someone answered


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sample = folder / "customer-support-copilot.toml"
        shutil.copy(samples() / sample.name, sample)
        written = [
            await shoot("review", sample, review_screen),
            await shoot("summary", sample, summary),
            await shoot("board", sample, board),
        ]
        workshop = folder / "workshop.toml"
        shutil.copy(sample, workshop)
        answers = respondents(folder, workshop)
        clear_first_sections(workshop)  # the room has not settled these yet: the respondents' answers show
        written.append(await shoot("tally", workshop, tally_answered, workshop=True,
                                   respondents=answers))
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
