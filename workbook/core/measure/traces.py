"""Spans folded into one small summary per trace as they are read, then into requests.

A trace's summary holds its root candidates, one interval union per stage and counters: never its
spans, so memory grows with the number of traces, not spans. A trace's spans may come in any order,
over lines and files.

A request is a trace with exactly one root: its parentless span, or with `--root GLOB` its one span
whose name matches. Traces with no root (partial), several, or (with --root) only another root are
counted, never silently dropped. With a window (--since/--until) a request whose root starts outside
it is counted as outside and not measured.

Retries: an HTTP client span carrying `http.request.resend_count` is a resent attempt. Instrumentations
write one span per attempt (the resend count its ordinal) or one span with the count so far, so a
trace's retries are the larger of its resent spans and its highest resend count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from workbook.core.measure import attributes as attrs
from workbook.core.measure.otlp import KIND_CLIENT, Span
from workbook.core.measure.sampling import Sampler
from workbook.core.measure.stages import StageMatcher, Union, add, clipped_length, merged


class TraceSummary:
    __slots__ = ("roots", "parentless", "stages", "calls", "calls_error", "input_tokens", "input_n",
                 "output_tokens", "output_n", "cache_read", "cache_input", "cache_n", "http_spans", "resent",
                 "max_resend")

    def __init__(self) -> None:
        self.roots: list[tuple[int, int, bool]] = []  # (start ns, end ns, in error)
        self.parentless = False
        self.stages: dict[str, Union] = {}
        self.calls = self.calls_error = 0
        self.input_tokens = self.input_n = self.output_tokens = self.output_n = 0
        self.cache_read = self.cache_input = self.cache_n = 0
        self.http_spans = self.resent = self.max_resend = 0


# The per-request usage the cost model reads, summed over requests by figures and the weekly trend.
USAGE = ("calls", "calls_error", "input_tokens", "input_n", "output_tokens", "output_n", "cache_read",
         "cache_input", "cache_n", "http_spans", "retries")


@dataclass(frozen=True)
class Request:
    trace_id: str
    start_ns: int
    end_ms: float  # end-to-end duration of the root
    stage_ms: dict[str, float]  # only the stages with a span in this request
    unattributed_ms: float
    calls: int
    error: bool  # the root span's status is ERROR
    calls_error: int = 0
    input_tokens: int = 0
    input_n: int = 0
    output_tokens: int = 0
    output_n: int = 0
    cache_read: int = 0
    cache_input: int = 0
    cache_n: int = 0
    http_spans: int = 0  # HTTP client spans: retries are measured only where there are some
    retries: int = 0


@dataclass
class Counts:
    traces: int = 0
    requests: int = 0
    partial: int = 0  # no root span: its root is in a file not given, or was never exported
    several_roots: int = 0
    other_root: int = 0  # with --root: a root, but not one matching it
    calls: int = 0
    calls_error: int = 0
    input_tokens: int = 0
    input_n: int = 0  # model calls carrying input tokens
    output_tokens: int = 0
    output_n: int = 0
    cache_read: int = 0
    cache_input: int = 0  # input tokens of the calls that carry a cache-read count
    cache_n: int = 0
    http_spans: int = 0
    retries: int = 0
    outside_window: int = 0  # requests whose root starts outside --since/--until
    first_ns: int | None = None
    last_ns: int | None = None
    stages_seen: set[str] = field(default_factory=set)


class Collector:
    def __init__(self, matcher: StageMatcher, root_glob: str | None = None, sampler: Sampler | None = None) -> None:
        self.matcher = matcher
        self.root_glob = root_glob.lower() if root_glob else None
        self.sampler = sampler
        self.spans_kept = 0
        self.traces: dict[str, TraceSummary] = {}

    def add(self, span: Span) -> None:
        # Decided per span from the id alone: a dropped trace leaves nothing behind, not even its id.
        if self.sampler is not None and not self.sampler.keeps(span.trace_id):
            return
        self.spans_kept += 1
        t = self.traces.get(span.trace_id)
        if t is None:
            t = self.traces[span.trace_id] = TraceSummary()
        if not span.parent_id:
            t.parentless = True
        if (fnmatchcase(span.name.lower(), self.root_glob) if self.root_glob is not None else not span.parent_id):
            t.roots.append((span.start_ns, span.end_ns, span.error))
        a = span.attributes
        operation = attrs.operation(a)
        stage = self.matcher.stage_of(span.name, operation)
        if stage is not None:
            add(t.stages.setdefault(stage, []), span.start_ns, span.end_ns)
        if operation in attrs.MODEL_CALLS:
            t.calls += 1
            t.calls_error += span.error or attrs.first(a, "error_type") is not None
            inp = attrs.token_count(a, "input_tokens")
            out = attrs.token_count(a, "output_tokens")
            cache = attrs.token_count(a, "cache_read_tokens")
            if inp is not None:
                t.input_tokens += inp
                t.input_n += 1
                if cache is not None:
                    t.cache_read += cache
                    t.cache_input += inp
                    t.cache_n += 1
            if out is not None:
                t.output_tokens += out
                t.output_n += 1
        if span.kind == KIND_CLIENT and attrs.first(a, "http_method") is not None:
            t.http_spans += 1
            resends = attrs.token_count(a, "resend_count")
            if resends:
                t.resent += 1
                t.max_resend = max(t.max_resend, resends)

    def finish(self, since_ns: int | None = None, until_ns: int | None = None) -> tuple[list[Request], Counts]:
        """The requests (roots starting in [since, until) when given) and the counts."""
        counts = Counts(traces=len(self.traces))
        requests = []
        for trace_id, t in self.traces.items():
            if len(t.roots) > 1:
                counts.several_roots += 1
                continue
            if not t.roots:
                if self.root_glob is not None and t.parentless:
                    counts.other_root += 1
                else:
                    counts.partial += 1
                continue
            start, end, error = t.roots[0]
            if (since_ns is not None and start < since_ns) or (until_ns is not None and start >= until_ns):
                counts.outside_window += 1
                continue
            stage_ms = {}
            for stage, union in t.stages.items():
                covered = clipped_length(union, start, end)
                # A stage whose spans all lie outside the root is not in this request.
                if covered > 0 or any(s <= end and e >= start for s, e in union):
                    stage_ms[stage] = covered / 1e6
                    counts.stages_seen.add(stage)
            covered_all = clipped_length(merged(*t.stages.values()), start, end)
            r = Request(trace_id, start, (end - start) / 1e6, stage_ms, (end - start - covered_all) / 1e6, t.calls,
                        error, t.calls_error, t.input_tokens, t.input_n, t.output_tokens, t.output_n, t.cache_read,
                        t.cache_input, t.cache_n, t.http_spans, max(t.resent, t.max_resend))
            requests.append(r)
            counts.first_ns = start if counts.first_ns is None else min(counts.first_ns, start)
            counts.last_ns = end if counts.last_ns is None else max(counts.last_ns, end)
            for name in USAGE:
                setattr(counts, name, getattr(counts, name) + getattr(r, name))
        counts.requests = len(requests)
        self.traces = {}
        return requests, counts
