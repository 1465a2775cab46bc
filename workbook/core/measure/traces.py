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

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import NamedTuple

from workbook.core.measure import attributes as attrs
from workbook.core.measure.otlp import KIND_CLIENT, Fields, Span
from workbook.core.measure.outcomes import FALSE, TRUE
from workbook.core.measure.sampling import Sampler
from workbook.core.measure.stages import StageMatcher, Union, add, clipped_length, covered_length

_SET_FROM = 32  # span ids a trace keeps in a flat array before a set (membership is a scan)


class TraceSummary:
    __slots__ = ("root", "several_roots", "parentless", "stages", "calls", "calls_error", "input_tokens", "input_n",
                 "output_tokens", "output_n", "cache_read", "cache_input", "cache_n", "http_spans", "resent",
                 "max_resend", "ids")

    def __init__(self) -> None:
        # The root: (start ns, end ns, in error, outcome); a second one only sets several_roots (no list:
        # nearly every trace has one root, and a list a trace was memory for nothing).
        self.root: tuple[int, int, bool, bool | None] | None = None
        self.several_roots = False
        self.parentless = False
        self.stages: dict[str, Union] = {}
        self.calls = self.calls_error = 0
        self.input_tokens = self.input_n = self.output_tokens = self.output_n = 0
        self.cache_read = self.cache_input = self.cache_n = 0
        self.http_spans = self.resent = self.max_resend = 0
        # The span ids seen, as 64-bit numbers: 8 bytes a span in an array, a set past _SET_FROM.
        self.ids: array[int] | set[int] = array("Q")


# The per-request usage the cost model reads, summed over requests by figures and the weekly trend.
USAGE = ("calls", "calls_error", "input_tokens", "input_n", "output_tokens", "output_n", "cache_read",
         "cache_input", "cache_n", "http_spans", "retries")


class Request(NamedTuple):  # a tuple: one is built per request, and a frozen dataclass costs 17 setattrs
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
    outcome: bool | None = None  # the root's outcome attribute (see outcomes.py), None without one


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
    duplicates: int = 0  # spans delivered again (same trace and span id): counted once, never twice


(_OPERATION, _KIND), (_HTTP_METHOD, _HTTP_METHOD_OLD) = attrs.ATTRIBUTES["operation"], attrs.ATTRIBUTES["http_method"]
# Each count's newest name, read with one get before attrs' loop over every name (first present wins). The
# unpackings fail at import if the table gives error.type or the HTTP method another number of names.
_INPUT, _OUTPUT, _CACHE = (attrs.ATTRIBUTES[f][0] for f in ("input_tokens", "output_tokens", "cache_read_tokens"))
(_ERROR_TYPE,) = attrs.ATTRIBUTES["error_type"]
_MEMO_MAX = 4096  # distinct span names remembered (a name with an id in it must not grow memory)


