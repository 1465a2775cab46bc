"""The HTML export in a real headless browser (Debian's chromium): it renders, and hostile answers
stay inert text. .ci/run installs chromium; without it this test says so and skips."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY
from tests.hostile import make_hostile
from workbook.core.exports.common import export_data
from workbook.core.exports.write import render
from workbook.core.store import load_review

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser, pytest.mark.subprocess,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")]

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=2000"]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


def test_hostile_answers_stay_inert_in_a_real_browser(mini: Path, tmp_path: Path) -> None:
    rf = load_review(mini)
    make_hostile(rf.review, TODAY, "notes", "boundary")
    page = tmp_path / "log.html"
    page.write_text(render("html", export_data(rf.review, rf.template, TODAY)))
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert "<h1>Decision log:" in dom  # it rendered
    assert 'data-pwned="1"' not in dom  # the <script> payload did not run
    assert "<title>Decision log:" in dom and "pwned</title>" not in dom  # nor the onerror handler
    assert "&lt;script&gt;document.body.setAttribute" in dom  # it is shown as text


def test_sample_renders_and_prints(tmp_path: Path) -> None:
    rf = load_review(ROOT / "sample_programs" / "customer-support-copilot.toml")
    page = tmp_path / "log.html"
    page.write_text(render("html", export_data(rf.review, rf.template, TODAY)))
    shot = tmp_path / "shot.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1100,1400", page.as_uri())
    assert shot.stat().st_size > 20_000  # a real page, not a blank one
    pdf = tmp_path / "log.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") > 3
