"""Finding review files in folders (for portfolio views and exports of many reviews)."""

from __future__ import annotations

from pathlib import Path

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


def looks_like_review(path: Path) -> bool:
    """Cheap sniff before parsing: a review file has a [program] table and a template key."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return True  # let the loader report why it cannot be read
    return b"[program]" in head and b"template" in head


def find_review_files(paths: list[Path]) -> list[Path]:
    """Files given directly are always included; folders are searched recursively for reviews."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*.toml")):
                if SKIP_DIRS.intersection(child.relative_to(path).parts[:-1]):
                    continue
                if child.is_file() and looks_like_review(child):
                    found.append(child)
        else:
            found.append(path)
    return found
