"""The security log's review page (/accounts/security/log/): the system admin reads every
event; an agency admin only those about their own agency's staff; nobody else reads it.
The filters narrow the rows; bad input is told next to its field and shows no rows."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from security.models import SecurityEvent
from tests.casework.admin_helpers import OLD_PASSWORD, make_agency_admin, signed_in

User = get_user_model()
LOG = reverse("security:log")


def _login(username, password=OLD_PASSWORD, address="127.0.0.1"):
    Client().post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return SecurityEvent.objects.order_by("-pk").first()


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="root-password-for-tests-1")


@pytest.fixture
def world(cast, root):
    """Agency admins for both agencies, and one sign-in event of each sort from the login
    page: agency A's, agency B's, and an unknown user name's (no agency)."""
    make_agency_admin(cast.admin_a)
    make_agency_admin(cast.admin_b)
    return {
        "csw_a_failed": _login("csw_a", "wrong", "10.1.1.1"),
        "supervisor_a_in": _login("supervisor_a", address="10.1.1.1"),
        "csw_b_in": _login("csw_b", address="10.2.2.2"),
        "consultation_b_failed": _login("consultation_b", "wrong", "10.2.2.2"),
        "ghost_failed": _login("ghost", "guess", "10.3.3.3"),
    }


def _page(client, **params):
    response = client.get(LOG, params)
    assert response.status_code == 200
    return response


def _ids(response) -> list[int]:
    return [event.pk for event in response.context["page"].object_list]


def _kinds(response) -> list[str]:
    return re.findall(r'<tr data-kind="([a-z_]+)"', response.content.decode())


def test_the_system_admin_reads_every_agencys_events_and_unknown_names(world, root):
    response = _page(signed_in(root))
    page = response.context["page"]
    assert page.paginator.count == SecurityEvent.objects.count()
    shown = set(_ids(response))
    assert {event.pk for event in world.values()} <= shown
    assert response.context["everything"] is True
    body = response.content.decode()
    assert "ghost" in body and "10.3.3.3" in body and "包括B" in body and "社協A" in body
    # Newest first, and the page's rows are the ones the context holds.
    assert _ids(response) == sorted(_ids(response), reverse=True)
    assert _kinds(response) == [event.kind for event in page.object_list]


@pytest.mark.parametrize(
    ("admin", "agency", "own", "others"),
    [
        ("admin_a", "agency_a", ["csw_a_failed", "supervisor_a_in"], ["csw_b_in", "ghost_failed"]),
        ("admin_b", "agency_b", ["csw_b_in", "consultation_b_failed"], ["csw_a_failed"]),
    ],
)
def test_an_agency_admin_reads_their_own_staffs_events_only(
    cast, world, admin, agency, own, others
):
    their_agency = getattr(cast, agency)
    mine = SecurityEvent.objects.filter(agency=their_agency)
    cast_admin = getattr(cast, admin)
    response = _page(signed_in(cast_admin))
    page = response.context["page"]
    assert response.context["everything"] is False
    assert page.paginator.count == mine.count()
    assert {event.agency for event in page.object_list} == {their_agency}
    shown = set(_ids(response))
    assert {world[name].pk for name in own} <= shown
    assert not {world[name].pk for name in others} & shown
    assert not any(event.agency_id is None for event in page.object_list)
    body = response.content.decode()
    assert "ghost" not in body and "10.3.3.3" not in body


@pytest.mark.parametrize("member", ["csw_a", "supervisor_a", "indicator_officer", "outsider"])
def test_staff_who_are_not_admins_are_refused(world, member):
    response = signed_in(User.objects.get(username=member)).get(LOG)
    assert response.status_code == 403
    assert "ghost" not in response.content.decode()


def test_an_agency_admin_without_admin_rights_is_refused(cast):
    """The role alone is not enough: the agency admin's account must be staff too."""
    assert not cast.admin_a.is_staff
    assert signed_in(cast.admin_a).get(LOG).status_code == 403


def test_anonymous_is_sent_to_sign_in(world):
    response = Client().get(LOG)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={LOG}"


# --- filters ------------------------------------------------------------------------------


