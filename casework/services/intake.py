"""Intake, screening and emergency support."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    Case,
    CaseStatus,
    ClosureReason,
    EmergencySupport,
    Intake,
    IntakeConsent,
    Person,
    Screening,
    ScreeningResult,
)
from casework.services.cases import case_open
from casework.services.common import (
    Refusal,
    _lock,
    _not_before_opening,
    _not_future,
    _require,
    _require_open,
    _set_status,
)
from casework.services.persons import person_create

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def case_intake(
    *,
    actor: User,
    person: Person | None = None,
    new_person: dict[str, Any] | None = None,
    received_on: datetime.date,
    route: str,
    main_concern: str,
    other_concerns: Iterable[str] = (),
    chief_complaint: str,
    came_in_person: bool = True,
    visitor_name: str = "",
    visitor_relation: str = "",
    consent_status: str = IntakeConsent.PENDING,
    worker: User | None = None,
) -> Case:
    """相談受付: open the case and record how the consultation came in. For someone not yet
    registered, `new_person` holds the person's fields: the person is made in the same
    transaction, so a refused intake leaves no person behind."""
    if person is None:
        person = person_create(actor=actor, **(new_person or {}))
    if not came_in_person and not (visitor_name.strip() and visitor_relation.strip()):
        raise Refusal(
            {
                "visitor_name": _(
                    "本人以外が相談に来た場合は、氏名と本人との関係を入力してください。"
                )
            }
        )
    case = case_open(
        actor=actor,
        person=person,
        opened_on=received_on,
        main_concern=main_concern,
        other_concerns=other_concerns,
        worker=worker,
    )
    intake = Intake(
        case=case,
        received_on=received_on,
        received_by=actor,
        route=route,
        came_in_person=came_in_person,
        visitor_name="" if came_in_person else visitor_name.strip(),
        visitor_relation="" if came_in_person else visitor_relation.strip(),
        chief_complaint=chief_complaint.strip(),
        consent_status=consent_status,
    )
    intake.full_clean()
    intake.save()
    return case


@transaction.atomic
def screening_decide(
    *, actor: User, case: Case, result: str, decided_on: datetime.date, note: str = ""
) -> Screening:
    """The screening ends the intake: information only (closes), refer, or continue."""
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    if Screening.objects.filter(case=case).exists():
        raise Refusal(_("このケースのスクリーニングはすでに記録されています。"))
    if case.status != CaseStatus.INTAKE:
        raise Refusal(_("スクリーニングは受付の段階でのみ記録できます。"))
    _not_future(decided_on, "decided_on")
    _not_before_opening(case, decided_on, "decided_on")
    screening = Screening(
        case=case, result=result, decided_on=decided_on, decided_by=actor, note=note.strip()
    )
    screening.full_clean()
    screening.save()
    if result == ScreeningResult.INFO_ONLY:
        _set_status(
            case=case,
            status=CaseStatus.CLOSED,
            actor=actor,
            reason=str(ClosureReason.INFO_ONLY.label),
            closed_on=decided_on,
        )
    elif result == ScreeningResult.REFER:
        _set_status(case=case, status=CaseStatus.SCREENING, actor=actor, reason="つなぎ")
    else:
        _set_status(case=case, status=CaseStatus.ASSESSMENT, actor=actor, reason="継続支援")
    return screening


@transaction.atomic
def emergency_support_add(
    *, actor: User, case: Case, provided_on: datetime.date, kind: str, description: str
) -> EmergencySupport:
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    _not_future(provided_on, "provided_on")
    _not_before_opening(case, provided_on, "provided_on")
    support = EmergencySupport(
        case=case,
        provided_on=provided_on,
        kind=kind,
        description=description.strip(),
        recorded_by=actor,
    )
    support.full_clean()
    support.save()
    return support
