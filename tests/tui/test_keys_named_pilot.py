"""Text that names a key names the key the user's keymap binds: a rebinding never leaves a toast, a
card or a hint naming the old key; the help screen shows each binding's id for the keymap."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import NOW, TODAY
from tests.tui.conftest import card_text, settle
from workbook.core.store import load_review
from workbook.core.userconfig import load_config
from workbook.tui import bindings
from workbook.tui.app import make_app
from workbook.tui.screens.help import HelpScreen


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_rebound_undo_and_answer_keys_are_the_ones_the_text_names(mini: Path, tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('[keymap]\n"app.undo" = "f9"\n"app.redo" = "f10"\n"question.edit" = "f6,e"\n')
    config = load_config(config_file, known_ids=bindings.binding_ids())
    app = make_app(load_review(mini), today=TODAY, clock=lambda: NOW, autosave_delay=3600, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")  # clear the owner's answer
        assert await settle(pilot, lambda: any("Cleared" in t for t in toasts(app)))
        cleared = next(t for t in toasts(app) if "Cleared" in t)
        assert cleared.endswith("— f9 to undo.") and "ctrl+z" not in cleared
        assert "unanswered — f6 to answer" in card_text(app, "owner")  # not "enter", which no longer answers
        await pilot.press("f9")
        assert await settle(pilot, lambda: any("Undid" in t for t in toasts(app)))
        assert next(t for t in toasts(app) if "Undid" in t).endswith("— f10 redoes it.")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        lines = str(app.screen.query_one("#keys").render()).splitlines()
        undo = next(i for i, line in enumerate(lines) if line.startswith("  f9 "))
        assert lines[undo + 2].strip() == "app.undo"  # its description wraps once at 80 columns, then the id


def test_key_for_names_the_active_key_as_text_does() -> None:
    assert bindings.key_for({}, "app.undo") == "ctrl+z"
    assert bindings.key_for({"app.undo": "f9,ctrl+z"}, "app.undo") == "f9"  # the first, when several do
    assert bindings.key_for({}, "app.help") == "?" and bindings.key_for({}, "review.next_section") == "]"
    assert bindings.key_for({}, "question.edit") == "enter" and bindings.key_for({}, "editor.cancel") == "esc"
    assert bindings.key_for({}, bindings.PALETTE) == "ctrl+p"


# Keys that only a binding gives, written into text: "ctrl+z", "f2", "g: …", "D on the review", "t again"
# (a key in quotes is an example of a keymap's value, not a key named to press).
NAMED_KEY = re.compile(r'(?<!")(ctrl\+\w|\bf\d{1,2}\b)|(^|[\s(·—])[a-zA-Z](: | (to|again|on|opens|closes|merges)\b)')


def test_no_text_in_the_tui_names_a_bound_key_literally() -> None:
    """Every string in the TUI's code that names a key asks bindings.key_for (docstrings aside)."""
    root = Path(bindings.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "bindings.py":
            continue
        tree = ast.parse(path.read_text())
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and NAMED_KEY.search(node.value)):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value!r}")
    assert found == []
