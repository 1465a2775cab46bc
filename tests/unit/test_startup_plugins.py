"""The way to the first frame does not scan installed packages for pydantic plugins (workbook uses
none), unless the user asks for their plugins (PYDANTIC_DISABLE_PLUGINS set by them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

# `workbook open FILE` up to the app's run (not run: no terminal here), counting the package scans.
OPEN = """
import importlib.metadata as metadata, os, sys
scans = []
real = metadata.entry_points
metadata.entry_points = lambda *a, **k: scans.append(k) or real(*a, **k)
import textual.app
textual.app.App.run = lambda self, *a, **k: None
sys.argv = ["workbook", "open", sys.argv[1]]
from workbook.launch import main
main()
print(len(scans), repr(os.environ.get("PYDANTIC_DISABLE_PLUGINS")))
"""


def run_open(review: Path, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"} | env
    out = subprocess.run([sys.executable, "-P", "-c", OPEN, str(review)], capture_output=True, text=True,
                         env=environ, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


@pytest.mark.subprocess
def test_opening_a_review_scans_no_package_metadata(tmp_path: Path) -> None:
    review = tmp_path / "review.toml"
    for name in ("mini-template.toml", "mini-review.toml"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    (tmp_path / "mini-review.toml").rename(review)
    assert run_open(review) == "0 '__all__'"
    # The user's own setting is theirs: empty lets pydantic load every plugin (it scans); a list is kept.
    assert run_open(review, PYDANTIC_DISABLE_PLUGINS="") == "1 ''"
    assert run_open(review, PYDANTIC_DISABLE_PLUGINS="some-plugin") == "1 'some-plugin'"


# The same way, listing what it loaded; then a late user of importlib.metadata (as click's --version is).
LOADED = """
import sys
import textual.app
textual.app.App.run = lambda self, *a, **k: None
sys.argv = ["workbook", "open", sys.argv[1]]
from workbook.launch import main
main()
print(sorted(m for m in ("email", "zipfile", "csv", "importlib.metadata._adapters") if m in sys.modules))
from importlib.metadata import entry_points, version
import importlib.metadata
print(version("pydantic") == __import__("pydantic").VERSION, importlib.metadata.version("textual") != "",
      "email" in sys.modules, any(e.name == "workbook" for e in entry_points(group="console_scripts")))
"""


@pytest.mark.subprocess
def test_package_metadata_is_not_even_imported_until_used(tmp_path: Path) -> None:
    review = tmp_path / "review.toml"
    for name in ("mini-template.toml", "mini-review.toml"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    (tmp_path / "mini-review.toml").rename(review)
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run([sys.executable, "-P", "-c", LOADED, str(review)], capture_output=True, text=True,
                         env=environ, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["[]", "True True True True"]
