"""Community work the plan's indicators count: events, groups with sessions and
participants, new life-support services. Bad input is refused and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import District
from outreach import services
from outreach.models import (
    ActivityGroup,
    AwarenessEvent,
    GroupParticipant,
    GroupSession,
    LifeSupportService,
)

TODAY = timezone.localdate


def _district():
    return District.objects.get(code="north")


@pytest.fixture
def group(cast):
    return services.group_create(
        actor=cast.csw_a,
        name="北部 めぐろ手ぬぐい体操",
        kind="exercise",
        is_care_prevention=True,
        district=_district(),
        capacity=15,
        started_on=TODAY() - datetime.timedelta(days=200),
    )


def _event(actor, **overrides):
    fields = {
        "title": "助けてと言える社会づくり講演会",
        "theme": "help_seeking",
        "category": "lecture",
        "held_on": TODAY() - datetime.timedelta(days=3),
        "district": _district(),
        "participants": 120,
    }
    fields.update(overrides)
    return services.event_record(actor=actor, **fields)


def test_event_is_recorded_with_its_organizer(cast):
    event = _event(cast.csw_a)
    assert (event.organizer, event.recorded_by) == (cast.agency_a, cast.csw_a)


@pytest.mark.parametrize(
    "overrides",
    [
        {"participants": -1},
        {"held_on": lambda: TODAY() + datetime.timedelta(days=1)},
        {"held_on": datetime.date(1999, 1, 1)},
        {"theme": "unknown"},
        {"title": ""},
    ],
)
def test_bad_event_is_refused(cast, overrides):
    # A date is worked out when the test runs, not when it was collected.
    overrides = {name: v() if callable(v) else v for name, v in overrides.items()}
    with pytest.raises(ValidationError):
        _event(cast.csw_a, **overrides)
    assert not AwarenessEvent.objects.exists()


@pytest.mark.parametrize("member", ["admin_a", "indicator_officer", "outsider"])
def test_only_case_staff_record_community_work(cast, member):
    with pytest.raises(PermissionDenied):
        _event(getattr(cast, member))


def test_sessions_count_attendances_within_capacity(cast, group):
    services.session_record(
        actor=cast.csw_a, group=group, held_on=TODAY() - datetime.timedelta(days=7), attendance=12
    )
    services.session_record(actor=cast.csw_a, group=group, held_on=TODAY(), attendance=15)
    assert sum(GroupSession.objects.values_list("attendance", flat=True)) == 27
    for held_on, attendance, field in [
        (TODAY() - datetime.timedelta(days=1), 16, "attendance"),  # above capacity
        (TODAY(), 10, "held_on"),  # same day twice
        (TODAY() - datetime.timedelta(days=365), 5, "held_on"),  # before the group started
        (TODAY() + datetime.timedelta(days=1), 5, "held_on"),  # a future session
    ]:
        with pytest.raises(ValidationError) as refused:
            services.session_record(
                actor=cast.csw_a, group=group, held_on=held_on, attendance=attendance
            )
        assert field in refused.value.message_dict
    assert GroupSession.objects.count() == 2


def test_negative_attendance_is_refused(cast, group):
    with pytest.raises(ValidationError):
        services.session_record(actor=cast.csw_a, group=group, held_on=TODAY(), attendance=-3)
    assert not GroupSession.objects.exists()


def _person(actor, name="花子"):
    return casework_services.person_create(
        actor=actor, family_name="山本", given_name=name, family_name_kana="やまもと"
    )


def test_care_prevention_share_in_community_activity_is_one_query(
    cast, group, django_assert_num_queries
):
    for i, active in enumerate([True, False, True, False]):
        services.participant_register(
            actor=cast.csw_a,
            group=group,
            person=_person(cast.csw_a, f"参加者{i}"),
            joined_on=TODAY(),
            in_community_activity=active,
        )
    from django.db.models import Count, Q

    with django_assert_num_queries(1):
        figures = GroupParticipant.objects.filter(
            group__is_care_prevention=True, left_on__isnull=True
        ).aggregate(
            participants=Count("person", distinct=True),
            active=Count("person", filter=Q(in_community_activity=True), distinct=True),
        )
    assert figures == {"participants": 4, "active": 2}


def test_participants_are_persons_of_the_registering_agency(cast, group, open_case):
    case_b = open_case(cast.csw_b)
    with pytest.raises(PermissionDenied):
        services.participant_register(
            actor=cast.csw_a, group=group, person=case_b.person, joined_on=TODAY()
        )
    person = _person(cast.csw_a)
    participant = services.participant_register(
        actor=cast.csw_a, group=group, person=person, joined_on=TODAY()
    )
    with pytest.raises(ValidationError):
        services.participant_register(
            actor=cast.csw_a, group=group, person=person, joined_on=TODAY()
        )
    with pytest.raises(PermissionDenied):
        services.participant_update(
            actor=cast.csw_b, participant=participant, in_community_activity=True
        )
    with pytest.raises(ValidationError):
        services.participant_update(
            actor=cast.csw_a,
            participant=participant,
            in_community_activity=True,
            left_on=TODAY() - datetime.timedelta(days=1),
        )
    services.participant_update(
        actor=cast.csw_a, participant=participant, in_community_activity=True, left_on=TODAY()
    )
    participant.refresh_from_db()
    assert participant.in_community_activity and participant.left_on == TODAY()


def test_group_page_shows_only_participants_the_user_may_see(client, cast, group):
    services.participant_register(
        actor=cast.csw_a, group=group, person=_person(cast.csw_a), joined_on=TODAY()
    )
    client.force_login(cast.csw_a)
    response = client.get(group.get_absolute_url())
    assert len(response.context["participants"]) == 1
    client.force_login(cast.csw_b)
    response = client.get(group.get_absolute_url())
    assert response.context["participants"] == []
    assert response.context["hidden_participants"] == 1
    assert "山本" not in response.content.decode()
    client.force_login(cast.indicator_officer)
    body = client.get(group.get_absolute_url()).content.decode()
    assert "山本" not in body


def test_service_needs_a_council_or_a_worker(cast):
    fields = {
        "name": "ゴミ出し支援",
        "kind": "housework",
        "district": _district(),
        "created_on": TODAY(),
    }
    with pytest.raises(ValidationError):
        services.service_record(actor=cast.csw_a, **fields)
    assert not LifeSupportService.objects.exists()
    services.service_record(actor=cast.csw_a, council="北部地区協議体", **fields)
    services.service_record(actor=cast.csw_a, supported_by=cast.csw_a, **fields)
    assert LifeSupportService.objects.count() == 2


def test_pages_record_and_list(client, cast, group):
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:event_new"),
        {
            "title": "認知症サポーター養成講座",
            "theme": "dementia",
            "category": "workshop",
            "held_on": TODAY().isoformat(),
            "participants": "30",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("outreach:event_new"),
        {
            "title": "x",
            "theme": "dementia",
            "category": "workshop",
            "held_on": TODAY().isoformat(),
            "participants": "-5",
        },
    )
    assert response.status_code == 400
    assert "participants" in response.context["form"].errors
    assert AwarenessEvent.objects.count() == 1
    response = client.post(
        reverse("outreach:session_new", kwargs={"pk": group.pk}),
        {"held_on": TODAY().isoformat(), "attendance": "99"},
    )
    assert response.status_code == 400
    assert "attendance" in response.context["form"].errors
    assert not GroupSession.objects.exists()
    response = client.post(
        reverse("outreach:participant_new", kwargs={"pk": group.pk}),
        {
            "person-family_name": "木村",
            "person-family_name_kana": "きむら",
            "person-sex": "female",
            "joined_on": TODAY().isoformat(),
            "in_community_activity": "on",
        },
    )
    assert response.status_code == 302
    assert GroupParticipant.objects.get().in_community_activity


@pytest.mark.parametrize("page", ["outreach:events", "outreach:groups", "outreach:services"])
def test_lists_pin_their_query_count(client, cast, group, django_assert_max_num_queries, page):
    client.force_login(cast.csw_a)

    def count():
        with django_assert_max_num_queries(12) as captured:
            assert client.get(reverse(page)).status_code == 200
        return len(captured.captured_queries)

    _event(cast.csw_a)
    services.service_record(
        actor=cast.csw_a,
        name="s",
        kind="other",
        district=_district(),
        created_on=TODAY(),
        council="協議体",
    )
    few = count()
    for i in range(20):
        _event(cast.csw_a, title=f"講演会{i}")
        services.service_record(
            actor=cast.csw_a,
            name=f"s{i}",
            kind="other",
            district=_district(),
            created_on=TODAY(),
            council="協議体",
        )
        other = services.group_create(
            actor=cast.csw_a,
            name=f"サロン{i}",
            kind="salon",
            district=_district(),
            started_on=TODAY() - datetime.timedelta(days=10),
        )
        services.session_record(actor=cast.csw_a, group=other, held_on=TODAY(), attendance=8)
    assert count() == few
    assert ActivityGroup.objects.count() == 21
