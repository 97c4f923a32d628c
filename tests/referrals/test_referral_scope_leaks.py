"""Summary scope must show only what the sender shared; a referral's access must end with the
job it was given for. These tests look for the ways around it."""

from django.urls import reverse

from casework import services
from casework.models import AccessLog, MeetingKind, Relation, StaffMembership
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
    services.staff_membership_changed(actor=cast.supervisor_b, user=moved, previous=previous)
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
