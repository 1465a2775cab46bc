"""Calculator results as plain text lines and tables, shared by the CLI report, TUI and exports."""

from __future__ import annotations

from collections.abc import Callable

from workbook.core.calc.latency import LatencyResult, MeasuredCheck
from workbook.core.calc.results import CostResult
from workbook.core.display import format_number


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


def count(value: float) -> str:
    """A count as people write it: 12, 1.5, 14,000."""
    return f"{value:,.0f}" if abs(value - round(value)) < 0.05 else f"{value:,.1f}"


def _calls(n: float) -> str:
    return f"{count(n)} model call" + ("" if count(n) == "1" else "s")


def cost_lines(cost: CostResult) -> list[str]:
    """Sentences about the cost result; each one follows from the inputs and the computed curve."""
    e = cost.expected
    c = cost.inputs
    lines = [
        f"At {e.scale}x ({e.users:,.0f} users, {e.requests:,.0f} requests a month): "
        f"{money(e.monthly_cost)} a month, {money(e.cost_per_success)} per successful outcome.",
    ]
    retries = (f", with {format_number(c.retries_per_request)} retries a call" if c.retries_per_request
               else ", no retries")
    lines.append(
        f"Each request makes {_calls(e.model_calls)} of {e.input_tokens:,.0f} input and "
        f"{e.output_tokens:,.0f} output tokens ({e.tokens_per_request:,.0f} tokens): "
        f"{money(e.model_cost_per_request)} of model cost a request{retries}."
    )
    if e.review_cost > 0 and e.monthly_cost > 0:
        lines.append(
            f"Human review of {c.human_review_rate:.0%} of requests at {money(c.review_cost_per_item)} each: "
            f"{money(e.review_cost)} a month, {e.review_cost / e.monthly_cost:.0%} of the total."
        )
    if cost.threshold is None:
        lines.append("No cost threshold decided yet: nothing to compare against.")
    elif cost.over_threshold:
        lines.append(f"Over the threshold of {money(cost.threshold)} per outcome: a high risk.")
    else:
        lines.append(f"Within the threshold of {money(cost.threshold)} per outcome.")
    lines += scale_lines(cost)
    return lines


def scale_lines(cost: CostResult) -> list[str]:
    """How cost per outcome moves from 1x to 100x users, and why, from the curve's own numbers."""
    steps = cost.steps
    if not steps:
        return ["No successful outcomes at this volume: no cost per outcome to compare across scales."]
    c = cost.inputs
    figures = ", ".join(f"{money(p.cost_per_success)} at {p.scale}x" for p in cost.curve)
    changes = tuple(s.change for s in steps)
    growth = c.context_growth_per_10x > 1 and c.input_tokens > 0
    spread = c.fixed_monthly_cost > 0
    last = cost.curve[-1].scale
    if all(ch == "falls" for ch in changes):
        trend = f"it keeps falling to {last}x"
    elif all(ch == "flat" for ch in changes):
        trend = "about the same at every scale" if growth or spread else "the same at every scale"
    elif all(ch == "rises" for ch in changes):
        trend = "it rises at every step"
    elif cost.improves_until > cost.curve[0].scale:
        turn = cost.improves_until
        after = next(s.change for s in steps if s.before.scale == turn)
        trend = (f"unit economics stop improving after {turn}x" if after == "rises"
                 else f"it falls to {turn}x, then levels off")
    else:
        first_rise = next(s for s in steps if s.change == "rises")
        trend = f"it holds to {first_rise.before.scale}x, then rises"
    lines = [f"Cost per successful outcome is {figures}: {trend}."]
    if not growth and not spread:
        lines.append("There is no fixed cost to spread and no context growth, so every outcome costs the same.")
        return lines
    parts = []
    if spread:
        saved = -sum(s.fixed_delta for s in steps)
        parts.append(f"spreading the fixed {money(c.fixed_monthly_cost)} a month over more outcomes saves "
                     f"{money(saved)} per outcome by {last}x")
    else:
        parts.append("there is no fixed cost to spread")
    if growth:
        tokens = " → ".join(f"{p.input_tokens:,.0f}" for p in cost.curve)
        added = sum(s.variable_delta for s in steps)
        parts.append(f"input tokens growing x{format_number(c.context_growth_per_10x)} per tenfold step "
                     f"({tokens} a call) add {money(added)} per outcome")
    else:
        parts.append("there is no context growth")
    why = f"{parts[0][0].upper()}{parts[0][1:]}; {parts[1]}"
    rising = [s for s in steps if s.change == "rises"]
    if spread and growth and rising:
        s = rising[0]
        why += (f"; from {s.before.scale}x to {s.after.scale}x the growth adds {money(s.variable_delta)} "
                f"per outcome and the spread saves {money(-s.fixed_delta)}")
    lines.append(why + ".")
    return lines


