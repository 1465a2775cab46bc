"""Bad input gets one clear line: file, then line:column or the key path. Never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbook.core.errors import FileError
from workbook.core.store import load_review
from workbook.core.tomlio import MAX_FILE_BYTES


def errors_for(path: Path) -> list[str]:
    with pytest.raises(FileError) as info:
        load_review(path)
    return info.value.lines()


def test_toml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\ntemplate = "mini"\nname = = 3\n')
    assert errors_for(bad) == [f"{bad}: 3:8: invalid TOML: Invalid value"]


def test_error_at_end_of_file_still_has_a_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('a = "unterminated')
    [line] = errors_for(bad)
    assert line.startswith(f"{bad}: 1:") and "invalid TOML" in line


def test_every_schema_error_is_reported_at_once_with_its_key_path(mini: Path) -> None:
    text = mini.read_text()
    text = text.replace('status = "answered"\nvalue = "team"', 'status = "bogus"\nvalue = "team"')
    text = text.replace("decide_by = 2026-11-20", 'decide_by = "2025-13-01"')
    text = text.replace('owner = "Priya"', 'owner = ""')
    text = text.replace('name = "Mini program"', "name = 7")
    mini.write_text(text)
    lines = errors_for(mini)
    assert len(lines) == 4, lines
    joined = "\n".join(lines)
    assert f"{mini}: program.name: must be a string" in joined
    assert f"{mini}: answers.owner.status: input should be" in joined
    assert f"{mini}: answers.boundary.owner: must not be empty" in joined
    assert f"{mini}: answers.boundary.decide_by:" in joined and "month" in joined


def test_value_of_the_wrong_kind_is_reported_against_the_template(mini: Path) -> None:
    mini.write_text(mini.read_text().replace('value = "team"', 'value = "everyone"'))
    assert errors_for(mini) == [f"{mini}: answers.owner.value: must be one of: named, team, nobody"]


def test_not_utf8_names_the_position(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('schema = 1\nname = "caf\xe9"\n'.encode("latin-1"))
    assert errors_for(bad) == [f"{bad}: 2:12: not UTF-8 text (byte 0xe9)"]


def test_utf8_bom_is_accepted(mini: Path) -> None:
    mini.write_bytes(b"\xef\xbb\xbf" + mini.read_bytes())
    assert load_review(mini).review.program.name == "Mini program"


def test_a_folder_is_not_a_review(tmp_path: Path) -> None:
    assert errors_for(tmp_path) == [f"{tmp_path}: is a folder, not a file"]


def test_a_broken_symlink_says_so(tmp_path: Path) -> None:
    link = tmp_path / "gone.toml"
    link.symlink_to(tmp_path / "nowhere.toml")
    assert errors_for(link) == [f"{link}: broken symlink (its target does not exist)"]


def test_a_device_is_not_a_review() -> None:
    assert errors_for(Path(os.devnull)) == [f"{os.devnull}: is not a regular file (a device, pipe or socket)"]


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    [line] = errors_for(big)
    assert "refused" in line and line.startswith(str(big))


def test_a_missing_file(tmp_path: Path) -> None:
    assert errors_for(tmp_path / "nope.toml") == [f"{tmp_path / 'nope.toml'}: no such file"]


def test_unknown_template_points_at_the_template_key(tmp_path: Path) -> None:
    bad = tmp_path / "r.toml"
    bad.write_text('schema = 1\ntemplate = "no-such-template"\ntemplate_version = "1"\n[program]\nname = "x"\n')
    [line] = errors_for(bad)
    assert line.startswith(f"{bad}: template: unknown template 'no-such-template'")


def test_a_newer_schema_is_refused_clearly(mini: Path) -> None:
    mini.write_text(mini.read_text().replace("schema = 1", "schema = 9"))
    [line] = errors_for(mini)
    assert "schema: schema 9 was written by a newer workbook" in line


def test_datetime_where_a_date_belongs(mini: Path) -> None:
    mini.write_text(mini.read_text().replace("decide_by = 2026-11-20", "decide_by = 2026-11-20T10:00:00"))
    [line] = errors_for(mini)
    assert "answers.boundary.decide_by" in line and "not a date-time" in line
