"""The review's latency model re-run on the measured stages, against the measured end to end.

Each stage the traces measure enters the latency calculator with its measured p50 and p95; a stage of
the review's budget the traces do not measure keeps the review's estimate, labelled NOT IN TRACES.
The model's simulated end-to-end p95 is then set beside the measured one: the gap says how much the
composition of stages over- or under-states the real end to end, and the unattributed share (root time
no stage covers) says how much of it no stage can explain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbook.core.calc.latency import MeasuredCheck, simulate
from workbook.core.calc.latency import _quantile as quantile
from workbook.core.models import MAX_MS, LatencyInputs, LatencyStage

MEASURED = "measured"
ESTIMATE = "estimate (NOT IN TRACES)"


@dataclass(frozen=True)
class ModelStage:
    name: str
    source: str  # MEASURED or ESTIMATE
    p50_ms: float
    p95_ms: float
    n: int  # requests the measured stage appears in; 0 for an estimate


@dataclass(frozen=True)
class LatencyModel:
    stages: tuple[ModelStage, ...]
    predicted_p50_ms: float
    predicted_p95_ms: float
    measured_p95_ms: float
    unattributed_share: float  # of the measured end-to-end time, summed over requests

    @property
    def gap_ms(self) -> float:
        """Predicted minus measured: positive overstates the real end to end, negative understates it."""
        return self.predicted_p95_ms - self.measured_p95_ms

    @property
    def gap_share(self) -> float | None:
        return self.gap_ms / self.measured_p95_ms if self.measured_p95_ms > 0 else None

    @property
    def disagrees(self) -> bool:
        """The calculator's own rule for a measured p95 against a simulated one (more than 25% apart)."""
        return MeasuredCheck(self.measured_p95_ms, self.predicted_p95_ms).disagrees

    def verdict(self) -> str:
        share = self.gap_share
        pct = f" ({share:+.0%})" if share is not None else ""
        if abs(self.gap_ms) < 0.05:
            how = "matches it"
        else:
            how = f"{'overstates' if self.gap_ms > 0 else 'understates'} it by {abs(self.gap_ms):,.0f} ms{pct}"
        return (f"The model on these stages predicts an end-to-end p95 of {self.predicted_p95_ms:,.0f} ms against "
                f"{self.measured_p95_ms:,.0f} ms measured: it {how}"
                + ("; more than 25% apart" if self.disagrees else "") + ".")

    def unattributed_line(self) -> str:
        return (f"Unattributed: {self.unattributed_share:.1%} of the measured end-to-end time is in no stage "
                "(the model cannot see it).")

    def to_dict(self) -> dict[str, Any]:
        return {
            "stages": [{"name": s.name, "source": "measured" if s.source == MEASURED else "estimate",
                        "p50_ms": s.p50_ms, "p95_ms": s.p95_ms, "n": s.n} for s in self.stages],
            "predicted_p50_ms": self.predicted_p50_ms, "predicted_p95_ms": self.predicted_p95_ms,
            "measured_p95_ms": self.measured_p95_ms, "gap_ms": self.gap_ms, "gap_share": self.gap_share,
            "disagrees": self.disagrees, "unattributed_share": self.unattributed_share,
        }


def _ms(v: float) -> float:
    return min(max(v, 0.0), MAX_MS)


def rerun(budget: Sequence[LatencyStage], order: Sequence[str], per_stage: dict[str, list[float]],
          ends: Sequence[float], unattributed: Sequence[float]) -> LatencyModel | None:
    """The model on measured stages (in `order`: the review's stages, then others measured); None with no
    request, or no stage at all to compose."""
    if not ends:
        return None
    estimates = {s.name: s for s in budget}
    stages: list[ModelStage] = []
    for name in order:
        values = sorted(per_stage.get(name, []))
        if values:
            stages.append(ModelStage(name, MEASURED, _ms(quantile(values, 0.5)), _ms(quantile(values, 0.95)),
                                     len(values)))
        elif name in estimates:
            stages.append(ModelStage(name, ESTIMATE, estimates[name].p50_ms, estimates[name].p95_ms, 0))
    if not any(s.source == MEASURED for s in stages):
        return None  # nothing measured: it would be the review's own simulation again
    # Built unvalidated: a --stage name is the command line's text, and the figures are bounded above.
    inputs = LatencyInputs.model_construct(
        stages=[LatencyStage.model_construct(name=s.name, p50_ms=s.p50_ms, p95_ms=s.p95_ms) for s in stages])
    result = simulate(inputs)
    assert result is not None
    total = sum(ends)
    return LatencyModel(tuple(stages), result.p50_ms, result.p95_ms, quantile(sorted(ends), 0.95),
                        sum(unattributed) / total if total > 0 else 0.0)
