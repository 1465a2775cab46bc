"""A review of an imported lens as the AWS Well-Architected Tool's UpdateAnswer calls, one per question
settled (docs/exports.md, "wa-answers"; the API:
https://docs.aws.amazon.com/wellarchitected/latest/APIReference/API_UpdateAnswer.html).

Each call holds the request's own fields: QuestionId and SelectedChoices (the lens's ids, kept on
import as ``lens_id``), ChoiceUpdates (each selected choice SELECTED), IsApplicable, Reason and
Notes. WorkloadId and LensAlias (a custom lens's is its ARN, known only once it is imported into an
account) are placeholders in every call for the loading script to set. Questions not settled
(unanswered, unknown, deferred) are listed under ``Skipped`` with why: the tool has no such state.
"""

from __future__ import annotations

import json

from workbook.core.errors import WorkbookError
from workbook.core.exports.common import ExportData
from workbook.core.kinds import kind_of
from workbook.core.models import Status
from workbook.core.text import json_safe

API = "https://docs.aws.amazon.com/wellarchitected/latest/APIReference/API_UpdateAnswer.html"
NOTES_MAX = 2084  # UpdateAnswer's Notes
WORKLOAD = "REPLACE_WITH_WORKLOAD_ID"
LENS_ALIAS = "REPLACE_WITH_LENS_ARN"


def _notes(*parts: str) -> str:
    text = "\n\n".join(p.strip() for p in parts if p.strip())
    return text if len(text) <= NOTES_MAX else text[: NOTES_MAX - 1] + "…"


def wa_calls(data: ExportData) -> dict[str, object]:
    template, review = data.template, data.review
    if not any(q.lens_id for _, q in template.questions()):
        raise WorkbookError(f"wa-answers is for a review of an imported lens; template {template.id} was not "
                            "imported from an AWS Well-Architected lens (no lens ids to answer with); "
                            "see templates/README.md")
    calls: list[dict[str, object]] = []
    skipped: list[dict[str, str]] = []
    for _, q in template.questions():
        a = review.answer(q.id)
        if not q.lens_id:
            continue
        call: dict[str, object] = {"WorkloadId": WORKLOAD, "LensAlias": LENS_ALIAS, "QuestionId": q.lens_id}
        if a.status is Status.NOT_APPLICABLE:
            call |= {"IsApplicable": False, "Reason": "OTHER", "Notes": _notes(a.reason, a.notes)}
        elif a.status is Status.ANSWERED:
            chosen = [q.choice(cid) for cid in kind_of(q).chosen(a.value)]
            unknown = [c.label for c in chosen if c is not None and not c.lens_id]
            if unknown:  # a "None of these" the workbook added: the lens has no id for it
                skipped.append({"QuestionId": q.lens_id, "Why": f"“{unknown[0]}” was added by the workbook; "
                                "the lens has no choice to select for it"})
                continue
            ids = [c.lens_id for c in chosen if c is not None]
            call |= {"IsApplicable": True, "SelectedChoices": ids,
                     "ChoiceUpdates": {cid: {"Status": "SELECTED"} for cid in ids}, "Notes": _notes(a.notes)}
        else:
            skipped.append({"QuestionId": q.lens_id, "Why": f"{a.status.value.replace('_', ' ')}: not settled"})
            continue
        if not call.get("Notes"):
            call.pop("Notes", None)
        calls.append(call)
    return {"Format": "workbook wa-answers 1", "Api": API, "Lens": template.title, "LensVersion": template.version,
            "Program": review.program.name, "WorkloadId": WORKLOAD, "LensAlias": LENS_ALIAS,
            "UpdateAnswer": calls, "Skipped": skipped}


def render_wa_answers(data: ExportData) -> str:
    return json_safe(json.dumps(wa_calls(data), indent=2, ensure_ascii=False)) + "\n"
