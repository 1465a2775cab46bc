"""The way to the first frame of `workbook open` loads only what that frame shows: the command palette's
provider (and the export registry it lists), the question actions a key press reaches, the merge
module a respondent's answer needs, the typed edits, the scoring (summary, exports) and the calculators
(when no section that needs them is open) are loaded when first used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

LAZY = ("workbook.tui.commands", "workbook.core.exports.registry", "workbook.tui.question_actions",
        "workbook.core.merge", "workbook.core.scoring", "workbook.core.editing", "workbook.core.calc.results")

# `workbook open FILE`, run headless until the first frame is drawn; then the lazy modules it loaded.
OPEN = f"""
import sys
import textual.app
from workbook.tui.app import WorkbookApp

def first_frame():
    print(sorted(m for m in {LAZY!r} if m in sys.modules))
    print(type(app.screen).__name__)
    app.exit()

def run(self, *args, **kwargs):
    global app
    app = self
    self.call_after_refresh(first_frame)
    return real_run(self, headless=True, size=(80, 24))

real_run, textual.app.App.run = textual.app.App.run, run
WorkbookApp._after_first_frame = staticmethod(lambda: None)
sys.argv = ["workbook", "open", sys.argv[1]]
from workbook.launch import main
main()
"""


@pytest.mark.subprocess
def test_first_frame_does_not_load_what_only_a_key_press_needs(tmp_path: Path) -> None:
    review = tmp_path / "review.toml"
    for name in ("mini-template.toml", "mini-review.toml"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    (tmp_path / "mini-review.toml").rename(review)
    env = os.environ | {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "state"),
                        "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-P", "-c", OPEN, str(review)], capture_output=True, text=True,
                         env=env, timeout=60, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["[]", "ReviewScreen"]
