"""Finding review files in folders (for portfolio views and exports of many reviews)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


NOT_REVIEWS = {"pyproject.toml", "Cargo.toml", "poetry.lock", "uv.lock", "Pipfile", ".pre-commit-config.toml"}


def looks_like_review(path: Path) -> bool:
    """In a folder, is this .toml a review? Cheap sniff first; a file that does not parse counts
    (it may be a broken review, and the user should hear about it); other TOML files do not."""
    if path.name in NOT_REVIEWS:
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return True  # let the loader report why it cannot be read
    if b"[program]" in head and b"template" in head:
        return True
    try:
        data = tomllib.loads(head.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True
    return "program" in data and "sections" not in data


def find_review_files(paths: list[Path]) -> list[Path]:
    """Files given directly are always included; folders are searched recursively for reviews.
    A file reached twice (named twice, or named and inside a named folder) is listed once."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*.toml")):
                if SKIP_DIRS.intersection(child.relative_to(path).parts[:-1]):
                    continue
                broken_link = child.is_symlink() and not child.exists()
                if broken_link or (child.is_file() and looks_like_review(child)):
                    found.append(child)  # a broken link is reported, not silently skipped
        else:
            found.append(path)
    seen: set[str] = set()
    unique = []
    for path in found:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique
