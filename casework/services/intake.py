"""Intake, screening and emergency support."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from casework import access, selectors
from casework.models import (
    Agency,
    Case,
    CaseStatus,
    ClosureReason,
    ConsentBasis,
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
from casework.services.consent import consent_record
from casework.services.persons import person_create

# The fields that tell whether a new person is likely someone already registered.
DUPLICATE_KEYS = ("family_name", "given_name", "family_name_kana", "given_name_kana", "birth_date")


class LikelyDuplicates(Refusal):
    """A new person looks like persons already registered: `persons` lists them."""

    def __init__(self, persons: list[Person]):
        super().__init__(
            _("同じ方がすでに登録されている可能性があります。確かめてから受け付けてください。"),
            code="duplicates",
        )
        self.persons = persons


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
    consent_agencies: Iterable[Agency] = (),
    worker: User | None = None,
    check_duplicates: bool = False,
    seen_duplicates: set[int] | None = None,
) -> Case:
    """相談受付: open the case and record how the consultation came in. For someone not yet
    registered, `new_person` holds the person's fields: the person is made in the same
    transaction, so a refused intake leaves no person behind.

    With `check_duplicates`, likely duplicates among the persons the actor may see refuse
    the intake (LikelyDuplicates, listing them); `seen_duplicates` are those the worker
    saw and confirmed to be someone else. The check and the registration hold the agency's
    lock, so a colleague's intake of the same person at the same moment is found."""
    if person is None:
        fields = new_person or {}
        # Two intakes of the same person at once make one person: new registrations of an
        # agency are checked for likely duplicates one after the other.
        membership = access.require_case_role(actor)
        Agency.objects.select_for_update().filter(pk=membership.agency_id).first()
        if seen_duplicates is not None or check_duplicates:
            found = selectors.likely_duplicates(
                actor,
                **{k: fields.get(k) for k in DUPLICATE_KEYS},  # type: ignore[arg-type]
            )
            unseen = [p for p in found if p.pk not in (seen_duplicates or set())]
            if unseen:
                raise LikelyDuplicates(found)
        person = person_create(actor=actor, **fields)
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
    agencies = list(consent_agencies)
    if agencies and consent_status != IntakeConsent.GIVEN:
        raise Refusal({"consent_agencies": _("対象機関は「同意あり」のときだけ選びます。")})
    if agencies:
        # 同意あり with its agencies (the intake form asks for them) is the consent itself:
        # recorded once, from the intake, and withdrawn or seen as any consent on the
        # person's page.
        consent_record(
            actor=actor,
            person=person,
            basis=ConsentBasis.CONSENT,
            agencies=agencies,
            given_on=received_on,
            note=_("相談受付(ケース %(number)s)で確認した同意") % {"number": case.number},
        )
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
