"""Templates checked once are read back from the cache, exactly as parsed, and never when they changed."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from workbook.core import template_cache, templates
from workbook.core.errors import FileError
from workbook.core.templates import builtin_dir, load_template


@pytest.fixture(autouse=True)
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    templates._load_template_cached.cache_clear()  # the in-process cache would hide the file cache
    yield
    templates._load_template_cached.cache_clear()


def reload(path: Path):  # type: ignore[no-untyped-def]
    templates._load_template_cached.cache_clear()
    return load_template(path)


def no_toml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the TOML was parsed again")

    monkeypatch.setattr(tomllib, "loads", refuse)


@pytest.mark.parametrize("path", sorted(builtin_dir().glob("*.toml")) + [FIXTURES / "mini-template.toml"],
                         ids=lambda p: p.name)
def test_a_cached_template_is_the_template_parsed(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = reload(path)
    no_toml(monkeypatch)
    assert reload(path) == parsed


def test_a_changed_template_is_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mine.toml"
    shutil.copy(FIXTURES / "mini-template.toml", path)
    first = reload(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'title = "{first.title}"', 'title = "Changed"', 1), encoding="utf-8")
    assert reload(path).title == "Changed"
    path.write_text(text.replace("[[sections]]", "[[sections]]\nbogus = 1", 1), encoding="utf-8")
    with pytest.raises(FileError, match="bogus"):
        reload(path)
    path.write_text(text, encoding="utf-8")  # back as it was: the first check still holds
    no_toml(monkeypatch)
    assert reload(path) == first


def test_a_broken_template_is_never_kept(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text((FIXTURES / "mini-template.toml").read_text(encoding="utf-8") + "\n[[sections]]\nid = 3\n",
                    encoding="utf-8")
    for _ in range(2):
        with pytest.raises(FileError):
            reload(path)
    assert not list(template_cache.cache_dir().glob("*.json"))


def test_an_unreadable_cache_entry_is_parsed_again(tmp_path: Path) -> None:
    path = FIXTURES / "mini-template.toml"
    parsed = reload(path)
    (entry,) = template_cache.cache_dir().glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert reload(path) == parsed
    json.loads(entry.read_text(encoding="utf-8"))  # written again, whole
    assert reload(path) == parsed


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    assert reload(FIXTURES / "mini-template.toml").id