def cost_table(cost: CostResult) -> tuple[list[str], list[list[str]]]:
    headers = ["Scale", "Users", "Input tokens a call", "Monthly cost", "Cost per success"]
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
    if lat.recorded is not None:  # third, so the section's card (three lines) shows it beside the estimate
        lines.append(lat.recorded[:1].upper() + lat.recorded[1:])
    if lat.measured is not None:
        lines.append(measured_line(lat.measured))
    if lat.dominant_stage:
        share = max(f.variance_share for f in lat.stages)
        lines.append(f"{lat.dominant_stage} contributes most of the variance ({share:.0%}).")
    lines.append(lat.explanation())
    return lines


def simulated_note(offered_as_estimate: bool) -> str:
    """What the simulated p95 is, and where it may go: an estimate, never the measured p95's answer."""
    where = "saving offers it as an estimate only" if offered_as_estimate else "never offered as the measured p95"
    return f"Simulated from the stage figures, not measured: {where}."


def measured_line(m: MeasuredCheck) -> str:
    both = f"The measured p95 ({ms(m.measured_p95_ms)}) and the stage budget's simulated p95 ({ms(m.simulated_p95_ms)})"
    if m.difference is None:
        return f"{both} differ: re-measure the stages or the end to end."
    if m.disagrees:
        return f"{both} differ by {m.difference:.0%}: re-measure the stages or the end to end."
    return f"{both} agree within {m.margin:.0%} (they differ by {m.difference:.0%})."


def latency_table(lat: LatencyResult) -> tuple[list[str], list[list[str]]]:
    headers = ["Stage", "p50", "p95", "Share of variance"]
    rows = [[f.name, ms(f.p50_ms), ms(f.p95_ms), f"{f.variance_share:.0%}"] for f in lat.stages]
    rows.append(["Sum of stages", ms(lat.sum_p50_ms), ms(lat.sum_p95_ms), ""])
    rows.append(["End to end (Monte-Carlo)", ms(lat.p50_ms), ms(lat.p95_ms), f"p99 {ms(lat.p99_ms)}"])
    return headers, rows


def text_bars(pairs: list[tuple[str, float]], width: int = 30, marker: float | None = None,
              fmt: Callable[[float], str] = format_number) -> list[str]:
    """Unicode bars for Markdown code blocks and plain text: label, bar, value (in plain notation:
    a chart's reader wants 45,710, not 4.571e+04)."""
    top = max([v for _, v in pairs] + ([marker] if marker else []) + [1e-9])
    label_w = max(len(label) for label, _ in pairs)
    out = []
    for label, value in pairs:
        n = round(width * (value / top))  # value / top first: width * value may overflow
        out.append(f"{label.ljust(label_w)} {'█' * n}{' ' * (width - n)} {fmt(value)}")
    if marker is not None:
        pos = round(width * (marker / top))
        out.append(" " * (label_w + 1 + pos) + f"^ {fmt(marker)}")
    return out
