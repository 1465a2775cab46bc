"""The data model: templates (question banks) and reviews (one program's answers).

Templates are read-only and strict (unknown keys are a template author's typo). Reviews belong to
users: unknown keys are kept (``extra="allow"``) so a newer file loses nothing when saved by us.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from workbook.core.text import clean_line, clean_text, safe_keys, terminal_safe

SCHEMA_VERSION = 1

Text = Annotated[str, AfterValidator(clean_text)]
Line = Annotated[str, AfterValidator(clean_line)]
NonEmptyLine = Annotated[str, AfterValidator(clean_line), StringConstraints(min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]


_YYYY_MM_DD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _strict_date(value: Any) -> Any:
    # TOML offset/local datetimes are datetime instances, which pydantic would quietly truncate; a
    # number it would read as seconds since 1970 (86400 is 1970-01-02, 20261113 a date-time in
    # August 1970). Only a TOML date passes, or YYYY-MM-DD text (the JSON export writes dates so).
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), not a date-time")
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _YYYY_MM_DD.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{value.strip()} is not a date: {exc}") from None
    what = ("true or false" if isinstance(value, bool) else "a number" if isinstance(value, (int, float))
            else "text in another form" if isinstance(value, str) else f"a {type(value).__name__}")
    raise ValueError(f"must be a date YYYY-MM-DD, written without quotes (e.g. 2026-11-13), not {what}")


def _no_number(value: Any) -> Any:
    # pydantic would read a number as seconds since 1970.
    if isinstance(value, (bool, int, float)):
        raise ValueError("must be a date-time (YYYY-MM-DDTHH:MM:SS), not a number")
    return value


def _scale(value: Any) -> Any:
    # The literal 1 would also match true, and 10 would match 10.0.
    if isinstance(value, (bool, float)):
        raise ValueError("must be 1, 10 or 100 (a whole number)")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be only spaces")
    return value


def _known_schema(value: int) -> int:
    if value > SCHEMA_VERSION:
        raise ValueError(f"schema {value} was written by a newer workbook; this one reads up to {SCHEMA_VERSION}")
    if value < 1:
        raise ValueError("schema must be 1 or more")
    return value


Date = Annotated[dt.date, BeforeValidator(_strict_date)]
# Words a person must read (a prompt, a title): not empty, and not only spaces.
Words = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]
# The file format's version: a TOML integer, never "1", 1.0 or true.
Schema = Annotated[int, Field(strict=True), AfterValidator(_known_schema)]

# Top-level keys only a review has (reviews always have [program]).
_REVIEW_KEYS = frozenset({"program", "template", "template_version", "answers"})


def looks_like_template(data: dict[str, Any]) -> bool:
    """Is this file's data meant as a template? It has sections, or a template's id or title and none
    of a review's keys. A template with no sections is still a template (and refused as one)."""
    if "program" in data:
        return False
    return "sections" in data or (("id" in data or "title" in data) and not _REVIEW_KEYS.intersection(data))


