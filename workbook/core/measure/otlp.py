"""Read OTLP/JSON trace lines, as the OpenTelemetry Collector's `file` exporter writes them.

One `{"resourceSpans": [...]}` object a line (ExportTraceServiceRequest). Parsed per the OTLP
specification, not with google.protobuf.json_format, which decodes the hex ids as base64: ids are
hex (base64 is accepted as some backends write it), enums integers (or their names), 64-bit integers
and nanosecond times strings (or numbers), field names lowerCamelCase (or the proto's snake_case),
and unknown fields are ignored. Files are read a line at a time; a span keeps only the attributes
attributes.WANTED names.
"""

from __future__ import annotations

import base64
import binascii
import json
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from workbook.core.errors import FileError
from workbook.core.measure.attributes import WANTED

try:  # a C parser, about 2.5x json's speed on these lines; json reads when it is not installed
    from orjson import JSONDecodeError as _FastError
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - orjson is a dependency; a build without a wheel still reads
    _fast_loads, _FastError = None, ValueError  # type: ignore[assignment,misc]

_HEX = frozenset(string.hexdigits)
STATUS_ERROR = 2
_STATUS_NAMES = {"STATUS_CODE_UNSET": 0, "STATUS_CODE_OK": 1, "STATUS_CODE_ERROR": 2}
KIND_CLIENT = 3
_KIND_NAMES = {"SPAN_KIND_UNSPECIFIED": 0, "SPAN_KIND_INTERNAL": 1, "SPAN_KIND_SERVER": 2, "SPAN_KIND_CLIENT": 3,
               "SPAN_KIND_PRODUCER": 4, "SPAN_KIND_CONSUMER": 5}
# A line of another signal (the collector's file exporter may write them all to one file): skipped.
_OTHER_SIGNALS = ("resourceLogs", "resource_logs", "resourceMetrics", "resource_metrics")
_PROGRESS_EVERY = 1 << 20  # bytes between two progress reports
_KEY = itemgetter("key")
_KNOWN_MAX = 4096  # attribute keys remembered as strings (keys with an id in them must not grow memory)


class Span(NamedTuple):  # a tuple: built per span, so it must cost little (a frozen dataclass cost 4x)
    trace_id: str  # lower-case hex, 32 digits
    span_id: str  # lower-case hex, 16 digits
    parent_id: str  # "" when the span has no parent
    name: str
    start_ns: int
    end_ns: int
    error: bool  # status code ERROR
    attributes: dict[str, object]  # only the names the measurement reads
    kind: int = 0  # SPAN_KIND_…: 3 is CLIENT


class Malformed(Exception):
    """One malformed thing in a line; read_spans adds the file and the line number."""


@dataclass
class ReadStats:
    lines: int = 0
    spans: int = 0
    other_signal_lines: int = 0


# A span's fields in Span's order, as a plain tuple: the fast path builds no Span, and its span and parent
# ids may be in upper case (Collector.add_all reads them without case).
Fields = tuple[str, str, str, str, int, int, bool, dict[str, object], int]


