"""The README's pictures come from docs/screenshots.py: it still runs against today's app, and each
picture shows what the README says it shows."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import ROOT


async def test_the_screenshot_script_draws_the_four_pictures_the_readme_shows(tmp_path: Path, monkeypatch) -> None:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "docs" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "OUT", tmp_path)
    await script.main()
    readme = (ROOT / "README.md").read_text()
    expected = {"review": "Risk surfaces", "summary": "Start with", "board": "Open constraints",
                "tally": "Respondents"}
    for name, text in expected.items():
        assert f"docs/images/{name}.svg" in readme
        svg = (tmp_path / f"{name}.svg").read_text()
        assert text.replace(" ", "&#160;") in svg or text in svg, name
