"""Calculator results as plain text lines and tables, shared by the CLI report, TUI and exports."""

from __future__ import annotations

from workbook.core.calc.latency import LatencyResult
from workbook.core.calc.results import CostResult


def money(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 1000:
        return f"${value:,.0f}"
    if abs(value) >= 1:
        return f"${value:,.2f}"
    return f"${value:.4f}"


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} ms"


def cost_lines(cost: CostResult) -> list[str]:
    e = cost.expected
    lines = [
        f"At {e.scale}x ({e.users:,.0f} users, {e.requests:,.0f} requests a month): "
        f"{money(e.monthly_cost)} a month, {money(e.cost_per_success)} per successful outcome.",
    ]
    if cost.threshold is None:
        lines.append("No cost threshold decided yet: nothing to compare against.")
    elif cost.over_threshold:
        lines.append(f"Over the threshold of {money(cost.threshold)} per outcome: a high risk.")
    else:
        lines.append(f"Within the threshold of {money(cost.threshold)} per outcome.")
    last = cost.improves_until
    if last < cost.curve[-1].scale:
        lines.append(f"Unit economics stop improving after {last}x: context growth outpaces the fixed-cost spread.")
    return lines


def cost_table(cost: CostResult) -> tuple[list[str], list[list[str]]]:
    headers = ["Scale", "Users", "Input tokens", "Monthly cost", "Cost per success"]
    rows = [[f"{p.scale}x", f"{p.users:,.0f}", f"{p.input_tokens:,.0f}", money(p.monthly_cost),
             money(p.cost_per_success)] for p in cost.curve]
    return headers, rows


def latency_lines(lat: LatencyResult) -> list[str]:
    lines = [f"End to end: p50 {ms(lat.p50_ms)}, p95 {ms(lat.p95_ms)}, p99 {ms(lat.p99_ms)} "
             f"(spread p99 - p50: {ms(lat.spread_ms)})."]
    if lat.target_p95_ms is None:
        lines.append("No p95 target set: nothing to compare against.")
    elif lat.over_target:
        lines.append(f"Over the p95 target of {ms(lat.target_p95_ms)} by {ms(lat.gap_ms)}: a high risk.")
    else:
        lines.append(f"Within the p95 target of {ms(lat.target_p95_ms)} ({ms(-(lat.gap_ms or 0))} to spare).")
    if lat.dominant_stage:
        share = max(f.variance_share for f in lat.stages)
        lines.append(f"{lat.dominant_stage} contributes most of the variance ({share:.0%}).")
    lines.append(lat.explanation())
    return lines


def latency_table(lat: LatencyResult) -> tuple[list[str], list[list[str]]]:
    headers = ["Stage", "p50", "p95", "Share of variance"]
    rows = [[f.name, ms(f.p50_ms), ms(f.p95_ms), f"{f.variance_share:.0%}"] for f in lat.stages]
    rows.append(["Sum of stages", ms(lat.sum_p50_ms), ms(lat.sum_p95_ms), ""])
    rows.append(["End to end (Monte-Carlo)", ms(lat.p50_ms), ms(lat.p95_ms), f"p99 {ms(lat.p99_ms)}"])
    return headers, rows


def text_bars(pairs: list[tuple[str, float]], width: int = 30, marker: float | None = None) -> list[str]:
    """Unicode bars for Markdown code blocks and plain text: label, bar, value."""
    top = max([v for _, v in pairs] + ([marker] if marker else []) + [1e-9])
    label_w = max(len(label) for label, _ in pairs)
    out = []
    for label, value in pairs:
        n = round(width * value / top)
        out.append(f"{label.ljust(label_w)} {'█' * n}{' ' * (width - n)} {value:,.4g}")
    if marker is not None:
        pos = round(width * marker / top)
        out.append(" " * (label_w + 1 + pos) + f"^ {marker:,.4g}")
    return out
