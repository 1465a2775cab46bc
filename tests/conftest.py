"""Shared fixtures: every test runs isolated from the developer's machine, with a fixed 'today'."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "sample_programs"
TEMPLATES = ROOT / "templates"
TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 10, 30, 0)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Deterministic terminal output and no reading of the user's own files.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the mini review (and its template) in a temporary folder."""
    for name in ("mini-template.toml", "mini-review.toml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path / "mini-review.toml"


@pytest.fixture
def today() -> dt.date:
    return TODAY


def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.toml"))


@pytest.fixture
def sample_copy(tmp_path: Path):
    """Copy a sample program into a temporary folder (tests never edit the shipped samples)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(SAMPLES / name, target)
        return target

    return copy
