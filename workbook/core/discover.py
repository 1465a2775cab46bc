"""Finding review files in folders (for portfolio views and exports of many reviews)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

from workbook.core.tomlio import MAX_FILE_BYTES

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


NOT_REVIEWS = {"pyproject.toml", "Cargo.toml", "poetry.lock", "uv.lock", "Pipfile", ".pre-commit-config.toml"}

# A review's own lines, each at the start of a line: the [program] table and the top-level template
# key; a template's [[sections]]. Only a sniff: anything it does not settle is parsed.
_PROGRAM = re.compile(rb"^[ \t]*\[[ \t]*program[ \t]*\]", re.M)
_TEMPLATE_KEY = re.compile(rb"^[ \t]*template[ \t]*=", re.M)
_SECTIONS = re.compile(rb"^[ \t]*\[\[[ \t]*sections", re.M)
_SNIFF_BYTES = 65536


def looks_like_review(path: Path | str) -> bool:
    """In a folder, is this .toml a review? Cheap sniff first; a file that does not parse counts
    (it may be a broken review, and the user should hear about it); other TOML files do not,
    templates included, whatever their size."""
    if os.path.basename(path) in NOT_REVIEWS:
        return False
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError:
        return True  # let the loader report why it cannot be read
    if len(data) > MAX_FILE_BYTES:
        return True  # the loader refuses it, naming its size
    head = data[:_SNIFF_BYTES]
    # The substring first: a regex anchored at each line's start scans the whole head when it finds nothing.
    if _PROGRAM.search(head) and _TEMPLATE_KEY.search(head) and not (b"sections" in head and _SECTIONS.search(head)):
        return True
    try:
        parsed = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError, ValueError):
        return True
    return "program" in parsed and "sections" not in parsed


class PathList(Sequence[Path]):
    """Paths kept as text, made Path objects as they are read: in Python 3.11 a Path parses its parts
    when it is made (about 0.4 KiB each), and a gate over 10,000 files held them all."""

    __slots__ = ("_items",)

    def __init__(self, items: list[str]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def texts(self) -> list[str]:
        """The paths as text, as found (not a copy): for a caller that keeps a path a file."""
        return self._items

    @overload
    def __getitem__(self, index: int) -> Path: ...
    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...
    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        if isinstance(index, slice):
            return [Path(p) for p in self._items[index]]
        return Path(self._items[index])

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self._items)

    def __eq__(self, other: object) -> bool:  # equal to the list of the same paths, as a list would be
        if isinstance(other, PathList):
            return self._items == other._items
        return isinstance(other, (list, tuple)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable-like, as a list

    def __repr__(self) -> str:
        return f"PathList({self._items!r})"


def _path_order(text: str) -> str:
    """The order of Path objects (part by part), for paths kept as text: "a/b" before "a-b". A separator
    below every character compares as parts do, and one string a path takes less memory than a list of
    its parts (all are kept while sorting). The '' and '.' parts Path drops are only in the folder searched,
    which every path of one search starts with."""
    return text.replace(os.sep, "\0")


def _search(folder: Path) -> list[str]:
    """The reviews under a folder, in path order. A folder that cannot be listed, or an entry that
    cannot be looked at, is in the list too, so its loader reports it: a gate that silently skipped
    it would pass without checking what is inside."""
    found: list[str] = []

    def unreadable(exc: OSError) -> None:
        found.append(os.fspath(exc.filename) if exc.filename else os.fspath(folder))

    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in files:
            if not name.endswith(".toml"):
                continue
            child = os.path.join(top, name)
            try:
                broken_link = os.path.islink(child) and not os.path.exists(child)
                if broken_link or (os.path.isfile(child) and looks_like_review(child)):
                    found.append(child)  # a broken link is reported, not silently skipped
            except OSError:
                found.append(child)
    return sorted(found, key=_path_order)


def _real(path: Path | str, folders: dict[str, str]) -> str:
    """``os.path.realpath(path)``, resolving each folder once: a name that is not a link is its folder's
    real path joined with the name (a realpath per file stats every part of its path)."""
    text = os.fspath(path)
    folder, name = os.path.split(text)
    if not folder or name in ("", ".", "..") or os.path.islink(text):
        return os.path.realpath(text)
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = os.path.realpath(folder)
    return os.path.join(real, name)


def find_review_files(paths: list[Path]) -> PathList:
    """Files given directly are always included; folders are searched recursively for reviews.
    A file reached twice (named twice, or named and inside a named folder) is listed once."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):  # never raises (Path.is_dir does, for a file in a folder we may not enter)
            found.extend(_search(path))
        else:
            found.append(os.fspath(path))
    seen: set[str] = set()
    unique: list[str] = []
    folders: dict[str, str] = {}
    for text in found:
        key = _real(text, folders)
        key = text if key == text else key  # one string, not two, for a file that is not behind a link
        if key not in seen:
            seen.add(key)
            unique.append(text)
    return PathList(unique)
