"""The `workbook` command: `workbook open PATH` (the common case) starts the TUI without loading click.

Importing click and building its command tree costs ~20 ms before the first frame. Only a plain
`open` (`workbook open PATH` or `workbook PATH`, with `--workshop`, `--autosave S`, `--today D`)
takes this path; anything else, and anything this parser does not fully understand, goes to the
click CLI (workbook.cli), which gives the same result and every error message.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_COMMANDS = frozenset({"new", "open", "validate", "templates", "summary", "check", "export", "merge", "diff",
                       "portfolio", "serve", "measure"})


def mistyped_command(word: str, commands: Iterable[str]) -> bool:
    """Is ``word`` a command name mistyped rather than a file to open? Not when it names something
    on disk or looks like a path (a suffix, a slash); else when click would suggest a command for it."""
    if os.path.lexists(word) or os.sep in word or "/" in word or Path(word).suffix:
        return False
    from difflib import get_close_matches  # the test click's "Did you mean" makes

    return bool(get_close_matches(word, list(commands)))


def _plain_open(argv: list[str]) -> tuple[Path, bool, float, dt.date | None] | None:
    """(path, workshop, autosave, today) for a plain `open`, or None to let click handle it."""
    from workbook.core.text import parse_date

    args = list(argv)
    if args and args[0] == "open":
        args = args[1:]
    elif not args or args[0] in _COMMANDS or args[0].startswith("-") or mistyped_command(args[0], _COMMANDS):
        return None
    path: Path | None = None
    workshop, autosave, today = False, 1.0, None
    while args:
        arg = args.pop(0)
        name, eq, inline = arg.partition("=")
        if arg == "--workshop":
            workshop = True
        elif name in ("--autosave", "--today"):
            value = inline if eq else (args.pop(0) if args else None)
            if value is None:
                return None
            if name == "--today":
                today = parse_date(value)
                if today is None:
                    return None
            else:
                try:
                    autosave = float(value)
                except ValueError:
                    return None
                if not 0.05 <= autosave <= 600:
                    return None
        elif arg.startswith("-") or path is not None:
            return None  # --help, --respondents, a second path…: click's job
        else:
            path = Path(arg)
    return (path, workshop, autosave, today) if path is not None else None


def run_tui(path: Path, *, workshop: bool = False, autosave: float = 1.0, today: dt.date | None = None,
            respondents: Path | None = None) -> None:
    """Load the review (a bad one is refused in one line, exit 2, before anything is drawn) and run the TUI."""
    import gc

    # Start-up builds thousands of long-lived objects: scanning them for cycles before the first
    # frame only delays it (~40 ms). The app turns the collector back on, frozen, after that frame.
    gc.disable()
    from workbook.core.errors import WorkbookError
    from workbook.core.store import load_review

    try:
        if respondents is None:
            rf = load_review(path)
        else:  # only then: the respondents' module is not on the common path to the first frame
            from workbook.core.respondents import load_with_respondents

            rf = load_with_respondents(path, respondents)
    except WorkbookError as exc:
        from workbook.core.text import terminal_safe

        for line in exc.lines():
            print(f"workbook: {terminal_safe(line)}", file=sys.stderr)
        sys.exit(2)
    from workbook.tui.app import make_app, user_config

    make_app(rf, today=today, workshop=workshop, autosave_delay=autosave, config=user_config(),
             respondents=respondents).run()


def metadata_on_demand() -> None:
    """Load importlib.metadata the first time something uses it, not when it is imported.

    Pydantic imports it (with email, zipfile, csv: ~12 ms, ~1.9 MiB) as it builds the first model, only
    to look for plugins, which are off. A stand-in takes its place in sys.modules until first use: any
    attribute, or a call of the ``entry_points`` taken from it, loads the real module and answers from it,
    so whoever uses it gets the same results. Only while plugins are off, and only before anyone loaded it.
    """
    if "importlib.metadata" in sys.modules or os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1",
                                                                                                 "true"):
        return
    import importlib
    import importlib.machinery
    import types

    spec = importlib.machinery.PathFinder.find_spec("importlib.metadata", importlib.__path__)
    if spec is None:
        return
    stand_in = types.ModuleType("importlib.metadata", "Loaded on first use (workbook.launch.metadata_on_demand).")
    # A package like the real one: `from importlib.metadata import entry_points` looks for __path__.
    stand_in.__spec__, stand_in.__file__ = spec, spec.origin
    stand_in.__path__ = list(spec.submodule_search_locations or [])

    def real() -> types.ModuleType:
        if sys.modules.get("importlib.metadata") is stand_in:
            del sys.modules["importlib.metadata"]
            importlib.import_module("importlib.metadata")  # also sets importlib.metadata to the real one
        return sys.modules["importlib.metadata"]

    def entry_points(**params: Any) -> Any:
        return real().entry_points(**params)

    def __getattr__(name: str) -> Any:  # noqa: N807  # a module's __getattr__ (PEP 562)
        return getattr(real(), name)

    stand_in.entry_points = entry_points  # type: ignore[attr-defined]
    stand_in.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules["importlib.metadata"] = stand_in
    importlib.metadata = stand_in


def main() -> None:
    # Pydantic looks for plugins in every installed package's metadata the first time a model is
    # built (~6 ms here, more where many packages are installed); workbook uses none. A user's own
    # setting is kept: PYDANTIC_DISABLE_PLUGINS= (empty) lets every plugin load again.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    metadata_on_demand()
    plain = _plain_open(sys.argv[1:])
    if plain is None:
        from workbook.cli import main as cli_main

        cli_main()
        return
    path, workshop, autosave, today = plain
    try:
        run_tui(path, workshop=workshop, autosave=autosave, today=today)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