def read_spans(path: Path, stats: ReadStats | None = None, progress: Callable[[int], None] | None = None,
               wanted: frozenset[str] = WANTED,
               take: Callable[[list[Fields]], None] | None = None) -> Iterator[Span]:
    """Every span in the file, in file order. Raises FileError naming the file and line when malformed.

    The collector's protobuf files (`format: proto`) are told apart by content: JSON lines start with
    `{` (or blank space), a length-prefixed message with a 0 byte for any message under 16 MiB.
    progress, when given, is called with the bytes read so far, every MiB or so and at the end. A span
    keeps the attributes named in wanted (attributes.WANTED and, say, an outcome attribute). take, when
    given, is handed the spans of each line read whole by the fast path (as the collector writes them),
    which are then not yielded; the other lines' spans are yielded as without it."""
    stats = stats if stats is not None else ReadStats()
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise FileError.at(path, "", f"cannot read: {exc.strerror or exc}") from None
    with handle:
        first = handle.peek(1)[:1]
        if first and first not in b"{ \t\r\n":
            from workbook.core.measure.otlp_proto import read_proto_spans

            yield from read_proto_spans(path, handle, stats, progress, wanted)
            return
        done = reported = 0
        known: set[str] = set()  # attribute keys seen to be strings: checked once, not a span
        for number, raw in enumerate(handle, start=1):
            done += len(raw)
            if progress is not None and done - reported >= _PROGRESS_EVERY:
                progress(done)
                reported = done
            if raw[:1].isspace() and not raw.strip():  # strip copies the line: only for one that may be blank
                continue
            stats.lines += 1
            if take is not None:
                fields = _well_formed_line(raw, wanted, known)
                if fields is not None:  # every span of the line checked before any is taken
                    stats.spans += len(fields)
                    take(fields)
                    continue
            try:
                spans = _line_spans(raw, wanted)
            except Malformed as exc:
                raise FileError.at(path, f"line {number}", str(exc)) from None
            except ValueError as exc:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
                raise FileError.at(path, f"line {number}", f"not JSON: {exc}") from None
            except RecursionError:
                raise FileError.at(path, f"line {number}", "not JSON: nested too deeply") from None
            if spans is None:
                stats.other_signal_lines += 1
                continue
            stats.spans += len(spans)
            yield from spans
        if progress is not None:
            progress(done)


def _get(obj: dict[str, Any], camel: str, snake: str) -> Any:
    value = obj.get(camel)
    return obj.get(snake) if value is None else value


def _list(obj: dict[str, Any], camel: str, snake: str, where: str) -> list[Any]:
    value = _get(obj, camel, snake)
    if value is None:
        return []
    if not isinstance(value, list):
        raise Malformed(f"{where}{camel} is not a list")
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Malformed(f"{where} is not an object")
    return value


def _line_spans(raw: bytes, wanted: frozenset[str] = WANTED) -> list[Span] | None:
    """The line's spans, None for a line of another signal. orjson parses when installed, and json's
    reading is the reference: a line orjson refuses (NaN, a BOM or UTF-16, a lone surrogate, or malformed)
    is read by json, which accepts it or words the error; a line found malformed is read again by json,
    as orjson reads integers past 64 bits as floats where json keeps them (a time, a status code)."""
    if _fast_loads is None:
        return _doc_spans(json.loads(raw), wanted)
    try:
        doc = _fast_loads(raw)
    except _FastError:
        return _doc_spans(json.loads(raw), wanted)
    try:
        return _doc_spans(doc, wanted)
    except Malformed:
        return _doc_spans(json.loads(raw), wanted)


def _doc_spans(doc: Any, wanted: frozenset[str]) -> list[Span] | None:
    if not isinstance(doc, dict):
        raise Malformed("not an OTLP/JSON object (expected {\"resourceSpans\": [...]})")
    if _get(doc, "resourceSpans", "resource_spans") is None:
        if any(k in doc for k in _OTHER_SIGNALS):
            return None
        raise Malformed("no resourceSpans: not an OTLP/JSON traces line")
    out: list[Span] = []
    traces: dict[str, str] = {}  # the line's trace ids, checked once: a line's spans mostly share one
    for i, rs in enumerate(_list(doc, "resourceSpans", "resource_spans", "")):
        rs = _object(rs, f"resourceSpans[{i}]")
        # instrumentationLibrarySpans: OTLP before 0.15, still written by some old exporters.
        scopes = (_list(rs, "scopeSpans", "scope_spans", f"resourceSpans[{i}].")
                  or _list(rs, "instrumentationLibrarySpans", "instrumentation_library_spans", f"resourceSpans[{i}]."))
        for j, ss in enumerate(scopes):
            spans = ss.get("spans") if type(ss) is dict else None
            if type(spans) is list:  # the collector's own shape: no error path is formatted
                for span in spans:
                    fast = _well_formed_span(span, wanted, traces) if type(span) is dict else None
                    out.append(fast if fast is not None else _span_at(span, i, j, spans.index(span), wanted))
                continue
            where = f"resourceSpans[{i}].scopeSpans[{j}]"
            for k, span in enumerate(_list(_object(ss, where), "spans", "spans", where + ".")):
                out.append(_span_at(span, i, j, k, wanted))
    return out