class Risk(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    NONE = "none"


class Kind(StrEnum):
    TEXT = "text"
    SINGLE = "single_choice"
    MULTI = "multi_choice"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"


class Status(StrEnum):
    UNANSWERED = "unanswered"
    ANSWERED = "answered"
    DEFERRED = "deferred"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Stage(StrEnum):
    IDEA = "idea"
    DEMO = "demo"
    PILOT = "pilot"
    LIMITED = "limited_production"
    PRODUCTION = "production"


# --------------------------------------------------------------------------- templates


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _shown_not_obeyed(cls, value: Any) -> Any:
        # Template text is shown as written (not cleaned like answers): a control character in it
        # becomes a visible escape (\x1b, \u202e) instead of acting on the terminal.
        if isinstance(value, str):
            return terminal_safe(value, multiline=True)
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            return tuple(terminal_safe(v, multiline=True) for v in value)
        return value


class Choice(_Strict):
    id: Slug
    label: Words
    risk: Risk | None = None
    # Answering this choice makes the verdict "demo only" whatever the scores (e.g. a model that can
    # pay, send or delete without approval), and puts it first among the priorities.
    blocker: StrictBool = False
    # From an AWS Well-Architected custom lens (templates/README.md): what to do when this choice
    # explains a high or medium risk (the lens's improvementPlan: the CSV's and ADR's action), and the
    # lens's own choice id (export --format wa-answers, export-lens). Empty for the workbook's own.
    improvement_plan: str = ""
    lens_id: str = ""


Finite = Annotated[float, Field(allow_inf_nan=False, strict=True)]


class RiskRule(_Strict):
    """Risk in context (core/expr.py): when ``when`` holds of the review, the answer carries ``risk``
    instead of what its value alone carries. A question's rules are tried in order; the first that
    holds wins (as in an AWS Well-Architected lens)."""

    when: Words
    risk: Risk
    why: Words


class Check(_Strict):
    """A consistency check: two answers that contradict each other are a risk of their own, with a
    sentence that names the contradiction. It counts in the section of its first question."""

    id: Slug
    when: Words
    risk: Risk = Risk.HIGH
    message: Words
    questions: tuple[Slug, ...] = Field(min_length=1)


class Harm(_Strict):
    """What the program's own answers make possible (money moved, output sent unchecked to the public):
    when ``when`` holds, the questions that lead to it rank higher among priorities of the same band."""

    id: Slug
    when: Words
    label: Words
    weight: int = Field(default=1, ge=1, le=10, strict=True)
    questions: tuple[Slug, ...] = Field(min_length=1)


class Concern(_Strict):
    """One underlying problem that several questions ask about (review that became a rubber stamp, cost
    that grows faster than use): their priorities are one, led by the most urgent, with every reason."""

    id: Slug
    label: Words
    questions: tuple[Slug, ...] = Field(min_length=1)


class Thresholds(_Strict):
    """Risk for a number answer: above (or below) a bound is medium or high risk."""

    medium_above: Finite | None = None
    high_above: Finite | None = None
    medium_below: Finite | None = None
    high_below: Finite | None = None

    def risk_of(self, value: float) -> Risk:
        if self.high_above is not None and value > self.high_above:
            return Risk.HIGH
        if self.high_below is not None and value < self.high_below:
            return Risk.HIGH
        if self.medium_above is not None and value > self.medium_above:
            return Risk.MEDIUM
        if self.medium_below is not None and value < self.medium_below:
            return Risk.MEDIUM
        return Risk.NONE


def _one_or_many(value: Any) -> Any:
    # One table or a list of them; one choice id or a list of them.
    return [value] if isinstance(value, (dict, str)) else value


def _pairs(value: Any) -> Any:
    # A TOML table (source value -> target choice ids) kept as pairs: a frozen template stays hashable.
    if isinstance(value, dict):
        return tuple((str(k), _one_or_many(v)) for k, v in value.items())
    return value


class CarriedFrom(_Strict):
    """An answer to a question of another template (a quick check's), carried into this question in
    another form: `map` says which source value (a choice id, or yes / no) becomes which of our choices."""

    template: Slug
    question: Slug
    map: Annotated[tuple[tuple[str, tuple[Slug, ...]], ...], BeforeValidator(_pairs)] = Field(min_length=1)

    def target_of(self, source_value: str) -> tuple[str, ...] | None:
        return next((ids for key, ids in self.map if key == source_value), None)


class Question(_Strict):
    id: Slug
    prompt: Words
    help: str = ""
    kind: Kind
    choices: tuple[Choice, ...] = ()
    unit: str = ""
    # What an empty input shows as a hint ("e.g. 2026-03-31", "0–100 %"); the kind makes one when blank.
    example: str = ""
    minimum: Finite | None = None
    maximum: Finite | None = None
    thresholds: Thresholds | None = None
    risk_if_yes: Risk | None = None
    risk_if_no: Risk | None = None
    decision: StrictBool = False
    assumption: StrictBool = False
    critical: StrictBool = False
    tags: tuple[str, ...] = ()
    renamed_from: tuple[Slug, ...] = ()
    # The team's own target for this number (the id of the number question that holds it): when that
    # is answered, the measured value is judged against it, and the thresholds apply only when not.
    target_question: Slug | None = None
    target_direction: Literal["at_most", "at_least"] = "at_most"
    # An inventory question (which data reaches the model, which actions it can take) describes
    # exposure, not failure: its risk is capped at medium unless a control it names is answered badly.
    exposure: StrictBool = False
    controlled_by: tuple[Slug, ...] = ()
    # Context (core/expr.py rules over the review's answers): critical only where ``critical_when``
    # holds; not applicable allowed only where ``applies_when`` does not hold (a question without it
    # may be not applicable unless it is critical); ``rules`` set the risk where they hold.
    critical_when: str = ""
    applies_when: str = ""
    rules: tuple[RiskRule, ...] = ()
    # `workbook new --from`: answers to other templates' questions this one takes in another form.
    carried_from: Annotated[tuple[CarriedFrom, ...], BeforeValidator(_one_or_many)] = ()
    # The question's id in the AWS Well-Architected custom lens it was imported from (case kept).
    lens_id: str = ""

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


class Section(_Strict):
    id: Slug
    title: Words
    intro: str = ""
    guidance: str = ""
    timebox_minutes: int = Field(default=15, ge=0, le=600, strict=True)
    # What a guarded pilot bounds or settles (cost, speed, evidence, operations, the hard decisions):
    # a weak score here holds the program at pilot, never makes it demo only on its own (unsafe is not
    # bounded by a pilot: data, risk surfaces, people in the loop, regulation, failure design).
    viability: StrictBool = False
    questions: tuple[Question, ...] = ()


class CostCalculatorConfig(_Strict):
    section: Slug
    threshold_question: Slug | None = None
    result_question: Slug | None = None  # the number question its result answers (cost per outcome)


class LatencyCalculatorConfig(_Strict):
    section: Slug
    target_question: Slug | None = None
    # The number question the simulated p95 may be offered to: an estimate, never a measurement.
    estimate_question: Slug | None = None
    # Read so templates written for 1.1.0 still load, never used: a simulated p95 once went into the
    # question it named, the *measured* p95. estimate_question says where it may go instead.
    result_question: Slug | None = None
    stages: tuple[str, ...] = ("Retrieval", "Prompt construction", "Model inference", "Post-processing", "UI rendering")


class CalculatorConfig(_Strict):
    cost: CostCalculatorConfig | None = None
    latency: LatencyCalculatorConfig | None = None


class Template(_Strict):
    schema_version: Schema = Field(default=SCHEMA_VERSION, alias="schema")
    id: Slug
    version: Words
    title: Words
    description: str = ""
    notes: str = ""
    require_choice_risk: StrictBool = True
    out_of_scope: tuple[str, ...] = ()
    calculators: CalculatorConfig = CalculatorConfig()
    sections: tuple[Section, ...] = ()
    checks: tuple[Check, ...] = ()
    harms: tuple[Harm, ...] = ()
    concerns: tuple[Concern, ...] = ()
    # What a launch gate checks (sign-offs, incident reporting): for a production candidate, whose every
    # section is sound, these lead what is left to do.
    launch_gate: tuple[Slug, ...] = ()

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def questions(self) -> list[tuple[Section, Question]]:
        return [(s, q) for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question | None:
        return self._index.get(question_id, (None, None))[1]

    def section_of(self, question_id: str) -> Section | None:
        return self._index.get(question_id, (None, None))[0]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def question_count(self) -> int:
        return sum(len(s.questions) for s in self.sections)

    @cached_property
    def _index(self) -> dict[str, tuple[Section, Question]]:
        return {q.id: (s, q) for s, q in self.questions()}


# --------------------------------------------------------------------------- reviews


class _Open(BaseModel):
    """A part of a user's file: unknown keys are kept and written back."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, populate_by_name=True)


AnswerValue = str | bool | int | float | dt.date | list[str]


def _check_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.datetime) or isinstance(value, dt.time):
        raise ValueError("expected a date (YYYY-MM-DD), not a time")
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, (bool, int, float, dt.date)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("must be a finite number (not nan or inf)")
        return value
    if isinstance(value, list):
        if not all(isinstance(v, str) for v in value):
            raise ValueError("a list answer must hold only strings (choice ids)")
        return [clean_line(v) for v in value]
    raise ValueError(f"unsupported value type {type(value).__name__}")


class Answer(_Open):
    status: Status = Status.UNANSWERED
    value: Annotated[Any, AfterValidator(_check_value)] = None
    notes: Text = ""
    reason: Text = ""
    owner: NonEmptyLine | None = None
    decide_by: dt.date | None = None
    breaks_if_open: Text = ""
    opened_on: dt.date | None = None
    decide_by_history: list[Date] = Field(default_factory=list)
    resolved_by: NonEmptyLine | None = None
    resolved_on: dt.date | None = None
    # After `workbook merge`: each respondent's own answer, kept as the record. While they differ
    # and nobody has settled the question (status still unanswered) it is a disagreement.
    # Their names are TOML keys, shown on cards and in the tally: escaped once, here, like template text.
    responses: Annotated[dict[str, Answer], AfterValidator(safe_keys)] = Field(default_factory=dict)

    @field_validator("decide_by", "opened_on", "resolved_on", mode="before")
    @classmethod
    def _no_datetime(cls, value: Any) -> Any:
        return _strict_date(value)

    @model_validator(mode="before")
    @classmethod
    def _infer_status(cls, data: Any) -> Any:
        # A hand-written answer with a value but no status is an answer.
        if isinstance(data, dict) and "status" not in data and data.get("value") not in (None, "", []):
            data = {**data, "status": Status.ANSWERED}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Answer:
        if self.status is Status.ANSWERED and self.value in (None, "", []):
            raise ValueError("status is 'answered' but there is no value")
        if self.status is Status.NOT_APPLICABLE and not self.reason.strip():
            raise ValueError("status is 'not_applicable' but no reason is given")
        return self

    @property
    def has_value(self) -> bool:
        return self.value not in (None, "", [])

    @property
    def is_empty(self) -> bool:
        """Nothing recorded: the same as no entry at all (and saved as none)."""
        return (
            self.status is Status.UNANSWERED
            and not self.model_extra
            and not any((self.has_value, self.notes, self.reason, self.owner, self.decide_by, self.breaks_if_open,
                         self.opened_on, self.decide_by_history, self.resolved_by, self.resolved_on, self.responses))
        )

    @property
    def disagreement(self) -> bool:
        return bool(self.responses) and self.status is Status.UNANSWERED


# Calculator inputs are bounded to what a program can physically have (docs/verdict.md lists the
# bounds): every figure computed from inputs inside them is finite, so no report can overflow.
MAX_USERS = 1e10
MAX_REQUESTS_PER_USER_PER_DAY = 1e6
MAX_TOKENS = 1e8  # per model call
MAX_PRICE = 1e6  # dollars per million tokens, or per reviewed item
MAX_FIXED_MONTHLY = 1e10
MAX_MS = 86_400_000.0  # a day: no request a person waits for takes longer
MIN_SUCCESS_RATE = 1e-6  # one success in a million requests
# A nonzero count or latency below this is no user, no request, no time: refused, so that dividing
# by it (a fixed cost spread over the outcomes, a p95 / p50 ratio) stays finite.
SMALLEST = 0.001
# More stages than a person can read as one budget; the simulation is 20,000 draws per stage.
MAX_STAGES = 50


def _plain(value: float) -> str:
    return format(value, ",f").rstrip("0").rstrip(".")


def _bounded(low: float, high: float, unit: str = "", *, zero: bool = False) -> AfterValidator:
    """Refuse a value outside [low, high] (or 0, when zero=True) with one sentence naming the bounds."""
    unit = f" {unit}" if unit else ""
    span = f"from {_plain(low)} to {_plain(high)}{unit}"
    sentence = f"must be 0 or {span}" if zero else f"must be {span}"

    def check(value: float) -> float:
        if not (low <= value <= high or (zero and value == 0)):
            raise ValueError(sentence)
        return value

    return AfterValidator(check)


def _schema(low: float, high: float, *, zero: bool = False) -> Any:
    # The bounds go in the published JSON Schema too (docs/export-schema.json).
    bounds: JsonDict = {"minimum": low, "maximum": high}
    extra: JsonDict = {"anyOf": [{"const": 0}, bounds]} if zero else bounds
    return Field(allow_inf_nan=False, strict=True, json_schema_extra=extra)


Rate = Annotated[float, _schema(0, 1), _bounded(0, 1)]
Tokens = Annotated[float, _schema(0, MAX_TOKENS), _bounded(0, MAX_TOKENS, "tokens")]
Price = Annotated[float, _schema(0, MAX_PRICE), _bounded(0, MAX_PRICE, "dollars")]
Millis = Annotated[float, _schema(SMALLEST, MAX_MS, zero=True), _bounded(SMALLEST, MAX_MS, "ms (a day)", zero=True)]
Users = Annotated[float, _schema(SMALLEST, MAX_USERS, zero=True), _bounded(SMALLEST, MAX_USERS, zero=True)]
PerDay = Annotated[float, _schema(SMALLEST, MAX_REQUESTS_PER_USER_PER_DAY, zero=True),
                   _bounded(SMALLEST, MAX_REQUESTS_PER_USER_PER_DAY, zero=True)]
Days = Annotated[float, _schema(1, 31), _bounded(1, 31, "days")]
Calls = Annotated[float, _schema(1, 1000), _bounded(1, 1000)]
Retries = Annotated[float, _schema(0, 10), _bounded(0, 10)]
Fixed = Annotated[float, _schema(0, MAX_FIXED_MONTHLY), _bounded(0, MAX_FIXED_MONTHLY, "dollars")]
Success = Annotated[float, _schema(MIN_SUCCESS_RATE, 1), _bounded(MIN_SUCCESS_RATE, 1)]
Growth = Annotated[float, _schema(1, 10), _bounded(1, 10)]
Target = Annotated[float, _schema(SMALLEST, MAX_MS), _bounded(SMALLEST, MAX_MS, "ms (a day)")]


class CostInputs(_Open):
    """What one month of the program costs, per the team's own numbers (units in the names).

    A request is one unit of work (a user's question, a claim, a contract); it makes
    model_calls_per_request model calls (an agent's steps, one call per chunk of a document), each of
    input_tokens and output_tokens, retried retries_per_request times on average per call.
    """

    users: Users = 100
    requests_per_user_per_day: PerDay = 10
    days_per_month: Days = 22
    model_calls_per_request: Calls = 1
    input_tokens: Tokens = 2000
    output_tokens: Tokens = 400
    price_input_per_m: Price = 3.0
    price_cached_input_per_m: Price = 0.3
    price_output_per_m: Price = 15.0
    cache_hit_rate: Rate = 0.0
    retries_per_request: Retries = 0.1
    observability_overhead: Rate = 0.1
    human_review_rate: Rate = 0.0
    review_cost_per_item: Price = 0.0
    fixed_monthly_cost: Fixed = 0.0
    success_rate: Success = 0.8
    context_growth_per_10x: Growth = 1.0
    expected_scale: Annotated[Literal[1, 10, 100], BeforeValidator(_scale)] = 1


class LatencyStage(_Open):
    name: NonEmptyLine
    p50_ms: Millis
    p95_ms: Millis

    @model_validator(mode="after")
    def _ordered(self) -> LatencyStage:
        if self.p95_ms < self.p50_ms:
            raise ValueError(f"p95_ms ({self.p95_ms:g}) must not be below p50_ms ({self.p50_ms:g})")
        return self


def _few_stages(value: Any) -> Any:
    # Counted before each stage is validated: thousands of stages are refused at once.
    if isinstance(value, list) and len(value) > MAX_STAGES:
        raise ValueError(f"{len(value):,} stages; a latency budget holds at most {MAX_STAGES}")
    return value


class LatencyInputs(_Open):
    target_p95_ms: Target | None = None
    stages: Annotated[list[LatencyStage], BeforeValidator(_few_stages)] = Field(
        default_factory=list, json_schema_extra={"maxItems": MAX_STAGES})


class Calculators(_Open):
    cost: CostInputs | None = None
    latency: LatencyInputs | None = None


class Participant(_Open):
    name: NonEmptyLine
    role: Line = ""
    # Optional: the CSV export uses it as the Assignee of what this person owns (trackers match on it).
    email: NonEmptyLine | None = None


class Program(_Open):
    name: NonEmptyLine
    owner: NonEmptyLine | None = None
    stage: Stage = Stage.DEMO
    review_date: dt.date | None = None
    description: Text = ""
    participants: list[Participant] = Field(default_factory=list)
    # How often the program's metrics are re-measured: a measurement older than this is stale.
    metrics_cadence_days: Annotated[int, Field(ge=1, le=366, strict=True)] | None = None

    @field_validator("review_date", mode="before")
    @classmethod
    def _no_datetime(cls, value: Any) -> Any:
        return _strict_date(value)


class TimeLog(_Open):
    """Time a facilitator spent on a section, from starting its countdown to stopping it."""

    section: Slug
    started: Annotated[dt.datetime, BeforeValidator(_no_number)]
    seconds: Annotated[int, Field(ge=0, strict=True)]


class ParkingItem(_Open):
    """A topic raised in a workshop but not settled there: kept, owned, exported."""

    topic: Annotated[str, AfterValidator(clean_text), StringConstraints(min_length=1)]
    owner: NonEmptyLine | None = None
    raised_on: Date | None = None
    section: str | None = None
    closed_on: Date | None = None
    resolution: Text = ""


class Workshop(_Open):
    log: list[TimeLog] = Field(default_factory=list)

    def seconds_by_section(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for entry in self.log:
            totals[entry.section] = totals.get(entry.section, 0) + entry.seconds
        return totals


class SourceFile(_Open):
    """A file a measurement read, and its bytes' sha256: which traces the figures came from."""

    name: NonEmptyLine
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class MeasuredFigure(_Open):
    """One figure `workbook measure` measured (its row id in docs/measure.md), in its unit, over n."""

    id: NonEmptyLine
    unit: NonEmptyLine  # ms, calls, tokens, share
    value: Annotated[float, Field(allow_inf_nan=False, strict=True)]
    n: Annotated[int, Field(ge=0, strict=True)]


UtcTime = Annotated[dt.datetime, BeforeValidator(_no_number)]
_Figure = Annotated[float, Field(allow_inf_nan=False, strict=True)]


class MeasuredWeek(_Open):
    """One ISO week of a measurement's trend (None: not measured that week)."""

    week: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-W[0-9]{2}$")]
    requests: Annotated[int, Field(ge=0, strict=True)]
    p95_ms: _Figure | None = None
    cost_per_request: _Figure | None = None
    correction_rate: _Figure | None = None
    negative_feedback_share: _Figure | None = None
    feedback_n: Annotated[int, Field(ge=0, strict=True)] = 0


class MeasuredEvidence(_Open):
    """A constraint the measurement speaks to: the question it touches, the verdict, the sentence."""

    question: NonEmptyLine
    verdict: NonEmptyLine  # open (a decision still to make), refuted, holds
    text: Text


class Measurement(_Open):
    """What the program did over a window of production traces, recorded by `workbook measure --write`."""

    recorded_on: Date
    window_start: UtcTime
    window_end: UtcTime
    requests: Annotated[int, Field(ge=0, strict=True)]
    success: Line = ""  # where the success rate comes from (outcomes file, or technical success)
    files: list[SourceFile] = Field(default_factory=list)
    figures: list[MeasuredFigure] = Field(default_factory=list)
    weeks: list[MeasuredWeek] = Field(default_factory=list)
    evidence: list[MeasuredEvidence] = Field(default_factory=list)

    def figure(self, figure_id: str) -> MeasuredFigure | None:
        return next((f for f in self.figures if f.id == figure_id), None)


class Review(_Open):
    schema_version: Schema = Field(default=SCHEMA_VERSION, alias="schema")
    template: Slug
    template_version: Words
    template_file: str | None = None
    respondent: NonEmptyLine | None = None  # who filled in a solo self-assessment (for merge)
    program: Program
    calculators: Calculators | None = None
    workshop: Workshop | None = None
    parking_lot: list[ParkingItem] = Field(default_factory=list)
    measurements: list[Measurement] = Field(default_factory=list)
    answers: dict[str, Answer] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _not_a_template(cls, data: Any) -> Any:
        if isinstance(data, dict) and looks_like_template(data):
            raise ValueError("this file is a template (a question bank, with no [program] table), not a review")
        if isinstance(data, dict) and not _REVIEW_KEYS.intersection(data):  # pyproject.toml, say
            raise ValueError("this file is not a review (it has none of a review's keys: [program], template, "
                             "template_version, answers)")
        return data

    @model_validator(mode="after")
    def _one_form_for_nothing(self) -> Review:
        # An entry that records nothing means the same as no entry: keep one form, so what is
        # saved and loaded back is equal to what was there.
        if any(a.is_empty for a in self.answers.values()):
            self.answers = {qid: a for qid, a in self.answers.items() if not a.is_empty}
        if self.workshop is not None and not self.workshop.log and not self.workshop.model_extra:
            self.workshop = None
        c = self.calculators
        if c is not None and c.cost is None and c.latency is None and not c.model_extra:
            self.calculators = None
        return self

    def orphans(self, template: Template) -> list[str]:
        """Answers to questions the template does not (or no longer) ask: kept, shown, exported."""
        return [qid for qid in self.answers if template.question(qid) is None]

    def answer(self, question_id: str) -> Answer:
        """The answer to a question, or an unanswered placeholder (not stored)."""
        return self.answers.get(question_id) or Answer()
