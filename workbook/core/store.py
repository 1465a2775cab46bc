"""Review files on disk: load with clear errors, save atomically, never overwrite someone else's work.

Guarantees (README, "Your files are safe"); the writing itself is ``safe_write.write_file``:
- a save writes a temp file in the same folder, fsyncs it, re-parses it, then ``os.replace``s it
  over the target, so a crash leaves either the old file or the new one, never a torn one;
- the file's permission bits are kept, and a symlink stays a symlink to the rewritten target (but a
  symlink put in the review's place after it was opened is never written through);
- any failure (a full disk, the file made unreadable, replaced by a folder or a pipe) is a SaveError;
- if the file changed on disk since it was loaded, the save is refused with ConflictError (the
  caller then merges with the file on disk: ``merge_with_disk``); the check and the replace are one
  critical section across processes (an advisory lock on the review's folder);
- the file's owner and group are kept where the process may set them;
- a save that would write the bytes already on disk writes nothing;
- keys the model does not know are written back unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbook.core.answer_values import check_review
from workbook.core.errors import ConflictError, FileError, Problem, SaveError
from workbook.core.models import SCHEMA_VERSION, Program, Review, Template
from workbook.core.safe_write import STDOUT, write_file
from workbook.core.serialize import DumpCache, review_dict
from workbook.core.templates import find_template
from workbook.core.tomlio import decode, load_toml, parse, validation_problems


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class LinkId:
    """A symlink as it was when a review was opened through it: the link itself and where it led."""

    dev: int
    ino: int
    target: str


def link_id(path: Path) -> LinkId | None:
    """The symlink at ``path`` now, or None when the path is not one (or not there)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISLNK(st.st_mode):
        return None
    return LinkId(st.st_dev, st.st_ino, os.path.realpath(path))


def check_not_relinked(path: Path, opened: LinkId | None) -> None:
    """Refuse to write through a symlink that is not the one the review was opened through: the review
    replaced by a link would otherwise have the link's target (any file of the user's) overwritten."""
    now = link_id(path)
    if now is None or now == opened:
        return
    what = "was replaced by a link" if opened is None else "is now a different link"
    raise SaveError([Problem(str(path), "", f"not saved: the file {what} (to {now.target}); "
                             "nothing was written through it")])


@dataclass
class ReviewFile:
    """A review, the template it was checked against, and what its file held when loaded."""

    path: Path
    review: Review
    template: Template
    disk_digest: str | None = None  # None: not on disk yet
    notices: list[str] = field(default_factory=list)
    # The bytes on disk when loaded or last saved: the base of a three-way merge with the file on disk.
    base_data: bytes | None = field(default=None, repr=False)
    # Each answer's TOML text from earlier saves: a save dumps and re-checks only what changed.
    dump_cache: DumpCache = field(default_factory=DumpCache, repr=False, compare=False)
    # The symlink the path was when opened (None: not a link): a save never follows one that appeared later.
    link: LinkId | None = field(default=None, repr=False, compare=False)

    @property
    def orphans(self) -> list[str]:
        return self.review.orphans(self.template)


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring an older file's data up to the current schema (there is only schema 1 so far)."""
    return raw


def apply_renames(review: Review, template: Template) -> list[str]:
    """Move answers filed under a question's former id to its current id."""
    notices = []
    for _, q in template.questions():
        for old in q.renamed_from:
            if old in review.answers and q.id not in review.answers:
                review.answers[q.id] = review.answers.pop(old)
                notices.append(f"answer to {old!r} moved to renamed question {q.id!r}")
    return notices


def review_from_data(raw: dict[str, Any], path: Path | str) -> Review:
    try:
        return Review.model_validate(migrate(raw))
    except ValidationError as exc:
        raise FileError(validation_problems(path, exc)) from None


# Templates found for a batch of reviews (check, portfolio): (template or template_file, folder) -> template.
# The lookup tries up to four places and stats the file found; thousands of reviews share a few templates.
TemplateMemo = dict[tuple[str, Path], Template]


def _template_for(review: Review, path: Path, memo: TemplateMemo | None = None) -> Template:
    key = (review.template_file or review.template, path.parent)
    try:
        template = memo.get(key) if memo is not None else None
        if template is None:
            template, _ = find_template(key[0], near=path.parent)
            if memo is not None:
                memo[key] = template
    except FileError as exc:
        first = exc.problems[0]
        where = "template_file" if review.template_file else "template"
        if first.path:  # the template file itself is broken: say so with its own position
            raise
        raise FileError.at(path, where, first.message) from None
    if template.id != review.template:  # answers checked against another question bank
        raise FileError.at(path, "template_file", f"{review.template_file} is template {template.id!r}, "
                           f"but this review is for template {review.template!r}")
    return template


