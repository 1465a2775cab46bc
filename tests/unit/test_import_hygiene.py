"""workbook.core must never import Textual: the CLI, exports and tests use it without the UI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import workbook.core


def core_modules() -> list[str]:
    found = pkgutil.walk_packages(workbook.core.__path__, prefix="workbook.core.")
    return sorted(m.name for m in found) + ["workbook.core"]


def test_every_core_module_is_checked_including_subpackages() -> None:
    modules = core_modules()
    assert "workbook.core.exports.html_export" in modules and "workbook.core.calc.latency" in modules
    assert len(modules) > 25


@pytest.mark.subprocess
def test_no_core_module_imports_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"mods = {core_modules()!r}\n"
        "bad = []\n"
        "for m in mods:\n"
        "    importlib.import_module(m)\n"
        "    leaked = [k for k in sys.modules if k == 'textual' or k.startswith('textual.') or k.startswith('workbook.tui')]\n"
        "    if leaked: bad.append((m, leaked[:3])); break\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


@pytest.mark.subprocess
def test_the_tui_does_import_textual() -> None:
    # The check above would pass vacuously if the subprocess could not see textual at all.
    out = subprocess.run(
        [sys.executable, "-c", "import workbook.tui.app, sys; print('textual' in sys.modules)"],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == "True"
