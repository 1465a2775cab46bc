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
    over_line: str | None = None  # the measured line, when it is over the threshold or target
    hint: str | None = None  # a muted line after the others
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
        measured = _measured_latency(results)
        if latency is not None:
            lines, risky = latency_lines(latency)[:3], bool(latency.over_target)
            if measured is not None:  # third, beside the estimate (in place of latency_lines' shorter one)
                lines = lines[:2] + [measured[0]]
        elif measured is not None:  # measured, but no stage budget: the measurement alone
            lines = [measured[0]]
            hint = f"No stage budget yet — {open_key} to model the stages with your own numbers."
        over_line = measured[0] if measured is not None and measured[1] else None
    if lines is None:
        parts.append((f"Not filled in yet — {open_key} to model it with your own numbers.", "$foreground-muted italic"))
    else:
        for i, line in enumerate(lines):
            style = "bold $text-error" if risky and ("risk" in line) or line is over_line else ""
            parts += [(line, style), "\n" if i < len(lines) - 1 else ""]
        if hint is not None:
            parts += ["\n", (hint, "$foreground-muted italic")]
    return Content.assemble(*parts)


def _measured_cost(results: CalcResults | None, cost: CostResult) -> tuple[str, bool] | None:
    """The latest measurement's cost line and whether it is over the threshold (None without one)."""
    m = results.measurement if results else None
    if m is None:
        return None
    from workbook.core.measure.latest_cost import cost_line, over_threshold  # only with a measurement

    line = cost_line(m, cost)
    return None if line is None else (line, over_threshold(m, cost))


def _measured_latency(results: CalcResults | None) -> tuple[str, bool] | None:
    """The latest measurement's latency line and whether it is over the p95 target (None without one)."""
    m = results.measurement if results else None
    if m is None:
        return None
    from workbook.core.measure.latest_latency import latency_line  # only with a measurement

    return latency_line(m), m.over_target


def help_line(open_key: str = "enter") -> tuple[str, str]:
    return ("Calculator: ", f"{open_key} opens it; its inputs are saved in the review and its result counts as "
                            "a risk when over the team's threshold or target.")
