"""Live respondents: one file per respondent in a folder, a safe claim on each name, a tally, a merge.

``workbook serve REVIEW --respondents DIR`` lets each visitor give a name and answer the review's
template in ``DIR/<name>.toml``. A name becomes a file name that cannot leave the folder (letters,
digits and dashes only) and is claimed exclusively (``DIR/.claims/<name>``, created with O_EXCL, holding
a hash of the visitor's browser key): a second visitor with the same name is refused, while the same
browser coming back resumes its own file. The facilitator's TUI reads the folder (``scan``), shows per
question how many answered and where they disagree (``tally``), and merges them into the review with
the existing merge (``merge_into``): nothing here ever writes the facilitator's review.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from workbook.core.errors import WorkbookError
from workbook.core.merge import merge_reviews, respondent_name
from workbook.core.models import Answer, Review, Status, Template
from workbook.core.store import ReviewFile, create_review_file, load_review, new_review
from workbook.core.text import clean_line

CLAIMS = ".claims"  # where names are claimed; a dot folder, so never taken for a respondent's file
MAX_STEM = 40
MAX_NAME = 80


@dataclass(frozen=True)
class Invite:
    """What a served visitor answers: the review's template and program, in a folder of their own files."""

    folder: Path
    template: Template
    program_name: str
    template_file: str | None  # the template's file, relative to the folder (custom templates only)
    visitor: str = ""  # the visitor's browser key (a cookie the server set); "" when unknown


def invite_for(review_file: ReviewFile, folder: Path, visitor: str = "") -> Invite:
    """The invitation to answer ``review_file``'s template in ``folder``."""
    template_file = None
    if review_file.review.template_file:
        source = (Path(review_file.path).parent / review_file.review.template_file).resolve()
        template_file = os.path.relpath(source, Path(folder).resolve())
    return Invite(Path(folder), review_file.template, review_file.review.program.name, template_file, visitor)


