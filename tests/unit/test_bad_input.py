"""Every file of the toml-test invalid corpus, given to every command that reads reviews: one clear
line with file, line and column; exit 2; no traceback; no file changed."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES
from workbook.cli import cli

CORPUS = FIXTURES / "toml-invalid"
FILES = sorted(p for p in CORPUS.rglob("*.toml"))


def fingerprint() -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir" for p in CORPUS.rglob("*")}


def test_the_corpus_is_all_there() -> None:
    assert len(FILES) == 499


@pytest.fixture(scope="module")
def untouched():
    before = fingerprint()
    yield
    assert fingerprint() == before  # nothing in the corpus was changed, created or removed


@pytest.mark.parametrize("command", ["validate", "open", "summary", "export", "check"])
def test_every_invalid_file_is_refused_cleanly(command: str, untouched, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = []
    for path in FILES:
        args = [command, str(path)]
        if command == "export":
            args += ["--format", "md", "-o", str(tmp_path / "out.md")]
        result = runner.invoke(cli, args)
        lines = [line for line in result.stderr.splitlines() if line.startswith("workbook: ")]
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        ok = (result.exit_code == 2 and not crashed and len(lines) >= 1
              and re.match(rf"workbook: {re.escape(str(path))}: \d+:\d+: ", lines[0]) is not None)
        if command == "validate":
            ok = ok and len(lines) == 1
        if not ok or "Traceback" in result.output:
            bad.append((path.name, result.exit_code, result.output[:200]))
    assert bad == []
    assert not (tmp_path / "out.md").exists()


def test_portfolio_of_the_corpus_reports_every_file_as_an_error(untouched) -> None:
    result = CliRunner().invoke(cli, ["portfolio", str(CORPUS), "--format", "json"])
    assert result.exit_code == 2
    programs = json.loads(result.stdout)["programs"]
    assert len(programs) == 499
    assert all(p["error"] and re.match(r"\d+:\d+: ", p["error"]) for p in programs)


@pytest.mark.subprocess
def test_no_traceback_from_a_real_process() -> None:
    import subprocess
    import sys

    sample = FILES[:25]
    out = subprocess.run([sys.executable, "-m", "workbook", "validate", *map(str, sample)],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert sum(1 for line in out.stderr.splitlines() if line.startswith("workbook: ")) == 25


def test_schema_errors_all_at_once_with_key_paths(mini: Path) -> None:
    text = mini.read_text()
    text = text.replace('stage = "pilot"', 'stage = "someday"')
    text = text.replace('value = true', 'value = "yes please"')
    text = text.replace('status = "not_applicable"\nreason = "No launch planned."', 'status = "not_applicable"')
    text = text.replace("opened_on = 2026-10-01", 'opened_on = "2025-13-01"')
    text = text.replace('participants = [{ name = "Dana", role = "TPM", pronouns = "she/her" }]',
                        'participants = [{ name = "", role = 3 }]')
    mini.write_text(text)
    result = CliRunner().invoke(cli, ["validate", str(mini)])
    assert result.exit_code == 2
    lines = [line.removeprefix(f"workbook: {mini}: ") for line in result.stderr.splitlines()[:-1]]
    keys = sorted(line.split(":")[0] for line in lines)
    assert keys == sorted(["program.stage", "program.participants[0].name", "program.participants[0].role",
                           "answers.boundary.opened_on", "answers.launch"]), lines