def _span_at(span: Any, i: int, j: int, k: int, wanted: frozenset[str]) -> Span:
    where = f"resourceSpans[{i}].scopeSpans[{j}].spans[{k}]"
    return _span(_object(span, where), where, wanted)


def _well_formed_line(raw: bytes, wanted: frozenset[str], known: set[str] | None = None) -> list[Fields] | None:
    """The fields of every span of a line in the collector's own shape, each read by _well_formed_fields;
    None when the line does not parse, is of another shape, or has a span that fast path does not read:
    _line_spans then reads the whole line (or refuses it, saying where)."""
    known = known if known is not None else set()
    try:
        doc = _fast_loads(raw) if _fast_loads is not None else json.loads(raw)
    except (ValueError, RecursionError):
        return None
    resource_spans = doc.get("resourceSpans") if type(doc) is dict else None
    if type(resource_spans) is not list:
        return None
    out: list[Fields] = []
    traces: dict[str, str] = {}
    parents: set[Any] = {""}  # parent ids checked: a line's spans share a few
    for rs in resource_spans:
        scopes = rs.get("scopeSpans") if type(rs) is dict else None
        if type(scopes) is not list or not scopes:  # empty: the old instrumentationLibrarySpans may be there
            return None
        for ss in scopes:
            spans = ss.get("spans") if type(ss) is dict else None
            if type(spans) is not list:
                return None
            for span in spans:
                if type(span) is not dict:
                    return None
                try:
                    fields = _quick_fields(span, wanted, traces, parents, known)
                except (KeyError, TypeError, AttributeError):  # a field missing or of another type
                    fields = None
                if fields is None:
                    fields = _well_formed_fields(span, wanted, traces)
                    if fields is None:
                        return None
                out.append(fields)
    return out


def _quick_fields(obj: dict[str, Any], wanted: frozenset[str], traces: dict[str, str], parents: set[Any],
                  known: set[str]) -> Fields | None:
    """The span's fields when it has exactly the collector's usual shape (every field present, ids and
    times strings, integer kind and status code), in fewer steps than _well_formed_fields; None (or
    KeyError, TypeError, AttributeError) for anything else, which _well_formed_fields then reads. It
    accepts only spans that one accepts, and reads them alike (tests/measure/test_quick_fields.py), but for
    the span and parent ids' case: they are kept as written, as the collector reads them without case.
    known: attribute keys already seen to be strings."""
    raw_trace = obj["traceId"]
    trace = traces.get(raw_trace)
    if trace is None:
        if raw_trace.__class__ is not str or len(raw_trace) != 32 or not _HEX.issuperset(raw_trace):
            return None
        trace = traces[raw_trace] = raw_trace.lower()
    span_id = obj["spanId"]
    if span_id.__class__ is not str or len(span_id) != 16 or not _HEX.issuperset(span_id):
        return None
    parent = obj.get("parentSpanId", "")
    if parent not in parents:  # TypeError: unhashable
        if parent.__class__ is not str or len(parent) != 16 or not _HEX.issuperset(parent):
            return None
        parents.add(parent)
    name, start, end = obj["name"], obj["startTimeUnixNano"], obj["endTimeUnixNano"]
    if name.__class__ is not str or not start.isdecimal() or not end.isdecimal():  # AttributeError: not strings
        return None
    start, end = int(start), int(end)
    if end < start or end > MAX_NANOS:
        return None
    status = obj.get("status")
    code = status.get("code", 0) if status else 0  # AttributeError: not an object
    kind = obj.get("kind", 0)
    if code.__class__ is not int or kind.__class__ is not int or not 0 <= kind <= 5:
        return None
    attributes: dict[str, object] = {}
    listed = obj.get("attributes")
    if listed:
        if listed.__class__ is not list:
            return None
        for kv in listed:
            key = kv["key"]  # KeyError: no key; TypeError: kv not an object
            if key in wanted:  # TypeError: unhashable
                value = kv["value"]
                text = value.get("stringValue")
                if text.__class__ is str:
                    attributes[key] = text
                    continue
                number = value.get("intValue")
                if number.__class__ is str and number.isdecimal():
                    attributes[key] = int(number)
                    continue
                return None
            elif key.__class__ is not str:
                return None
    return trace, span_id, parent, name, start, end, code == STATUS_ERROR, attributes, kind


