"""Three-way merge of a review, as git does for lines but keyed by question: base, mine and theirs.

``base`` is what this workbook loaded (or last saved), ``mine`` what it holds now, ``theirs`` what is
on disk. Each answer is one unit, and so is each key of [program] and each other top-level key. A
unit only one side changed takes that side; a unit both changed the same way is taken; a unit both
changed differently is a conflict, for the user to decide. Nothing either side did not change is lost.

The parking lot, the workshop log, the participants and the measurements are lists two people (or
a nightly `workbook measure --write`) add to at once: they merge item by item by the same rule (an
item added on either side is kept, one removed on one side is removed). Only an item both changed
differently makes the list a conflict, and then both choices hold every other item of both sides:
"keep mine" decides that item only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Unit = tuple[str, ...]
Side = Literal["mine", "theirs"]
_SPLIT = ("answers", "program")  # tables whose keys merge one by one


def units(data: dict[str, Any]) -> dict[Unit, Any]:
    """The review as independent units: ("answers", qid), ("program", key), or (top-level key,)."""
    out: dict[Unit, Any] = {}
    for key, value in data.items():
        if key in _SPLIT and isinstance(value, dict):
            for sub, item in value.items():
                out[(key, sub)] = item
        else:
            out[(key,)] = value
    return out


def rebuild(parts: dict[Unit, Any], order: list[dict[str, Any]]) -> dict[str, Any]:
    """Units back into a review dict, keeping the key order of the given dicts (mine first)."""
    data: dict[str, Any] = {}
    seen: list[Unit] = []
    for source in order:
        seen += [u for u in units(source) if u not in seen]
    seen += [u for u in parts if u not in seen]
    for unit in seen:
        if unit not in parts:
            continue
        if len(unit) == 2:
            data.setdefault(unit[0], {})[unit[1]] = parts[unit]
        else:
            data[unit[0]] = parts[unit]
    return data


@dataclass(frozen=True)
class Conflict:
    unit: Unit
    mine: Any  # None: removed (or never there) on that side
    theirs: Any


@dataclass
class Merge3:
    base: dict[str, Any]
    mine: dict[str, Any]
    theirs: dict[str, Any]
    parts: dict[Unit, Any]  # everything decided so far
    from_theirs: list[Unit] = field(default_factory=list)  # units changed only on disk, taken
    conflicts: list[Conflict] = field(default_factory=list)

    def resolved(self, choices: dict[Unit, Side]) -> dict[str, Any]:
        """The merged review, with each conflict settled as chosen (unchosen ones keep mine)."""
        parts = dict(self.parts)
        for c in self.conflicts:
            value = c.theirs if choices.get(c.unit) == "theirs" else c.mine
            if value is None:
                parts.pop(c.unit, None)
            else:
                parts[c.unit] = value
        return rebuild(parts, [self.mine, self.theirs])


# Lists merged item by item, and what names an item in each (an item's place among those with the
# same name tells apart two topics worded alike).
_LISTS: dict[Unit, tuple[str, ...]] = {
    ("parking_lot",): ("topic",),
    ("program", "participants"): ("name",),
    ("workshop", "log"): ("section", "started"),
    ("measurements",): ("window_start", "window_end", "recorded_on"),
}
_TABLES_WITH_LISTS = {("workshop",)}  # [workshop]: its keys merge one by one, its log by item


def _keyed(items: Any, names: tuple[str, ...]) -> dict[tuple[Any, ...], Any]:
    out: dict[tuple[Any, ...], Any] = {}
    for item in items if isinstance(items, list) else []:
        name = tuple(item.get(n) for n in names) if isinstance(item, dict) else (repr(item),)
        n = 0
        while (name, n) in out:
            n += 1
        out[(name, n)] = item
    return out


def merge_lists(base: Any, mine: Any, theirs: Any, names: tuple[str, ...]) -> tuple[list[Any], list[Any], bool]:
    """Three lists merged by item: (merged with mine where an item conflicts, merged with theirs
    there, whether any item conflicts). Mine's order first, then what only theirs added, in its order."""
    b, m, t = _keyed(base, names), _keyed(mine, names), _keyed(theirs, names)
    as_mine: list[Any] = []
    as_theirs: list[Any] = []
    conflicted = False
    for key in list(m) + [k for k in t if k not in m]:
        bv, mv, tv = b.get(key), m.get(key), t.get(key)
        if bv is None and mv is not None and tv is not None and mv != tv:
            both = [mv, tv]  # added on both sides, differently: two items, both kept
            as_mine += both
            as_theirs += both
            continue
        picked = _pick(bv, mv, tv)
        if picked is None:
            conflicted = True
            as_mine += [mv] if mv is not None else []
            as_theirs += [tv] if tv is not None else []
        elif picked[0] is not None:
            as_mine.append(picked[0])
            as_theirs.append(picked[0])
    return as_mine, as_theirs, conflicted


def _pick(bv: Any, mv: Any, tv: Any) -> tuple[Any, bool] | None:
    """The rule for one unit: (the value, whether it is theirs), or None when both changed it differently."""
    if mv == tv:
        return mv, False
    if mv == bv:  # only theirs changed it
        return tv, True
    if tv == bv:  # only mine changed it
        return mv, False
    return None


def _merge_parts(unit: Unit, bv: Any, mv: Any, tv: Any) -> tuple[Any, Any, bool] | None:
    """A unit both sides changed, merged inside: (as mine, as theirs, conflicted); None if it is not
    a list (or a table holding one) that merges by item."""
    if unit in _LISTS:
        as_mine, as_theirs, conflicted = merge_lists(bv, mv, tv, _LISTS[unit])
        return as_mine or None, as_theirs or None, conflicted
    if unit not in _TABLES_WITH_LISTS or not all(isinstance(v, dict) or v is None for v in (bv, mv, tv)):
        return None
    b, m, t = bv or {}, mv or {}, tv or {}
    table_mine: dict[str, Any] = {}
    table_theirs: dict[str, Any] = {}
    any_conflict = False
    for key in list(m) + [k for k in t if k not in m]:
        inner = _merge_parts(unit + (key,), b.get(key), m.get(key), t.get(key))
        if inner is None:
            picked = _pick(b.get(key), m.get(key), t.get(key))
            inner = (m.get(key), t.get(key), True) if picked is None else (picked[0], picked[0], False)
        any_conflict |= inner[2]
        for out, value in ((table_mine, inner[0]), (table_theirs, inner[1])):
            if value is not None:
                out[key] = value
    return table_mine or None, table_theirs or None, any_conflict


def merge3(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> Merge3:
    b, m, t = units(base), units(mine), units(theirs)
    result = Merge3(base, mine, theirs, {})
    for unit in list(m) + [u for u in t if u not in m] + [u for u in b if u not in m and u not in t]:
        bv, mv, tv = b.get(unit), m.get(unit), t.get(unit)
        picked = _pick(bv, mv, tv)
        if picked is None and (inner := _merge_parts(unit, bv, mv, tv)) is not None:
            as_mine, as_theirs, conflicted = inner
            if conflicted:  # either choice keeps both sides' other items
                result.conflicts.append(Conflict(unit, as_mine, as_theirs))
                continue
            picked = as_mine, as_mine != mv
        if picked is None:
            result.conflicts.append(Conflict(unit, mv, tv))
            continue
        value, theirs_too = picked
        if theirs_too:
            result.from_theirs.append(unit)
        if value is not None:
            result.parts[unit] = value
    return result
