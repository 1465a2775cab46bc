"""Traces written by the real OpenTelemetry SDK and its OTLP JSON file exporter, with known figures.

Span times are explicit and ids come from a seeded generator, so every figure is known exactly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.json.file import FileSpanExporter
from opentelemetry.exporter.otlp.json.file._log_exporter import FileLogExporter
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import NonRecordingSpan, Span, SpanContext, SpanKind, Status, StatusCode, TraceFlags

MS = 1_000_000  # nanoseconds
T0 = 1_796_000_000_000_000_000  # a fixed epoch for every generated trace


class SeededIds(IdGenerator):
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def generate_span_id(self) -> int:
        return self.random.getrandbits(64) or 1

    def generate_trace_id(self) -> int:
        return self.random.getrandbits(128) or 1


@dataclass
class SpanSpec:
    """One span to write: times in ms from T0, and its children."""

    name: str
    start: float
    end: float
    attributes: dict[str, object] = field(default_factory=dict)
    error: bool = False
    children: list[SpanSpec] = field(default_factory=list)


class Writer:
    def __init__(self, path: Path, seed: int = 7) -> None:
        self.exporter = FileSpanExporter(path)
        self.provider = TracerProvider(id_generator=SeededIds(seed))
        self.provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.tracer = self.provider.get_tracer("tests.measure")
        self.trace_ids: list[str] = []

    def write(self, spec: SpanSpec, parent: Span | None = None) -> None:
        ctx = trace.set_span_in_context(parent) if parent is not None else Context()
        span = self.tracer.start_span(spec.name, context=ctx, kind=SpanKind.SERVER if parent is None else SpanKind.CLIENT,
                                      attributes=spec.attributes,  # type: ignore[arg-type]
                                      start_time=T0 + round(spec.start * MS))
        if parent is None:
            self.trace_ids.append(f"{span.get_span_context().trace_id:032x}")
        for child in spec.children:
            self.write(child, span)
        if spec.error:
            span.set_status(Status(StatusCode.ERROR, "failed"))
        span.end(end_time=T0 + round(spec.end * MS))

    def close(self) -> None:
        self.provider.shutdown()


def chat(start: float, end: float, inp: int | None = 1000, out: int | None = 100, cache: int | None = None,
         error: bool = False) -> SpanSpec:
    a: dict[str, object] = {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai"}
    if inp is not None:
        a["gen_ai.usage.input_tokens"] = inp
    if out is not None:
        a["gen_ai.usage.output_tokens"] = out
    if cache is not None:
        a["gen_ai.usage.cache_read.input_tokens"] = cache
    if error:
        a["error.type"] = "RateLimitError"
    return SpanSpec("chat gpt-x", start, end, a, error)


def retrieval(start: float, end: float, *children: SpanSpec) -> SpanSpec:
    return SpanSpec("retrieval kb", start, end, {"gen_ai.operation.name": "retrieval"}, children=list(children))


def embeddings(start: float, end: float) -> SpanSpec:
    return SpanSpec("embeddings emb-x", start, end, {"gen_ai.operation.name": "embeddings",
                                                     "gen_ai.usage.input_tokens": 12})


def http(start: float, end: float, resend: int | None = None) -> SpanSpec:
    """An HTTP client span (what httpx or requests instrumentation writes under a model call)."""
    a: dict[str, object] = {"http.request.method": "POST", "url.full": "https://api.example/v1/chat"}
    if resend is not None:
        a["http.request.resend_count"] = resend
    return SpanSpec("POST", start, end, a)


class LogWriter:
    """Events written by the SDK's logger and its OTLP JSON file exporter, linked to a trace by id."""

    def __init__(self, path: Path) -> None:
        self.provider = LoggerProvider()
        self.provider.add_log_record_processor(SimpleLogRecordProcessor(FileLogExporter(path)))
        self.logger = self.provider.get_logger("tests.measure")

    def event(self, name: str, at_ms: float, trace_id: str | None = None, attributes: dict[str, object] | None = None,
              as_attribute: bool = False) -> None:
        """as_attribute: the name in an `event.name` attribute (before OTLP's eventName field)."""
        ctx = None
        if trace_id is not None:
            span_ctx = SpanContext(int(trace_id, 16), 1, False, TraceFlags(1))
            ctx = trace.set_span_in_context(NonRecordingSpan(span_ctx))
        attrs = dict(attributes or {})
        if as_attribute:
            attrs["event.name"] = name
        self.logger.emit(timestamp=T0 + round(at_ms * MS), context=ctx, attributes=attrs,  # type: ignore[arg-type]
                         event_name=None if as_attribute else name)

    def close(self) -> None:
        self.provider.shutdown()
