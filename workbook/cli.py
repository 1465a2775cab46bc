"""The command line: `workbook [open] PATH`, `new`, `validate`, `templates`, and the reports.

Exit codes: 0 success, 1 a check failed (``check``), 2 bad input or usage. Errors are one line each
on stderr; no traceback reaches the user.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

# The CLI loads no pydantic plugins: scanning every installed package's entry points for them
# costs ~50 ms of start-up on every command (bench/). Set it yourself to override.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")

import click

from workbook import __version__
from workbook.core.errors import WorkbookError
from workbook.core.exports.registry import FORMATS, export_format, format_ids, many_ids
from workbook.core.rules import DEFAULT_RULES, RULES
from workbook.core.text import json_safe, terminal_safe


class Today(click.ParamType):  # type: ignore[type-arg]  # generic only in click's stubs
    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        from workbook.core.text import parse_date

        if isinstance(value, dt.date):
            return value
        parsed = parse_date(str(value))  # only YYYY-MM-DD: not 20261126, not 2026-W48-4
        if parsed is None:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)
        return parsed


TODAY = Today()
F = TypeVar("F", bound=Callable[..., Any])


def today_option(f: F) -> F:
    return click.option(
        "--today",
        type=TODAY,
        default=None,
        help="Treat this date as today (YYYY-MM-DD), for reproducible results.",
    )(f)


def examples(*lines: str) -> str:
    """A --help epilog: command lines that work as shown (\\b keeps click from re-wrapping them)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def fail(exc: WorkbookError) -> None:
    for line in exc.lines():
        click.echo(f"workbook: {terminal_safe(line)}", err=True)
    sys.exit(2)


class DefaultOpenGroup(click.Group):
    """`workbook PATH` means `workbook open PATH`; a mistyped command gets click's "Did you mean"."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from workbook.launch import mistyped_command

        if (args and args[0] not in self.commands and not args[0].startswith("-")
                and not mistyped_command(args[0], self.commands)):
            args = ["open", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultOpenGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="workbook")
@today_option
@click.pass_context
def cli(ctx: click.Context, today: dt.date | None) -> None:
    """A terminal workbook for the post-demo risk review of generative-AI programs.

    Run without arguments for the start screen, or `workbook PATH` to open a review.
    """
    if ctx.invoked_subcommand is None:
        from workbook.tui.app import make_app, user_config

        make_app(None, today=today, config=user_config()).run()


@cli.command("open", epilog=examples("workbook open review.toml", "workbook open review.toml --workshop --autosave 5"))
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@click.option("--workshop", is_flag=True, help="Facilitator mode: section countdowns, guidance, parking lot.")
@click.option("--autosave", "autosave", type=click.FloatRange(0.05, 600), default=1.0, show_default=True,
              metavar="SECONDS", help="Save this long after the last change.")
@click.option("--respondents", type=click.Path(path_type=Path, file_okay=False), default=None, metavar="DIR",
              help="Watch live respondents' files in DIR (from `workbook serve --respondents DIR`): a tally, a merge.")
@today_option
def open_cmd(path: Path, workshop: bool, autosave: float, respondents: Path | None, today: dt.date | None) -> None:
    """Open a review file in the TUI."""
    from workbook.launch import run_tui

    run_tui(path, workshop=workshop, autosave=autosave, today=today, respondents=respondents)


@cli.command(epilog=examples(
    "workbook serve review.toml",
    "workbook serve review.toml --respondents answers/ --host 0.0.0.0",
))
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback requires the access token printed in the URL.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0 picks a free port.")
@click.option("--token", "force_token", is_flag=True, help="Require the access token on loopback too.")
@click.option("--respondents", type=click.Path(path_type=Path, file_okay=False), default=None, metavar="DIR",
              help="Live respondents: each visitor gives a name and answers in their own file in DIR.")
@click.option("--workshop", is_flag=True, help="Serve the review in facilitator mode.")
def serve(path: Path, host: str, port: int, force_token: bool, respondents: Path | None, workshop: bool) -> None:
    """Serve the review's TUI in a browser (offline, loopback by default); ctrl+c stops it."""
    from workbook.core.respondents import load_with_respondents
    from workbook.serve.server import WorkbookServer, needs_token, new_token, tab_command

    try:
        rf = load_with_respondents(path, respondents)
    except WorkbookError as exc:
        fail(exc)
    token = new_token() if needs_token(host, force_token) else None
    program = rf.review.program.name

    def announce(url: str) -> None:
        who = f"respondents answer in {respondents}/" if respondents is not None else f"editing {path}"
        click.echo(terminal_safe(f"workbook: serving {program!r} ({who}) at {url}"))
        if token is not None:
            click.echo("workbook: share the whole URL: it holds the access token; requests without it get 403")
        click.echo("workbook: ctrl+c stops the server (each open tab saves first)")
        sys.stdout.flush()

    server = WorkbookServer(tab_command(path, respondents=respondents, workshop=workshop), host=host, port=port,
                            token=token, title=program, announce=announce)
    try:
        server.serve_forever()
    except OSError as exc:  # the port is taken, the address is not this machine's
        fail(WorkbookError(f"cannot listen on {host}:{port}: {exc.strerror or exc}"))
    click.echo("workbook: stopped")


