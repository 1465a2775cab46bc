"""The user's own settings (keymap, theme), in the platform's config folder; never inside a review file.

A broken or unknown setting never stops anyone opening a review: it is reported as a notice and the
default is used.
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from workbook.core.text import clean_line


def config_dir() -> Path:
    """$XDG_CONFIG_HOME/workbook (or ~/.config/workbook); the platform's own folder on macOS and Windows."""
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "workbook"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "workbook"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "workbook"


def config_path() -> Path:
    return config_dir() / "config.toml"


@dataclass
class UserConfig:
    keymap: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    notices: list[str] = field(default_factory=list)


def load_config(path: Path | None = None, known_ids: set[str] | None = None) -> UserConfig:
    """Read the config file; anything wrong in it becomes a notice naming the file and the key."""
    path = path or config_path()
    config = UserConfig()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        config.notices.append(f"{path}: ignored, {clean_line(str(exc))}")
        return config
    keymap = raw.get("keymap", {})
    if not isinstance(keymap, dict):
        config.notices.append(f"{path}: keymap: must be a table of binding id = \"keys\"")
        keymap = {}
    for binding_id, keys in keymap.items():
        where = f"{path}: keymap.{clean_line(binding_id)}"
        if not isinstance(keys, str) or not keys.strip():
            config.notices.append(f"{where}: must be keys as text, e.g. \"n\" or \"ctrl+n,f6\"")
        elif known_ids is not None and binding_id not in known_ids:
            config.notices.append(f"{where}: no binding has this id (see the help screen, ?)")
        else:
            config.keymap[binding_id] = keys.strip()
    theme = raw.get("theme")
    if theme is not None and not isinstance(theme, str):
        config.notices.append(f"{path}: theme: must be a theme name")
    elif theme:
        config.theme = theme
    return config


def save_theme(theme: str, path: Path | None = None) -> None:
    """Remember the theme in the config file, changing only its `theme = ...` line (comments and the
    keymap stay as the user wrote them). Failing to save is not an error: it is a convenience."""
    import re

    from workbook.core.errors import WorkbookError
    from workbook.core.safe_write import write_file

    path = path or config_path()
    line = f'theme = "{theme}"'
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError):
        return
    pattern = re.compile(r'^theme\s*=.*$', re.M)
    first_table = re.search(r"^\s*\[", text, re.M)
    head = text[:first_table.start()] if first_table else text
    if pattern.search(head):
        text = pattern.sub(line, text, count=1)
    else:
        text = f"{line}\n{text}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, text.encode("utf-8"))
    except (OSError, WorkbookError):
        pass
