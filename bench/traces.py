"""Generated OTLP/JSON trace lines of a pilot, as the collector's file exporter writes them: seeded,
so every run is the same, and with the figures each request was built from.

    python -m bench.traces OUT.jsonl N [SPANS_PER_REQUEST]

Each request is one line: a root span, prompt construction, a retrieval with an embeddings call
inside it, a model call with usage, post-processing, and (past six spans) tool calls, which no stage
claims. About 3 KB a request with the default six spans: 100,000 requests are about 300 MB.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

MS = 1_000_000
T0 = 1_796_000_000_000_000_000
RESOURCE = {"attributes": [
    {"key": "service.name", "value": {"stringValue": "support-reply-copilot"}},
    {"key": "service.version", "value": {"stringValue": "2026.12.1"}},
    {"key": "deployment.environment.name", "value": {"stringValue": "pilot"}},
    {"key": "telemetry.sdk.language", "value": {"stringValue": "python"}},
    {"key": "telemetry.sdk.name", "value": {"stringValue": "opentelemetry"}},
    {"key": "telemetry.sdk.version", "value": {"stringValue": "1.45.2"}},
    {"key": "host.name", "value": {"stringValue": "pilot-worker-3.internal.example"}},
]}
SCOPE = {"name": "opentelemetry.instrumentation.openai_v2", "version": "2.3b0"}


def _attrs(**values: object) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for key, v in values.items():
        key = key.replace("__", ".")
        if isinstance(v, bool):
            out.append({"key": key, "value": {"boolValue": v}})
        elif isinstance(v, int):
            out.append({"key": key, "value": {"intValue": str(v)}})
        else:
            out.append({"key": key, "value": {"stringValue": str(v)}})
    return out


def _span(rng: random.Random, trace: str, parent: str, name: str, start: float, end: float,
          attributes: list[dict[str, object]], kind: int = 3, error: bool = False) -> tuple[str, dict[str, object]]:
    span_id = f"{rng.getrandbits(64) or 1:016x}"
    return span_id, {
        "traceId": trace, "spanId": span_id, "parentSpanId": parent, "flags": 257, "name": name, "kind": kind,
        "startTimeUnixNano": str(T0 + round(start * MS)), "endTimeUnixNano": str(T0 + round(end * MS)),
        "attributes": attributes, "status": {"code": 2, "message": "failed"} if error else {},
    }


def request_spans(rng: random.Random, base: float, spans: int = 6) -> tuple[list[dict[str, object]], dict[str, float]]:
    """One request's spans (root last, as an exporter ends it last) and the figures it was built from."""
    trace = f"{rng.getrandbits(128) or 1:032x}"
    root_id = f"{rng.getrandbits(64) or 1:016x}"
    prompt, retr, model, post, gap = (rng.uniform(5, 50), rng.uniform(50, 400), rng.uniform(500, 3000),
                                      rng.uniform(10, 80), rng.uniform(1, 20))
    t = base
    out = []
    out.append(_span(rng, trace, root_id, "build_prompt", t, t + prompt, _attrs(code__function="build_prompt"))[1])
    t += prompt
    retrieval_id, retrieval = _span(rng, trace, root_id, "retrieval kb", t, t + retr,
                                    _attrs(gen_ai__operation__name="retrieval", db__system__name="pgvector"))
    out.append(_span(rng, trace, retrieval_id, "embeddings text-embedding-3-small", t + 1, t + retr / 2,
                     _attrs(gen_ai__operation__name="embeddings", gen_ai__provider__name="openai",
                            gen_ai__request__model="text-embedding-3-small", gen_ai__usage__input_tokens=12))[1])
    out.append(retrieval)
    t += retr
    inp = rng.randint(3000, 6000)
    out.append(_span(rng, trace, root_id, "chat gpt-4.1-mini", t, t + model, _attrs(
        gen_ai__operation__name="chat", gen_ai__provider__name="openai", gen_ai__request__model="gpt-4.1-mini",
        gen_ai__response__model="gpt-4.1-mini-2025-04-14", gen_ai__response__id=f"chatcmpl-{rng.getrandbits(64):x}",
        gen_ai__usage__input_tokens=inp, gen_ai__usage__output_tokens=rng.randint(100, 400),
        gen_ai__usage__cache_read__input_tokens=inp // 3, server__address="api.openai.com", server__port=443))[1])
    for i in range(spans - 6):  # tool calls inside the model call's time: no stage claims them
        start = t + model * i / max(1, spans - 6)
        out.append(_span(rng, trace, root_id, "execute_tool lookup_order", start, start + 1, _attrs(
            gen_ai__operation__name="execute_tool", gen_ai__tool__name="lookup_order"))[1])
    t += model
    out.append(_span(rng, trace, root_id, "format_reply", t, t + post, _attrs(code__function="format_reply"))[1])
    t += post + gap
    root = _span(rng, trace, "", "POST /draft", base, t, _attrs(http__request__method="POST", http__route="/draft",
                 http__response__status_code=200, url__scheme="https"), kind=2)[1]
    root["spanId"] = root_id
    out.append(root)
    return out, {"e2e": t - base, "prompt": prompt, "retrieval": retr, "model": model, "post": post, "gap": gap}


def pilot_lines(n: int, spans: int = 6, seed: int = 1) -> Iterator[str]:
    """n requests, one OTLP/JSON line each."""
    rng = random.Random(seed)
    for i in range(n):
        request, _ = request_spans(rng, i * 10_000.0, spans)
        yield json.dumps({"resourceSpans": [{"resource": RESOURCE, "scopeSpans": [
            {"scope": SCOPE, "spans": request}]}]}, separators=(",", ":"))


def write_pilot(path: Path, n: int, spans: int = 6, seed: int = 1) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for line in pilot_lines(n, spans, seed):
            fh.write(line + "\n")
    return path


if __name__ == "__main__":
    write_pilot(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 6)