@cli.command(epilog=examples(
    'workbook new review.toml --program "Support copilot"',
    "workbook new full.toml --from quick.toml",
))
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@click.option("--template", "template_ref", default="post-demo-review", show_default=True,
              help="A built-in template id or a template file.")
@click.option("--program", "program", default=None,
              help="The program's name (with --from: its name in the new review; default: the old one's).")
@click.option("--from", "from_path", type=click.Path(path_type=Path, readable=False), default=None,
              help="Start from another review (a quick self-check): carry its program and every answer that fits.")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@today_option
def new(path: Path, template_ref: str, program: str | None, from_path: Path | None, force: bool,
        today: dt.date | None) -> None:
    """Create a new review file from a template, or from an earlier review with --from."""
    from workbook.core.safe_write import STDOUT
    from workbook.core.store import create_review_file, load_review, new_review
    from workbook.core.templates import find_template
    from workbook.core.text import clean_line

    if program is None and from_path is None:
        raise click.UsageError("give the program's name with --program, or a review to start from with --from")
    carried = ""
    try:
        template, tpath = find_template(template_ref)
        name = clean_line(program or "")
        if program is not None and not name:
            raise WorkbookError("--program must not be empty")
        template_file = None
        if Path(template_ref).suffix == ".toml" or os.path.exists(template_ref):
            template_file = _relative(tpath, path.parent)
        if from_path is not None:
            from workbook.core.carry import carry_review

            result = carry_review(load_review(from_path).review, template, today or dt.date.today(),
                                  program_name=name or None, template_file=template_file)
            review, carried = result.review, result.line(str(from_path))
        else:
            review = new_review(template, name, today or dt.date.today(), template_file)
        create_review_file(path, review, template, force=force)
    except WorkbookError as exc:
        fail(exc)
    except OSError as exc:  # e.g. the target's folder may not be entered
        fail(WorkbookError(f"{exc.filename or path}: cannot write: {exc.strerror or exc}"))
    to_stdout = str(path) == STDOUT  # the review went to standard output: the rest is for the person
    if carried:
        click.echo(terminal_safe(carried), err=to_stdout)
    click.echo(terminal_safe(f"created {path} from {template.id} {template.version}"
                             + ("" if to_stdout else f"; open it with: workbook open {path}")), err=to_stdout)


def _relative(target: Path, start: Path) -> str:
    import os

    try:
        return os.path.relpath(target.resolve(), start.resolve())
    except ValueError:  # another drive on Windows
        return str(target.resolve())


