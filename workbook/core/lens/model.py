"""The custom lens format (schemaVersion 2021-11-01) with the limits the AWS Well-Architected Tool
publishes, so a lens it would refuse is refused here first, naming the field and the limit.

Keys the format does not name are kept (published lenses carry ``_version``, ``_release_note`` and
others of their own); a missing ``default`` risk rule is accepted here (lenses in the wild lack it)
and handled by the importer, while the exporter always writes one.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

SCHEMA: Literal["2021-11-01"] = "2021-11-01"
MAX_PILLARS = 10
MAX_QUESTIONS = 20  # a pillar
MAX_CHOICES = 15  # a question, "None of these" included
MAX_RULES = 3  # a question: at most one each of HIGH_RISK, MEDIUM_RISK, NO_RISK
TITLE_MAX = 128
TEXT_MAX = 2048
ID_PATTERN = r"^[A-Za-z0-9_]{3,128}$"
NONE_SUFFIX = "_no"  # a choice id ending so is "None of these": ticking it clears the others

WaId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


def _title(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    if len(value) > TITLE_MAX:
        raise ValueError(f"is {len(value)} characters; the limit is {TITLE_MAX}")
    return value


def _text(value: str) -> str:
    if len(value) > TEXT_MAX:
        raise ValueError(f"is {len(value)} characters; the limit is {TEXT_MAX}")
    return value


Title = Annotated[str, AfterValidator(_title)]
Description = Annotated[str, AfterValidator(_text)]
RiskName = Literal["HIGH_RISK", "MEDIUM_RISK", "NO_RISK"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, strict=True)


class Resource(_Part):
    display_text: Description = Field(default="", alias="displayText")
    url: Description = ""


class LensChoice(_Part):
    id: WaId
    title: Title
    helpful_resource: Resource | None = Field(default=None, alias="helpfulResource")
    improvement_plan: Resource | None = Field(default=None, alias="improvementPlan")

    @property
    def is_none_of_these(self) -> bool:
        return self.id.endswith(NONE_SUFFIX)


class LensRule(_Part):
    condition: Annotated[str, StringConstraints(min_length=1), AfterValidator(_text)]
    risk: RiskName


class LensQuestion(_Part):
    id: WaId
    title: Title
    description: Description = ""
    helpful_resource: Resource | None = Field(default=None, alias="helpfulResource")
    choices: list[LensChoice] = Field(min_length=1, max_length=MAX_CHOICES)
    risk_rules: list[LensRule] = Field(default_factory=list, alias="riskRules", max_length=MAX_RULES)

    @model_validator(mode="after")
    def _consistent(self) -> LensQuestion:
        ids = [c.id for c in self.choices]
        dup = next((i for i in ids if ids.count(i) > 1), None)
        if dup is not None:
            raise ValueError(f"choices: duplicate choice id {dup!r}")
        if sum(c.is_none_of_these for c in self.choices) > 1:
            raise ValueError(f"choices: more than one 'None of these' choice (ids ending {NONE_SUFFIX})")
        risks = [r.risk for r in self.risk_rules]
        twice = next((r for r in risks if risks.count(r) > 1), None)
        if twice is not None:
            raise ValueError(f"riskRules: {twice} appears more than once (one rule per risk)")
        if any(r.condition.strip() == "default" for r in self.risk_rules[:-1]):
            raise ValueError("riskRules: the default rule must be the last")
        return self


class Pillar(_Part):
    id: WaId
    name: Title
    questions: list[LensQuestion] = Field(min_length=1, max_length=MAX_QUESTIONS)


class Lens(_Part):
    schema_version: Literal["2021-11-01"] = Field(default=SCHEMA, alias="schemaVersion")
    name: Title
    description: Description = ""
    pillars: list[Pillar] = Field(min_length=1, max_length=MAX_PILLARS)

    @model_validator(mode="after")
    def _unique_ids(self) -> Lens:
        pillar_ids = [p.id for p in self.pillars]
        question_ids = [q.id for p in self.pillars for q in p.questions]
        for what, ids in (("pillar", pillar_ids), ("question", question_ids)):
            dup = next((i for i in ids if ids.count(i) > 1), None)
            if dup is not None:
                raise ValueError(f"duplicate {what} id {dup!r} (ids are unique in a lens)")
        return self

    def dump(self) -> dict[str, object]:
        """The lens as JSON data, in the format's own key names."""
        return self.model_dump(by_alias=True, exclude_none=True)
