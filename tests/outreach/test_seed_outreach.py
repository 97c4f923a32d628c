"""`manage.py seed_outreach`: community work, watch reports and visits, made once."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.utils import timezone

from casework.models import Case, ContactRecord, District, IntakeRoute, Person
from outreach import selectors
from outreach.models import (
    ActivityGroup,
    AwarenessEvent,
    EventTheme,
    GroupKind,
    GroupParticipant,
    GroupSession,
    LifeSupportService,
    OutreachVisit,
    ReporterKind,
    ReportState,
    ReportUrgency,
    VisitResult,
    WatchReport,
)

COUNTED = (
    AwarenessEvent,
    ActivityGroup,
    GroupSession,
    GroupParticipant,
    LifeSupportService,
    WatchReport,
    OutreachVisit,
    ContactRecord,
    Person,
    Case,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _fiscal_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def _check_community(today):
    fiscal_start = _fiscal_start(today)
    previous_start = fiscal_start.replace(year=fiscal_start.year - 1)
    events = AwarenessEvent.objects.all()
    assert events.count() >= 12
    assert not events.filter(held_on__gt=today).exists()
    assert not events.filter(held_on__lt=previous_start).exists()
    assert events.filter(held_on__gte=fiscal_start).exists()
    assert events.filter(held_on__lt=fiscal_start).exists()
    help_seeking = events.filter(theme=EventTheme.HELP_SEEKING)
    assert help_seeking.count() >= 5
    assert all(30 <= e.participants <= 300 for e in help_seeking)
    assert {"lecture", "symposium"} <= set(help_seeking.values_list("category", flat=True))
    assert set(events.values_list("theme", flat=True)) >= {
        "help_seeking",
        "dementia",
        "guardianship",
        "care_prevention",
    }
    assert events.filter(district__isnull=True).exists()
    assert events.filter(district__isnull=False).values("district").distinct().count() >= 4

    districts = set(District.objects.values_list("pk", flat=True))
    exercise = ActivityGroup.objects.filter(kind=GroupKind.EXERCISE)
    assert set(exercise.values_list("district", flat=True)) == districts
    assert all(g.is_care_prevention and 15 <= g.capacity <= 30 for g in exercise)
    assert set(ActivityGroup.objects.values_list("kind", flat=True)) >= {
        "exercise",
        "salon",
        "dementia_prevention",
    }
    for group in ActivityGroup.objects.filter(capacity__isnull=False):
        assert not group.sessions.filter(attendance__gt=group.capacity).exists()
    assert not GroupSession.objects.filter(held_on__gt=today).exists()
    # One fiscal year's 延べ人数 at exercise groups: a few thousand.
    totals = [
        GroupSession.objects.filter(
            group__kind=GroupKind.EXERCISE, held_on__gte=start, held_on__lt=end
        ).aggregate(n=Sum("attendance"))["n"]
        or 0
        for start, end in (
            (previous_start, fiscal_start),
            (fiscal_start, fiscal_start.replace(year=fiscal_start.year + 1)),
        )
    ]
    assert 1000 <= max(totals) < 20000

    participants = GroupParticipant.objects.select_related("person", "group")
    assert participants.count() >= 50
    assert all(p.group.is_care_prevention for p in participants)
    assert participants.filter(in_community_activity=True).exists()
    assert participants.filter(in_community_activity=False).exists()
    assert participants.filter(left_on__isnull=False).exists()
    for p in participants.filter(left_on__isnull=True)[:20]:
        assert p.person.family_name_kana and p.person.age_on(today) >= 65
        assert p.person.registered_by_agency.name == "目黒区社会福祉協議会"

    services = LifeSupportService.objects.all()
    assert set(services.values_list("district", flat=True)) == districts
    assert services.exclude(council="").filter(council__endswith="地区協議体").exists()
    assert services.filter(supported_by__isnull=False).exists()
    assert len(set(services.values_list("kind", flat=True))) >= 4


def _check_reports():
    reports = WatchReport.objects.all()
    assert set(reports.values_list("reporter_kind", flat=True)) == set(ReporterKind.values)
    assert set(reports.values_list("state", flat=True)) == set(ReportState.values)
    assert set(reports.values_list("district__code", flat=True)) == {
        "north",
        "east",
        "central",
        "south",
        "west",
    }
    urgent = reports.filter(urgency=ReportUrgency.URGENT).count()
    assert 0 < urgent < reports.count() / 2
    assert reports.filter(state=ReportState.NEW).count() >= 3
    assert reports.filter(state=ReportState.ASSIGNED, assigned_to__isnull=False).count() >= 2
    linked = reports.filter(state=ReportState.LINKED)
    assert linked.exists() and not linked.filter(case__isnull=True).exists()
    opened = reports.filter(state=ReportState.CASE_OPENED)
    assert 1 <= opened.count() <= 3
    assert all(r.case.intake.route == IntakeRoute.WATCH_NETWORK for r in opened)
    assert not reports.filter(state=ReportState.CLOSED, close_reason="").exists()
    assert (
        not reports.filter(reporter_kind=ReporterKind.ANONYMOUS).exclude(reporter_name="").exists()
    )
    assert not reports.filter(received_at__gt=timezone.now()).exists()
    # Whoever triaged a report could see it: its district or a ward-wide agency.
    for report in reports.exclude(assigned_to=None).select_related("district"):
        agency = report.assigned_to.membership.agency
        assert agency.district_id in (None, report.district_id)


def _check_visits(today):
    visits = OutreachVisit.objects.all()
    recorded = visits.exclude(result="")
    assert set(recorded.values_list("result", flat=True)) == set(VisitResult.values)
    assert visits.filter(report__isnull=False).exists()
    assert visits.annotate(n=Count("staff")).filter(n=2).count() >= visits.count() / 2
    assert recorded.exclude(observations=[]).exists()
    assert not recorded.filter(visited_at__gt=timezone.now()).exists()
    for visit in recorded.filter(case__isnull=False).select_related("case", "contact"):
        assert timezone.localdate(visit.visited_at) >= visit.case.opened_on
        # In the contact timeline once; a cancelled visit is not a contact.
        assert (visit.contact is None) == (visit.result == VisitResult.CANCELLED)
    cases = Case.objects.filter(outreach_visits__isnull=False).distinct()
    assert any(selectors.absent_streak(case) for case in cases)
    csw = get_user_model().objects.get(username="csw_shakyo1")
    assert any(visit.result == "" for visit in selectors.my_visits_this_week(csw))
    assert visits.filter(result="", planned_at__gt=timezone.now()).exists()
    past_open = visits.filter(
        result="",
        planned_at__lt=timezone.make_aware(datetime.datetime.combine(today, datetime.time())),
    )
    assert past_open.exists()


def test_seed_outreach_builds_the_community_work_once(db, settings):
    settings.DEBUG = True
    # seed_demo runs the other apps' seeders too.
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Created" in out.getvalue()
    after = _counts()
    assert WatchReport.objects.filter(state=ReportState.CASE_OPENED, case__isnull=False).exists()

    today = timezone.localdate()
    _check_community(today)
    _check_reports()
    _check_visits(today)

    out = io.StringIO()
    call_command("seed_outreach", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert _counts() == after


def test_seed_outreach_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_outreach")
    assert not AwarenessEvent.objects.exists()
