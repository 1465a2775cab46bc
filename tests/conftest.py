"""Shared fixtures: every test runs isolated from the developer's machine, with a fixed 'today'."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "sample_programs"
TEMPLATES = ROOT / "templates"
TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 10, 30, 0)
# Where locks would go without the isolation below (workbook.core.lock._lock_dir): tests check it stays untouched.
REAL_LOCK_BASE = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
# CI (CI=true, as CI services and .ci/run set it) runs everything: a test that needs a tool CI installs
# (tmux, Chromium, node, jq) fails there instead of skipping.
IN_CI = os.environ.get("CI", "").lower() in ("true", "1", "yes")
MUST_RUN_IN_CI = ("tmux", "browser", "consumer")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if IN_CI and report.skipped and not hasattr(report, "wasxfail") and any(
            item.get_closest_marker(m) for m in MUST_RUN_IN_CI):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run it (CI=true): {reason}"
    return report


_passed: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed:
        _passed.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A CI run in which every test was skipped or deselected ran nothing: exit 5 ("no tests"), never 0.
    if IN_CI and exitstatus == pytest.ExitCode.OK and not _passed and not hasattr(session.config, "workerinput"):
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
              request: pytest.FixtureRequest) -> None:
    # Deterministic terminal output and no reading of the user's own files.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    # A child `python -m workbook` or `python -c` imports the installed workbook, as a user's would,
    # not the checkout's folder from its working directory (the tests run with `python -P`).
    monkeypatch.setenv("PYTHONSAFEPATH", "1")
    # Locks go under XDG_RUNTIME_DIR (workbook.core.lock): a folder of this test's own, never the
    # machine's /tmp/workbook-locks-<uid>. Subprocesses (python -m workbook, tmux) inherit it. Not
    # inside tmp_path, whose listing some tests check.
    runtime = tmp_path_factory.mktemp("run")
    runtime.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    # The user's config (keymap, theme) and state (where they were in each review): this test's own.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "home" / ".local" / "state"))
    # Checked templates (core/template_cache.py): this test's own, outside tmp_path as the locks are.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("TERM", raising=False) if os.environ.get("TERM") == "dumb" else None
    # The fast run (-m "not tmux and not browser and not subprocess") must really start no process:
    # an unmarked test that tries is stopped here, so the marks cannot drift from what tests do.
    if not any(request.node.get_closest_marker(m) for m in ("subprocess", "tmux", "browser")):
        def refuse(self, args, *rest, **kwargs):
            raise AssertionError(f"{request.node.nodeid} starts a process ({args!r}): mark it "
                                 "@pytest.mark.subprocess (see [tool.pytest.ini_options] markers)")

        monkeypatch.setattr(subprocess.Popen, "_execute_child", refuse)


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