def load_review(path: Path | str, template: Template | None = None, memo: TemplateMemo | None = None) -> ReviewFile:
    """``memo``: templates found for earlier files of the same batch, reused (a batch sees one version)."""
    path = Path(path)
    link = link_id(path)  # before reading: a link swapped in after this is never followed by a save
    raw, data = load_toml(path)
    rf = _checked(path, raw, data, template, memo=memo)
    rf.link = link
    return rf


def load_review_bytes(label: str, data: bytes, near: Path, template: Template | None = None) -> ReviewFile:
    """A review from bytes that are not a file of their own (an older version read from git)."""
    raw = parse(Path(label), decode(Path(label), data))
    return _checked(near / Path(label).name, raw, data, template, label=label)


def _checked(
    path: Path, raw: dict[str, Any], data: bytes, template: Template | None, label: str | None = None,
    memo: TemplateMemo | None = None,
) -> ReviewFile:
    review = review_from_data(raw, label or path)
    if template is None:
        template = _template_for(review, path, memo)
    notices = apply_renames(review, template)
    problems = check_review(review, template, label or str(path))
    if problems and review.template_version != template.version:
        # Made with another template version: answers that no longer fit (a choice removed, a kind
        # changed) are kept under "<id>@<old version>", shown and exported like any orphan.
        for qid in sorted({p.where.split(".")[1] for p in problems if p.where.startswith("answers.")}):
            kept = _free_key(review, f"{qid}@{review.template_version}")
            review.answers[kept] = review.answers.pop(qid)
            notices.append(f"the answer to {qid!r} no longer fits this template version; kept as {kept!r}")
        problems = check_review(review, template, label or str(path))
    if problems:
        raise FileError(problems)
    if review.template_version != template.version:
        notices.append(_upgraded(review, template))
    orphans = review.orphans(template)
    if orphans:
        notices.append(f"{len(orphans)} answer(s) to questions this template no longer has are kept")
    return ReviewFile(path, review, template, digest(data), notices, data)


def _upgraded(review: Review, template: Template) -> str:
    """The notice for a review made with another template version. Questions the newer version added
    are blank, and a blank that could be a high risk scores as one: say so, or an upgraded review
    reads worse than it did with no word why."""
    from workbook.core.judgement import high_capable

    text = f"made with {review.template} {review.template_version}; opened with {template.version}"
    blank = [q.id for _, q in template.questions() if q.id not in review.answers]
    if not blank:
        return text
    capable = high_capable(template)
    risky = sum(1 for qid in blank if qid in capable)
    text += f": {len(blank)} question{'s' if len(blank) != 1 else ''} not answered yet"
    if risky:
        text += f", {risky} of them counted as a high risk until answered"
    return text


def _free_key(review: Review, key: str) -> str:
    """`key`, or `key (2)`, `key (3)`…: an answer kept by an earlier upgrade is never overwritten (a file
    saved before the version advanced on save can hold both 'q@1.0.0' and a re-answer made since)."""
    n, free = 1, key
    while free in review.answers:
        n += 1
        free = f"{key} ({n})"
    return free


def new_review(template: Template, name: str, today: dt.date, template_file: str | None = None) -> Review:
    return Review(
        schema_version=SCHEMA_VERSION,
        template=template.id,
        template_version=template.version,
        template_file=template_file,
        program=Program(name=name, review_date=today),
        answers={},
    )


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    return next((word for test, word in _KINDS if test(mode)), "not a regular file")


def read_current(path: Path) -> bytes | None:
    """The review's bytes on disk now (None: no file). Never blocks (a pipe put in its place is opened
    without waiting for a writer) and raises only SaveError, naming what is in the way."""
    target = Path(os.path.realpath(path))
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SaveError([Problem(str(path), "", f"not saved: cannot read the file to check it: "
                                 f"{exc.strerror or exc}")]) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise SaveError([Problem(str(path), "", f"not saved: the file was replaced by {kind_of(mode)}")])
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise SaveError([Problem(str(path), "", f"not saved: cannot read the file to check it: "
                                 f"{exc.strerror or exc}")]) from None
    finally:
        os.close(fd)


def _current_digest(path: Path) -> str | None:
    data = read_current(path)
    return None if data is None else digest(data)


def check_unchanged(rf: ReviewFile) -> None:
    """Raise ConflictError when the file on disk is no longer what was loaded or last saved."""
    _check_unchanged(rf.path, rf.disk_digest)


def _check_unchanged(path: Path, known: str | None) -> None:
    now = _current_digest(path)
    if known is None:
        if now is not None:
            raise ConflictError([Problem(str(path), "", "a file was created here since this review was started")])
        return
    if now is not None and now != known:
        raise ConflictError([Problem(str(path), "", "the file changed on disk since it was loaded")])


@dataclass(frozen=True)
class PendingSave:
    """A snapshot of the review as bytes, made on the caller's thread; safe to write from another.

    ``checks``: the pieces of text dumped afresh for this save, each with the data it must read back
    as (the rest was checked when it was first written, and the bytes on disk are compared whole)."""

    expected: dict[str, Any]
    data: bytes
    checks: tuple[tuple[str, dict[str, Any]], ...] = ()


