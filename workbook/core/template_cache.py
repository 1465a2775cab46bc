"""Templates already checked, kept between runs so a start does not re-parse their TOML.

Parsing the 150 KB built-in template with tomllib and linting it takes ~20 ms at every start; pydantic
reads the same template back from its own JSON in ~3 ms. The cache is keyed by a hash of the file's
bytes and of the code that decides what a valid template is, so it is never stale: a changed template
(or a new workbook) misses and is parsed and checked again. Only templates that passed every check are
kept; a broken one always reports its problems. Works for user templates as for built-in ones.

A cache, not a JSON twin built at packaging time: a twin would serve the built-in templates only, need a
build hook, and could go stale in a source checkout; this needs neither. Kept in the platform's cache
folder ($XDG_CACHE_HOME/workbook/templates, ~/.cache/workbook/templates); losing it only costs time.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from workbook.core.errors import WorkbookError
from workbook.core.models import Template

FORMAT = b"workbook-template-cache 1\0"
KEPT = 64  # entries; the oldest beyond this are removed when one is added
# What decides whether a template is valid and what it holds: a change to any of them is a new key.
_CODE = ("models.py", "templates.py", "kinds.py", "frameworks.py", "expr.py", "rules.py", "tomlio.py",
         "template_cache.py")


def cache_dir() -> Path:
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "workbook" / "cache" / "templates"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "workbook" / "templates"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "workbook" / "templates"


@lru_cache(maxsize=1)
def _code_stamp() -> bytes:
    from workbook import __version__

    here = Path(__file__).parent
    parts = [__version__]
    for name in _CODE:
        try:
            st = (here / name).stat()
            parts.append(f"{name}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(f"{name}:?")
    return "\0".join(parts).encode("utf-8")


def key(data: bytes) -> str:
    """The cache key of a template file's bytes (with this code's stamp)."""
    return hashlib.sha256(FORMAT + _code_stamp() + b"\0" + data).hexdigest()


def cached(data: bytes) -> Template | None:
    """The template checked before with exactly these bytes, or None."""
    try:
        text = (cache_dir() / f"{key(data)}.json").read_bytes()
        return Template.model_validate_json(text)
    except (OSError, ValueError, ValidationError):  # missing, unreadable or not ours: parse the file
        return None


def keep(data: bytes, template: Template) -> None:
    """Remember a template that passed every check; failing to is not an error (it only costs time)."""
    from workbook.core.safe_write import write_file

    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_file(folder / f"{key(data)}.json", template.model_dump_json().encode("utf-8"))
        entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEPT]:
            old.unlink(missing_ok=True)
    except (OSError, WorkbookError):
        pass