@cli.command(epilog=examples("workbook validate review.toml", "workbook validate review.toml templates/ours.toml"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
def validate(paths: tuple[Path, ...]) -> None:
    """Check review and template files; print every problem; exit 2 if any."""
    from workbook.core.validate import check_file

    bad = 0
    for path in paths:
        problems, kind = check_file(path)
        if problems:
            bad += 1
            for p in problems:
                click.echo(f"workbook: {p}", err=True)
        else:
            click.echo(f"{terminal_safe(str(path))}: valid {kind}")
    if bad:
        click.echo(f"{bad} of {len(paths)} file(s) invalid", err=True)
        sys.exit(2)


@cli.group(invoke_without_command=True, epilog=examples(
    "workbook templates",
    "workbook templates export-lens post-demo-review -o post-demo-review-lens.json",
))
@click.pass_context
def templates(ctx: click.Context) -> None:
    """List the built-in templates; import-lens and export-lens read and write AWS Well-Architected custom lenses."""
    if ctx.invoked_subcommand is None:
        _list_templates()


def _list_templates() -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from workbook.core.templates import builtin_templates

    try:
        found = builtin_templates()
    except WorkbookError as exc:
        fail(exc)
    table = Table(box=None, pad_edge=False)
    for col in ("id", "version", "sections", "questions", "title"):
        table.add_column(col, justify="right" if col in ("sections", "questions") else "left")
    for _, t in found:
        cells = (t.id, t.version, str(len(t.sections)), str(t.question_count()), t.title)
        table.add_row(*(Text(c) for c in cells))  # template text is data, not markup
    Console().print(table)


@templates.command("import-lens", epilog=examples("workbook templates import-lens lens.json -o templates/lens.toml"))
@click.argument("lens", type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, readable=False), required=True,
              help="The template file to write.")
@click.option("--force", is_flag=True, help="Replace an existing file.")
def import_lens_cmd(lens: Path, output: Path, force: bool) -> None:
    """An AWS Well-Architected custom lens (JSON) as a template (see templates/README.md)."""
    from workbook.core.exports.write import write_text
    from workbook.core.lens.importer import import_lens, template_toml

    if output.exists() and not force:
        fail(WorkbookError(f"{output}: already exists; give --force to replace it"))
    try:
        imported = import_lens(lens)
        write_text(output, template_toml(imported.template))
    except WorkbookError as exc:
        fail(exc)
    except OSError as exc:
        fail(WorkbookError(f"{output}: cannot write: {exc.strerror or exc}"))
    for line in imported.warnings:
        click.echo(terminal_safe(f"workbook: warning: {lens}: {line}"), err=True)
    t = imported.template
    click.echo(terminal_safe(f"wrote {output}: {t.id} {t.version}, {len(t.sections)} section(s), "
                             f"{t.question_count()} question(s); start a review with: "
                             f"workbook new review.toml --template {output} --program NAME"))


@templates.command("export-lens", epilog=examples("workbook templates export-lens post-demo-review -o lens.json"))
@click.argument("template_ref", metavar="TEMPLATE")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, readable=False), required=True,
              help="The lens file (JSON) to write.")
@click.option("--force", is_flag=True, help="Replace an existing file.")
def export_lens_cmd(template_ref: str, output: Path, force: bool) -> None:
    """A template (built-in id or file) as an AWS Well-Architected custom lens (JSON)."""
    from workbook.core.exports.write import write_text
    from workbook.core.lens.exporter import template_to_lens
    from workbook.core.templates import find_template

    if output.exists() and not force:
        fail(WorkbookError(f"{output}: already exists; give --force to replace it"))
    try:
        template, path = find_template(template_ref)
        exported = template_to_lens(template, str(path))
        write_text(output, exported.json())
    except WorkbookError as exc:
        fail(exc)
    except OSError as exc:
        fail(WorkbookError(f"{output}: cannot write: {exc.strerror or exc}"))
    if exported.left_out:
        click.echo(terminal_safe(f"workbook: {exported.left_out}"), err=True)
    assert exported.lens is not None
    count = sum(len(p.questions) for p in exported.lens.pillars)
    click.echo(terminal_safe(f"wrote {output}: {len(exported.lens.pillars)} pillar(s), {count} question(s)"))


