"""Every export that shows a risk says which rule in context raised it (issue 23)."""

from __future__ import annotations

from tests.conftest import SAMPLES, TODAY
from workbook.core.exports.common import export_data
from workbook.core.exports.write import render
from workbook.core.store import load_review

RULE = "A few jailbreaks by hand are not a test where the model can act"


def test_md_and_html_risk_registers_name_the_rule_that_raised_a_risk() -> None:
    rf = load_review(SAMPLES / "claims-triage-agent.toml")
    data = export_data(rf.review, rf.template, TODAY)
    md = render("md", data)
    register = md.split("## Risk register", 1)[1]
    assert f"A few jailbreaks tried by hand (in context: {RULE}" in register
    assert RULE in render("html", data).split("Risk register", 1)[1]
