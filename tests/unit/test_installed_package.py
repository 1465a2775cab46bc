"""CI tests what users install (issue 22): the installed package, with the data its wheel ships.

The test data (samples, templates, fixtures) is read from the checkout; `import workbook` and the
`workbook` command must not be. A developer's editable install is the checkout: there these skip,
unless CI=true, where they fail.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import workbook
from tests.conftest import IN_CI, ROOT, SAMPLES, TEMPLATES
from workbook.core.templates import builtin_dir, samples_dir

PACKAGE = Path(workbook.__file__).resolve().parent
FROM_CHECKOUT = PACKAGE.is_relative_to(ROOT)


@pytest.fixture
def installed() -> None:
    if FROM_CHECKOUT and not IN_CI:
        pytest.skip(f"workbook is imported from the checkout ({PACKAGE}): an editable install")


def names(folder: Path, pattern: str) -> list[str]:
    return sorted(p.name for p in folder.glob(pattern))


def test_the_readme_runs_the_tests_as_ci_does() -> None:
    readme = (ROOT / "README.md").read_text().split("Run the whole test suite:", 1)[1].strip().split("\n")[0]
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if " -m pytest " in line]
    assert len(ci) == 1 and readme.endswith("&& .venv/bin/python -P -m pytest -n auto -q"), readme
    assert ci[0].split(" || ")[0] == '"$venv/bin/python" -P -m pytest -n auto -q', ci


def test_the_tests_import_the_installed_package(installed: None) -> None:
    assert not FROM_CHECKOUT, (f"workbook is imported from the checkout ({PACKAGE}), not the installed package: "
                               "run pytest as the README says (`python -P -m pytest`, import-mode append)")


def test_the_installed_package_ships_its_templates_and_samples(installed: None) -> None:
    data = PACKAGE / "_data"
    assert names(TEMPLATES, "*.toml") and names(data / "templates", "*.toml") == names(TEMPLATES, "*.toml")
    assert names(SAMPLES, "*.toml") and names(data / "sample_programs", "*.toml") == names(SAMPLES, "*.toml")
    # What the package reads is its own copy, never a folder beside it.
    assert builtin_dir() == data / "templates" and samples_dir() == data / "sample_programs"


@pytest.mark.subprocess
def test_the_workbook_command_and_a_child_python_use_the_installed_package(installed: None, tmp_path: Path) -> None:
    # From the checkout's folder, where `python -m workbook` would find ./workbook without PYTHONSAFEPATH.
    child = subprocess.run([sys.executable, "-c", "import workbook; print(workbook.__file__)"], cwd=ROOT,
                           capture_output=True, text=True, check=True, timeout=60)
    assert Path(child.stdout.strip()).resolve().parent == PACKAGE
    command = Path(sys.executable).parent / "workbook"
    listed = subprocess.run([str(command), "templates"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    for name in names(TEMPLATES, "*.toml"):
        assert name.removesuffix(".toml") in listed.stdout, name
