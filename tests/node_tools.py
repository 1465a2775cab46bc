"""The Node.js tools that read workbook's exports (log4brains' reader, axe-core), installed on demand.

tests/consumers/package.json pins them and package-lock.json everything they pull in. .ci/run installs
them before the tests; otherwise the first test that needs one runs `npm ci` there (about 10 s, once;
node_modules/ is ignored by git). A machine without node or npm skips those tests, saying why (with
CI=true the skip fails: tests/conftest.py). A lock file keeps pytest-xdist's workers from installing
twice at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CONSUMERS = Path(__file__).resolve().parent / "consumers"
NODE = shutil.which("node")
NPM = shutil.which("npm")
# npm's download cache, from the real home (tests run with a HOME of their own): a second run
# downloads nothing. Read when this module is imported, before any test changes HOME.
NPM_CACHE = Path(os.environ.get("npm_config_cache") or Path.home() / ".npm")


def node_modules(package: str) -> Path:
    """tests/consumers/node_modules, with `package` installed at the version package.json pins."""
    if NODE is None or NPM is None:
        pytest.skip("node and npm are not installed (apt-get install nodejs npm): the Node.js consumers are not run")
    wanted = json.loads((CONSUMERS / "package.json").read_text())["dependencies"][package]
    modules = CONSUMERS / "node_modules"
    with open(CONSUMERS / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = modules / package / "package.json"
        if not manifest.exists() or json.loads(manifest.read_text())["version"] != wanted:
            done = subprocess.run([NPM, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--cache", str(NPM_CACHE)],
                                  cwd=CONSUMERS, capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                pytest.skip(f"npm ci failed (no registry?): {done.stderr.strip()[-300:]}")
    return modules
