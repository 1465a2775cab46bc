"""Reading TOML files safely, and turning every failure into one line with file and position."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from workbook.core.errors import FileError, Problem

# Review files hold hours of discussion but never megabytes of it; refuse anything larger before
# reading it into memory (a mistaken path to a log file or a disk image).
MAX_FILE_BYTES = 16 * 1024 * 1024

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


def read_bytes(path: Path) -> bytes:
    """Read a regular file's bytes, refusing folders, devices, broken links and huge files."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise FileError.at(path, "", "broken symlink (its target does not exist)") from None
        raise FileError.at(path, "", "no such file") from None
    except OSError as exc:
        raise FileError.at(path, "", f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        if not os.access(path, os.R_OK | os.X_OK):  # found while searching folders for reviews
            raise FileError.at(path, "", "is a folder that cannot be read (permission denied): "
                               "the reviews in it were not found")
        raise FileError.at(path, "", "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise FileError.at(path, "", "is not a regular file (a device, pipe or socket)")
    if st.st_size > MAX_FILE_BYTES:
        raise FileError.at(
            path, "", f"is {st.st_size:,} bytes; files over {MAX_FILE_BYTES:,} bytes are refused"
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileError.at(path, "", f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise FileError.at(path, "", f"files over {MAX_FILE_BYTES:,} bytes are refused")
    return data


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text (a leading BOM accepted), or a FileError naming the bad byte's line and column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line, col = _line_col(good, len(good))
        raise FileError.at(path, f"{line}:{col}", f"not UTF-8 text (byte 0x{data[exc.start]:02x})") from None


def parse(path: Path, text: str) -> dict[str, Any]:
    """Parse TOML, reporting errors as 'file: line:col: message'."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        lineno = getattr(exc, "lineno", None)
        colno = getattr(exc, "colno", None)
        m = _AT.search(message)
        if m:
            lineno, colno = int(m.group(1)), int(m.group(2))
            message = message[: m.start()]
        elif _AT_END.search(message):
            message = _AT_END.sub("", message) + " at end of file"
            lineno, colno = _line_col(text, len(text))
        where = f"{lineno}:{colno}" if lineno else ""
        raise FileError.at(path, where, f"invalid TOML: {message}") from None
    except (RecursionError, ValueError) as exc:  # pathological nesting
        raise FileError.at(path, "", f"invalid TOML: {exc}") from None


def load_toml(path: Path) -> tuple[dict[str, Any], bytes]:
    """Read and parse a TOML file; returns the data and the exact bytes read."""
    data = read_bytes(path)
    return parse(path, decode(path, data)), data


_FRIENDLY = {
    "missing": "is required",
    "extra_forbidden": "is not a known key",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "float_type": "must be a number",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
}


def key_path(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as a key path a user reads: ``answers.q.notes``, ``pillars[0].id``."""
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def _message(err: ErrorDetails) -> str:
    kind = err.get("type", "")
    if kind == "too_short" and isinstance(err.get("input"), str):
        return "must not be empty"
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    msg = str(err.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    return msg[:1].lower() + msg[1:]


def validation_problems(path: Path | str, exc: ValidationError, prefix: str = "") -> list[Problem]:
    """Every pydantic error as a Problem with its key path, all at once."""
    problems = []
    for err in exc.errors(include_url=False):
        where = key_path(tuple(err["loc"]))
        if prefix:
            where = prefix if where == "(top level)" else f"{prefix}.{where}"
        problems.append(Problem(str(path), where, _message(err)))
    return problems
