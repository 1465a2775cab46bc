"""The cost and latency calculators: inputs on the left, results and a plot that follow every edit."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static
from textual_plotext import PlotextPlot

from workbook.core.calc.cost import at_expected_scale, cost_curve
from workbook.core.calc.describe import cost_lines, latency_lines, money, simulated_note
from workbook.core.calc.latency import simulate
from workbook.core.calc.results import CostResult, comparable_target, comparable_threshold
from workbook.core.display import format_number
from workbook.core.editing import SetCalculator
from workbook.core.models import MAX_STAGES, CostInputs, LatencyInputs, LatencyStage
from workbook.core.text import clean_line
from workbook.core.tomlio import validation_problems
from workbook.tui import bindings
from workbook.tui.messages import EditRequested
from workbook.tui.widgets.field import Field
from workbook.tui.widgets.keybar import KeyBar

COST_FIELDS: list[tuple[str, str]] = [
    ("users", "Users"),
    ("requests_per_user_per_day", "Requests/user/day"),
    ("days_per_month", "Days per month"),
    ("model_calls_per_request", "Model calls/request"),
    ("input_tokens", "Input tokens/call"),
    ("output_tokens", "Output tokens/call"),
    ("price_input_per_m", "$ per 1M input"),
    ("price_cached_input_per_m", "$ per 1M cached in"),
    ("price_output_per_m", "$ per 1M output"),
    ("cache_hit_rate", "Cache hit rate 0-1"),
    ("retries_per_request", "Retries/call"),
    ("observability_overhead", "Observability 0-1"),
    ("human_review_rate", "Human review 0-1"),
    ("review_cost_per_item", "$ per reviewed item"),
    ("fixed_monthly_cost", "Fixed $ per month"),
    ("success_rate", "Success rate 0-1"),
    ("context_growth_per_10x", "Context growth/10x"),
    ("expected_scale", "Expected scale 1/10/100"),
]


def _y_ticks(plt: Any, top: float, label: Callable[[float], str]) -> None:
    """Five ticks from 0 to the top, labelled in plain grouped notation (plotext's own: 120000.2)."""
    if top > 0:
        ticks = [top * k / 4 for k in range(5)]
        plt.yticks(ticks, [label(t) for t in ticks])


def _number_text(value: float) -> str:
    return format_number(value).replace(",", "")


class CalculatorScreen(Screen[float | None]):
    """Shared frame: a form, a results panel and a plot; enter or f2 saves, escape leaves unsaved.

    Dismissed with the calculator's result (cost per outcome, p95) when saved, for the review screen
    to offer it as the answer to the question it computes."""

    DEFAULT_CSS = """
    CalculatorScreen #title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    CalculatorScreen #body { height: 1fr; }
    CalculatorScreen #form { width: 40; border-right: vkey $foreground 20%; padding: 0 1; }
    CalculatorScreen .row { height: 1; }
    CalculatorScreen .row Label { width: 22; color: $text-muted; }
    CalculatorScreen .row Input { width: 1fr; }
    CalculatorScreen #results-box { height: auto; max-height: 9; }
    CalculatorScreen #results { height: auto; padding: 0 1; }
    CalculatorScreen #explain { height: auto; margin-top: 1; color: $text-muted; }
    CalculatorScreen #error { color: $text-error; height: auto; padding: 0 1; }
    CalculatorScreen PlotextPlot { height: 1fr; min-height: 8; }
    CalculatorScreen #buttons { height: 1; margin-top: 1; }
    CalculatorScreen #buttons Button { margin-right: 1; }
    """

    BINDINGS = bindings.CALCULATOR

    kind: Literal["cost", "latency"] = "cost"
    title_text = ""

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, id="title", markup=False)
        with Horizontal(id="body"):
            with VerticalScroll(id="form"):
                yield from self.form()
                with Horizontal(id="buttons"):
                    yield Button("Save", id="save", variant="primary", compact=True)
                    yield Button("Cancel", id="cancel", compact=True)
                yield Static(id="explain")
            with Vertical():
                yield Static(id="error")
                # A box that scrolls (with a scrollbar showing there is more): at 80x24 the figures
                # run past nine lines, and a Static of its own would cut them mid-sentence.
                with VerticalScroll(id="results-box", can_focus=False):
                    yield Static(id="results")
                yield PlotextPlot(id="plot")
        yield KeyBar()

    def form(self) -> ComposeResult:
        yield from ()

    def read(self) -> Any:
        """The inputs as a model, or raise ValidationError / ValueError."""
        raise NotImplementedError

    def result(self, inputs: Any) -> float | None:
        """The figure the calculator computes from these inputs (what it can answer)."""
        return None

    def label_of(self, where: str) -> str:
        """An input's key path as its label on the form, for the sentence that refuses it."""
        return where

    def saved_inputs(self) -> Any:
        """The inputs as they were when the calculator opened (escape asks before discarding edits)."""
        return None

    def show(self, inputs: Any) -> None:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.query(Input).first().focus()
        self.recompute()

    @on(Input.Changed)
    def recompute(self) -> None:
        error = self.query_one("#error", Static)
        try:
            inputs = self.read()
        except ValidationError as exc:
            lines = [f"{self.label_of(p.where)}: {p.message}." for p in validation_problems("", exc)]
            error.update(Content("\n".join(lines)))
            return
        except ValueError as exc:
            error.update(Content(str(exc)))
            return
        error.update("")
        self.show(inputs)

    def action_save(self) -> None:
        try:
            inputs = self.read()
        except (ValidationError, ValueError):
            self.notify("Fix the inputs marked in red before saving.", severity="error")
            return
        # To the app, not this screen: the screen is dismissed before it would handle the message.
        self.app.post_message(EditRequested(SetCalculator(self.kind, inputs)))
        self.dismiss(self.result(inputs))

    def action_cancel(self) -> None:
        try:
            changed = self.read() != self.saved_inputs()
        except (ValidationError, ValueError):
            changed = True  # half-typed inputs are edits too
        if not changed:
            self.dismiss(None)
            return
        from workbook.tui.screens.dialogs import ChoiceDialog

        self.app.push_screen(ChoiceDialog(
            "Leave without saving?", "These inputs are not saved in the review yet.",
            [("save", "Save them"), ("leave", "Leave, discard them"), ("stay", "Stay")], cancel="stay",
        ), self._leave_choice)

    def _leave_choice(self, choice: str | None) -> None:
        if choice == "save":
            self.action_save()
        elif choice == "leave":
            self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()


