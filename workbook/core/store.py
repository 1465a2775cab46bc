"""Review files on disk: load with clear errors, save atomically, never overwrite someone else's work.

Guarantees (README, "Your files are safe"):
- a save writes a temp file in the same folder, fsyncs it, re-parses it, then ``os.replace``s it
  over the target, so a crash leaves either the old file or the new one, never a torn one;
- the file's permission bits are kept, and a symlink stays a symlink to the rewritten target;
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
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workbook.core.answer_values import check_review
from workbook.core.errors import ConflictError, FileError, Problem, SaveError
from workbook.core.models import SCHEMA_VERSION, Program, Review, Template
from workbook.core.serialize import DumpCache, review_dict
from workbook.core.templates import find_template
from workbook.core.tomlio import decode, load_toml, parse, validation_problems


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def _template_for(review: Review, path: Path) -> Template:
    try:
        template, _ = find_template(review.template_file or review.template, near=path.parent)
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


def load_review(path: Path | str, template: Template | None = None) -> ReviewFile:
    path = Path(path)
    raw, data = load_toml(path)
    return _checked(path, raw, data, template)


def load_review_bytes(label: str, data: bytes, near: Path, template: Template | None = None) -> ReviewFile:
    """A review from bytes that are not a file of their own (an older version read from git)."""
    raw = parse(Path(label), decode(Path(label), data))
    return _checked(near / Path(label).name, raw, data, template, label=label)


def _checked(
    path: Path, raw: dict[str, Any], data: bytes, template: Template | None, label: str | None = None
) -> ReviewFile:
    review = review_from_data(raw, label or path)
    if template is None:
        template = _template_for(review, path)
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
        notices.append(
            f"made with {review.template} {review.template_version}; opened with {template.version}"
        )
    orphans = review.orphans(template)
    if orphans:
        notices.append(f"{len(orphans)} answer(s) to questions this template no longer has are kept")
    return ReviewFile(path, review, template, digest(data), notices, data)


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


def _current_digest(target: Path) -> str | None:
    try:
        with open(target, "rb") as fh:
            return digest(fh.read())
    except FileNotFoundError:
        return None


def check_unchanged(rf: ReviewFile) -> None:
    """Raise ConflictError when the file on disk is no longer what was loaded or last saved."""
    _check_unchanged(rf.path, rf.disk_digest)


def _check_unchanged(path: Path, known: str | None) -> None:
    now = _current_digest(Path(os.path.realpath(path)))
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


@contextmanager
def save_lock(path: Path) -> Iterator[None]:
    """One save at a time into the review's folder, across processes: the unchanged-check and the
    replace happen under it, so two writers can never both see "unchanged" and both replace.

    The lock is on the folder itself (flock), so it works for every user of a shared folder and leaves
    no file behind. Where the platform or file system has no flock, saving goes on without it.
    """
    folder = Path(os.path.realpath(path)).parent
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
        yield
    finally:
        os.close(fd)  # closing releases the lock


@dataclass(frozen=True)
class Fingerprint:
    """What a save left on disk: its digest (the next save's unchanged-check) and its bytes (the base
    of the next merge with the file on disk). ``written`` False: the file already held these bytes."""

    digest: str
    data: bytes
    written: bool = True


def write_save(path: Path, known: str | None, pending: PendingSave, *, force: bool = False) -> Fingerprint:
    """Write a prepared save atomically; refuse (ConflictError) if the file's digest is no longer ``known``.

    Touches no ReviewFile: a save thread calls this and hands the fingerprint back to the thread that
    owns the review, which records it (``adopt_fingerprint``)."""

    def reads_back(written: bytes) -> bool:
        # The bytes on disk are the bytes meant (write_atomic compares them), and every piece dumped
        # afresh means exactly its data: re-parse those, not the whole file again.
        if not pending.checks:
            return tomllib.loads(written.decode("utf-8")) == pending.expected
        return all(tomllib.loads(text) == data for text, data in pending.checks)

    new_digest = digest(pending.data)
    with save_lock(path):
        if not force:
            _check_unchanged(path, known)
            if new_digest == known:
                return Fingerprint(new_digest, pending.data, written=False)
        write_atomic(path, pending.data, verify=reads_back)
    return Fingerprint(new_digest, pending.data)


def adopt_fingerprint(rf: ReviewFile, fingerprint: Fingerprint) -> None:
    """The file now holds what this save wrote: later saves and merges compare against it."""
    rf.disk_digest = fingerprint.digest
    rf.base_data = fingerprint.data


def commit_save(rf: ReviewFile, pending: PendingSave, *, force: bool = False) -> bool:
    """Write a prepared save atomically; refuse (ConflictError) if the file changed since loading.

    Returns False when nothing was written because the file already holds exactly these bytes.
    """
    fingerprint = write_save(rf.path, rf.disk_digest, pending, force=force)
    adopt_fingerprint(rf, fingerprint)
    return fingerprint.written


def save_review(rf: ReviewFile, *, force: bool = False) -> None:
    """Write the review atomically; refuse (ConflictError) if the file changed since loading."""
    commit_save(rf, prepare_save(rf), force=force)


def write_atomic(path: Path, data: bytes, verify: Callable[[bytes], bool] | None = None) -> None:
    """Temp file in the target's folder, fsync, verify, keep the mode, os.replace, fsync the folder."""
    target = Path(os.path.realpath(path))  # follow symlinks: rewrite the target, keep the link
    folder = target.parent
    if target.exists() and not os.access(target, os.W_OK):
        # Replacing would succeed (the folder is writable) but the user made the file read-only.
        raise SaveError([Problem(str(path), "", "not saved, the file is read-only (its permissions forbid writing)")])
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise SaveError([Problem(str(path), "", f"cannot save: {exc.strerror or exc}")]) from None
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if verify is not None:
            with open(tmp, "rb") as fh:
                written = fh.read()
            try:
                ok = written == data and verify(written)
            except Exception:  # any failure to read it back means: do not replace the file
                ok = False
            if not ok:
                raise OSError("the temporary file did not read back as written")
        os.chmod(tmp, mode)
        _keep_owner(tmp, target)
        os.replace(tmp, target)
        tmp = None
        _fsync_dir(folder)
    except OSError as exc:
        raise SaveError([Problem(str(path), "", f"not saved, the file is unchanged: {exc.strerror or exc}")]) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _keep_owner(tmp: str, target: Path) -> None:
    """Give the new file the old one's owner and group, where this process may (root may; a member
    of the file's group may set the group). Otherwise the file is ours, as any editor would leave it."""
    try:
        st = os.stat(target)
    except OSError:
        return  # a new file
    if not hasattr(os, "chown"):
        return
    mine = os.stat(tmp)
    if (mine.st_uid, mine.st_gid) == (st.st_uid, st.st_gid):
        return
    try:
        os.chown(tmp, st.st_uid, st.st_gid)
    except OSError:
        try:
            os.chown(tmp, -1, st.st_gid)
        except OSError:
            pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def create_review_file(path: Path, review: Review, template: Template, *, force: bool = False) -> ReviewFile:
    """Write a new review file; refuses to replace an existing file unless force."""
    path = Path(path)
    if path.exists() and not force:
        raise FileError.at(path, "", "already exists (use --force to replace it)")
    if path.is_dir():
        raise FileError.at(path, "", "is a folder")
    rf = ReviewFile(path, review, template, None)
    save_review(rf, force=True)
    return rf