def test_the_filters_narrow_the_rows(world, root):
    client = signed_in(root)
    w = world
    assert _ids(_page(client, address="10.1.1.1")) == [
        w["supervisor_a_in"].pk,
        w["csw_a_failed"].pk,
    ]
    assert _ids(_page(client, address=" 10.2.2.2 ")) == [
        w["consultation_b_failed"].pk,
        w["csw_b_in"].pk,
    ]
    assert _ids(_page(client, username="ghost")) == [w["ghost_failed"].pk]
    failed = _page(client, kind="login_failed", result="failure", address="10.2.2.2")
    assert _ids(failed) == [w["consultation_b_failed"].pk]
    assert _kinds(failed) == ["login_failed"]
    signed = _page(client, kind="login")
    assert set(_kinds(signed)) == {"login"}
    assert {w["supervisor_a_in"].pk, w["csw_b_in"].pk} <= set(_ids(signed))
    assert w["csw_a_failed"].pk not in _ids(signed)
    # A user name matches the typed name, the account concerned and the one who acted.
    by_name = _page(client, username="csw_b")
    assert w["csw_b_in"].pk in _ids(by_name)
    assert all(
        "csw_b"
        in (e.username, getattr(e.subject, "username", ""), getattr(e.actor, "username", ""))
        for e in by_name.context["page"].object_list
    )
    assert _ids(_page(client, result="refused", address="10.1.1.1")) == []


def _noon(days_ago: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_the_dates_narrow_the_rows_by_the_wards_days(cast, root):
    made = {
        days: SecurityEvent.objects.create(
            kind="login",
            at=_noon(days),
            subject=cast.csw_a,
            agency=cast.agency_a,
            username="csw_a",
            address="10.7.7.7",
        )
        for days in (10, 3, 0)
    }
    client = signed_in(root)

    def shown(**dates):
        return _ids(
            _page(client, address="10.7.7.7", **{k: v.isoformat() for k, v in dates.items()})
        )

    day = lambda n: timezone.localdate() - datetime.timedelta(days=n)  # noqa: E731
    assert shown(date_from=day(4), date_to=day(2)) == [made[3].pk]
    assert shown(date_from=day(3), date_to=day(3)) == [made[3].pk]
    assert shown(date_from=day(3)) == [made[0].pk, made[3].pk]
    assert shown(date_to=day(4)) == [made[10].pk]
    assert shown(date_to=day(0)) == [made[0].pk, made[3].pk, made[10].pk]


def test_a_date_range_ending_before_it_starts_is_told_at_the_field(world, root):
    client = signed_in(root)
    today = timezone.localdate()
    response = _page(
        client,
        date_from=today.isoformat(),
        date_to=(today - datetime.timedelta(days=3)).isoformat(),
    )
    body = response.content.decode()
    message = "「まで」は「から」より後の日付にしてください。"
    assert f'<p class="error" id="id_date_to_error">{message}</p>' in body
    assert list(response.context["page"].object_list) == []
    assert _kinds(response) == [] and "該当する記録はありません。" in body


def test_a_kind_that_is_no_choice_is_told_at_the_field(world, root):
    response = _page(signed_in(root), kind="delete_everything")
    body = response.content.decode()
    assert '<p class="error" id="id_kind_error">' in body
    assert "delete_everything" in body  # the message names the value refused
    assert list(response.context["page"].object_list) == []
    assert "該当する記録はありません。" in body


@pytest.mark.parametrize(
    "params",
    [
        {"page": "999"},
        {"page": "abc"},
        {"page": "-1"},
        {"date_from": "2026-13-45"},
        {"date_to": "yesterday"},
        {"username": "x" * 151},
        {"address": "1" * 46},
        {"result": "maybe"},
        {"kind": ["login", "logout"]},
        {"username": "' OR 1=1 --"},
        {"address": "<script>"},
        # Far dates: a day after 9999-12-31 does not exist; 0001-01-01 in Tokyo is before
        # the first UTC day.
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
    ],
)
def test_no_input_ends_in_an_error_page(world, root, params):
    response = signed_in(root).get(LOG, params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</form>", 1)[-1]


def test_a_control_character_is_refused_plainly(world, root):
    assert signed_in(root).get(LOG, {"username": "a\x00b"}).status_code == 400


# --- queries -------------------------------------------------------------------------------

# The session, the user and their membership; the count and the page's rows with their
# accounts and agencies in one statement; the unread-notifications count of the page's head.
QUERIES = 6


@pytest.mark.parametrize("rows", [3, 30])
def test_the_page_asks_the_same_queries_for_3_rows_as_for_30(
    cast, root, rows, django_assert_num_queries
):
    make_agency_admin(cast.admin_a)
    for i in range(rows):
        SecurityEvent.objects.create(
            kind="unlock",
            actor=cast.admin_a,
            subject=cast.csw_a if i % 2 else cast.consultation_a,
            agency=cast.agency_a,
            address="10.8.8.8",
            detail=str(i),
        )
    for user in (root, cast.admin_a):
        client = signed_in(user)
        with django_assert_num_queries(QUERIES):
            response = client.get(LOG, {"address": "10.8.8.8"})
        assert len(response.context["page"].object_list) == rows
        assert _kinds(response) == ["unlock"] * rows