def _float(text: str, label: str) -> float:
    try:
        value = float(text.strip().replace(",", ""))
    except ValueError:
        raise ValueError(f"{label}: {text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{label}: enter a finite number")
    return value


class CostCalculator(CalculatorScreen):
    kind = "cost"
    title_text = "Cost calculator — cost per successful outcome at 1x, 10x and 100x users"

    def __init__(self, inputs: CostInputs | None, threshold: float | None) -> None:
        super().__init__()
        self.inputs = inputs or CostInputs()
        self.threshold = comparable_threshold(threshold)

    def form(self) -> ComposeResult:
        for name, label in COST_FIELDS:
            with Horizontal(classes="row"):
                yield Label(label)
                yield Field(_number_text(getattr(self.inputs, name)), id=f"in-{name}", compact=True)

    def saved_inputs(self) -> CostInputs:
        return self.inputs

    def label_of(self, where: str) -> str:
        return dict(COST_FIELDS).get(where, where)

    def result(self, inputs: Any) -> float | None:
        return at_expected_scale(inputs).cost_per_success if isinstance(inputs, CostInputs) else None

    def read(self) -> CostInputs:
        values: dict[str, Any] = dict(self.inputs.model_extra or {})
        for name, label in COST_FIELDS:
            values[name] = _float(self.query_one(f"#in-{name}", Input).value, label)
        values["expected_scale"] = (int(values["expected_scale"]) if values["expected_scale"] in (1, 10, 100)
                                    else values["expected_scale"])
        return CostInputs.model_validate(values)

    def show(self, inputs: CostInputs) -> None:
        result = CostResult(inputs, tuple(cost_curve(inputs)), at_expected_scale(inputs), self.threshold)
        self.query_one("#results", Static).update(Content("\n".join(cost_lines(result))))
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [f"{p.scale}x" for p in result.curve]
        values = [p.cost_per_success or 0.0 for p in result.curve]
        plt.bar(labels, values)
        for i, v in enumerate(values, 1):  # the figures on the bars: small differences still read
            plt.text(money(v), i, v, alignment="center")
        if self.threshold is not None:
            plt.hline(self.threshold, "red")
        _y_ticks(plt, max(values + [self.threshold or 0.0]), money)
        plt.title("Cost per successful outcome (USD)"
                  + (f" · threshold {money(self.threshold)}" if self.threshold else ""))
        plot.refresh()


class StageName(Field):
    """A stage's name: out of the tab order, so tab goes from number to number; a click (or a new
    stage) makes it editable until it loses focus."""

    can_focus = False

    def edit(self) -> None:
        self.can_focus = True
        self.focus()

    def on_click(self) -> None:
        self.edit()

    def on_blur(self) -> None:
        self.can_focus = False