@cli.command(epilog=examples(
    "workbook summary review.toml",
    "workbook summary review.toml --format json --today 2026-11-26",
))
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@today_option
def summary(path: Path, fmt: str, today: dt.date | None) -> None:
    """Readiness verdict, section scores, risks, open constraints and framework coverage."""
    import json

    from workbook.core.scoring import assess
    from workbook.core.store import load_review
    from workbook.core.summary import summary_dict

    try:
        rf = load_review(path)
    except WorkbookError as exc:
        fail(exc)
    assessment = assess(rf.review, rf.template, today or dt.date.today())
    if fmt == "json":
        click.echo(json_safe(json.dumps(summary_dict(rf.review, rf.template, assessment), indent=2,
                                        ensure_ascii=False, allow_nan=False)))
        return
    from rich.console import Console

    from workbook.core.report_text import summary_renderable

    Console(highlight=False).print(summary_renderable(rf.review, rf.template, assessment))


def _rules(value: str) -> tuple[str, ...]:
    rules = tuple(r.strip() for r in value.split(",") if r.strip())
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise click.BadParameter(f"unknown rule {unknown[0]!r}; choose from {', '.join(RULES)}")
    return rules


@cli.command(epilog=examples(
    "workbook check reviews/",
    "workbook check review.toml --fail-on overdue,high-risk --format github",
    "workbook check review.toml --fail-on over-target",
))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--fail-on", "fail_on", default=",".join(DEFAULT_RULES), show_default=True, metavar="RULES",
              help="Comma-separated: overdue, unowned, undated, high-risk, unanswered, over-target (the latest "
                   "measurement's p95 over the team's target).")
@click.option("--only-reviews", is_flag=True,
              help="Skip TOML files that are not reviews (for pre-commit, which passes every staged .toml).")
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="github: GitHub Actions annotations (::error file=…,line=…::) on each failing question's line.")
@today_option
def check(paths: tuple[Path, ...], fail_on: str, only_reviews: bool, fmt: str, today: dt.date | None) -> None:
    """A gate for CI and pre-commit: exit 1 when a review breaks a rule, 2 when it cannot be read.

    PATHS are review files or folders (searched for reviews). Each failure says how to fix it."""
    from workbook.core.check import failures, github_line, github_problem, question_line, text_line
    from workbook.core.discover import PathList, find_review_files, looks_like_review
    from workbook.core.progress import tracked
    from workbook.core.scoring import assess
    from workbook.core.store import TemplateMemo, load_review

    try:
        rules = _rules(fail_on)
    except click.BadParameter as exc:
        raise click.UsageError(str(exc)) from None
    day = today or dt.date.today()
    files = find_review_files(list(paths))
    if not files:  # a gate that checked nothing must not pass
        fail(WorkbookError(f"no review files found in {', '.join(map(str, paths))}"))
    if only_reviews:
        given = len(files)
        files = PathList([os.fspath(f) for f in files if looks_like_review(f)])
        if not files:  # pre-commit passes every staged .toml: a commit with no review passes, saying so
            click.echo(f"nothing to check: none of the {given} file(s) given is a review")
            return
    unreadable = failed = 0
    memo: TemplateMemo = {}
    # file=sys.stdout/stderr as they are at each line: while the bar shows they print above it.
    for path in tracked(files, "Checking"):
        try:
            rf = load_review(path, memo=memo)
        except WorkbookError as exc:
            unreadable += 1
            for line in exc.lines():
                click.echo(f"workbook: {terminal_safe(line)}", file=sys.stderr)
                if fmt == "github":
                    click.echo(terminal_safe(github_problem(str(path), line)), file=sys.stdout)
            continue
        # detail=False: the latency simulation and coverage only reports show; no rule reads them.
        found = failures(rf.review, rf.template, assess(rf.review, rf.template, day, detail=False, ranked=False), rules)
        if found:
            failed += 1
            text = path.read_text(encoding="utf-8", errors="replace") if fmt == "github" else ""
            for f in found:
                line = (github_line(str(path), question_line(text, f.question_id), f) if fmt == "github"
                        else text_line(str(path), f))
                click.echo(terminal_safe(line), file=sys.stdout)
        else:
            click.echo(f"{terminal_safe(str(path))}: ok ({', '.join(rules)})", file=sys.stdout)
    if unreadable:
        sys.exit(2)
    if failed:
        click.echo(f"{failed} of {len(files)} review(s) failed the check; fix each in `workbook open FILE`, "
                   "where / finds a question by its id", err=True)
        sys.exit(1)


