from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SAMPLES
from workbook.core.store import ReviewFile, load_review

TELEMETRY = FIXTURES / "telemetry"


@pytest.fixture
def copilot() -> ReviewFile:
    """The customer-support sample: stage budget with a 5,000 ms p95 target, 1 call of 6,000/350 tokens."""
    return load_review(SAMPLES / "customer-support-copilot.toml")


@pytest.fixture
def telemetry() -> Path:
    return TELEMETRY
