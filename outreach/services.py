"""Every write to community work records: events, groups, sessions, participants, services."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.models import Person
from outreach.models import (
    ActivityGroup,
    AwarenessEvent,
    GroupParticipant,
    GroupSession,
    LifeSupportService,
)


def _recorder(actor):
    """Community work is recorded by staff who handle cases (CSW, 相談員, supervisors)."""
    return access.require_case_role(actor)


@transaction.atomic
def event_record(*, actor, **fields) -> AwarenessEvent:
    membership = _recorder(actor)
    event = AwarenessEvent(organizer=membership.agency, recorded_by=actor, **fields)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def group_create(*, actor, **fields) -> ActivityGroup:
    membership = _recorder(actor)
    group = ActivityGroup(supporting_agency=membership.agency, created_by=actor, **fields)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def session_record(
    *, actor, group: ActivityGroup, held_on: datetime.date, attendance: int
) -> GroupSession:
    """One session's attendance; never above the group's capacity, never outside its life."""
    _recorder(actor)
    group = ActivityGroup.objects.select_for_update().get(pk=group.pk)
    if group.capacity is not None and attendance > group.capacity:
        raise ValidationError(
            {"attendance": _("参加者数が定員(%(n)s人)を超えています。") % {"n": group.capacity}}
        )
    if held_on < group.started_on or (group.ended_on and held_on > group.ended_on):
        raise ValidationError({"held_on": _("グループの活動期間外の日付です。")})
    if GroupSession.objects.filter(group=group, held_on=held_on).exists():
        raise ValidationError({"held_on": _("この日の実施回はすでに記録されています。")})
    session = GroupSession(group=group, held_on=held_on, attendance=attendance, recorded_by=actor)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def participant_register(
    *,
    actor,
    group: ActivityGroup,
    person: Person,
    joined_on: datetime.date,
    in_community_activity: bool = False,
) -> GroupParticipant:
    """Register a person as a participant: only a person the actor's agency holds."""
    _recorder(actor)
    if not access.person_in_agency_scope(actor, person):
        raise PermissionDenied
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("未来の日付は指定できません。")})
    if GroupParticipant.objects.filter(group=group, person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": _("この方はすでに登録されています。")})
    participant = GroupParticipant(
        group=group,
        person=person,
        joined_on=joined_on,
        in_community_activity=in_community_activity,
        recorded_by=actor,
    )
    participant.full_clean()
    participant.save()
    return participant


def _own_participant(actor, participant: GroupParticipant) -> None:
    _recorder(actor)
    if not access.person_in_agency_scope(actor, participant.person):
        raise PermissionDenied


@transaction.atomic
def participant_update(
    *,
    actor,
    participant: GroupParticipant,
    in_community_activity: bool,
    left_on: datetime.date | None = None,
) -> GroupParticipant:
    _own_participant(actor, participant)
    if participant.left_on is not None:
        raise ValidationError(_("退会した参加者は変更できません。"))
    if left_on is not None:
        if left_on > timezone.localdate():
            raise ValidationError({"left_on": _("未来の日付は指定できません。")})
        if left_on < participant.joined_on:
            raise ValidationError({"left_on": _("退会日は登録日以降にしてください。")})
    participant.in_community_activity = in_community_activity
    participant.left_on = left_on
    participant.full_clean()
    participant.save(update_fields=["in_community_activity", "left_on"])
    return participant


@transaction.atomic
def service_record(*, actor, **fields) -> LifeSupportService:
    _recorder(actor)
    if not (fields.get("council") or "").strip() and fields.get("supported_by") is None:
        raise ValidationError({"council": _("支援した協議体か職員のどちらかを入力してください。")})
    service = LifeSupportService(recorded_by=actor, **fields)
    service.full_clean()
    service.save()
    return service