class ExportChoice(click.Choice):  # type: ignore[type-arg]  # generic only in click's stubs
    """The export formats as the registry has them when the command line is parsed."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(format_ids())

    @choices.setter
    def choices(self, _: object) -> None:
        pass  # click's __init__ sets them; the registry is the list


@cli.command(epilog=examples(
    "workbook export review.toml --format html -o review.html",
    "workbook export reviews/ --format csv --excel -o portfolio.csv",
    "workbook export review.toml --format csv --measurements -o measurements.csv",
))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--format", "fmt", type=ExportChoice(), required=True,
              help=f"Several files or a folder export many reviews at once, as {' or '.join(many_ids())}.")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, readable=False), default=None,
              help="File to write (default: standard output); for "
              + ", ".join(f"{f.id}, the folder (default: docs/{f.folder_name})" for f in FORMATS.values() if f.folder)
              + ".")
@click.option("--excel", is_flag=True,
              help="csv: start with a UTF-8 byte order mark, so Excel reads names such as Zoë Müller-Łukasz right.")
@click.option("--measurements", is_flag=True,
              help="csv: the measurements `workbook measure --write` recorded, one row per figure, "
                   "instead of the action items.")
@today_option
def export(paths: tuple[Path, ...], fmt: str, output: Path | None, excel: bool, measurements: bool,
           today: dt.date | None) -> None:
    """Export decision logs: a file, or a folder with one record per decision (see --format)."""
    from workbook.core.discover import find_review_files
    from workbook.core.exports.common import export_data
    from workbook.core.exports.csv_export import BOM
    from workbook.core.exports.write import render, render_many, write_folder, write_text
    from workbook.core.progress import tracked
    from workbook.core.safe_write import STDOUT
    from workbook.core.store import load_review

    form = export_format(fmt)
    if excel and fmt != "csv":
        raise click.UsageError("--excel is for --format csv (a UTF-8 byte order mark for Excel)")
    if measurements and fmt != "csv":
        raise click.UsageError("--measurements is for --format csv (the recorded measurements as a table)")
    files = find_review_files(list(paths))
    many = len(paths) > 1 or any(os.path.isdir(p) for p in paths)
    if many and not form.takes_many:
        others = " or ".join(many_ids())
        if len(paths) == 1:  # a folder where a review was expected: the one-line format, naming it
            fail(WorkbookError(f"{paths[0]}: is a folder; --format {fmt} exports one review "
                               f"(a folder of reviews exports as {others})"))
        raise click.UsageError(f"--format {fmt} exports one review; for many reviews use {others}")
    if not files:
        fail(WorkbookError(f"no review files found in {', '.join(map(str, paths))}"))
    day = today or dt.date.today()
    items, problems = [], []
    for path in tracked(files, "Reading"):
        try:
            rf = load_review(path)
        except WorkbookError as exc:
            problems += exc.problems
            continue
        items.append(export_data(rf.review, rf.template, day))
    if problems:  # nothing is written when any input is bad
        fail(WorkbookError(problems))
    if output is not None and any(os.path.realpath(output) == os.path.realpath(f) for f in files):
        fail(WorkbookError(f"{output}: is one of the reviews being exported; choose another output"))
    if form.folder and output is not None and str(output) == STDOUT:
        raise click.UsageError(f"--format {fmt} writes a folder of records; -o - (standard output) is for one file")
    if form.folder:
        folder = output or Path("docs") / form.folder_name
        try:
            written = write_folder(fmt, folder, items[0])
        except (OSError, WorkbookError) as exc:
            fail(exc if isinstance(exc, WorkbookError)
                 else WorkbookError(f"{folder}: cannot write: {exc.strerror or exc}"))
        for name, state in written:
            click.echo(terminal_safe(f"{state} {folder / name}"))
        return
    try:
        if measurements:
            from workbook.core.exports.csv_export import render_measurements_csv

            text = render_measurements_csv(items)
        else:
            text = render_many(fmt, items) if many else render(fmt, items[0])
    except WorkbookError as exc:  # a format that does not fit this review (wa-answers of a built-in)
        fail(exc if many else WorkbookError(f"{files[0]}: {exc}"))
    if excel:
        text = BOM + text
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_text(output, text)
    except (OSError, WorkbookError) as exc:
        fail(exc if isinstance(exc, WorkbookError) else WorkbookError(f"{output}: cannot write: {exc.strerror or exc}"))
    if str(output) != STDOUT:
        click.echo(terminal_safe(f"wrote {output}"), err=True)


@cli.command(epilog=examples("workbook merge ana.toml ben.toml -o merged.toml"))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--output", "output", type=click.Path(path_type=Path, readable=False), required=True,
              help="The merged review to write.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def merge(paths: tuple[Path, ...], output: Path, force: bool) -> None:
    """Merge solo self-assessments of the same template: agreement taken, disagreements kept."""
    from workbook.core.merge import merge_reviews
    from workbook.core.safe_write import STDOUT
    from workbook.core.store import create_review_file, load_review

    files, problems = [], []
    for path in paths:
        try:
            files.append(load_review(path))
        except WorkbookError as exc:
            problems += exc.problems
    try:
        if problems:
            raise WorkbookError(problems)
        report = merge_reviews(files)
        create_review_file(output, report.review, files[0].template, force=force)
    except WorkbookError as exc:
        fail(exc)
    except OSError as exc:  # e.g. the output's folder may not be entered
        fail(WorkbookError(f"{exc.filename or output}: cannot write: {exc.strerror or exc}"))
    for notice in report.notices:
        click.echo(terminal_safe(f"note: {notice}"), err=True)
    to_stdout = str(output) == STDOUT  # the merged review went to standard output: the summary must not
    single = f"; {len(report.single)} given by one respondent only" if report.single else ""
    click.echo(terminal_safe(f"wrote {output}: {len(report.agreed)} agreed, {len(report.disagreed)} disagreement(s) "
                             f"to settle{single}"), err=to_stdout)
    for qid in report.disagreed:
        click.echo(f"  disagreement: {terminal_safe(qid)}", err=to_stdout)


@cli.command(epilog=examples("workbook diff old.toml new.toml", "workbook diff review.toml --rev HEAD~3 --format md"))
@click.argument("old", type=click.Path(path_type=Path, readable=False))
@click.argument("new", type=click.Path(path_type=Path, readable=False), required=False)
@click.option("--rev", default=None, metavar="GITREV", help="Compare PATH with its version at a git revision.")
@click.option("--format", "fmt", type=click.Choice(["text", "md"]), default="text", show_default=True)
@today_option
def diff(old: Path, new: Path | None, rev: str | None, fmt: str, today: dt.date | None) -> None:
    """What moved between two versions of a review: `diff OLD NEW` or `diff PATH --rev GITREV`."""
    from workbook.core.diff import diff_reviews, review_at_rev
    from workbook.core.diff_report import diff_lines, diff_markdown
    from workbook.core.store import load_review

    if (new is None) == (rev is None):
        raise click.UsageError("give either two files (OLD NEW) or one file and --rev GITREV")
    try:
        if rev is not None:
            after = load_review(old)
            before = review_at_rev(after, rev)
            labels = (f"{old}@{rev}", f"{old} (working copy)")
        else:
            assert new is not None  # checked above: exactly one of new and rev
            before, after = load_review(old), load_review(new)
            labels = (str(old), str(new))
    except WorkbookError as exc:
        fail(exc)
    if before.review.template != after.review.template:
        fail(WorkbookError(f"{new or old}: template: {after.review.template} is not {before.review.template}; "
                           "only versions of the same review can be compared"))
    d = diff_reviews(before.review, after.review, after.template, today or dt.date.today(), *labels)
    if fmt == "md":
        click.echo(diff_markdown(d), nl=False)
    else:
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False)
        for line in diff_lines(d):
            console.print(Text(terminal_safe(line)))


@cli.command(epilog=examples(
    "workbook portfolio reviews/",
    "workbook portfolio reviews/ --only overdue --sort overdue --tui",
))
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--format", "fmt", type=click.Choice(["text", "md", "csv", "json"]), default="text", show_default=True)
@click.option("--sort", "sort_by",
              type=click.Choice(["name", "verdict", "readiness", "open", "overdue", "high", "date", "stage"]),
              default="verdict", show_default=True, help="Weakest, most overdue or riskiest first.")
@click.option("--only", "only", multiple=True,
              type=click.Choice(["overdue", "unowned", "high-risk", "demo-only", "pilot", "production", "errors"]),
              help="Keep only these programs (repeat to combine).")
@click.option("--tui", is_flag=True, help="Show the portfolio in the TUI; enter opens a program's review.")
@today_option
def portfolio(paths: tuple[Path, ...], fmt: str, sort_by: str, only: tuple[str, ...], tui: bool,
              today: dt.date | None) -> None:
    """One row per program across review files and folders. Exit 2 when any file could not be read."""
    from workbook.core.discover import find_review_files
    from workbook.core.portfolio import build_rows, keep, print_text, render_csv, render_json, render_md, sort_rows
    from workbook.core.progress import tracked

    day = today or dt.date.today()
    files = find_review_files(list(paths))
    if not files:
        fail(WorkbookError(f"no review files found in {', '.join(map(str, paths))}"))
    if tui:  # the screen reads the files itself, off the UI thread: not twice
        from workbook.tui.app import make_app, user_config

        make_app(None, today=today, portfolio=(list(files), sort_by, only), config=user_config()).run()
        return
    rows = build_rows(tracked(files.texts(), "Reading"), day)  # text: each row keeps the list's string
    failed = sum(1 for r in rows if r.error is not None)
    shown = sort_rows([r for r in rows if keep(r, only)], sort_by)
    if fmt == "md":
        click.echo(render_md(shown), nl=False)
    elif fmt == "csv":
        click.echo(render_csv(shown), nl=False)
    elif fmt == "json":
        click.echo(render_json(shown, day), nl=False)
    else:
        from rich.console import Console

        print_text(Console(highlight=False), shown, len(rows), failed)
    if failed:
        sys.exit(2)


# allow_extra_args: `--traces a.jsonl b.jsonl` (the files after the first arrive as extra arguments).
@cli.command(context_settings={"allow_extra_args": True}, epilog=examples(
    "workbook measure review.toml --traces traces.jsonl",
    'workbook measure review.toml --traces a.jsonl b.jsonl --stage "Prompt construction=build_prompt*" --format md',
    "workbook measure review.toml --traces traces.jsonl --write",
    "workbook measure review.toml --traces traces.jsonl --since 2026-12-01 --until 2026-12-07 --format md",
))
@click.argument("path", type=click.Path(path_type=Path, readable=False))
@click.option("--traces", "traces", multiple=True, required=True, type=click.Path(path_type=Path, readable=False),
              metavar="FILE", help="OTLP/JSON lines or protobuf (the collector's file exporter); several allowed.")
@click.option("--stage", "stages", multiple=True, metavar="NAME=GLOB",
              help="Spans whose name matches GLOB are the stage NAME (for stages without a convention).")
@click.option("--root", "root", default=None, metavar="GLOB", help="The request's root span, by name.")
@click.option("--outcomes", type=click.Path(path_type=Path, readable=False), default=None, metavar="CSV",
              help="trace_id,success per request; without it success is the root's outcome attribute, "
                   "else technical (root not in error).")
@click.option("--outcome-attribute", "outcome_attribute", default=None, metavar="KEY",
              help="The root span attribute saying success (true/false, success/failure) [default: app.outcome].")
@click.option("--since", "since", default=None, metavar="WHEN",
              help="Only requests whose root starts at or after WHEN (ISO date or date-time, UTC).")
@click.option("--until", "until", default=None, metavar="WHEN",
              help="Only requests whose root starts before WHEN (a date: to the end of that day).")
@click.option("--logs", "logs", multiple=True, type=click.Path(path_type=Path, readable=False), metavar="FILE",
              help="OTLP/JSON log lines: evaluation (feedback) and correction events; repeat for several files.")
@click.option("--correction-event", "correction_event", default=None, metavar="NAME",
              help="The event name the application logs when a person corrects an output "
                   "[default: app.output.corrected].")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True)
@click.option("--write", "write", is_flag=True,
              help="Record the measurement in the review ([[measurements]]) and answer what it measures.")
@click.option("--sample", "sample", type=click.FloatRange(0, 1, min_open=True), default=None, metavar="RATE",
              help="Keep this share of the traces, by a hash of the trace id; the p95's interval is stated.")
@today_option
@click.pass_context
def measure(ctx: click.Context, path: Path, traces: tuple[Path, ...], stages: tuple[str, ...], root: str | None,
            outcomes: Path | None, since: str | None, until: str | None, logs: tuple[Path, ...],
            correction_event: str | None, fmt: str, write: bool, sample: float | None,
            outcome_attribute: str | None, today: dt.date | None) -> None:
    """The review's estimates against production traces: measured, estimated, and what is off.

    Reads traces; changes nothing in the review unless --write. See docs/measure.md."""
    from workbook.core.measure.logs import DEFAULT_CORRECTION
    from workbook.core.measure.outcomes import DEFAULT_OUTCOME_ATTRIBUTE
    from workbook.core.measure.progress import FileProgress
    from workbook.core.measure.report import render_json, render_md, render_text
    from workbook.core.measure.run import Options, parse_when, run
    from workbook.core.measure.stages import parse_stage
    from workbook.core.store import load_review

    try:
        rules = tuple(parse_stage(s) for s in stages)
    except ValueError as exc:
        raise click.UsageError(f"--stage: {exc}") from None
    try:
        window = (parse_when(since) if since else None, parse_when(until, end=True) if until else None)
    except ValueError as exc:
        raise click.UsageError(f"--since/--until: {exc}") from None
    if correction_event is not None and not correction_event.strip():
        raise click.UsageError("--correction-event: give the event's name")
    if outcome_attribute is not None and not outcome_attribute.strip():
        raise click.UsageError("--outcome-attribute: give the attribute's name")
    files = traces + tuple(Path(a) for a in ctx.args)
    try:
        rf = load_review(path)
        with FileProgress(files) as bar:  # on stderr, only on a terminal outside CI
            m, sources = run(rf.review, rf.template, str(path),
                             Options(files, rules, root, outcomes, *window, logs,
                                     (correction_event or DEFAULT_CORRECTION).strip(), sample,
                                     bar.update if bar.enabled else None,
                                     (outcome_attribute or DEFAULT_OUTCOME_ATTRIBUTE).strip()))
    except WorkbookError as exc:
        fail(exc)
    render = {"md": render_md, "json": render_json}.get(fmt, render_text)
    click.echo(render(m, sources), nl=False)
    if write:
        _write_measurement(rf, m, files, today or dt.date.today())


def _write_measurement(rf: Any, m: Any, files: tuple[Path, ...], today: dt.date) -> None:
    """Record it and save as every save does (atomic; merged with the file if it changed meanwhile).
    What was written goes to stderr: stdout stays the report (JSON for a pipe)."""
    from workbook.core.disk_merge import DiskMerge, save_merging
    from workbook.core.measure.record import write

    try:
        said = write(rf.review, rf.template, m, files, today)
        saved = save_merging(rf)
    except WorkbookError as exc:
        fail(exc)
    if isinstance(saved, DiskMerge):
        fail(WorkbookError(f"{rf.path}: changed on disk meanwhile, and the same answers differ: not saved; "
                           "measure again once it is settled"))
    for line in said:
        click.echo(terminal_safe(f"workbook: {line}"), err=True)
    click.echo(terminal_safe(f"workbook: saved {rf.path}"), err=True)


def main() -> None:
    try:
        cli(prog_name="workbook")
    except WorkbookError as exc:  # a core error that escaped a command: still one line, exit 2
        fail(exc)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # `workbook export ... | head`: the reader left; not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
