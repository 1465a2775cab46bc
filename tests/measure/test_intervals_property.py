"""Random span trees, written by the real SDK to a file, measure back to the intervals that built them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.measure.helpers import measure_files, row
from tests.measure.sdk import SpanSpec, Writer, chat, embeddings, retrieval
from workbook.core.measure.stages import Union, add, clipped_length
from workbook.core.store import ReviewFile

KINDS = ("retrieval", "embeddings", "chat", "build_prompt", "other")
STAGE_OF = {"retrieval": "Retrieval", "embeddings": "Retrieval", "chat": "Model inference",
            "build_prompt": "Prompt construction", "other": None}

# (parent: any earlier span or the root, start ms, length ms, kind); spans may stick out of the root.
spans_st = st.lists(st.tuples(st.integers(0, 50), st.integers(-20, 220), st.integers(0, 120), st.sampled_from(KINDS)),
                    max_size=12)


def _spec(kind: str, start: int, end: int) -> SpanSpec:
    if kind == "retrieval":
        return retrieval(start, end)
    if kind == "embeddings":
        return embeddings(start, end)
    if kind == "chat":
        return chat(start, end)
    return SpanSpec(kind, start, end)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(duration=st.integers(1, 200), drawn=spans_st)
def test_random_trees_measure_back(copilot: ReviewFile, duration: int, drawn: list[tuple[int, int, int, str]]) -> None:
    root = SpanSpec("POST /draft", 0, duration)
    nodes = [root]
    cells: dict[str, set[int]] = {}
    touched: set[str] = set()
    for parent, start, length, kind in drawn:
        spec = _spec(kind, start, start + length)
        nodes[parent % len(nodes)].children.append(spec)
        nodes.append(spec)
        stage = STAGE_OF[kind]
        if stage is not None:
            # Brute force: the whole milliseconds of the root this span covers.
            cells.setdefault(stage, set()).update(range(max(start, 0), min(start + length, duration)))
            if start <= duration and start + length >= 0:
                touched.add(stage)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.jsonl"
        w = Writer(path)
        w.write(root)
        w.close()
        m, _ = measure_files(copilot, path, stages=("Prompt construction=build_prompt",))
    assert m.counts.requests == 1
    assert row(m, "e2e-p50").measured == duration
    for stage in ("Retrieval", "Model inference", "Prompt construction"):
        measured = row(m, f"stage:{stage}-p50").measured
        if stage in touched:
            assert measured is not None and round(measured, 6) == len(cells[stage]), stage
        else:
            assert measured is None, stage
    covered = set().union(*cells.values()) if cells else set()
    assert round(row(m, "unattributed-p50").measured or 0, 6) == duration - len(covered)


@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 30)), max_size=20), st.integers(0, 60), st.integers(60, 130))
def test_the_union_covers_what_its_intervals_cover(pairs: list[tuple[int, int]], low: int, high: int) -> None:
    union: Union = []
    for start, length in pairs:
        add(union, start, start + length)
    assert all(a[1] < b[0] for a, b in zip(union, union[1:]))  # sorted, disjoint, not touching
    expected = set().union(*(range(max(s, low), min(s + n, high)) for s, n in pairs)) if pairs else set()
    assert clipped_length(union, low, high) == len(expected)
