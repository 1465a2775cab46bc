"""The CI gate as a user copies it from the README: the pre-commit hook run for real by pre-commit
(`try-repo`, then the README's snippet blocking `git commit`), and the GitHub Actions job's lines.

pre-commit installs the hook's repository with pip into an environment of its own, as it would
from your organisation's copy: here a temporary git repository holding this checkout's files.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT

pytestmark = pytest.mark.subprocess

# The README and the docs it links to (the CI recipes are in docs/exports.md).
README = "\n".join(p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
# pip's download cache from the real home (tests get a HOME of their own): the hook environment's
# install then downloads nothing on a second run. Read at import, before any test changes HOME.
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main",
       "-c", "commit.gpgsign=false"]
# What pip needs to install workbook, and the hook's definition.
HOOK_SOURCE = ["pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "workbook", "templates", "sample_programs"]
URL = "https://example.org/your-org/workbook"


def yaml_block(after: str) -> str:
    """The first ```yaml block in the README after a given sentence."""
    return README.split(after, 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.fixture
def hook_repo(tmp_path: Path) -> Path:
    """A copy of this repository, committed, as an organisation would host it."""
    repo = tmp_path / "workbook-src"
    repo.mkdir()
    for name in HOOK_SOURCE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(source, repo / name)
    assert git(repo, "init", "-q").returncode == 0
    git(repo, "add", "-A")
    assert git(repo, "commit", "-qm", "workbook").returncode == 0
    return repo


@pytest.fixture
def program_repo(tmp_path: Path) -> Path:
    """A program's repository with a review whose deferred decision is past its date, staged."""
    repo = tmp_path / "program"
    (repo / "reviews").mkdir(parents=True)
    for name in ("mini-review.toml", "mini-template.toml"):
        shutil.copy(FIXTURES / name, repo / "reviews" / name)  # the boundary decision was due 2026-11-20
    assert git(repo, "init", "-q").returncode == 0
    git(repo, "add", "-A")
    return repo


def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_CACHE_DIR": PIP_CACHE,
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"}


def test_the_hook_blocks_a_commit_with_an_overdue_decision(hook_repo: Path, program_repo: Path,
                                                           tmp_path: Path) -> None:
    environment = env(tmp_path)
    # 1. pre-commit try-repo, as the README suggests before adding the hook.
    tried = subprocess.run([*PRE_COMMIT, "try-repo", str(hook_repo), "workbook-check", "--files",
                            "reviews/mini-review.toml"], cwd=program_repo, capture_output=True, text=True,
                           env=environment, timeout=600)
    assert tried.returncode == 1, tried.stdout + tried.stderr
    assert "workbook check (no overdue decisions)" in tried.stdout and "Failed" in tried.stdout
    assert ("reviews/mini-review.toml: overdue: boundary: decision “May the data leave the boundary?” (Priya, "
            "decide by 2026-11-20") in tried.stdout
    assert "to fix: answer it, or re-date it with an owner" in tried.stdout

    # 2. The README's snippet as written, with a path where the organisation's URL goes.
    snippet = yaml_block("As a pre-commit hook")
    assert URL in snippet and "rev: HEAD" in snippet
    (program_repo / ".pre-commit-config.yaml").write_text(snippet.replace(URL, str(hook_repo)))
    git(program_repo, "add", ".pre-commit-config.yaml")
    installed = subprocess.run([*PRE_COMMIT, "install"], cwd=program_repo, capture_output=True, text=True,
                               env=environment, timeout=60)
    assert installed.returncode == 0, installed.stderr
    commit = subprocess.run([*GIT, "commit", "-m", "Review after the workshop"], cwd=program_repo,
                            capture_output=True, text=True, env=environment, timeout=600)
    assert commit.returncode != 0, commit.stdout  # blocked
    out = commit.stdout + commit.stderr
    assert "overdue: boundary" in out and "unowned: threshold" in out  # the snippet's --fail-on overdue,unowned
    assert "to fix: give it an owner" in out
    assert git(program_repo, "rev-parse", "--verify", "HEAD").returncode != 0  # nothing was committed

    # 3. The pin the README gives: a commit hash in place of HEAD.
    pinned = subprocess.run([*PRE_COMMIT, "autoupdate", "--bleeding-edge", "--freeze"], cwd=program_repo,
                            capture_output=True, text=True, env=environment, timeout=120)
    assert pinned.returncode == 0, pinned.stderr
    rev = yaml.safe_load((program_repo / ".pre-commit-config.yaml").read_text())["repos"][0]["rev"]
    assert rev == git(hook_repo, "rev-parse", "HEAD").stdout.strip()


def test_the_github_actions_job(mini: Path, tmp_path: Path) -> None:
    job = yaml.safe_load(yaml_block("As a GitHub Actions job"))
    steps = job["jobs"]["workbook-check"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert uses[0].startswith("actions/checkout@") and uses[1].startswith("actions/setup-python@")
    install, check = (s["run"] for s in steps if "run" in s)
    name = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    assert install.startswith(f'python -m pip install "{name} @ git+')
    # Every install line in the README and CI names the distribution (not the unrelated "workbook").
    for text in (README, (ROOT / ".ci" / "run").read_text()):
        for line in re.findall(r"pip install [^\n]*", text):
            assert name in line or "pip install ." in line or "--upgrade pip" in line, line
    # The check line, on a reviews/ folder with an overdue decision, annotates the question's line.
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    shutil.copy(FIXTURES / "mini-review.toml", reviews / "mini-review.toml")
    shutil.copy(FIXTURES / "mini-template.toml", reviews / "mini-template.toml")
    args = check.split()[1:]
    done = subprocess.run([sys.executable, "-m", "workbook", *args, "--today", "2026-11-26"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    line = 1 + next(i for i, text in enumerate((reviews / "mini-review.toml").read_text().splitlines())
                    if text == "[answers.boundary]")
    assert done.stdout.splitlines()[0].startswith(
        f"::error file=reviews/mini-review.toml,line={line},title=workbook check%3A overdue%3A boundary::"
        "decision “May the data leave the boundary?”")
