"""Live respondents: one file per respondent in a folder, a safe claim on each name, a tally, a merge.

``workbook serve REVIEW --respondents DIR`` lets each visitor give a name and answer the review's
template in ``DIR/<name>.toml``. A name becomes a file name that cannot leave the folder (letters of
any script, digits and dashes only) and is claimed exclusively (``DIR/.claims/<key>``, created with
O_EXCL, holding a hash of the visitor's browser key and the file's name; the key is the name case-folded,
so "Straße" and "STRASSE" are one name): a second visitor with the same name is refused, while the same
browser coming back resumes its own file. A claim whose file could not be written is taken back.
The facilitator's TUI reads the folder (``scan``), shows per question how many answered and where they
disagree (``tally``), and merges them into the review with the existing merge (``merge_into``): nothing
here ever writes the facilitator's review.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from workbook.core.errors import SaveError, WorkbookError
from workbook.core.merge import merge_reviews, respondent_name
from workbook.core.models import Answer, Review, Status, Template
from workbook.core.store import ReviewFile, create_review_file, load_review, new_review
from workbook.core.text import clean_line

CLAIMS = ".claims"  # where names are claimed; a dot folder, so never taken for a respondent's file
MAX_STEM = 40  # characters, as ever: a name keeps the file it had
MAX_STEM_BYTES = 120  # UTF-8: with ".toml" and a save's temporary name, far under a file system's 255
MAX_NAME = 80
# Letters that show as nothing (Hangul fillers): a name of them alone would be an invisible file name.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


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

    'Ana López' -> 'ana-lopez'; 'Дмитрий Иванов' -> 'дмитрий-иванов'; 'ß straße' -> 'ß-straße';
    '../../etc/passwd' -> 'etc-passwd'; a name with nothing usable -> ''.
    A character with an ASCII form (Latin letters with accents, full-width letters) is written in it, as
    always, so a name keeps the file it had; other scripts' letters, digits and their combining marks
    are kept (NFC); what else has an ASCII form separates words; controls, format characters and any
    other symbol vanish. Never starts with a dot, at most MAX_STEM characters and MAX_STEM_BYTES bytes.
    """
    out: list[str] = []
    letter = False  # the last character kept was another script's letter: its marks stay with it
    for ch in unicodedata.normalize("NFC", name):
        ascii_form = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
        kind = unicodedata.category(ch)
        if ascii_form:
            out.append(re.sub(r"[^a-z0-9]+", "-", ascii_form.lower()))
            letter = False
        elif kind[0] in "LN" and ch not in _BLANK_LETTERS:
            out.append(ch.lower())
            letter = True
        elif kind[0] == "M" and letter:
            out.append(ch)
        elif kind != "Cf":  # a joiner inside a word (Persian, Indic) neither splits nor ends it
            letter = False
    stem = unicodedata.normalize("NFC", re.sub(r"-+", "-", "".join(out))).strip("-")
    cut = min(len(stem), MAX_STEM)
    while cut and len(stem[:cut].encode("utf-8")) > MAX_STEM_BYTES:
        cut -= 1
    while 0 < cut < len(stem) and unicodedata.category(stem[cut])[0] == "M":
        cut -= 1  # never part of a letter: its marks go with it
    return stem[:cut].strip("-")


def claim_key(stem: str) -> str:
    """The claim's name for a file name: case-folded (NFKC), so names that differ only in case or form
    are one name; the same as the file name for ASCII (claims from before keep working)."""
    key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", stem).casefold())
    if len(key.encode("utf-8")) > 200 or key.startswith(".") or any(c in key for c in "/\\\0"):
        return "~" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
    return key


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


