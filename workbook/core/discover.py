"""Finding review files in folders (for portfolio views and exports of many reviews)."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from workbook.core.tomlio import MAX_FILE_BYTES

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


NOT_REVIEWS = {"pyproject.toml", "Cargo.toml", "poetry.lock", "uv.lock", "Pipfile", ".pre-commit-config.toml"}

# A review's own lines, each at the start of a line: the [program] table and the top-level template
# key; a template's [[sections]]. Only a sniff: anything it does not settle is parsed.
_PROGRAM = re.compile(rb"^[ \t]*\[[ \t]*program[ \t]*\]", re.M)
_TEMPLATE_KEY = re.compile(rb"^[ \t]*template[ \t]*=", re.M)
_SECTIONS = re.compile(rb"^[ \t]*\[\[[ \t]*sections", re.M)
_SNIFF_BYTES = 65536


def looks_like_review(path: Path) -> bool:
    """In a folder, is this .toml a review? Cheap sniff first; a file that does not parse counts
    (it may be a broken review, and the user should hear about it); other TOML files do not,
    templates included, whatever their size."""
    if path.name in NOT_REVIEWS:
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


def _search(folder: Path) -> list[Path]:
    """The reviews under a folder, in path order. A folder that cannot be listed, or an entry that
    cannot be looked at, is in the list too, so its loader reports it: a gate that silently skipped
    it would pass without checking what is inside."""
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        found.append(Path(exc.filename) if exc.filename else folder)

    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for name in files:
            if not name.endswith(".toml"):
                continue
            child = Path(top) / name
            try:
                broken_link = child.is_symlink() and not child.exists()
                if broken_link or (child.is_file() and looks_like_review(child)):
                    found.append(child)  # a broken link is reported, not silently skipped
            except OSError:
                found.append(child)
    return sorted(found)


def _real(path: Path, folders: dict[str, str]) -> str:
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


def find_review_files(paths: list[Path]) -> list[Path]:
    """Files given directly are always included; folders are searched recursively for reviews.
    A file reached twice (named twice, or named and inside a named folder) is listed once."""
    found: list[Path] = []
    for path in paths:
        if os.path.isdir(path):  # never raises (Path.is_dir does, for a file in a folder we may not enter)
            found.extend(_search(path))
        else:
            found.append(path)
    seen: set[str] = set()
    unique = []
    folders: dict[str, str] = {}
    for path in found:
        key = _real(path, folders)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique
