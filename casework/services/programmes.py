"""Enrolling a person in a programme, leaving it, recording outcomes."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    Case,
    Person,
    Programme,
    ProgrammeEnrolment,
    ProgrammeOutcome,
)
from casework.services.common import (
    Refusal,
    _lock,
    _not_before_opening,
    _not_future,
    _require,
    _require_open,
    person_lock,
)
from casework.services.persons import _household_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def enrolment_add(
    *, actor: User, case: Case, person: Person, programme: str, enrolled_on: datetime.date
) -> ProgrammeEnrolment:
    """Enrol the case's person, or a member of their household, in a programme."""
    _require(access.WORK, actor, case)
    _lock(case)
    _require_open(case)
    household = _household_of(case.person)
    in_household = person.pk == case.person_id or (
        household is not None and household.members.current().filter(person=person).exists()
    )
    if not in_household:
        raise Refusal({"person": _("参加者は本人か同じ世帯の方から選んでください。")})
    _not_future(enrolled_on, "enrolled_on")
    _not_before_opening(case, enrolled_on, "enrolled_on")
    if programme == Programme.CHILD_STUDY:
        age = person.age_on(enrolled_on)
        if age is not None and age >= 20:
            raise Refusal({"person": _("子どもの学習・生活支援事業の参加者は子どもです。")})
    person_lock(person.pk)  # so two enrolments of the same person cannot race
    if ProgrammeEnrolment.objects.filter(
        person=person, programme=programme, left_on__isnull=True
    ).exists():
        raise Refusal({"person": _("この方はすでにこの事業に登録されています。")})
    enrolment = ProgrammeEnrolment(
        case=case, person=person, programme=programme, enrolled_on=enrolled_on, recorded_by=actor
    )
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolment_leave(
    *, actor: User, enrolment: ProgrammeEnrolment, left_on: datetime.date
) -> ProgrammeEnrolment:
    _require(access.WORK, actor, enrolment.case)
    if enrolment.left_on is not None:
        raise Refusal(_("この登録はすでに終了しています。"))
    _not_future(left_on, "left_on")
    if left_on < enrolment.enrolled_on:
        raise Refusal({"left_on": _("終了日は登録日より後にしてください。")})
    enrolment.left_on = left_on
    enrolment.full_clean()
    enrolment.save(update_fields=["left_on"])
    return enrolment


@transaction.atomic
def outcome_add(
    *,
    actor: User,
    enrolment: ProgrammeEnrolment,
    kind: str,
    achieved_on: datetime.date,
    note: str = "",
) -> ProgrammeOutcome:
    _require(access.WORK, actor, enrolment.case)
    if enrolment.programme != Programme.EMPLOYMENT:
        raise Refusal(_("就労・増収の成果は自立支援プログラムにだけ記録できます。"))
    _not_future(achieved_on, "achieved_on")
    if achieved_on < enrolment.enrolled_on:
        raise Refusal({"achieved_on": _("達成日は登録日以降にしてください。")})
    if enrolment.left_on and achieved_on > enrolment.left_on:
        raise Refusal({"achieved_on": _("達成日は事業の終了日までにしてください。")})
    if ProgrammeOutcome.objects.filter(
        enrolment=enrolment, kind=kind, achieved_on=achieved_on
    ).exists():
        raise Refusal(_("同じ成果がすでに記録されています。"))
    outcome = ProgrammeOutcome(
        enrolment=enrolment,
        kind=kind,
        achieved_on=achieved_on,
        note=note.strip(),
        recorded_by=actor,
    )
    outcome.full_clean()
    outcome.save()
    return outcome
