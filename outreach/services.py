"""Every write to community work records: events, groups, sessions, participants, services."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework import access
from casework import services as casework_services
from casework.models import ContactMethod, IntakeRoute, Person
from casework.wareki import wareki_date
from outreach import access_rules as outreach_access
from outreach.models import (
    TRIAGE_OPEN_STATES,
    ActivityGroup,
    AwarenessEvent,
    GroupParticipant,
    GroupSession,
    LifeSupportService,
    Observation,
    OutreachVisit,
    ReporterKind,
    ReportState,
    VisitResult,
    WatchReport,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import Case, StaffMembership


def _recorder(actor: User) -> StaffMembership:
    """Community work is recorded by staff who handle cases (CSW, 相談員, supervisors)."""
    return access.require_case_role(actor)


@transaction.atomic
def event_record(*, actor: User, **fields: Any) -> AwarenessEvent:
    membership = _recorder(actor)
    event = AwarenessEvent(organizer=membership.agency, recorded_by=actor, **fields)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def group_create(*, actor: User, **fields: Any) -> ActivityGroup:
    membership = _recorder(actor)
    group = ActivityGroup(supporting_agency=membership.agency, created_by=actor, **fields)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def session_record(
    *, actor: User, group: ActivityGroup, held_on: datetime.date, attendance: int
) -> GroupSession:
    """One session's attendance; never above the group's capacity, never outside its life.
    Only on the actor's agency's own group: the counts feed the plan's indicators."""
    _recorder(actor)
    group = ActivityGroup.objects.select_for_update().get(pk=group.pk)
    outreach_access.require_own_group(actor, group)
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
    actor: User,
    group: ActivityGroup,
    person: Person | None = None,
    new_person: dict[str, Any] | None = None,
    joined_on: datetime.date,
    in_community_activity: bool = False,
) -> GroupParticipant:
    """Register a person as a participant: only a person the actor's agency holds, only on
    the agency's own group. For someone not yet registered, `new_person` holds the person's
    fields: the person is made in the same transaction, so a refusal leaves no one behind."""
    _recorder(actor)
    outreach_access.require_own_group(actor, group)
    if person is None:
        person = casework_services.person_create(actor=actor, **(new_person or {}))
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


def _own_participant(actor: User, participant: GroupParticipant) -> None:
    _recorder(actor)
    outreach_access.require_own_group(actor, participant.group)
    if not access.person_in_agency_scope(actor, participant.person):
        raise PermissionDenied


