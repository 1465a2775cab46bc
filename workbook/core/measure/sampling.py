"""`--sample RATE`: keep a share of the traces, chosen by a hash of the trace id, and say how far off
the sampled end-to-end p95 may be.

The decision hashes the id alone, so a trace split across lines and files is kept or dropped whole,
and the same run on the same files keeps the same traces. BLAKE2b rather than the id's own bits:
not every generator's ids are random (some are sequential or carry a time).

The p95's interval is distribution-free: the order statistics x(l) and x(u) of the n sampled
requests cover the true quantile with probability P(l <= B < u), B ~ Binomial(n, 0.95), so l and u
are the order statistics leaving at most (1 - confidence) / 2 of that probability on each side.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

CONFIDENCE = 0.95
P95 = 0.95


class Sampler:
    def __init__(self, rate: float) -> None:
        if not 0 < rate <= 1:
            raise ValueError(f"the sample rate {rate} is not in (0, 1]")
        self.rate = rate
        self._below = round(rate * 2**64)

    def keeps(self, trace_id: str) -> bool:
        """trace_id in lower-case hex, as both readers give it."""
        digest = hashlib.blake2b(trace_id.encode("ascii"), digest_size=8).digest()
        return int.from_bytes(digest, "big") < self._below


def order_statistic_interval(n: int, q: float = P95, confidence: float = CONFIDENCE) -> tuple[int | None, int | None]:
    """1-based ranks (l, u) of the sorted sample whose values bracket the q-quantile with at least
    `confidence`; None on a side the sample is too small to bound."""
    if n <= 0:
        return None, None
    tail = (1 - confidence) / 2
    mean, sd = n * q, math.sqrt(n * q * (1 - q))
    # Outside mean ± 12 sd the binomial's mass is below 1e-30: not worth summing.
    lo, hi = max(0, math.floor(mean - 12 * sd - 2)), min(n, math.ceil(mean + 12 * sd + 2))
    log_n = math.lgamma(n + 1)
    log_q, log_r = math.log(q), math.log1p(-q)
    cumulative = 0.0  # P(B <= k)
    low = 0
    high: int | None = None
    for k in range(lo, hi + 1):
        cumulative += math.exp(log_n - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * log_q + (n - k) * log_r)
        if cumulative <= tail:
            low = k + 1  # P(B <= low - 1) <= tail
        if high is None and cumulative >= 1 - tail:
            high = k + 1  # P(B >= high) <= tail
    return (low if low >= 1 else None), (high if high is not None and high <= n else None)


@dataclass(frozen=True)
class Sampling:
    rate: float
    spans_read: int
    spans_kept: int
    requests: int
    p95_low: float | None  # ms; None: too few sampled requests to bound it on that side
    p95_high: float | None
    confidence: float = CONFIDENCE

    @classmethod
    def of(cls, rate: float, spans_read: int, spans_kept: int, e2e_ms: list[float]) -> Sampling:
        values = sorted(e2e_ms)
        low, high = order_statistic_interval(len(values))
        return cls(rate, spans_read, spans_kept, len(values),
                   values[low - 1] if low is not None else None, values[high - 1] if high is not None else None)

    def line(self) -> str:
        low, high = self.p95_low, self.p95_high
        if low is not None and high is not None:
            interval = f"{low:,.0f} to {high:,.0f} ms"
        elif low is not None:
            interval = f"at least {low:,.0f} ms (too few requests to bound it above)"
        elif high is not None:
            interval = f"at most {high:,.0f} ms (too few requests to bound it below)"
        else:
            interval = "too few requests to bound it"
        return (f"Sampled: {self.rate:.4g} of traces by trace-id hash ({self.spans_kept:,} of {self.spans_read:,} "
                f"spans kept); end-to-end p95 {self.confidence:.0%} interval from {self.requests:,} sampled "
                f"requests: {interval}")

    def to_dict(self) -> dict[str, object]:
        return {"rate": self.rate, "spans_read": self.spans_read, "spans_kept": self.spans_kept,
                "requests": self.requests,
                "p95_interval": {"confidence": self.confidence, "low": self.p95_low, "high": self.p95_high,
                                 "method": "binomial order statistics (distribution-free)"}}
