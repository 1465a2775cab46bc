"""Stage time: the union of a request's spans of one stage, so nested and parallel spans count once.

A span belongs to the first `--stage NAME=GLOB` whose glob matches its name (case-insensitive), else
to the stage its GenAI operation maps to by convention (attributes.OPERATION_STAGES), else to none.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from itertools import chain

from workbook.core.measure.attributes import OPERATION_STAGES

# Sorted, disjoint, non-touching [start, end] pairs in nanoseconds.
Union = list[tuple[int, int]]


def add(union: Union, start: int, end: int) -> None:
    """Add [start, end] to the union in place, merging what it overlaps or touches."""
    i = bisect.bisect_left(union, (start, start))
    if i > 0 and union[i - 1][1] >= start:  # the one before reaches into it
        i -= 1
    j = i
    while j < len(union) and union[j][0] <= end:
        start, end = min(start, union[j][0]), max(end, union[j][1])
        j += 1
    union[i:j] = [(start, end)]


def merged(*unions: Union) -> Union:
    out: Union = []
    for union in unions:
        for start, end in union:
            add(out, start, end)
    return out


def covered_length(unions: Iterable[Union], low: int, high: int) -> int:
    """How much of [low, high] the unions together cover: clipped_length(merged(*unions), low, high),
    by one sort and sweep instead of merging interval by interval."""
    total = 0
    run_start = run_end = low
    for start, end in sorted(chain.from_iterable(unions)):
        if start < low:
            start = low
        if end > high:
            end = high
        if end <= run_end or end <= start:  # already covered, or outside [low, high]
            continue
        if start > run_end:
            total += run_end - run_start
            run_start = start
        run_end = end
    return total + run_end - run_start


def clipped_length(union: Union, low: int, high: int) -> int:
    """How much of [low, high] the union covers."""
    return sum(max(0, min(end, high) - max(start, low)) for start, end in union)


@dataclass(frozen=True)
class StageRule:
    stage: str
    glob: str


def parse_stage(text: str) -> StageRule:
    """`NAME=GLOB` from the command line; ValueError saying what is wrong."""
    name, sep, glob = text.partition("=")
    if not sep or not name.strip() or not glob.strip():
        raise ValueError(f"{text!r} is not NAME=GLOB (e.g. \"Prompt construction=build_prompt*\")")
    return StageRule(name.strip(), glob.strip())


class StageMatcher:
    def __init__(self, rules: tuple[StageRule, ...] = ()) -> None:
        self.rules = tuple(StageRule(r.stage, r.glob.lower()) for r in rules)

    def stage_of(self, span_name: str, operation: str | None) -> str | None:
        lowered = span_name.lower()
        for rule in self.rules:
            if fnmatchcase(lowered, rule.glob):
                return rule.stage
        return OPERATION_STAGES.get(operation) if operation else None

    def stages(self) -> tuple[str, ...]:
        """Every stage a span can map to, in the order first given."""
        names = [r.stage for r in self.rules] + list(OPERATION_STAGES.values())
        return tuple(dict.fromkeys(names))
