"""Who may keep the record straight: consents, households, corrections, notifications;
and who may read a meeting.

Part of the access policy: casework.access re-exports every name here. It reads the
policy's own functions when called, so either module may be imported first."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils import timezone

from casework import access, access_rules
from casework.models import (
    Case,
    Consent,
    ContactRecord,
    Household,
    HouseholdMember,
    Meeting,
    Notification,
    Person,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet


def agency_record_is_own(user: User, agency_id: int | None, person: Person) -> bool:
    """Is a record the agency keeps about a person (a consent, an attachment filed with the
    person) the user's agency's own, of a person the agency holds?"""
    membership = access.membership_of(user)
    return (
        membership is not None
        and membership.handles_cases
        and agency_id == membership.agency_id
        and access.person_in_agency_scope(user, person)
    )


def consent_withdrawn(*, consent: Consent, actor: User) -> None:
    """Tell every app's rules that a consent was withdrawn (shares end, referrals close)."""
    membership = access.membership_of(actor)
    for rules in access_rules.rules:
        rules.consent_withdrawn(actor, membership, consent)


def consent_is_own(user: User, consent: Consent) -> bool:
    """Is this consent record the user's agency's own, of a person the agency holds?"""
    return agency_record_is_own(user, consent.recorded_by_agency_id, consent.person)


def consents_of(user: User, person: Person) -> QuerySet[Consent]:
    """The consent records the user's agency keeps about the person (none for others)."""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return Consent.objects.none()
    if not access.person_in_agency_scope(user, person):
        return Consent.objects.none()
    return Consent.objects.filter(person=person, recorded_by_agency_id=membership.agency_id)


def consent_for_user(user: User, pk: str | int) -> Consent:
    """A consent record the user may withdraw: their agency's own, of a person it holds.
    Another agency's record is 404, whoever holds the person now."""
    pk = access.parse_id(pk)
    consent = Consent.objects.select_related("person").filter(pk=pk).first()
    if consent is None or not consent_is_own(user, consent):
        raise Http404
    return consent


def household_readable(user: User, household: Household) -> bool:
    """May the user see who lives in the household: their agency registered it, or they
    read in full a case that the registering agency owns of one of its members. Holding a
    member through one's own case opened after a summary referral is not enough."""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return False
    if household.registered_by_agency_id == membership.agency_id:
        return True
    return (
        access.cases_readable_by(user)
        .filter(
            owning_agency_id=household.registered_by_agency_id,
            person__household_member__household_id=household.pk,
            person__household_member__left_on__isnull=True,
        )
        .exists()
    )


def may_correct_person(user: User, person: Person) -> bool:
    """May the user correct the person's details (name, birth date, address, …): they may
    work one of the person's cases, or their agency registered a person with no case.
    Under a 住所・電話の秘匿 mark, only the staff named on it (the form shows the address)."""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return False
    if access.address_hidden(user, person):
        return False
    if access._visible(user, (access.WORK,)).filter(person_id=person.pk).exists():
        return True
    return (
        person.registered_by_agency_id == membership.agency_id
        and not Case.objects.filter(person_id=person.pk).exists()
    )


def may_edit_household(user: User, household: Household) -> bool:
    """May the user change who lives in the household and their 続柄: they may read the
    household, and their agency holds one of its present members."""
    if not household_readable(user, household):
        return False
    return any(
        access.person_in_agency_scope(user, member.person)
        for member in household.members.current().select_related("person")
    )


def household_member_for_user(user: User, pk: str | int) -> HouseholdMember:
    """A member of a household of a person the user may see; 404 otherwise."""
    pk = access.parse_id(pk)
    member = (
        HouseholdMember.objects.select_related("household", "person")
        .filter(pk=pk, person__in=access.persons_visible_to(user))
        .first()
    )
    if member is None or not household_readable(user, member.household):
        raise Http404
    return member


def notification_for_user(user: User, pk: str | int) -> Notification:
    """One of the user's own notifications; 404 for anyone else's."""
    notification = Notification.objects.filter(pk=access.parse_id(pk), recipient_id=user.pk).first()
    if notification is None:
        raise Http404
    return notification


def contact_correction_rights(user: User, record: ContactRecord) -> tuple[bool, bool]:
    """(may correct, may mark 誤記録) for a 経過記録 of a case the user can see. Its author
    corrects it within the owning agency's window while they may work the case; a
    supervisor of the owning agency corrects it at any time, and alone marks it 誤記録."""
    perms = access.case_permissions(user, record.case)
    if access.SUPERVISE in perms:
        return True, True
    window = record.case.owning_agency.correction_window_days
    in_window = timezone.now() - record.created_at <= datetime.timedelta(days=window)
    return (access.WORK in perms and record.worker_id == user.pk and in_window), False


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Meetings about a case the user may read in full. A meeting's title and decisions name
    the person, so having recorded it, or belonging to the convening agency, is not enough
    once access to every linked case has gone."""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return Meeting.objects.none()
    about_readable = Meeting.cases.through.objects.filter(
        case_id__in=access.readable_case_ids(user)
    ).values("meeting_id")
    return Meeting.objects.filter(pk__in=about_readable)


def meeting_for_user(user: User, pk: str | int) -> Meeting:
    pk = access.parse_id(pk)
    meeting = meetings_visible_to(user).select_related("convening_agency").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting
