"""The previous sign-in on the home pages: when and from where the account last signed in,
so that a worker notices a sign-in that was not theirs. Kept in the session at sign-in: the
pages ask no query for it."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.templatetags.tsunagu import jdatetime
from security.models import SecurityEvent
from security.signals import PREVIOUS_SIGN_IN
from tests.casework.admin_helpers import OLD_PASSWORD, make_agency_admin
from tests.casework.test_today import QUERIES_CSW

HOME = reverse("casework:home")
FIRST_TIME = "前回のログイン: 記録はありません"


def _sign_in(client, username, address="127.0.0.1"):
    response = client.post(
        reverse("login"), {"username": username, "password": OLD_PASSWORD}, REMOTE_ADDR=address
    )
    assert response.status_code == 302
    return SecurityEvent.objects.filter(kind="login", username=username).latest("pk")


def _line(response) -> str:
    """The paragraph that tells the previous sign-in (the page shows it once)."""
    body = response.content.decode()
    assert body.count("data-previous-sign-in") == 1
    start = body.index("data-previous-sign-in")
    return body[start : body.index("</p>", start)]


def _shown_as(event) -> str:
    return f"前回のログイン: {jdatetime(event.at)}({event.address}から)。"


def test_the_first_sign_in_says_there_is_none_the_next_shows_the_first(cast):
    client = Client()
    first = _sign_in(client, "csw_a")
    page = client.get(HOME)
    assert page.status_code == 200
    assert FIRST_TIME in _line(page)
    assert "から)" not in _line(page)

    client.post(reverse("logout"))
    again = Client()
    second = _sign_in(again, "csw_a", address="10.5.5.5")
    line = _line(again.get(HOME))
    assert _shown_as(first) in line
    assert "127.0.0.1" in line and "10.5.5.5" not in line
    assert FIRST_TIME not in line
    assert "情報システム担当に連絡" in line

    # The third sign-in shows the second: the one from 10.5.5.5.
    third = Client()
    _sign_in(third, "csw_a", address="10.6.6.6")
    assert _shown_as(second) in _line(third.get(HOME))


def test_the_time_is_shown_in_the_wards_time(cast):
    Client().post(reverse("login"), {"username": "csw_a", "password": OLD_PASSWORD})
    client = Client()
    _sign_in(client, "csw_a", address="10.5.5.5")
    first = SecurityEvent.objects.filter(kind="login", username="csw_a").earliest("pk")
    local = timezone.localtime(first.at)
    assert local.utcoffset() == datetime.timedelta(hours=9)  # Asia/Tokyo
    assert f"{local:%H:%M}" in _line(client.get(HOME))


def test_another_persons_sign_in_is_not_shown(cast):
    _sign_in(Client(), "csw_b", address="10.7.7.7")
    client = Client()
    _sign_in(client, "csw_a")
    line = _line(client.get(HOME))
    assert FIRST_TIME in line and "10.7.7.7" not in line


def test_a_failed_sign_in_is_not_a_previous_sign_in(cast):
    Client().post(
        reverse("login"), {"username": "csw_a", "password": "wrong"}, REMOTE_ADDR="10.8.8.8"
    )
    client = Client()
    _sign_in(client, "csw_a")
    line = _line(client.get(HOME))
    assert FIRST_TIME in line and "10.8.8.8" not in line


def test_the_indicator_officer_sees_it_on_the_dashboard(cast):
    first = _sign_in(Client(), "indicator_officer", address="10.1.2.3")
    client = Client()
    _sign_in(client, "indicator_officer", address="10.3.2.1")
    home = client.get(HOME)
    assert home.status_code == 302 and home.url == reverse("indicators:dashboard")
    dashboard = client.get(reverse("indicators:dashboard"))
    assert dashboard.status_code == 200
    assert _shown_as(first) in _line(dashboard)


@pytest.mark.parametrize("staff", [True, False])
def test_the_agency_admin_sees_it_on_their_home_page(cast, staff):
    if staff:
        make_agency_admin(cast.admin_a)
    first = _sign_in(Client(), "admin_a", address="10.4.4.4")
    client = Client()
    _sign_in(client, "admin_a")
    home = client.get(HOME)
    assert home.status_code == 200
    assert "casework/no_case_access.html" in [t.name for t in home.templates]
    assert _shown_as(first) in _line(home)


def test_the_home_page_asks_no_query_for_it(cast, open_case, django_assert_num_queries):
    open_case(cast.csw_a, opened_on=timezone.localdate() - datetime.timedelta(days=40))
    _sign_in(Client(), "csw_a", address="10.5.5.5")
    client = Client()
    _sign_in(client, "csw_a")
    assert client.session[PREVIOUS_SIGN_IN]["address"] == "10.5.5.5"

    # As many queries as 「今日」 asks without it (tests/casework/test_today.py) ...
    with django_assert_num_queries(QUERIES_CSW):
        shown = client.get(HOME)
    assert "10.5.5.5" in _line(shown)

    # ... and as a session without the key (signed in before the security log existed).
    session = client.session
    del session[PREVIOUS_SIGN_IN]
    session.save()
    with CaptureQueriesContext(connection) as without:
        page = client.get(HOME)
    assert "data-previous-sign-in" not in page.content.decode()
    assert len(without.captured_queries) == QUERIES_CSW
