"""Three-way merge of a review, as git does for lines but keyed by question: base, mine and theirs.

``base`` is what this workbook loaded (or last saved), ``mine`` what it holds now, ``theirs`` what is
on disk. Each answer is one unit, and so is each key of [program] and each other top-level key. A
unit only one side changed takes that side; a unit both changed the same way is taken; a unit both
changed differently is a conflict, for the user to decide. Nothing either side did not change is lost.
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


def merge3(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> Merge3:
    b, m, t = units(base), units(mine), units(theirs)
    result = Merge3(base, mine, theirs, {})
    for unit in list(m) + [u for u in t if u not in m] + [u for u in b if u not in m and u not in t]:
        bv, mv, tv = b.get(unit), m.get(unit), t.get(unit)
        if mv == tv:
            value = mv
        elif mv == bv:  # only theirs changed it
            value = tv
            result.from_theirs.append(unit)
        elif tv == bv:  # only mine changed it
            value = mv
        else:
            result.conflicts.append(Conflict(unit, mv, tv))
            continue
        if value is not None:
            result.parts[unit] = value
    return result