def prepare_save(rf: ReviewFile) -> PendingSave:
    # The file records the template version it was last saved under: the answers in it are checked
    # against that one, and the next upgrade names what it keeps by it ('q@1.1.0' beside 'q@1.0.0').
    rf.review.template_version = rf.template.version
    expected = review_dict(rf.review, rf.template)
    text, fresh = rf.dump_cache.dumps(expected)
    return PendingSave(expected, text.encode("utf-8"), tuple(fresh))


_HELD = threading.local()  # the folders this thread holds the save lock of


@contextmanager
def save_lock(path: Path) -> Iterator[None]:
    """One save at a time into the review's folder, across processes: the unchanged-check and the
    replace happen under it, so two writers can never both see "unchanged" and both replace.

    The lock is on the folder itself (flock), so it works for every user of a shared folder and leaves
    no file behind. Where the platform or file system has no flock, saving goes on without it.
    Re-entrant in one thread: a merge-and-save held under it (the exit save) saves under it too.
    """
    folder = Path(os.path.realpath(path)).parent
    held: set[Path] = _HELD.__dict__.setdefault("folders", set())
    if folder in held:
        yield
        return
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the digest check still guards against most conflicts
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass  # e.g. a network file system without flock
        held.add(folder)
        yield
    finally:
        held.discard(folder)
        os.close(fd)  # closing releases the lock


@dataclass(frozen=True)
class Fingerprint:
    """What a save left on disk: its digest (the next save's unchanged-check) and its bytes (the base
    of the next merge with the file on disk). ``written`` False: the file already held these bytes."""

    digest: str
    data: bytes
    written: bool = True


def write_save(path: Path, known: str | None, pending: PendingSave, *, link: LinkId | None,
               force: bool = False, devices: bool = False) -> Fingerprint:
    """Write a prepared save atomically; refuse (ConflictError) if the file's digest is no longer ``known``,
    and (SaveError) if the path is now a symlink other than ``link``, the one it was when opened.

    Raises only WorkbookErrors: whatever the disk does (a full disk, the file made unreadable or
    replaced by a folder, a pipe or a link), the caller says so and keeps the edits.
    Touches no ReviewFile: a save thread calls this and hands the fingerprint back to the thread that
    owns the review, which records it (``adopt_fingerprint``)."""

    def reads_back(written: bytes) -> bool:
        # The bytes on disk are the bytes meant (write_file compares them), and every piece dumped
        # afresh means exactly its data: re-parse those, not the whole file again.
        if not pending.checks:
            return tomllib.loads(written.decode("utf-8")) == pending.expected
        return all(tomllib.loads(text) == data for text, data in pending.checks)

    new_digest = digest(pending.data)
    try:
        with save_lock(path):
            check_not_relinked(path, link)  # "keep mine" (force) too: never into a link's target
            if not force:
                _check_unchanged(path, known)
                if new_digest == known:
                    return Fingerprint(new_digest, pending.data, written=False)
            # A review's own file is never a pipe: only a new output path (``merge -o``) may be one.
            write_file(path, pending.data, verify=reads_back, devices=devices)
    except OSError as exc:  # anything not foreseen above: still a failed save, never a crash
        raise SaveError([Problem(str(path), "", f"not saved: {exc.strerror or exc}")]) from None
    return Fingerprint(new_digest, pending.data)


def adopt_fingerprint(rf: ReviewFile, fingerprint: Fingerprint) -> None:
    """The file now holds what this save wrote: later saves and merges compare against it."""
    rf.disk_digest = fingerprint.digest
    rf.base_data = fingerprint.data


def commit_save(rf: ReviewFile, pending: PendingSave, *, force: bool = False, devices: bool = False) -> bool:
    """Write a prepared save atomically; refuse (ConflictError) if the file changed since loading.

    Returns False when nothing was written because the file already holds exactly these bytes.
    """
    fingerprint = write_save(rf.path, rf.disk_digest, pending, link=rf.link, force=force, devices=devices)
    adopt_fingerprint(rf, fingerprint)
    return fingerprint.written


def save_review(rf: ReviewFile, *, force: bool = False, devices: bool = False) -> None:
    """Write the review atomically; refuse (ConflictError) if the file changed since loading."""
    commit_save(rf, prepare_save(rf), force=force, devices=devices)


def create_review_file(path: Path, review: Review, template: Template, *, force: bool = False) -> ReviewFile:
    """Write a new review file; refuses to replace an existing file unless force."""
    path = Path(path)
    if str(path) != STDOUT and path.exists() and not force:
        raise FileError.at(path, "", "already exists (use --force to replace it)")
    if path.is_dir():
        raise FileError.at(path, "", "is a folder")
    rf = ReviewFile(path, review, template, None, link=link_id(path))  # a link given on purpose is followed
    save_review(rf, force=True, devices=True)  # a new file may be sent to a pipe or a device (-o)
    return rf
