"""Summary scope must show only what the sender shared; a referral's access must end with the
job it was given for. These tests look for the ways around it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import AccessLog, ConsentBasis, MeetingKind, Relation, StaffMembership
from referrals import services as referral_services
from referrals.models import Scope
from tests.referrals.conftest import days, perms, sees


def _meeting_about(cast, case, decisions):
    return services.meeting_record(
        actor=cast.csw_a,
        kind=MeetingKind.COORDINATION,
        held_on=days(-1),
        title="支援調整",
        attending_agencies=[cast.agency_a],
        decisions=decisions,
        cases=[case],
    )


def test_summary_scope_does_not_open_the_cases_meetings(client, cast, refer):
    case = refer.case()
    meeting = _meeting_about(cast, case, "共有していない会議の決定事項")
    refer.accepted(case, scope=Scope.SUMMARY)
    for user in (cast.consultation_b, cast.supervisor_b):
        client.force_login(user)
        detail = reverse("casework:meeting_detail", kwargs={"pk": meeting.pk})
        response = client.get(detail)
        assert response.status_code == 404, user
        listing = client.get(reverse("casework:meeting_list")).content.decode()
        assert detail not in listing


def test_full_scope_may_open_the_cases_meetings(client, cast, refer):
    case = refer.case()
    meeting = _meeting_about(cast, case, "会議の決定事項")
    refer.accepted(case, scope=Scope.FULL)
    client.force_login(cast.consultation_b)
    response = client.get(reverse("casework:meeting_detail", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert "会議の決定事項" in response.content.decode()


def test_meetings_close_again_when_the_referral_ends(client, cast, refer):
    case = refer.case()
    meeting = _meeting_about(cast, case, "会議の決定事項")
    referral = refer.accepted(case, scope=Scope.FULL)
    refer.withdraw(referral)
    client.force_login(cast.consultation_b)
    response = client.get(reverse("casework:meeting_detail", kwargs={"pk": meeting.pk}))
    assert response.status_code == 404


def test_summary_scope_does_not_show_the_household(client, cast, refer):
    case = refer.case()
    spouse = services.person_create(
        actor=cast.csw_a,
        family_name="佐藤",
        given_name="秘匿",
        family_name_kana="さとう",
        given_name_kana="ひとく",
    )
    services.household_link(
        actor=cast.csw_a,
        person=case.person,
        person_relation=Relation.HEAD,
        member=spouse,
        member_relation=Relation.SPOUSE,
    )
    refer.accepted(case, scope=Scope.SUMMARY)
    client.force_login(cast.consultation_b)
    response = client.get(reverse("casework:person_detail", kwargs={"pk": case.person.pk}))
    assert response.status_code == 404 or "秘匿" not in response.content.decode()


def test_a_worker_who_moves_away_loses_the_referrals_access(cast, refer, third):
    case = refer.accepted(scope=Scope.FULL).case
    assert perms(cast.consultation_b, case) == {"view_case"}
    previous = (cast.agency_b.pk, "consultation")
    StaffMembership.objects.filter(user=cast.consultation_b).update(agency=third.agency)
    moved = type(cast.consultation_b).objects.get(pk=cast.consultation_b.pk)
    services.staff_membership_revoke_grants(actor=cast.supervisor_b, user=moved, previous=previous)
    moved = type(cast.consultation_b).objects.get(pk=cast.consultation_b.pk)
    assert not sees(moved, case)
    assert perms(moved, case) == frozenset()
    assert AccessLog.objects.filter(
        case=case, action=AccessLog.Action.REVOKE, detail__contains="(consultation_b):"
    ).exists()


def test_a_supervisor_who_moves_away_loses_the_rule_based_access(cast, refer, third):
    case = refer.accepted().case
    StaffMembership.objects.filter(user=cast.supervisor_b).update(agency=third.agency)
    moved = type(cast.supervisor_b).objects.get(pk=cast.supervisor_b.pk)
    assert not sees(moved, case)


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