class Collector:
    def __init__(self, matcher: StageMatcher, root_glob: str | None = None, sampler: Sampler | None = None,
                 outcome_attribute: str | None = None) -> None:
        self.matcher = matcher
        self.root_glob = root_glob.lower() if root_glob else None
        self.sampler = sampler
        self.outcome_attribute = outcome_attribute
        self.spans_kept = 0
        self.duplicates = 0
        self.traces: dict[str, TraceSummary] = {}
        self._stage_of: dict[tuple[str, str | None], str | None] = {}
        self._is_root: dict[str, bool] = {}

    def add(self, span: Span) -> None:
        self.add_all((span,))

    def add_all(self, spans: Iterable[Fields]) -> None:
        """Fold spans (Spans, or their fields as a plain tuple: read_spans's take) into their traces."""
        sampler, traces, root_glob, memo_root, memo_stage = (self.sampler, self.traces, self.root_glob,
                                                              self._is_root, self._stage_of)
        kept = duplicates = 0  # counted here, stored once: an attribute write a span was measurable
        for trace_id, span_id, parent_id, name, start, end, error, a, kind in spans:
            # Decided per span from the id alone: a dropped trace leaves nothing behind, not even its id.
            if sampler is not None and not sampler.keeps(trace_id):
                continue
            t = traces.get(trace_id)
            if t is None:
                t = traces[trace_id] = TraceSummary()
            number, ids = int(span_id, 16), t.ids
            if number in ids:  # the collector retried, a file given twice, exports that overlap
                duplicates += 1
                continue
            if isinstance(ids, set):
                ids.add(number)
            elif len(ids) < _SET_FROM:
                ids.append(number)
            else:
                t.ids = {*ids, number}
            kept += 1
            if not parent_id:
                t.parentless = True
            if root_glob is None:
                is_root = not parent_id
            else:
                is_root = memo_root.get(name)  # type: ignore[assignment]
                if is_root is None:
                    is_root = fnmatchcase(name.lower(), root_glob)
                    if len(memo_root) < _MEMO_MAX:
                        memo_root[name] = is_root
            if is_root:
                if t.root is None:
                    t.root = (start, end, error,
                              outcome_of(a.get(self.outcome_attribute)) if self.outcome_attribute else None)
                else:
                    t.several_roots = True
            operation = a.get(_OPERATION) if a else None  # the usual name, lower case already: no call
            if operation is not None and (type(operation) is not str or not operation.islower()):
                operation = attrs.operation(a)
            elif operation is None and _KIND in a:  # the first name absent: only the second can name one
                operation = attrs.operation(a)
            key = (name, operation)
            stage = memo_stage.get(key, "")
            if stage == "":
                stage = self.matcher.stage_of(name, operation)
                if len(memo_stage) < _MEMO_MAX:
                    memo_stage[key] = stage
            if stage is not None:
                union = t.stages.get(stage)
                if union is None:
                    t.stages[stage] = [(start, end)]
                elif union[-1][1] < start:  # after all of it, as spans mostly come: nothing to merge
                    union.append((start, end))
                else:
                    add(union, start, end)
            if operation in attrs.MODEL_CALLS:
                t.calls += 1
                t.calls_error += error or a.get(_ERROR_TYPE) is not None
                # The newest name's count when it is a plain count; token_count decides anything else alike.
                inp, out, cache = a.get(_INPUT), a.get(_OUTPUT), a.get(_CACHE)
                if type(inp) is not int or inp < 0:
                    inp = attrs.token_count(a, "input_tokens")
                if type(out) is not int or out < 0:
                    out = attrs.token_count(a, "output_tokens")
                if type(cache) is not int or cache < 0:
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
            if kind == KIND_CLIENT and a and (a.get(_HTTP_METHOD) is not None or a.get(_HTTP_METHOD_OLD) is not None):
                t.http_spans += 1
                resends = attrs.token_count(a, "resend_count")
                if resends:
                    t.resent += 1
                    t.max_resend = max(t.max_resend, resends)
        self.spans_kept += kept
        self.duplicates += duplicates

    def finish(self, since_ns: int | None = None, until_ns: int | None = None) -> tuple[list[Request], Counts]:
        """The requests (roots starting in [since, until) when given) and the counts."""
        counts = Counts(traces=len(self.traces), duplicates=self.duplicates)
        requests = []
        seen = counts.stages_seen
        first_ns = last_ns = None
        usages = []
        for trace_id, t in self.traces.items():
            root = t.root
            if root is None or t.several_roots:
                if root is not None:
                    counts.several_roots += 1
                elif self.root_glob is not None and t.parentless:
                    counts.other_root += 1
                else:
                    counts.partial += 1
                continue
            start, end, error, outcome = root
            if (since_ns is not None and start < since_ns) or (until_ns is not None and start >= until_ns):
                counts.outside_window += 1
                continue
            stage_ms = {}
            stages = t.stages
            for stage, union in stages.items():
                if len(union) == 1:  # min and max written out: two calls each a stage of a request
                    s, e = union[0]
                    covered = (e if e < end else end) - (s if s > start else start)
                    covered = covered if covered > 0 else 0
                else:
                    covered = clipped_length(union, start, end)
                # A stage whose spans all lie outside the root is not in this request.
                if covered > 0 or any(s <= end and e >= start for s, e in union):
                    stage_ms[stage] = covered / 1e6
                    seen.add(stage)
            covered_all = covered_length(stages.values(), start, end)
            retries = max(t.resent, t.max_resend)
            usage = (t.calls, t.calls_error, t.input_tokens, t.input_n, t.output_tokens, t.output_n, t.cache_read,
                     t.cache_input, t.cache_n, t.http_spans, retries)
            requests.append(Request(trace_id, start, (end - start) / 1e6, stage_ms,
                                    (end - start - covered_all) / 1e6, t.calls, error, *usage[1:], outcome))
            usages.append(usage)
            first_ns = start if first_ns is None or start < first_ns else first_ns
            last_ns = end if last_ns is None or end > last_ns else last_ns
        sums = [sum(column) for column in zip(*usages, strict=True)] if usages else [0] * len(USAGE)
        for name, total in zip(USAGE, sums, strict=True):
            setattr(counts, name, total)
        counts.first_ns, counts.last_ns = first_ns, last_ns
        counts.requests = len(requests)
        self.traces = {}
        return requests, counts


def outcome_of(value: object) -> bool | None:
    """A root's outcome attribute: a boolean, or a word outcomes.TRUE / FALSE names (success, failure,
    yes, no, 1, 0 ...); anything else is no outcome (the request is counted as without one)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value == 1 if value in (0, 1) else None
    if isinstance(value, str):
        word = value.strip().lower()
        return True if word in TRUE else False if word in FALSE else None
    return None