def _well_formed_span(obj: dict[str, Any], wanted: frozenset[str] = WANTED,
                      traces: dict[str, str] | None = None) -> Span | None:
    fields = _well_formed_fields(obj, wanted, traces)
    return None if fields is None else Span._make(fields)


def _well_formed_fields(obj: dict[str, Any], wanted: frozenset[str] = WANTED,
                        traces: dict[str, str] | None = None) -> Fields | None:
    """The span's fields as the collector's file exporter writes it (camelCase keys, hex ids, times as strings
    or numbers, a numeric status code), read without building the error paths ``_span`` names; None
    for anything else, which ``_span`` then reads (or refuses, saying where). Most of the reading time
    was those error paths, formatted for every span and never shown. traces: trace ids already
    checked (raw -> lower case), shared by the spans of one line."""
    get = obj.get
    raw_trace, span_id, parent = get("traceId"), get("spanId"), get("parentSpanId")
    trace = traces.get(raw_trace) if traces is not None and type(raw_trace) is str else None
    if trace is None:
        if type(raw_trace) is not str or len(raw_trace) != 32 or not _HEX.issuperset(raw_trace):
            return None
        trace = raw_trace.lower()
        if traces is not None:
            traces[raw_trace] = trace
    if type(span_id) is not str or len(span_id) != 16 or not _HEX.issuperset(span_id):
        return None
    if not parent:
        if parent is not None and parent != "":
            return None
        parent = ""
    elif type(parent) is str and len(parent) == 16 and _HEX.issuperset(parent):
        parent = parent.lower()
    else:
        return None
    name = get("name", "")
    start, end = get("startTimeUnixNano"), get("endTimeUnixNano")
    if type(name) is not str:
        return None
    if type(start) is str and start.isdecimal():  # isdigit is true of '²', which int() refuses
        start = int(start)
    if type(end) is str and end.isdecimal():
        end = int(end)
    if type(start) is not int or type(end) is not int or end < start or start < 0 or end > MAX_NANOS:
        return None
    status = get("status")
    code: Any = 0
    if status:
        if type(status) is not dict:
            return None
        code = status.get("code", 0)
        if type(code) is not int:
            return None
    attributes: dict[str, object] = {}
    listed = get("attributes")
    if listed:
        if type(listed) is not list:
            return None
        for kv in listed:
            if type(kv) is not dict:
                return None
            key = kv.get("key")
            if key is not None and type(key) is not str:
                return None  # the checked reading says where
            if key in wanted:
                value = kv.get("value")
                if type(value) is not dict:
                    attributes[key] = None
                    continue
                text = value.get("stringValue")  # the usual two kinds first, without _value's call
                if type(text) is str:
                    attributes[key] = text
                    continue
                number = value.get("intValue")
                if type(number) is str and number.isdecimal():
                    attributes[key] = int(number)
                    continue
                try:
                    attributes[key] = _value(value, "")
                except Malformed:
                    return None
    kind = get("kind", 0)
    if type(kind) is not int or not 0 <= kind <= 5:
        kind = _kind(kind)
    return trace, span_id.lower(), parent, name, start, end, code == STATUS_ERROR, attributes, kind


