"""orjson parses the trace lines when installed; json's reading is the reference. Where the two parsers
differ (integers past 64 bits, NaN, a lone surrogate, their error messages), a line reads
the same spans, or fails with the same message, either way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbook.core.errors import FileError
from workbook.core.measure import otlp
from workbook.core.measure.otlp import Span, read_spans

TRACE, SPAN = "ab" * 16, "cd" * 8


def _line(start: str = '"1000"', end: str = '"2000"', code: str = "0", value: str = '{"intValue": "7"}', kind: str = "3") -> bytes:
    return (f'{{"resourceSpans": [{{"scopeSpans": [{{"spans": [{{"traceId": "{TRACE}", "spanId": "{SPAN}", '
            f'"name": "chat", "kind": {kind}, "startTimeUnixNano": {start}, "endTimeUnixNano": {end}, '
            f'"status": {{"code": {code}}}, "attributes": [{{"key": "gen_ai.usage.input_tokens", "value": {value}}}, '
            '{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}}]}]}]}]}').encode()


CASES = {
    # orjson reads these integers as floats: a time, a status code, an int value, a kind past 64 bits
    "big time": _line(start="123456789012345678901233", end="123456789012345678901234"),
    "big status code": _line(code="36893488147419103232"),
    "big int value": _line(value='{"intValue": -92233720368547758080}'),
    "big double value": _line(value='{"doubleValue": 92233720368547758080}'),
    "big kind": _line(kind="36893488147419103235"),
    # orjson refuses these; json reads them
    "NaN": _line(value='{"doubleValue": NaN}'),
    "Infinity": _line(value='{"doubleValue": -Infinity}'),
    "lone surrogate": _line().replace(b'"stringValue": "chat"', b'"stringValue": "\\ud800"'),
    "duplicate keys": _line().replace(b'"name": "chat"', b'"name": "x", "name": "chat"'),
    # a first byte other than `{` or blank: read as protobuf, either way
    "BOM": b"\xef\xbb\xbf" + _line(),
    "UTF-16": _line().decode().encode("utf-16"),
    # malformed: json's message either way
    "not UTF-8": _line().replace(b"chat", b"ch\xfft"),
    "truncated": _line()[:-3],
    "trailing data": _line() + b" x",
    "control character": _line().replace(b"chat", b"ch\x01t"),
    "empty object": b"{}",
    "nested too deeply": b"[" * 5000 + b"]" * 5000,
}


def _read(path: Path) -> list[Span] | str:
    try:
        return list(read_spans(path))
    except FileError as exc:
        return str(exc)


@pytest.mark.parametrize("name", CASES)
def test_orjson_reads_what_json_reads(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(CASES[name] + b"\n")
    assert otlp._fast_loads is not None  # orjson is a dependency: the comparison must compare something
    fast = _read(path)
    monkeypatch.setattr(otlp, "_fast_loads", None)
    assert fast == _read(path)


def test_a_time_past_64_bits_is_refused_in_one_line_by_either_parser(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # OTLP times are fixed64: past 2^64-1 ns no clock wrote them, and the report's dates overflowed.
    path = tmp_path / "t.jsonl"
    path.write_bytes(CASES["big time"] + b"\n")
    said = "startTimeUnixNano '123456789012345678901233' is outside 0 to 2^64-1 nanoseconds (OTLP's fixed64)"
    with pytest.raises(FileError, match=re.escape(said)):
        list(read_spans(path))
    monkeypatch.setattr(otlp, "_fast_loads", None)
    with pytest.raises(FileError, match=re.escape(said)):
        list(read_spans(path))