@transaction.atomic
def participant_update(
    *,
    actor: User,
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
def service_record(*, actor: User, **fields: Any) -> LifeSupportService:
    _recorder(actor)
    if not (fields.get("council") or "").strip() and fields.get("supported_by") is None:
        raise ValidationError({"council": _("支援した協議体か職員のどちらかを入力してください。")})
    service = LifeSupportService(recorded_by=actor, **fields)
    service.full_clean()
    service.save()
    return service


# --- the watch network ---------------------------------------------------------------------


@transaction.atomic
def report_receive(*, actor: User, **fields: Any) -> WatchReport:
    """Record a report as it was made: who reported, where, about whom, what was noticed."""
    _recorder(actor)
    if fields.get("reporter_kind") == ReporterKind.ANONYMOUS:
        fields["reporter_name"] = ""
        fields["reporter_contact"] = ""
    fields = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    if fields.get("received_at") and fields["received_at"] > timezone.now():
        raise ValidationError({"received_at": _("未来の日時は指定できません。")})
    report = WatchReport(received_by=actor, **fields)
    report.full_clean()
    report.save()
    return report


def _lock_report(actor: User, report: WatchReport) -> WatchReport:
    _recorder(actor)
    if not outreach_access.reports_visible_to(actor).filter(pk=report.pk).exists():
        raise PermissionDenied
    report = WatchReport.objects.select_for_update().get(pk=report.pk)
    if report.state not in TRIAGE_OPEN_STATES:
        raise ValidationError(_("この通報の対応はすでに終わっています。"))
    return report


@transaction.atomic
def report_assign(*, actor: User, report: WatchReport, worker: User) -> WatchReport:
    membership = _recorder(actor)
    report = _lock_report(actor, report)
    worker_membership = access.membership_of(worker)
    if (
        worker_membership is None
        or not worker_membership.handles_cases
        or worker_membership.agency_id != membership.agency_id
    ):
        raise ValidationError({"worker": _("担当者は自分の機関の職員から選んでください。")})
    report.assigned_to = worker
    report.state = ReportState.ASSIGNED
    report.save(update_fields=["assigned_to", "state"])
    return report


@transaction.atomic
def report_link(
    *, actor: User, report: WatchReport, person: Person | None = None, case: Case | None = None
) -> WatchReport:
    """Link the report to a person or a case the actor may see: it then follows their access."""
    report = _lock_report(actor, report)
    if case is not None:
        if not access.cases_readable_by(actor).filter(pk=case.pk).exists():
            raise PermissionDenied
        person = case.person
    if person is None:
        raise ValidationError(_("連携する本人かケースを選んでください。"))
    if not access.persons_visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied
    report.person = person
    report.case = case
    report.state = ReportState.LINKED
    report.save(update_fields=["person", "case", "state"])
    return report


@transaction.atomic
def report_open_case(
    *,
    actor: User,
    report: WatchReport,
    person_fields: dict[str, Any],
    intake_fields: dict[str, Any],
) -> WatchReport:
    """Open a case from the report: a new person, a 相談受付 by the watch network."""
    report = _lock_report(actor, report)
    person = casework_services.person_create(actor=actor, **person_fields)
    case = casework_services.case_intake(
        actor=actor, person=person, route=IntakeRoute.WATCH_NETWORK, **intake_fields
    )
    report.person = person
    report.case = case
    report.state = ReportState.CASE_OPENED
    report.assigned_to = report.assigned_to or actor
    report.save(update_fields=["person", "case", "state", "assigned_to"])
    return report


@transaction.atomic
def report_close(*, actor: User, report: WatchReport, reason: str) -> WatchReport:
    """Close as no concern, saying why."""
    report = _lock_report(actor, report)
    if not reason.strip():
        raise ValidationError({"reason": _("終了の理由を入力してください。")})
    report.state = ReportState.CLOSED
    report.closed_at = timezone.now()
    report.closed_by = actor
    report.close_reason = reason.strip()
    report.full_clean()
    report.save(update_fields=["state", "closed_at", "closed_by", "close_reason"])
    return report


# --- outreach visits ---------------------------------------------------------------------


@transaction.atomic
def visit_plan(
    *,
    actor: User,
    planned_at: datetime.datetime,
    staff: Iterable[User],
    case: Case | None = None,
    report: WatchReport | None = None,
    purpose: str = "",
) -> OutreachVisit:
    membership = _recorder(actor)
    if (case is None) == (report is None):
        raise ValidationError(_("訪問はケースか見守り通報のどちらかについて計画します。"))
    if case is not None:
        if access.WORK not in access.case_permissions(actor, case):
            raise PermissionDenied
        if not case.is_open:
            raise ValidationError(_("終結したケースの訪問は計画できません。"))
    if (
        report is not None
        and not outreach_access.reports_visible_to(actor).filter(pk=report.pk).exists()
    ):
        raise PermissionDenied
    staff = list(staff)
    if not staff:
        raise ValidationError({"staff": _("訪問する職員を一人以上選んでください。")})
    for member in staff:
        m = access.membership_of(member)
        if m is None or not m.handles_cases or m.agency_id != membership.agency_id:
            raise ValidationError(
                {"staff": _("訪問する職員は自分の機関の職員から選んでください。")}
            )
    visit = OutreachVisit(
        case=case,
        report=report,
        agency=membership.agency,
        planned_at=planned_at,
        purpose=purpose.strip(),
        planned_by=actor,
    )
    visit.full_clean()
    visit.save()
    visit.staff.set(staff)
    return visit


@transaction.atomic
def visit_record(
    *,
    actor: User,
    visit: OutreachVisit,
    result: str,
    visited_at: datetime.datetime,
    observations: Sequence[str] = (),
    notes: str = "",
    next_visit_on: datetime.date | None = None,
    minutes: int = 30,
) -> OutreachVisit:
    """Record what happened. A visit of a case appears once in its contact timeline."""
    visit = (
        OutreachVisit.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=visit.pk)
    )
    if not outreach_access.may_record_visit(actor, visit):
        raise PermissionDenied
    if visit.is_recorded:
        raise ValidationError(_("この訪問の結果はすでに記録されています。"))
    if result not in VisitResult.values:
        raise ValidationError({"result": _("結果を選んでください。")})
    if visited_at > timezone.now():
        raise ValidationError({"visited_at": _("未来の日時は指定できません。")})
    unknown = set(observations) - set(Observation.values)
    if unknown:
        raise ValidationError({"observations": _("選択できない項目が含まれています。")})
    if next_visit_on and next_visit_on <= timezone.localdate(visited_at):
        raise ValidationError({"next_visit_on": _("次回訪問予定日は訪問日より後にしてください。")})
    visit.result = result
    visit.visited_at = visited_at
    visit.observations = list(observations)
    visit.notes = notes.strip()
    visit.next_visit_on = next_visit_on
    visit.recorded_by = actor
    if visit.case_id and result != VisitResult.CANCELLED:
        # The timeline entry is a record: written in the ward's language, whatever the
        # language of the screen it was entered on.
        with translation.override(settings.LANGUAGE_CODE):
            labels = [str(dict(Observation.choices)[o]) for o in observations]
            summary = _("アウトリーチ訪問: %(result)s。") % {"result": visit.get_result_display()}
            if labels:
                summary += _("様子: %(items)s。") % {"items": "、".join(labels)}
            next_action = (
                _("次回訪問予定: %(date)s") % {"date": wareki_date(next_visit_on)}
                if next_visit_on
                else ""
            )
        if visit.notes:
            summary += "\n" + visit.notes
        assert visit.case is not None
        visit.contact = casework_services.contact_record_add(
            actor=actor,
            case=visit.case,
            occurred_at=visited_at,
            method=ContactMethod.HOME_VISIT,
            minutes=minutes,
            summary=summary,
            next_action=next_action,
            authorized=True,  # may_record_visit above
        )
    visit.full_clean()
    visit.save()
    visit.next_visit = (  # type: ignore[attr-defined]  # read by the view's message
        _plan_next(actor, visit) if next_visit_on and result != VisitResult.CANCELLED else None
    )
    return visit


def _plan_next(actor: User, visit: OutreachVisit) -> OutreachVisit | None:
    """The next visit the result names (次回訪問予定日): planned for that day at this visit's
    time, with the same staff and purpose, if the recorder may plan visits of that case or
    report (visit staff alone may record a result, not plan). None otherwise."""
    assert visit.next_visit_on is not None
    at = timezone.localtime(visit.planned_at).time()
    planned_at = timezone.make_aware(datetime.datetime.combine(visit.next_visit_on, at))
    try:
        return visit_plan(
            actor=actor,
            planned_at=planned_at,
            staff=visit.staff.all(),
            case=visit.case,
            report=visit.report if visit.case_id is None else None,
            purpose=visit.purpose,
        )
    except (PermissionDenied, ValidationError):
        return None