def _span(obj: dict[str, Any], where: str, wanted: frozenset[str] = WANTED) -> Span:
    trace_id = parse_id(_get(obj, "traceId", "trace_id"), 16, f"{where}.traceId")
    span_id = parse_id(_get(obj, "spanId", "span_id"), 8, f"{where}.spanId")
    parent = _get(obj, "parentSpanId", "parent_span_id")
    parent_id = "" if parent in (None, "") else parse_id(parent, 8, f"{where}.parentSpanId")
    name = obj.get("name", "")
    if not isinstance(name, str):
        raise Malformed(f"{where}.name is not a string")
    start = _nanos(_get(obj, "startTimeUnixNano", "start_time_unix_nano"), f"{where}.startTimeUnixNano")
    end = _nanos(_get(obj, "endTimeUnixNano", "end_time_unix_nano"), f"{where}.endTimeUnixNano")
    if end < start:
        raise Malformed(f"{where}: ends before it starts ({end} < {start})")
    status = obj.get("status") or {}
    code = _status(_object(status, f"{where}.status").get("code", 0), f"{where}.status.code")
    attributes: dict[str, object] = {}
    for n, kv in enumerate(_list(obj, "attributes", "attributes", where + ".")):
        kv = _object(kv, f"{where}.attributes[{n}]")
        key = kv.get("key")
        if key is not None and not isinstance(key, str):
            raise Malformed(f"{where}.attributes[{n}].key is not a string")
        if key in wanted:
            attributes[key] = _value(kv.get("value"), f"{where}.attributes[{n}] ({key})")
    return Span(trace_id, span_id, parent_id, name, start, end, code == STATUS_ERROR, attributes,
                _kind(obj.get("kind", 0)))


def _kind(value: Any) -> int:
    """A SpanKind number or name; anything else (a kind past 64 bits, which orjson reads as a float and json
    as an int) is 0, unspecified: only CLIENT (3) is read."""
    if isinstance(value, str):
        return _KIND_NAMES.get(value, 0)
    return value if type(value) is int and 0 <= value <= 5 else 0


def parse_id(value: Any, size: int, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise Malformed(f"{where} is missing or not a string")
    if len(value) == 2 * size and _HEX.issuperset(value):
        return value.lower()
    try:  # base64, as protobuf's JSON mapping (and some backends) write bytes
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        decoded = b""
    if len(decoded) != size:
        raise Malformed(f"{where} {value[:40]!r} is neither {2 * size} hex digits nor base64 of {size} bytes")
    return decoded.hex()


MAX_NANOS = 2**64 - 1  # a fixed64 in OTLP: past it no clock wrote the time (and dates overflow)


def _nanos(value: Any, where: str) -> int:
    if isinstance(value, bool) or value is None:
        raise Malformed(f"{where} is missing")
    if isinstance(value, int) or (isinstance(value, str) and value.isdecimal()):  # isdigit is true of '²'
        nanos = int(value)
        if not 0 <= nanos <= MAX_NANOS:
            raise Malformed(f"{where} {str(value)[:40]!r} is outside 0 to 2^64-1 nanoseconds (OTLP's fixed64)")
        return nanos
    raise Malformed(f"{where} {str(value)[:40]!r} is not a whole number of nanoseconds")


def _status(value: Any, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value in _STATUS_NAMES:
        return _STATUS_NAMES[value]
    raise Malformed(f"{where} {str(value)[:40]!r} is not a status code (0, 1, 2 or STATUS_CODE_…)")


def _value(value: Any, where: str) -> object:
    """An AnyValue: strings, integers (string or number), doubles and booleans; others are kept as None."""
    if not isinstance(value, dict):
        return None
    if "stringValue" in value or "string_value" in value:
        s = _get(value, "stringValue", "string_value")
        return s if isinstance(s, str) else None
    if "intValue" in value or "int_value" in value:
        i = _get(value, "intValue", "int_value")
        if isinstance(i, int) and not isinstance(i, bool):
            return i
        if isinstance(i, str) and (i[1:] if i[:1] == "-" else i).isdecimal():  # not '--1' nor '²'
            return int(i)
        raise Malformed(f"{where} intValue {str(i)[:40]!r} is not an integer")
    if "doubleValue" in value or "double_value" in value:
        d = _get(value, "doubleValue", "double_value")
        if isinstance(d, (int, float)) and not isinstance(d, bool):
            return float(d)
        return None  # "NaN", "Infinity": nothing to count
    if "boolValue" in value or "bool_value" in value:
        b = _get(value, "boolValue", "bool_value")
        return b if isinstance(b, bool) else None
    return None
