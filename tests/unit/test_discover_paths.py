"""Paths found in folders are kept as text (a Path per file held 0.4 KiB each over 10,000 files), yet
listed in the order Path objects sort in, and read back as Paths."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import SAMPLES
from workbook.core.discover import PathList, find_review_files


def test_files_are_listed_in_path_order_not_string_order(tmp_path: Path) -> None:
    # As text "a-b/x.toml" < "a.b/x.toml" < "a/x.toml" ('-' and '.' sort before '/'); as Paths, part
    # by part, "a" comes first: the order check and portfolio have always printed.
    for folder in ("a-b", "a.b", "a", "A", "a/sub"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / "internal-code-assistant.toml", tmp_path / folder / "x.toml")
    found = find_review_files([tmp_path])
    assert isinstance(found, PathList) and all(isinstance(p, Path) for p in found)
    assert list(found) == sorted(found)  # the order of Path objects
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "A/x.toml", "a/sub/x.toml", "a/x.toml", "a-b/x.toml", "a.b/x.toml"]
    assert found[0] == tmp_path / "A" / "x.toml" and found[1:2] == [tmp_path / "a" / "sub" / "x.toml"]
    assert found == list(found) and len(found) == 5
