"""`--logs FILE...`: feedback and correction events from OTLP/JSON log lines (`{"resourceLogs": [...]}`).

Two kinds of event are read, the rest skipped: `gen_ai.evaluation.result` (the GenAI conventions'
evaluation event; negative when its `gen_ai.evaluation.score.label` is one of NEGATIVE) and the
application's correction event, named by `--correction-event` (DEFAULT_CORRECTION). An event's name is
the record's `eventName`, else its `event.name` attribute (the convention before OTLP 1.5). Its time is
`timeUnixNano`, else `observedTimeUnixNano`; its trace id links it to a request. Lines of spans or
metrics are skipped and counted, as the traces reader skips lines of logs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook.core.errors import FileError
from workbook.core.measure.otlp import Malformed, _get, _list, _nanos, _object, _value, parse_id

EVALUATION = "gen_ai.evaluation.result"
DEFAULT_CORRECTION = "app.output.corrected"
LABEL = "gen_ai.evaluation.score.label"
# Labels that mean the person (or judge) found the output bad; any other label counts as not negative.
NEGATIVE = frozenset({"negative", "bad", "fail", "failed", "incorrect", "wrong", "thumbs_down", "thumbs-down",
                      "thumbsdown", "unhelpful", "irrelevant", "not_relevant", "dislike", "no"})
_OTHER_SIGNALS = ("resourceSpans", "resource_spans", "resourceMetrics", "resource_metrics")


@dataclass(frozen=True, slots=True)
class Event:
    kind: str  # "evaluation" or "correction"
    time_ns: int | None
    trace_id: str  # "" when the record carries none
    negative: bool = False  # evaluation: its label is a negative one
    labelled: bool = False  # evaluation: it carries a label at all


@dataclass
class LogStats:
    lines: int = 0
    records: int = 0
    other_signal_lines: int = 0


def read_events(path: Path, correction: str, stats: LogStats | None = None) -> Iterator[Event]:
    """Every evaluation and correction event in the file. FileError naming the file and line when malformed."""
    stats = stats if stats is not None else LogStats()
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise FileError.at(path, "", f"cannot read: {exc.strerror or exc}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            stats.lines += 1
            try:
                doc = json.loads(raw)
                events = _line_events(doc, correction, stats)
            except Malformed as exc:
                raise FileError.at(path, f"line {number}", str(exc)) from None
            except ValueError as exc:
                raise FileError.at(path, f"line {number}", f"not JSON: {exc}") from None
            except RecursionError:
                raise FileError.at(path, f"line {number}", "not JSON: nested too deeply") from None
            yield from events


def _line_events(doc: Any, correction: str, stats: LogStats) -> list[Event]:
    if not isinstance(doc, dict):
        raise Malformed("not an OTLP/JSON object (expected {\"resourceLogs\": [...]})")
    if _get(doc, "resourceLogs", "resource_logs") is None:
        if any(k in doc for k in _OTHER_SIGNALS):
            stats.other_signal_lines += 1
            return []
        raise Malformed("no resourceLogs: not an OTLP/JSON logs line")
    out = []
    for i, rl in enumerate(_list(doc, "resourceLogs", "resource_logs", "")):
        rl = _object(rl, f"resourceLogs[{i}]")
        for j, sl in enumerate(_list(rl, "scopeLogs", "scope_logs", f"resourceLogs[{i}].")):
            where = f"resourceLogs[{i}].scopeLogs[{j}]"
            for k, rec in enumerate(_list(_object(sl, where), "logRecords", "log_records", where + ".")):
                stats.records += 1
                event = _event(_object(rec, f"{where}.logRecords[{k}]"), f"{where}.logRecords[{k}]", correction)
                if event is not None:
                    out.append(event)
    return out


def _event(rec: dict[str, Any], where: str, correction: str) -> Event | None:
    attributes: dict[str, object] = {}
    for n, kv in enumerate(_list(rec, "attributes", "attributes", where + ".")):
        kv = _object(kv, f"{where}.attributes[{n}]")
        key = kv.get("key")
        if key in ("event.name", LABEL):
            attributes[key] = _value(kv.get("value"), f"{where}.attributes[{n}] ({key})")
    name = _get(rec, "eventName", "event_name") or attributes.get("event.name")
    if name not in (EVALUATION, correction):
        return None
    time: int | None = None
    for camel, snake in (("timeUnixNano", "time_unix_nano"), ("observedTimeUnixNano", "observed_time_unix_nano")):
        raw = _get(rec, camel, snake)
        if raw not in (None, "0", 0):
            time = _nanos(raw, f"{where}.{camel}")
            break
    trace = _get(rec, "traceId", "trace_id")
    trace_id = "" if trace in (None, "") else parse_id(trace, 16, f"{where}.traceId")
    if trace_id == "0" * 32:  # the SDK writes an all-zero id for a record outside any span
        trace_id = ""
    if name == EVALUATION:
        label = attributes.get(LABEL)
        text = label.strip().lower() if isinstance(label, str) else ""
        return Event("evaluation", time, trace_id, text in NEGATIVE, bool(text))
    return Event("correction", time, trace_id)