def _held(claim: Path) -> tuple[str, str]:
    """The browser hash a claim holds and the file name it claims ("" when unreadable or not said; a
    claim from before file names could differ from claims holds only the hash: its file is its name).
    A symbolic link is never followed."""
    try:
        fd = os.open(claim, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return "", ""
    with os.fdopen(fd, encoding="utf-8", errors="replace") as fh:
        lines = fh.read(1000).splitlines()
    held = lines[0].strip() if lines else ""
    stem = unicodedata.normalize("NFC", lines[1].strip()) if len(lines) > 1 else ""
    if not stem:
        stem = unicodedata.normalize("NFC", claim.name)  # a file system may hand names back decomposed
    return held, stem if claim_key(stem) == unicodedata.normalize("NFC", claim.name) else ""


def returning(invite: Invite) -> str | None:
    """The name this browser already answers under in this folder, or None (a new visitor).

    Claims live in the review's own respondents' folder, so this is per review: the same browser is
    a new visitor to another review. When it claimed several names (a typo, then the right one),
    the file answered in most recently wins.
    """
    mine = _visitor_hash(invite.visitor)
    if not mine:
        return None
    folder = Path(invite.folder)
    try:
        claims = [_held(c) for c in (folder / CLAIMS).iterdir()]
    except OSError:
        return None
    found = []
    for held, stem in claims:
        if held != mine or not stem:
            continue
        try:
            found.append((os.stat(folder / f"{stem}.toml").st_mtime_ns, stem))
        except OSError:
            continue
    for _, stem in sorted(found, reverse=True):
        try:
            rf = load_review(folder / f"{stem}.toml", invite.template)
        except WorkbookError:
            continue
        name = clean_line(rf.review.respondent or "")
        if name and claim_key(safe_stem(name)) == claim_key(stem):
            return name
    return None


def join(invite: Invite, name: str, today: dt.date) -> ReviewFile:
    """Create this respondent's file, or resume it when the same browser claimed the name before.

    Raises WorkbookError with a sentence for the visitor when the name is taken or unusable, or when
    the file cannot be written; then the name is not left claimed: trying again (from any browser) works.
    """
    problem = check_name(name)
    if problem:
        raise WorkbookError(problem)
    cleaned = clean_line(name)
    stem = safe_stem(cleaned)
    folder = Path(invite.folder)
    claims = folder / CLAIMS
    claim = claims / claim_key(stem)
    mine = _visitor_hash(invite.visitor)
    try:
        claims.mkdir(exist_ok=True)
        fd = os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        held, held_stem = _held(claim)
        if not (mine and held == mine and held_stem):
            # Never the file's name: it is another respondent's, and says nothing the visitor needs.
            raise WorkbookError(f"Someone else already answers as {cleaned!r}. Add a surname or an initial.") from None
        target = folder / f"{held_stem}.toml"  # "STRASSE" after "Straße": the file this browser has
        if target.is_file():
            return load_review(target, invite.template)  # the same browser, back again
        return _create(invite, target, cleaned, today)  # their claim, but the file was removed: a new one
    except OSError as exc:
        raise _not_written(exc) from None
    # The claim and the file are one step: a claim whose file is not written is taken back.
    try:
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(f"{mine}\n{stem}\n")
        except OSError as exc:
            raise _not_written(exc) from None
        target = folder / f"{stem}.toml"
        if os.path.lexists(target):  # a file nobody claimed here (copied in by hand): never replaced
            raise WorkbookError(f"The name {cleaned!r} is taken. Choose another name.")
        return _create(invite, target, cleaned, today)
    except BaseException:
        try:
            claim.unlink()  # not claimed now either: trying again must neither be refused nor open it
        except OSError:
            pass
        raise


def _create(invite: Invite, target: Path, name: str, today: dt.date) -> ReviewFile:
    review = new_review(invite.template, invite.program_name, today, invite.template_file)
    review.respondent = name
    try:
        return create_review_file(target, review, invite.template)
    except OSError as exc:
        raise _not_written(exc) from None
    except SaveError as exc:  # said for the facilitator's file ("the file is unchanged"): not for a visitor
        reason = exc.problems[0].message.rpartition(": ")[2] if exc.problems else ""
        raise _not_written(OSError(errno.EIO, reason or "not saved")) from None


def _not_written(exc: OSError) -> WorkbookError:
    """Said to the visitor when their claim or file cannot be written (nothing is left claimed)."""
    full = exc.errno == errno.ENOSPC or "No space left" in str(exc)
    why = "the disk is full" if full else (exc.strerror or str(exc))
    return WorkbookError(f"Your file could not be created ({why}). Try again, or tell the facilitator.")


# --------------------------------------------------------------------------- the facilitator's side


def _why_left_out(exc: WorkbookError) -> str:
    """Why a file in the respondents' folder is not a respondent's review, in a few words."""
    problems = exc.problems
    if any(p.where in ("template", "program") and "is required" in p.message for p in problems):
        return "not a review"
    first = problems[0] if problems else None
    if first is None:
        return "unreadable"
    if not first.where:  # the file itself: permissions, a link to nowhere, too big
        return f"unreadable: {first.message}"
    if first.where == "(top level)":  # a template, or a TOML file with none of a review's keys
        message = first.message.removeprefix("this file is ")
        return message if message != first.message else f"not a review: {message}"
    if re.fullmatch(r"\d+:\d+", first.where):  # line:column: not text, or not TOML
        return f"unreadable: {first.where}: {first.message}"
    return f"not a valid review: {first.where}: {first.message}"


def has_answers(rf: ReviewFile) -> bool:
    """The respondent recorded something (an answer, a status or a note), not only their name."""
    return any(not answer.is_empty for answer in rf.review.answers.values())


@dataclass
class Folder:
    """The respondents' files as last read, re-read only when a file's size or time changed.

    Only reviews of this template and program count. Anything else in the folder (an empty file,
    a stray TOML, an unreadable file, another program's review) is listed in ``stray`` with why,
    never counted. A respondent who joined but recorded nothing counts, unless ``leave_out_unanswered``.
    """

    path: Path
    template: Template
    program: str | None = None  # the review's program; None: any program's review counts
    files: dict[Path, ReviewFile] = field(default_factory=dict)
    stray: dict[Path, str] = field(default_factory=dict)
    leave_out_unanswered: bool = False
    _seen: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def scan(self) -> bool:
        """Read new and changed files, forget removed ones; True when anything changed."""
        try:
            paths = sorted(p for p in self.path.glob("*.toml") if p.is_file())
        except OSError as exc:
            changed = self.stray.get(self.path) != str(exc)
            self.stray = {self.path: f"cannot read the folder: {exc.strerror or exc}"}
            return changed
        changed = False
        for gone in set(self._seen) - set(paths):
            self._seen.pop(gone, None)
            self.files.pop(gone, None)
            self.stray.pop(gone, None)
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
            why = self._read(path) if st.st_size else "empty file"
            if why is not None:
                self.files.pop(path, None)
                self.stray[path] = why
        return changed

    def _read(self, path: Path) -> str | None:
        """Read one file in as a respondent's; or why it is left out."""
        try:
            rf = load_review(path, self.template)
        except WorkbookError as exc:
            return _why_left_out(exc)
        if (rf.review.template, rf.review.template_version) != (self.template.id, self.template.version):
            return f"another template's review ({rf.review.template} {rf.review.template_version})"
        if self.program is not None and rf.review.program.name != self.program:
            return f"another program's review ({rf.review.program.name!r})"
        self.stray.pop(path, None)
        self.files[path] = rf
        return None

    @property
    def respondents(self) -> list[ReviewFile]:
        """The files that count: in the tally, its totals, and the merge."""
        return [rf for p, rf in sorted(self.files.items()) if has_answers(rf) or not self.leave_out_unanswered]

    @property
    def unanswered(self) -> list[ReviewFile]:
        """Respondents who joined but have recorded nothing yet (counted unless left out)."""
        return [rf for _, rf in sorted(self.files.items()) if not has_answers(rf)]


def _taken_from_one(answer: Answer) -> bool:
    """One respondent's lone answer as an earlier merge took it, untouched since (not the review's own yet)."""
    if len(answer.responses) != 1 or answer.status is Status.UNANSWERED:
        return False
    response = next(iter(answer.responses.values()))
    return answer.model_dump(exclude={"responses"}) == response.model_dump(exclude={"responses"})


def review_keeps(current: Answer | None) -> bool:
    """The review has an answer (or notes) of its own for this question: a merge leaves it as it is.

    A lone respondent's answer that an earlier merge took, untouched since, is not the review's own:
    a later merge updates it when a second respondent agrees or differs.
    """
    if current is None:
        return False
    if current.status is Status.UNANSWERED:
        return bool(current.notes)
    return not _taken_from_one(current)


@dataclass(frozen=True)
class QuestionTally:
    question_id: str
    answered: int  # respondents who gave an answer (unknown, deferred and not applicable count)
    respondents: int
    disagree: bool  # the respondents differ (see ``settled``: the review may have decided already)
    answers: dict[str, Answer]  # respondent -> their answer, for those who answered
    # The status of the review's own answer, which a merge keeps whatever they say (None: none).
    kept: Status | None = None

    @property
    def settled(self) -> bool:
        """The review answers it (or deferred it, or left it unknown): nothing left for a merge to do."""
        return self.kept is not None

    @property
    def open_disagreement(self) -> bool:
        """The respondents differ and the review has not settled it: what the facilitator still has to do."""
        return self.disagree and not self.settled


def tally(files: list[ReviewFile], template: Template, review: Review | None = None) -> dict[str, QuestionTally]:
    """Per question of the template: how many answered, whether they disagree, whether ``review`` settled it."""
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
        current = review.answers.get(question.id) if review is not None else None
        kept = current.status if current is not None and review_keeps(current) else None
        result[question.id] = QuestionTally(question.id, len(given), len(files), question.id in disagreed, given,
                                            kept)
    return result


@dataclass(frozen=True)
class Merged:
    """What a merge changes. Each updated question is in exactly one of the four kinds."""

    answers: dict[str, Answer]  # question id -> the answer to put in the review
    agreed: int  # of the updated: two or more respondents gave the same answer
    single: int  # of the updated: one respondent's answer
    disagreed: int  # of the updated: the respondents differ (kept for settling)
    notes: int  # of the updated: notes only, nobody answered
    kept: list[str]  # questions the review already answers and the respondents say otherwise: left as they are
    open_disagreements: int  # disagreements in the review after this merge, left to settle

    def summary(self, respondents: int) -> str:
        """One sentence whose numbers add up: the updated questions by kind, then what is left."""
        kinds = [f"{self.agreed} agreed", f"{self.single} by one respondent",
                 f"{self.disagreed} disagreement(s)"] + ([f"{self.notes} notes only"] if self.notes else [])
        text = f"Merged {respondents} respondent(s): {len(self.answers)} question(s) updated ({', '.join(kinds)})"
        text += f"; {self.open_disagreements} disagreement(s) left to settle"
        if self.kept:
            text += f"; {len(self.kept)} question(s) the review already answers kept as they are"
        return text + "."


def merge_into(review: Review, files: list[ReviewFile]) -> Merged:
    """What merging the respondents into ``review`` changes: the existing merge, question by question.

    A question the review already settled (answered, deferred, unknown, not applicable, or with notes
    of its own) is kept; every other question takes the merged answer: agreement and a lone answer
    are taken, a disagreement keeps each respondent's answer for the facilitator to settle. Merging
    again after more answers arrive updates the questions still open, and a lone answer taken before
    and untouched since (a second respondent may now agree or differ). The counts are of the updated
    questions, one kind each, and of the disagreements the review has left after this merge.
    """
    if not files:
        raise WorkbookError("no respondent has answered yet")
    if len(files) == 1:
        merged = _alone(files[0])
        single = {qid for qid, answer in merged.answers.items() if answer.status is not Status.UNANSWERED}
    else:
        report = merge_reviews(files)
        merged, single = report.review, set(report.single)
    answers, kept = {}, []
    for qid, answer in merged.answers.items():
        current = review.answers.get(qid)
        if review_keeps(current):
            if current is not None and current.model_dump() != answer.model_dump():
                kept.append(qid)
            continue
        if current is None or current.model_dump() != answer.model_dump():
            answers[qid] = answer
    kinds = {"agreed": 0, "single": 0, "disagreed": 0, "notes": 0}
    for qid, answer in answers.items():
        kind = ("disagreed" if answer.disagreement else "single" if qid in single
                else "agreed" if answer.status is not Status.UNANSWERED else "notes")
        kinds[kind] += 1
    after = {**review.answers, **answers}
    left = sum(1 for answer in after.values() if answer.disagreement)
    return Merged(answers, kinds["agreed"], kinds["single"], kinds["disagreed"], kinds["notes"], kept, left)


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