class LatencyCalculator(CalculatorScreen):
    kind = "latency"
    title_text = "Latency budget — stage p50/p95 in ms, summed by Monte-Carlo"

    BINDINGS = bindings.LATENCY

    DEFAULT_CSS = """
    LatencyCalculator .stage Input.name { width: 1fr; }
    LatencyCalculator .stage Input.ms { width: 8; }
    LatencyCalculator #stage-head { height: 1; color: $text-muted; }
    """

    def __init__(self, inputs: LatencyInputs | None, default_stages: tuple[str, ...], target: float | None,
                 *, offers_estimate: bool = False) -> None:
        super().__init__()
        self.offers_estimate = offers_estimate  # the template names an estimate question for the p95
        if inputs is None or not inputs.stages:
            inputs = LatencyInputs(
                target_p95_ms=(inputs.target_p95_ms if inputs else None),
                stages=[LatencyStage(name=n, p50_ms=0, p95_ms=0) for n in default_stages],
            )
        self.inputs = inputs
        self.answer_target = comparable_target(target)  # the team's answer wins over the input
        self._rows = 0

    def form(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Target p95 (ms)" if self.answer_target is None else "Target p95 (answer)")
            target = self.answer_target if self.answer_target is not None else self.inputs.target_p95_ms
            yield Field("" if target is None else _number_text(target), id="in-target", compact=True,
                        disabled=self.answer_target is not None)
        yield Static("Stage                   p50     p95", id="stage-head", markup=False)
        for stage in self.inputs.stages:
            yield self._stage_row(stage.name, stage.p50_ms, stage.p95_ms)

    def _stage_row(self, name: str, p50: float, p95: float) -> Horizontal:
        self._rows += 1
        n = self._rows
        return Horizontal(
            StageName(name, classes="name", id=f"stage-name-{n}", compact=True),
            Field(_number_text(p50), classes="ms", id=f"stage-p50-{n}", compact=True),
            Field(_number_text(p95), classes="ms", id=f"stage-p95-{n}", compact=True),
            classes="row stage",
        )

    def saved_inputs(self) -> LatencyInputs:
        return self.inputs

    def label_of(self, where: str) -> str:
        if where == "target_p95_ms":
            return "Target p95"
        found = re.fullmatch(r"stages\[(\d+)\](?:\.(p50|p95)_ms)?", where)
        rows = list(self.query(".stage"))
        if found is None or int(found[1]) >= len(rows):
            return where
        name = clean_line(rows[int(found[1])].query(Input).first().value) or "Stage"
        return f"{name} {found[2]}" if found[2] else name

    def result(self, inputs: Any) -> float | None:
        if not isinstance(inputs, LatencyInputs) or not any(s.p50_ms > 0 for s in inputs.stages):
            return None
        result = simulate(inputs)
        return result.p95_ms if result is not None else None

    def read(self) -> LatencyInputs:
        text = self.query_one("#in-target", Input).value.strip()
        target = _float(text, "Target p95") if text else None
        stages = []
        for row in self.query(".stage"):
            inputs = list(row.query(Input))
            name = clean_line(inputs[0].value) or "Stage"
            stages.append({"name": name, "p50_ms": _float(inputs[1].value, f"{name} p50"),
                           "p95_ms": _float(inputs[2].value, f"{name} p95")})
        return LatencyInputs.model_validate({**(self.inputs.model_extra or {}), "target_p95_ms": target,
                                             "stages": stages})

    def show(self, inputs: LatencyInputs) -> None:
        if self.answer_target is not None:
            inputs = inputs.model_copy(update={"target_p95_ms": self.answer_target})
        result = simulate(inputs) if any(s.p50_ms > 0 for s in inputs.stages) else None
        results = self.query_one("#results", Static)
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if result is None:
            results.update(Content.styled("Enter each stage's p50 and p95 in milliseconds.", "$foreground-muted"))
            plot.refresh()
            return
        lines = latency_lines(result)
        # The figures beside the plot; why sums of percentiles mislead goes under the form.
        results.update(Content.assemble(*[(line + "\n", "bold $text-error" if result.over_target and i == 1 else "")
                                          for i, line in enumerate(lines[:-1])]))
        self.query_one("#explain", Static).update(Content(f"{lines[-1]}\n\n{simulated_note(self.offers_estimate)}"))
        xs = [round(start) for start, _ in result.histogram]
        counts = [n for _, n in result.histogram]
        plt.bar(xs, counts, width=0.8)
        _y_ticks(plt, max(counts), lambda v: f"{v:,.0f}")
        top = xs[-1] + (xs[1] - xs[0] if len(xs) > 1 else 1)
        ticks = [float(round(top * k / 4)) for k in range(5)]  # explicit ticks: plotext's own drift between renders
        plt.xticks(ticks, [f"{t / 1000:,.1f}s" for t in ticks])
        plt.vline(result.p95_ms, "white")
        if result.target_p95_ms is not None:
            plt.vline(result.target_p95_ms, "red")
        plt.title(f"End-to-end latency (ms) · p95 {result.p95_ms:,.0f}" +
                  (f" · target {result.target_p95_ms:,.0f}" if result.target_p95_ms else ""))
        plot.refresh()

    async def action_add_stage(self) -> None:
        if len(self.query(".stage")) >= MAX_STAGES:
            self.notify(f"A budget holds at most {MAX_STAGES} stages: merge some first.", severity="warning")
            return
        row = self._stage_row("New stage", 0, 0)
        await self.query_one("#form").mount(row, before=self.query_one("#buttons"))
        row.query_one(StageName).edit()  # a new stage starts at its name

    async def action_remove_stage(self) -> None:
        rows = list(self.query(".stage"))
        if len(rows) <= 1:
            self.notify("A budget needs at least one stage.", severity="warning")
            return
        focused = self.focused
        target = next((r for r in rows if focused is not None and focused in list(r.query(Input))), rows[-1])
        await target.remove()
        self.recompute()
