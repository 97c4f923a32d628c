"""Meetings through their service: who convenes one, about which cases, and who reads it.

Every refusal is checked twice (workflow_helpers.refused): the service raises
(ValidationError with a message for the user, or PermissionDenied), and afterwards nothing
in the database has changed.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from casework import access, services
from casework.access import meetings_visible_to
from casework.models import CaseShare, MeetingKind
from tests.casework.workflow_helpers import ago, ahead, refused


def _meeting(actor, cases, agencies, **fields):
    values = {
        "kind": MeetingKind.SUPPORT_MEETING,
        "held_on": ago(1),
        "title": " 8050世帯の支援方針 ",
        "decisions": "包括が長男の就労相談につなぐ。",
    }
    values.update(fields)
    return services.meeting_record(actor=actor, attending_agencies=agencies, cases=cases, **values)


def test_a_meeting_is_convened_by_the_actors_agency(cast, case_a):
    meeting = _meeting(cast.csw_a, [case_a], [cast.agency_a, cast.agency_b])
    assert meeting.convening_agency == cast.agency_a
    assert meeting.recorded_by == cast.csw_a
    assert meeting.title == "8050世帯の支援方針"
    assert list(meeting.cases.all()) == [case_a]
    assert set(meeting.attending_agencies.all()) == {cast.agency_a, cast.agency_b}
    # A viewer from another agency may record a meeting about a case it sees: it is theirs.
    theirs = _meeting(cast.consultation_b, [case_a], [cast.agency_b])
    assert theirs.convening_agency == cast.agency_b


def test_a_meeting_about_a_case_the_actor_cannot_see_is_refused(cast, case_a, open_case):
    case_b = open_case(cast.csw_b, given_name="次郎")
    for actor, cases in (
        (cast.csw_b, [case_a]),
        (cast.csw_b, [case_b, case_a]),
        (cast.consultation_a, [case_a]),
        (cast.csw_a, []),
    ):
        with refused(match="閲覧できるケース") as info:
            _meeting(actor, cases, [cast.agency_b])
        assert "cases" in info.value.message_dict


@pytest.mark.parametrize(
    "fields",
    [
        {"held_on": lambda: ahead(1)},
        {"kind": "party"},
        {"decisions": "  "},
        {"title": " "},
    ],
    ids=["future", "kind", "decisions", "title"],
)
def test_an_invalid_meeting_is_refused(cast, case_a, fields):
    # A date is worked out when the test runs, not when it was collected.
    fields = {name: v() if callable(v) else v for name, v in fields.items()}
    with refused():
        _meeting(cast.csw_a, [case_a], [cast.agency_a], **fields)


def test_a_meeting_without_attending_agencies_is_refused(cast, case_a):
    with refused(match="出席機関") as info:
        _meeting(cast.csw_a, [case_a], [])
    assert "attending_agencies" in info.value.message_dict


@pytest.mark.parametrize("name", ["admin_a", "indicator_officer", "outsider"])
def test_a_meeting_needs_a_case_role(cast, case_a, name):
    with refused(PermissionDenied):
        _meeting(getattr(cast, name), [case_a], [cast.agency_a])


def test_another_agency_sees_a_meeting_only_through_a_case_it_can_see(cast, case_a):
    meeting = _meeting(cast.csw_a, [case_a], [cast.agency_a, cast.agency_b])

    def who_sees():
        return {
            name
            for name, user in cast.roles().items()
            if meetings_visible_to(user).filter(pk=meeting.pk).exists()
        }

    # Those who see case_a (consultation_b through the share), the recorder and the
    # convening agency's supervisor; not consultation_a, nor the rest of agency B although
    # agency B attended: the minutes name the person.
    assert who_sees() == {"csw_a", "supervisor_a", "consultation_b"}

    share = CaseShare.objects.get(case=case_a, user=cast.consultation_b)
    services.share_revoke(actor=cast.csw_a, share=share, reason="本人の希望")
    assert who_sees() == {"csw_a", "supervisor_a"}


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
