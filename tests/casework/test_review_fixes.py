"""Holes found in review: each test pins the fix."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework import access, services
from casework.models import AccessLog, ConsentBasis, Role
from referrals import services as referral_services
from tests.factories import StaffFactory


def _summary_referral(cast, case):
    services.consent_record(
        actor=cast.csw_a,
        person=case.person,
        basis=ConsentBasis.CONSENT,
        agencies=[cast.agency_b],
        given_on=timezone.localdate(),
    )
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case,
        receiving_agency=cast.agency_b,
        reason="相談",
        urgency="normal",
        answer_by=timezone.localdate() + datetime.timedelta(days=3),
        scope="summary",
    )
    return referral_services.referral_accept(
        actor=cast.supervisor_b, referral=referral, worker=cast.csw_b
    )


def test_a_summary_receiver_cannot_pull_the_person_into_a_household(cast, open_case):
    case = open_case(cast.csw_a)
    _summary_referral(cast, case)
    own = services.person_create(actor=cast.csw_b, family_name="鈴木", family_name_kana="すずき")
    with pytest.raises(PermissionDenied):
        services.household_link(
            actor=cast.csw_b,
            person=own,
            person_relation="head",
            member=case.person,
            member_relation="child",
        )


def test_whoever_edited_a_plan_cannot_approve_it(cast, open_case, workflow):
    other = StaffFactory(username="supervisor_a2", agency=cast.agency_a, role=Role.SUPERVISOR)
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    plan = workflow.draft_plan(case, cast.csw_a)
    services.plan_update(
        actor=cast.supervisor_a,
        plan=plan,
        actions=[{"description": "家計相談"}],
        long_term_goal="スーパーバイザーが書き直した目標",
    )
    services.plan_submit(actor=cast.csw_a, plan=plan)
    with pytest.raises(ValidationError):
        services.plan_approve(actor=cast.supervisor_a, plan=plan)
    plan.refresh_from_db()
    assert plan.state == "submitted"
    services.plan_approve(actor=other, plan=plan)


def test_a_meeting_is_no_longer_readable_once_its_cases_are_not(cast, case_a):
    meeting = services.meeting_record(
        actor=cast.consultation_b,
        kind="support_meeting",
        held_on=timezone.localdate(),
        title="支援会議",
        attending_agencies=[cast.agency_b],
        decisions="債務整理",
        cases=[case_a],
    )
    assert access.meetings_visible_to(cast.consultation_b).filter(pk=meeting.pk).exists()
    share = case_a.shares.get(user=cast.consultation_b)
    services.share_revoke(actor=cast.csw_a, share=share)
    assert not access.meetings_visible_to(cast.consultation_b).filter(pk=meeting.pk).exists()
    assert not access.meetings_visible_to(cast.supervisor_b).filter(pk=meeting.pk).exists()


def test_reading_a_meeting_is_logged_per_case(client, cast, case_a):
    meeting = services.meeting_record(
        actor=cast.csw_a,
        kind="coordination",
        held_on=timezone.localdate(),
        title="会議",
        attending_agencies=[cast.agency_a],
        decisions="x",
        cases=[case_a],
    )
    client.force_login(cast.supervisor_a)
    client.get(reverse("casework:meeting_detail", kwargs={"pk": meeting.pk}))
    assert (
        AccessLog.objects.filter(
            user=cast.supervisor_a, case=case_a, detail="会議の記録「会議」"
        ).count()
        == 1
    )


def test_a_summary_receiver_cannot_link_the_case_to_a_meeting(cast, open_case):
    case = open_case(cast.csw_a)
    _summary_referral(cast, case)
    with pytest.raises(ValidationError):
        services.meeting_record(
            actor=cast.csw_b,
            kind="coordination",
            held_on=timezone.localdate(),
            title="x",
            attending_agencies=[cast.agency_b],
            decisions="x",
            cases=[case],
        )


def test_an_ended_referral_no_longer_names_the_person_to_the_receiver(client, cast, open_case):
    case = open_case(cast.csw_a, family_name="秘匿", family_name_kana="ひとく")
    referral = _summary_referral(cast, case)
    referral_services.referral_withdraw(actor=cast.csw_a, referral=referral, reason="本人の希望")
    client.force_login(cast.consultation_b)
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "秘匿" not in page
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert "秘匿" not in inbox


def test_a_referral_of_a_closed_case_cannot_be_accepted(cast, open_case, workflow):
    case = open_case(cast.csw_a)
    services.consent_record(
        actor=cast.csw_a,
        person=case.person,
        basis=ConsentBasis.CONSENT,
        agencies=[cast.agency_b],
        given_on=timezone.localdate(),
    )
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case,
        receiving_agency=cast.agency_b,
        reason="相談",
        urgency="normal",
        answer_by=timezone.localdate(),
        scope="full",
    )
    workflow.close(case, cast.csw_a)
    with pytest.raises(ValidationError):
        referral_services.referral_accept(
            actor=cast.supervisor_b, referral=referral, worker=cast.csw_b
        )
    assert not access.cases_visible_to(cast.csw_b).filter(pk=case.pk).exists()


@pytest.mark.parametrize("page", ["assessment_new", "plan_new"])
def test_forms_that_show_the_record_log_the_read(client, cast, open_case, workflow, page):
    case = open_case(cast.csw_a)
    workflow.to_support(case, cast.csw_a)
    workflow.assess(case, cast.csw_a, summary="再アセスメント")
    client.force_login(cast.csw_a)
    before = AccessLog.objects.filter(case=case, action="view_form").count()
    assert client.get(reverse(f"casework:{page}", kwargs={"pk": case.pk})).status_code == 200
    assert AccessLog.objects.filter(case=case, action="view_form").count() == before + 1


def test_an_outcome_after_leaving_the_programme_is_refused(cast, open_case):
    case = open_case(cast.csw_a)
    enrolment = services.enrolment_add(
        actor=cast.csw_a,
        case=case,
        person=case.person,
        programme="employment",
        enrolled_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    services.enrolment_leave(
        actor=cast.csw_a,
        enrolment=enrolment,
        left_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    with pytest.raises(ValidationError):
        services.outcome_add(
            actor=cast.csw_a,
            enrolment=enrolment,
            kind="employed",
            achieved_on=timezone.localdate(),
        )
