"""The start screen: new review from a template or from a quick check, open a sample program, or open a file."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from workbook.core.carry import carry_review
from workbook.core.errors import WorkbookError
from workbook.core.models import Template
from workbook.core.store import create_review_file, load_review, new_review
from workbook.core.templates import builtin_templates, find_template, samples_dir
from workbook.core.text import clean_line
from workbook.tui import bindings
from workbook.tui.messages import OpenReview
from workbook.tui.screens.dialogs import FormDialog, PathDialog
from workbook.tui.widgets.field import Field
from workbook.tui.widgets.keybar import KeyBar

# "New full review from a quick check…": the template the quick check's answers are carried into.
FULL_TEMPLATE = "post-demo-review"


class NewReviewDialog(FormDialog[tuple[str, str]]):
    ok_label = "Create"

    def __init__(self, template_title: str, default_path: str) -> None:
        super().__init__(f"New review: {template_title}")
        self.default_path = default_path

    def fields(self) -> ComposeResult:
        yield Label("Program name", classes="field-label")
        yield Field(id="name", placeholder="e.g. Support copilot", compact=True)
        yield Label("Save as", classes="field-label")
        yield Field(self.default_path, id="path", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Changed, "#name")
    def _suggest_path(self, event: Input.Changed) -> None:
        # Until the user edits the path, name the file after the program.
        path = self.query_one("#path", Input)
        if path.value == self.default_path:
            slug = re.sub(r"[^a-z0-9]+", "-", event.value.lower()).strip("-") or "review"
            self.default_path = f"{slug}.toml"
            path.value = self.default_path

    def submit(self) -> tuple[str, str] | None:
        name = clean_line(self.query_one("#name", Input).value)
        path = self.query_one("#path", Input).value.strip()
        if not name:
            self.error("Give the program a name.")
            return None
        if not path:
            self.error("Enter a file path.")
            return None
        return name, path


def sample_label(path: Path) -> Content:
    """The sample's program name and stage, read cheaply (no validation) for the menu."""
    try:
        program = tomllib.loads(path.read_text(encoding="utf-8-sig")).get("program", {})
        name, stage = str(program.get("name", path.stem)), str(program.get("stage", ""))
    except (OSError, ValueError):
        name, stage = path.stem, ""
    return Content.assemble(f"  {name}", (f"  {stage.replace('_', ' ')}" if stage else "", "$foreground-muted"))


class StartScreen(Screen[None]):
    DEFAULT_CSS = """
    StartScreen { align: center middle; }
    StartScreen > Vertical { width: 90%; max-width: 90; height: auto; max-height: 100%; }
    StartScreen #title { text-style: bold; color: $text-accent; }
    StartScreen #lede { color: $text-muted; margin-bottom: 1; }
    StartScreen OptionList { height: auto; max-height: 18; }
    """

    BINDINGS = bindings.START

    def __init__(self, today: dt.date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        self.templates: dict[str, tuple[Path, Template]] = {}
        self.samples: dict[str, Path] = {}
        options: list[Option | None] = [Option(Content.styled("Start a new review", "bold"), disabled=True)]
        try:
            for path, template in sorted(builtin_templates(), key=lambda pt: -pt[1].question_count()):
                self.templates[f"new:{template.id}"] = (path, template)
                label = f"  {template.title} — {template.question_count()} questions"
                options.append(Option(Content(label), id=f"new:{template.id}"))
        except WorkbookError as exc:
            options.append(Option(Content(f"  (templates unavailable: {exc})"), disabled=True))
        options.append(Option(Content("  New full review from a quick check…"), id="from-quick"))
        options += [None, Option(Content.styled("Open a sample program", "bold"), disabled=True)]
        for path in sorted(samples_dir().glob("*.toml")):
            self.samples[f"sample:{path.stem}"] = path
            options.append(Option(sample_label(path), id=f"sample:{path.stem}"))
        options += [None, Option(Content("Open a review file…"), id="open")]
        with Vertical():
            yield Static("workbook", id="title")
            yield Static(
                "The post-demo risk review for generative-AI programs: the questions the demo never tested.",
                id="lede",
            )
            yield OptionList(*options, id="start-options")
        yield KeyBar()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        options.highlighted = 1

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option_id or ""
        if choice in self.samples:
            self._open_sample(self.samples[choice])
        elif choice in self.templates:
            path, template = self.templates[choice]

            def create(result: tuple[str, str] | None) -> None:
                if result is None:
                    return
                name, target = result
                try:
                    review = new_review(template, name, self.today)
                    rf = create_review_file(Path(target).expanduser(), review, template)
                except WorkbookError as exc:
                    self.notify(str(exc), title="Cannot create", severity="error", markup=False)
                    return
                self.post_message(OpenReview(rf))

            default = "review.toml"
            self.app.push_screen(NewReviewDialog(template.title, default), create)
        elif choice == "from-quick":
            self.app.push_screen(PathDialog("New full review: the quick self-check to start from", "", ok_label="Next"),
                                 self._from_quick)
        elif choice == "open":
            self.app.push_screen(
                PathDialog("Open a review file", "", ok_label="Open"),
                lambda path: self._open(Path(path).expanduser()) if path else None,
            )

    def _from_quick(self, source: str | None) -> None:
        """The quick check is read first (a bad file is said before asking anything more), then the new file's name."""
        if not source:
            return
        path = Path(source).expanduser()
        try:
            quick = load_review(path)
            template = (self.templates[f"new:{FULL_TEMPLATE}"][1] if f"new:{FULL_TEMPLATE}" in self.templates
                        else find_template(FULL_TEMPLATE)[0])
        except WorkbookError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", markup=False)
            return

        def create(target: str | None) -> None:
            if not target:
                return
            carried = carry_review(quick.review, template, self.today)
            try:
                rf = create_review_file(Path(target).expanduser(), carried.review, template)
            except WorkbookError as exc:
                self.notify(str(exc), title="Cannot create", severity="error", markup=False)
                return
            self.notify(carried.line(source), title=f"Created {target}", markup=False)
            self.post_message(OpenReview(rf))

        default = str(path.with_name(f"{path.stem}-full.toml")) if path.stem else "full-review.toml"
        self.app.push_screen(PathDialog("Save the full review as", default, ok_label="Create"), create)

    def _open_sample(self, sample: Path) -> None:
        """Samples ship with workbook: edit a copy in the current folder, never the original."""
        target = Path.cwd() / sample.name
        n = 2
        while target.exists():
            target = Path.cwd() / f"{sample.stem}-{n}{sample.suffix}"
            n += 1
        try:
            target.write_bytes(sample.read_bytes())
        except OSError as exc:
            self.notify(f"Cannot copy the sample to {target}: {exc.strerror}", severity="error", markup=False)
            return
        self.notify(f"Copied the sample to {target}", markup=False)
        self._open(target)

    def _open(self, path: Path) -> None:
        try:
            rf = load_review(path)
        except WorkbookError as exc:
            self.notify(str(exc), title="Cannot open", severity="error", markup=False)
            return
        self.post_message(OpenReview(rf))
