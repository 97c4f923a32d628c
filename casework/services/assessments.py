"""Recording an assessment."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    Assessment,
    Case,
    CaseStatus,
)
from casework.selectors.corrections import field_display, field_label
from casework.services.common import (
    Refusal,
    _lock,
    _not_before_opening,
    _not_future,
    _require,
    _require_open,
    _set_status,
)
from casework.services.corrections import StaleRecord

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def assessment_add(
    *,
    actor: User,
    case: Case,
    assessed_on: datetime.date,
    based_on: int | None = None,
    **sections: str | bool,
) -> Assessment:
    """A new version of the assessment; earlier versions stay as they were. `based_on` is
    the latest version when the form was opened (0: none): if a colleague recorded a newer
    one meanwhile, the save is refused (StaleRecord) with what that version says."""
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    if case.status == CaseStatus.INTAKE:
        raise Refusal(_("アセスメントの前にスクリーニングを記録してください。"))
    _not_future(assessed_on, "assessed_on")
    _not_before_opening(case, assessed_on, "assessed_on")
    allowed = {
        *Assessment.SECTIONS,
        "guardianship_need",
        "abuse_suspected",
        "abuse_note",
        "summary",
    }
    unknown = set(sections) - allowed
    if unknown:
        raise TypeError(f"unknown assessment fields: {sorted(unknown)}")
    if sections.get("abuse_suspected") and not str(sections.get("abuse_note", "")).strip():
        raise Refusal({"abuse_note": _("虐待の疑いがある場合は、その内容を記入してください。")})
    latest = case.assessments.order_by("-version").first()
    last = latest.version if latest else 0
    if based_on is not None and last != based_on:
        if latest is None:
            raise Refusal(_("アセスメントの版が正しくありません。画面を開き直してください。"))
        changes = [
            (field_label(Assessment, f), field_display(latest, f))
            for f in ("assessed_on", "summary")
        ]
        raise StaleRecord(changes, last)
    assessment = Assessment(
        case=case,
        version=last + 1,
        assessed_on=assessed_on,
        author=actor,
        **{k: v.strip() if isinstance(v, str) else v for k, v in sections.items()},
    )
    assessment.full_clean()
    assessment.save()
    if case.status == CaseStatus.SCREENING:
        _set_status(case=case, status=CaseStatus.ASSESSMENT, actor=actor, reason="アセスメント")
    return assessment