def safe_stem(name: str) -> str:
    """A file name for a respondent's name: lower-case letters, digits and dashes, never a path.

    'Ana López' -> 'ana-lopez'; '../../etc/passwd' -> 'etc-passwd'; a name with nothing usable -> ''.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded))[:MAX_STEM].strip("-")


def _visitor_hash(visitor: str) -> str:
    return hashlib.sha256(visitor.encode("utf-8")).hexdigest() if visitor else ""


def check_name(name: str) -> str | None:
    """Why a name cannot be used (None: it can)."""
    cleaned = clean_line(name)
    if not cleaned:
        return "Enter your name."
    if len(cleaned) > MAX_NAME:
        return f"At most {MAX_NAME} characters."
    if not safe_stem(cleaned):
        return "Use at least one letter or digit."
    return None


def join(invite: Invite, name: str, today: dt.date) -> ReviewFile:
    """Create this respondent's file, or resume it when the same browser claimed the name before.

    Raises WorkbookError with a sentence for the visitor when the name is taken or unusable.
    """
    problem = check_name(name)
    if problem:
        raise WorkbookError(problem)
    cleaned = clean_line(name)
    stem = safe_stem(cleaned)
    folder = Path(invite.folder)
    target = folder / f"{stem}.toml"
    claims = folder / CLAIMS
    claims.mkdir(exist_ok=True)
    claim = claims / stem
    mine = _visitor_hash(invite.visitor)
    try:
        fd = os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        try:
            held = claim.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            held = ""
        if mine and held == mine and target.is_file():
            return load_review(target, invite.template)  # the same browser, back again
        taken = f"Someone already answers as {cleaned!r} ({stem}.toml). Add a surname or an initial."
        raise WorkbookError(taken) from None
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(mine + "\n")
    if os.path.lexists(target):  # a file nobody claimed here (copied in by hand): never replaced
        claim.unlink()  # and not claimed now either: trying again must not open it as this visitor's
        raise WorkbookError(f"{stem}.toml already exists in the respondents' folder. Choose another name.")
    review = new_review(invite.template, invite.program_name, today, invite.template_file)
    review.respondent = cleaned
    return create_review_file(target, review, invite.template)


# --------------------------------------------------------------------------- the facilitator's side


@dataclass
class Folder:
    """The respondents' files as last read, re-read only when a file's size or time changed."""

    path: Path
    template: Template
    files: dict[Path, ReviewFile] = field(default_factory=dict)
    errors: dict[Path, str] = field(default_factory=dict)
    _seen: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def scan(self) -> bool:
        """Read new and changed files, forget removed ones; True when anything changed."""
        try:
            paths = sorted(p for p in self.path.glob("*.toml") if p.is_file())
        except OSError as exc:
            changed = self.errors.get(self.path) != str(exc)
            self.errors = {self.path: f"cannot read the folder: {exc.strerror or exc}"}
            return changed
        changed = False
        for gone in set(self._seen) - set(paths):
            self._seen.pop(gone, None)
            self.files.pop(gone, None)
            self.errors.pop(gone, None)
            changed = True
        for path in paths:
            try:
                st = path.stat()
            except OSError:
                continue
            stamp = (st.st_mtime_ns, st.st_size)
            if self._seen.get(path) == stamp:
                continue
            self._seen[path] = stamp
            changed = True
            try:
                rf = load_review(path, self.template)
            except WorkbookError as exc:
                self.files.pop(path, None)
                self.errors[path] = exc.lines()[0] if exc.lines() else str(exc)
                continue
            if (rf.review.template, rf.review.template_version) != (self.template.id, self.template.version):
                self.files.pop(path, None)
                self.errors[path] = (f"made with {rf.review.template} {rf.review.template_version}, not "
                                     f"{self.template.id} {self.template.version}: left out")
                continue
            self.errors.pop(path, None)
            self.files[path] = rf
        return changed

    @property
    def respondents(self) -> list[ReviewFile]:
        return [self.files[p] for p in sorted(self.files)]


@dataclass(frozen=True)
class QuestionTally:
    question_id: str
    answered: int  # respondents who gave an answer (unknown, deferred and not applicable count)
    respondents: int
    disagree: bool
    answers: dict[str, Answer]  # respondent -> their answer, for those who answered


def tally(files: list[ReviewFile], template: Template) -> dict[str, QuestionTally]:
    """Per question of the template: how many answered and whether they disagree."""
    names: list[str] = []
    for rf in files:
        names.append(respondent_name(rf, set(names)))
    disagreed: set[str] = set()
    if len(files) >= 2:
        disagreed = set(merge_reviews(files).disagreed)
    result = {}
    for _, question in template.questions():
        given = {who: rf.review.answers[question.id] for who, rf in zip(names, files)
                 if question.id in rf.review.answers and rf.review.answers[question.id].status is not Status.UNANSWERED}
        result[question.id] = QuestionTally(question.id, len(given), len(files), question.id in disagreed, given)
    return result


@dataclass(frozen=True)
class Merged:
    answers: dict[str, Answer]  # question id -> the answer to put in the review
    agreed: int
    single: int
    disagreed: int
    kept: list[str]  # questions the review already answers: left as they are


def merge_into(review: Review, files: list[ReviewFile]) -> Merged:
    """What merging the respondents into ``review`` changes: the existing merge, question by question.

    A question the review already settled (answered, deferred, unknown, not applicable, or with notes
    of its own) is kept; every other question takes the merged answer: agreement and a lone answer
    are taken, a disagreement keeps each respondent's answer for the facilitator to settle. Merging
    again after more answers arrive updates the questions still open.
    """
    if not files:
        raise WorkbookError("no respondent has answered yet")
    if len(files) == 1:
        merged = _alone(files[0])
        agreed, disagreed = [], []
        single = [qid for qid in merged.answers if merged.answers[qid].status is not Status.UNANSWERED]
    else:
        report = merge_reviews(files)
        merged, agreed, disagreed, single = report.review, report.agreed, report.disagreed, list(report.single)
    answers, kept = {}, []
    for qid, answer in merged.answers.items():
        current = review.answers.get(qid)
        if current is not None and (current.status is not Status.UNANSWERED or current.notes):
            if current.model_dump() != answer.model_dump():
                kept.append(qid)
            continue
        if current is None or current.model_dump() != answer.model_dump():
            answers[qid] = answer
    return Merged(answers, len(agreed), len(single), len(disagreed), kept)


def _alone(rf: ReviewFile) -> Review:
    """One respondent: each answer taken, and who gave it kept (as the merge does for a lone answer)."""
    who = respondent_name(rf, set())
    merged = rf.review.model_copy(deep=True)
    for answer in merged.answers.values():
        if answer.status is not Status.UNANSWERED and not answer.responses:
            answer.responses = {who: Answer.model_validate(answer.model_dump(exclude={"responses"}))}
    return merged


def respondents_folder(review: Path, folder: Path) -> None:
    """The respondents' folder exists (made if missing) and does not hold the review itself."""
    if os.path.realpath(review.parent) == os.path.realpath(folder):
        raise WorkbookError(f"{folder}: holds the review itself; give the respondents a folder of their own")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookError(f"{folder}: cannot create the respondents' folder: {exc.strerror or exc}") from None


def load_with_respondents(review: Path, folder: Path | None) -> ReviewFile:
    """The review, and (when live respondents answer in ``folder``) their folder checked and made."""
    rf = load_review(review)
    if folder is not None:
        respondents_folder(review, folder)
    return rf
