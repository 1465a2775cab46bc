"""Which span attributes mean what: one table, first present wins (see docs/measure.md).

The OpenTelemetry GenAI conventions are still at Development status and renamed attributes twice;
OpenInference (Arize Phoenix) names the same things differently. Each measured field lists the names
it is read from, newest first; the first one a span carries is used, and a span carrying none has
the field absent (never zero).
"""

from __future__ import annotations

from typing import Final

# field -> attribute names, first present wins
ATTRIBUTES: Final[dict[str, tuple[str, ...]]] = {
    "operation": ("gen_ai.operation.name", "openinference.span.kind"),
    "input_tokens": ("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"),
    "output_tokens": ("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"),
    "cache_read_tokens": ("gen_ai.usage.cache_read.input_tokens", "llm.token_count.prompt_details.cache_read"),
    "provider": ("gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"),
    "model": ("gen_ai.response.model", "gen_ai.request.model", "llm.model_name"),
    "error_type": ("error.type",),
    # HTTP client spans: retries are measured only where these show them (a resend is an extra attempt).
    "http_method": ("http.request.method", "http.method"),
    "resend_count": ("http.request.resend_count",),
}

# Every attribute name the reader keeps; the others are skipped without being decoded.
WANTED: Final[frozenset[str]] = frozenset(name for names in ATTRIBUTES.values() for name in names)

# OpenInference span kinds as GenAI operation names.
OPENINFERENCE_KINDS: Final[dict[str, str]] = {
    "LLM": "chat",
    "EMBEDDING": "embeddings",
    "RETRIEVER": "retrieval",
    "TOOL": "execute_tool",
    "AGENT": "invoke_agent",
}

# An operation that is one call to a generative model (what the cost model's calls per request count).
MODEL_CALLS: Final[frozenset[str]] = frozenset({"chat", "text_completion", "generate_content"})

# The latency calculator's stage each operation belongs to, by convention. The other stages (prompt
# construction, post-processing, UI rendering) have no convention: `--stage NAME=GLOB` maps them.
OPERATION_STAGES: Final[dict[str, str]] = {
    "retrieval": "Retrieval",
    "embeddings": "Retrieval",
    "chat": "Model inference",
    "text_completion": "Model inference",
    "generate_content": "Model inference",
}


def first(attributes: dict[str, object], field: str) -> object | None:
    """The value of the first of the field's attribute names the span carries, or None."""
    for name in ATTRIBUTES[field]:
        if name in attributes:
            return attributes[name]
    return None


def operation(attributes: dict[str, object]) -> str | None:
    """The span's GenAI operation name (OpenInference kinds translated), lower case."""
    for name in ATTRIBUTES["operation"]:
        value = attributes.get(name)
        if isinstance(value, str) and value:
            if name == "openinference.span.kind":
                return OPENINFERENCE_KINDS.get(value.upper(), value.lower())
            return value.lower()
    return None


def token_count(attributes: dict[str, object], field: str) -> int | None:
    value = first(attributes, field)
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value >= 0 and value.is_integer():
        return int(value)
    return None
