"""The card in the cost or latency section that summarises its calculator; enter opens the calculator."""

from __future__ import annotations

from textual.content import Content

from workbook.core.calc.describe import cost_lines, latency_lines
from workbook.core.calc.results import CalcResults, CostResult

TITLES = {"cost": "Cost calculator: cost per successful outcome at 1x, 10x, 100x",
          "latency": "Latency budget: end-to-end p50/p95/p99 from the stages"}


def calculator_content(kind: str, results: CalcResults | None, open_key: str = "enter") -> Content:
    parts: list[str | tuple[str, str]] = [("▦ " + TITLES[kind], "bold $text-accent"), "\n"]
    lines: list[str] | None = None
    risky = False
    over_line: str | None = None  # the measured cost's line, when it is over the threshold
    if kind == "cost":
        cost = results.cost if results else None
        if cost is not None:
            lines, risky = cost_lines(cost), cost.over_threshold
            measured = _measured_cost(results, cost)
            if measured is not None:  # second: beside the estimate in the first line
                lines.insert(1, measured[0])
                over_line = measured[0] if measured[1] else None
    else:
        latency = results.latency if results else None
        if latency is not None:
            lines, risky = latency_lines(latency)[:3], bool(latency.over_target)
    if lines is None:
        parts.append((f"Not filled in yet — {open_key} to model it with your own numbers.", "$foreground-muted italic"))
    else:
        for i, line in enumerate(lines):
            style = "bold $text-error" if risky and ("risk" in line) or line is over_line else ""
            parts += [(line, style), "\n" if i < len(lines) - 1 else ""]
    return Content.assemble(*parts)


def _measured_cost(results: CalcResults | None, cost: CostResult) -> tuple[str, bool] | None:
    """The latest measurement's cost line and whether it is over the threshold (None without one)."""
    m = results.measurement if results else None
    if m is None:
        return None
    from workbook.core.measure.latest_cost import cost_line, over_threshold  # only with a measurement

    line = cost_line(m, cost)
    return None if line is None else (line, over_threshold(m, cost))


def help_line(open_key: str = "enter") -> tuple[str, str]:
    return ("Calculator: ", f"{open_key} opens it; its inputs are saved in the review and its result counts as "
                            "a risk when over the team's threshold or target.")
