"""`manage.py seed_demo`: a complete, valid demo world, built once, never twice."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from casework.models import (
    AccessLog,
    Agency,
    Assessment,
    Case,
    CaseShare,
    CaseStatus,
    CaseStatusChange,
    ChangeItemScore,
    ClosureRequest,
    Consent,
    ConsentBasis,
    ContactRecord,
    EmergencySupport,
    GuardianshipNeed,
    Household,
    HouseholdMember,
    Intake,
    Meeting,
    MeetingKind,
    MonitoringEntry,
    Person,
    PlanAction,
    PlanState,
    Programme,
    ProgrammeEnrolment,
    ProgrammeOutcome,
    Relation,
    Role,
    Screening,
    ScreeningResult,
    StaffMembership,
    SupportPlan,
)

COUNTED = (
    Person,
    Case,
    ContactRecord,
    Consent,
    CaseShare,
    Agency,
    StaffMembership,
    AccessLog,
    Intake,
    Screening,
    EmergencySupport,
    Assessment,
    SupportPlan,
    PlanAction,
    MonitoringEntry,
    ClosureRequest,
    CaseStatusChange,
    Household,
    HouseholdMember,
    ProgrammeEnrolment,
    ProgrammeOutcome,
    Meeting,
)


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    counts["User"] = get_user_model().objects.count()
    return counts


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def _check_staff_and_persons(settings, output, today):
    assert Agency.objects.count() >= 8
    assert len(set(Agency.objects.values_list("kind", flat=True))) >= 8

    roles = set(StaffMembership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    full_teams = [
        agency
        for agency in Agency.objects.all()
        if {Role.CSW, Role.CONSULTATION, Role.SUPERVISOR, Role.AGENCY_ADMIN}
        <= set(agency.memberships.values_list("role", flat=True))
    ]
    assert len(full_teams) >= 2
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    admins = User.objects.filter(membership__role=Role.AGENCY_ADMIN)
    assert admins.exists()
    assert all(user.is_staff for user in admins)
    assert not User.objects.filter(membership__role=Role.CSW, is_staff=True).exists()
    # One shared demo password, and the printed table tells it.
    assert User.objects.get(username="csw_shakyo1").check_password(settings.TSUNAGU_DEMO_PASSWORD)
    assert settings.TSUNAGU_DEMO_PASSWORD in output
    assert "csw_shakyo1" in output and "sv_shakyo" in output

    persons = list(Person.objects.all())
    assert len(persons) >= 180
    for person in persons:
        person.full_clean()  # valid kana, phone, birth date
    assert Person.objects.filter(cases__isnull=True).exists()
    ages = [p.age_on(today) for p in persons]
    assert sum(65 <= age <= 95 for age in ages) >= 60
    assert any(age < 18 for age in ages)


def _check_cases_and_contacts(today):
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert not Case.objects.annotate(n=Count("contacts")).filter(n=0).exists()
    assert not Case.objects.filter(opened_on__gt=today).exists()
    assert not ContactRecord.objects.filter(occurred_at__gt=timezone.now()).exists()
    for case in Case.objects.prefetch_related("contacts"):
        assert all(timezone.localdate(c.occurred_at) >= case.opened_on for c in case.contacts.all())
        if case.closed_on:
            assert all(
                timezone.localdate(c.occurred_at) <= case.closed_on for c in case.contacts.all()
            )

    # Every case came in through an intake; someone other than the person came sometimes.
    assert Intake.objects.count() == Case.objects.count()
    visitors = Intake.objects.filter(came_in_person=False)
    assert visitors.exists() and Intake.objects.filter(came_in_person=True).exists()
    assert not visitors.filter(Q(visitor_name="") | Q(visitor_relation="")).exists()

    # Shares inside an agency need no basis; across agencies they rest on a consent.
    assert CaseShare.objects.filter(consent__isnull=True).exists()
    across = CaseShare.objects.filter(consent__basis=ConsentBasis.CONSENT).select_related(
        "case", "user__membership"
    )
    assert across.exists()
    for share in across:
        assert share.user.membership.agency_id != share.case.owning_agency_id
        assert share.consent.agencies.filter(pk=share.user.membership.agency_id).exists()


def _check_workflow(today):
    # Screening: every case past intake has one, and every outcome occurs.
    assert set(Screening.objects.values_list("result", flat=True)) == set(ScreeningResult.values)
    assert not Case.objects.exclude(status=CaseStatus.INTAKE).filter(screening=None).exists()
    assert not Screening.objects.filter(decided_on__lt=F("case__opened_on")).exists()
    info_only = Case.objects.filter(screening__result=ScreeningResult.INFO_ONLY)
    assert info_only.exists()
    assert not info_only.exclude(status=CaseStatus.CLOSED).exists()

    # Emergency support, on some cases before any plan.
    assert EmergencySupport.objects.filter(case__plans=None).exists()

    # Assessments: versioned, some re-assessed, some needing guardianship or abuse noted.
    assert Assessment.objects.filter(version=2).exists()
    needs = set(Assessment.objects.values_list("guardianship_need", flat=True))
    assert {GuardianshipNeed.CONSIDER, GuardianshipNeed.NEEDED} <= needs
    assert Assessment.objects.filter(abuse_suspected=True).exclude(abuse_note="").exists()
    assert not Assessment.objects.filter(assessed_on__gt=today).exists()

    # Plans: every state; approved by a supervisor of the owning agency, never the author;
    # 2-4 actions each.
    assert set(SupportPlan.objects.values_list("state", flat=True)) == set(PlanState.values)
    approved = SupportPlan.objects.filter(state__in=[PlanState.APPROVED, PlanState.SUPERSEDED])
    assert not approved.filter(approved_by=F("author")).exists()
    assert not approved.exclude(
        approved_by__membership__role=Role.SUPERVISOR,
        approved_by__membership__agency=F("case__owning_agency"),
    ).exists()
    per_plan = set(SupportPlan.objects.annotate(n=Count("actions")).values_list("n", flat=True))
    assert per_plan <= {2, 3, 4}
    assert PlanAction.objects.filter(agency__isnull=False).exclude(frequency="").exists()
    # A revised case: approved v1 superseded by an approved v2.
    assert SupportPlan.objects.filter(
        version=2, state=PlanState.APPROVED, case__plans__state=PlanState.SUPERSEDED
    ).exists()
    assert SupportPlan.objects.exclude(return_note="").filter(state=PlanState.DRAFT).exists()

    # Monitoring against approved plans; some plans in force are overdue.
    assert MonitoringEntry.objects.exists()
    assert not MonitoringEntry.objects.filter(
        plan__state__in=[PlanState.DRAFT, PlanState.SUBMITTED]
    ).exists()
    assert not MonitoringEntry.objects.filter(monitored_on__gt=today).exists()
    assert not MonitoringEntry.objects.filter(monitored_on__lt=F("plan__period_start")).exists()
    overdue = SupportPlan.objects.filter(state=PlanState.APPROVED, next_monitoring_on__lt=today)
    assert overdue.exclude(case__status=CaseStatus.CLOSED).exists()

    # The 評価シート: plans start with a baseline, evaluations score the change items (only
    # evaluations do), and some actions are marked as employment support.
    assert ChangeItemScore.objects.filter(entry__isnull=True).exists()
    evaluated = ChangeItemScore.objects.filter(entry__isnull=False)
    assert evaluated.exists()
    assert not evaluated.exclude(entry__kind=MonitoringEntry.Kind.EVALUATION).exists()
    assert PlanAction.objects.filter(is_employment_support=True).exists()
    assert PlanAction.objects.filter(is_employment_support=False).exists()

    # Closure: approved, rejected with a note, pending; a closed case reopened.
    states = set(ClosureRequest.objects.values_list("state", flat=True))
    assert states == set(ClosureRequest.State.values)
    assert ClosureRequest.objects.filter(state=ClosureRequest.State.PENDING).count() >= 2
    rejected = ClosureRequest.objects.filter(state=ClosureRequest.State.REJECTED)
    assert not rejected.filter(decision_note="").exists()
    assert len(set(ClosureRequest.objects.values_list("reason", flat=True))) >= 5
    for case in Case.objects.filter(status=CaseStatus.CLOSED).select_related("screening"):
        closed_by_screening = case.screening.result == ScreeningResult.INFO_ONLY
        assert (
            closed_by_screening
            or case.closure_requests.filter(
                state=ClosureRequest.State.APPROVED, closing_on=case.closed_on
            ).exists()
        )
    reopened = CaseStatusChange.objects.filter(from_status=CaseStatus.CLOSED)
    assert reopened.exists()
    assert not reopened.filter(reason="").exists()
    assert not reopened.filter(case__status=CaseStatus.CLOSED).exists()


def _check_households_programmes_meetings(today):
    # Households: 8050 pairs and families with children.
    sizes = Household.objects.annotate(n=Count("members")).values_list("n", flat=True)
    assert all(n >= 2 for n in sizes)
    assert sum(n >= 3 for n in sizes) >= 1
    heads = HouseholdMember.objects.filter(relation=Relation.HEAD)
    assert heads.count() == Household.objects.count()
    assert heads.filter(person__birth_date__lt=today - datetime.timedelta(days=80 * 365)).exists()

    # Programmes: children in the study programme, adults in the employment programme.
    study = ProgrammeEnrolment.objects.filter(programme=Programme.CHILD_STUDY)
    assert study.count() >= 5
    for enrolment in study.select_related("person"):
        assert enrolment.person.age_on(enrolment.enrolled_on) < 20
    assert study.filter(left_on__isnull=False).exists()
    employment = ProgrammeEnrolment.objects.filter(programme=Programme.EMPLOYMENT)
    assert employment.exists()
    assert ProgrammeOutcome.objects.filter(kind="employed").exists()
    assert not ProgrammeEnrolment.objects.filter(enrolled_on__gt=today).exists()
    assert not ProgrammeEnrolment.objects.filter(enrolled_on__lt=F("case__opened_on")).exists()
    # Enrolments span the current and the previous fiscal year (April to March).
    fy_start = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    previous_start = fy_start.replace(year=fy_start.year - 1)
    for programme in (study, employment):
        assert programme.filter(enrolled_on__gte=fy_start).exists()
        assert programme.filter(enrolled_on__lt=fy_start, enrolled_on__gte=previous_start).exists()

    # Meetings of every kind, each about at least one case, none in the future.
    assert set(Meeting.objects.values_list("kind", flat=True)) == set(MeetingKind.values)
    assert not Meeting.objects.filter(cases=None).exists()
    assert not Meeting.objects.filter(held_on__gt=today).exists()
    assert not Meeting.objects.filter(attending_agencies=None).exists()


def _check_the_demo_caseload(today):
    """The council's supervisor has something to review in every column."""
    User = get_user_model()
    csw = User.objects.get(username="csw_shakyo1")
    mine = Case.objects.filter(assignments__worker=csw, assignments__ended_at__isnull=True).exclude(
        status=CaseStatus.CLOSED
    )
    awaiting = SupportPlan.objects.filter(state=PlanState.SUBMITTED, author=csw)
    assert awaiting.count() >= 2
    assert mine.filter(
        plans__state=PlanState.APPROVED, plans__next_monitoring_on__lt=today
    ).exists()
    month_ago = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time())
    )
    quiet = mine.filter(opened_on__lte=today - datetime.timedelta(days=30)).exclude(
        contacts__occurred_at__gte=month_ago
    )
    assert quiet.exists()
    assert ClosureRequest.objects.filter(
        state=ClosureRequest.State.PENDING, case__owning_agency__name="目黒区社会福祉協議会"
    ).exists()


@pytest.mark.django_db
def test_seed_demo_builds_a_complete_world_once(settings):
    # Seeding takes several seconds, so one run serves every check below.
    settings.DEBUG = True
    output = _seed()
    assert "Created" in output
    today = timezone.localdate()

    _check_staff_and_persons(settings, output, today)
    _check_cases_and_contacts(today)
    _check_workflow(today)
    _check_households_programmes_meetings(today)
    _check_the_demo_caseload(today)

    # A second run creates nothing at all, not even access-log rows.
    before = _counts()
    assert "nothing to add" in _seed()
    assert _counts() == before
    settings.DEBUG = False
    _seed(force=True)
    assert _counts() == before


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _seed()
    assert not Person.objects.exists()
    assert not get_user_model().objects.filter(username="admin").exists()
