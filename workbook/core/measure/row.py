"""One row of the measured-versus-estimated table, and the flags every row is judged by.

ESTIMATE OFF uses the latency calculator's measured-versus-simulated rule: the larger more than
MEASURED_MARGIN above the smaller. OVER TARGET is the scoring's rule: above the team's target.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook.core.calc.latency import MEASURED_MARGIN

OVER_TARGET = "OVER TARGET"
ESTIMATE_OFF = "ESTIMATE OFF"
NOT_IN_TRACES = "NOT IN TRACES"


@dataclass(frozen=True)
class Row:
    id: str
    figure: str
    unit: str  # ms, calls, tokens, share, ratio, retries, USD
    estimate: float | None
    estimate_source: str  # where in the review the estimate comes from ("" when none)
    measured: float | None  # None: not in the traces, or too few requests (see note)
    n: int  # requests (or model calls, events, for per-call and per-event figures) the figure is measured over
    flags: tuple[str, ...] = ()
    note: str = ""
    target: float | None = None

    @property
    def change(self) -> float | None:
        """Measured against the estimate: 0.25 is 25% above it."""
        if self.estimate is None or self.measured is None or self.estimate == 0:
            return None
        return self.measured / self.estimate - 1


def estimate_off(estimate: float | None, measured: float | None) -> bool:
    if estimate is None or measured is None:
        return False
    low, high = sorted((estimate, measured))
    if low <= 0:
        return high > 0
    return high / low - 1 > MEASURED_MARGIN


def make_row(id: str, figure: str, unit: str, estimate: float | None, source: str, measured: float | None, n: int,
             *, absent: bool = False, note: str = "", target: float | None = None) -> Row:
    flags = []
    if target is not None and measured is not None and measured > target:
        flags.append(OVER_TARGET)
    if estimate_off(estimate, measured):
        flags.append(ESTIMATE_OFF)
    if absent:
        flags.append(NOT_IN_TRACES)
    return Row(id, figure, unit, estimate, source, measured, n, tuple(flags), note, target)


def value(v: float | None, unit: str) -> str:
    """A figure as the table shows it."""
    if v is None:
        return "—"
    if unit == "ms":
        return f"{v:,.1f} ms" if abs(v) < 10 else f"{v:,.0f} ms"
    if unit == "share":
        return f"{v:.1%}"
    if unit == "tokens":
        return f"{v:,.0f}"
    if unit == "USD":
        return f"${v:,.4f}" if abs(v) < 1 else f"${v:,.2f}"
    if unit == "ratio":
        return f"{v:,.2f}x"
    return f"{v:,.2f}".rstrip("0").rstrip(".")
