"""Password spraying: an address whose failed sign-ins name SECURITY_SPRAY_USERNAMES different
user names within SECURITY_SPRAY_MINUTES is refused before any password is checked, even a
right one, until the window has passed; other addresses and one user's own typos are not."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from security.models import SecurityEvent
from tests.casework.admin_helpers import OLD_PASSWORD

SPRAYER = "10.9.9.9"
PAUSED = "一時止めています"
NAMES = ["csw_b", "consultation_a", "nobody1", "supervisor_b", "nobody2", "admin_b"]


@pytest.fixture
def limit(settings):
    settings.SECURITY_SPRAY_USERNAMES = 4
    settings.SECURITY_SPRAY_MINUTES = 15
    return 4


def _login(client, username, password, address=SPRAYER):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _signed_in(client) -> bool:
    return client.get(reverse("casework:my_cases")).status_code == 200


def _spray(limit):
    client = Client()
    for name in NAMES[:limit]:
        response = _login(client, name, "Summer2026!")
        assert response.status_code == 200
        assert PAUSED not in response.content.decode()
        assert "正しいユーザー名とパスワード" in response.content.decode()
    return client


def test_an_address_failing_with_many_names_is_paused_even_for_a_right_password(cast, limit):
    client = _spray(limit)
    start = SecurityEvent.objects.order_by("-pk").first().pk
    response = _login(client, "csw_a", OLD_PASSWORD)
    assert response.status_code == 200
    body = response.content.decode()
    assert PAUSED in body and "15分ほど待ってから" in body
    assert not _signed_in(client)
    new = list(SecurityEvent.objects.filter(pk__gt=start).order_by("pk"))
    assert [(e.kind, e.result, e.username, e.address, e.actor_id) for e in new] == [
        ("address_throttled", "refused", "csw_a", SPRAYER, None)
    ]
    # No password was checked: no failure is counted against csw_a's own account either.
    assert not SecurityEvent.objects.filter(kind="login_failed", username="csw_a").exists()


def test_the_pause_answers_every_name_from_that_address(cast, limit):
    client = _spray(limit)
    for name in ("csw_b", "consultation_a", "no_such_name"):
        response = _login(client, name, "whatever")
        assert PAUSED in response.content.decode(), name
    throttled = SecurityEvent.objects.filter(kind="address_throttled", address=SPRAYER)
    assert list(throttled.order_by("pk").values_list("username", flat=True)) == [
        "csw_b",
        "consultation_a",
        "no_such_name",
    ]


def test_one_name_short_of_the_limit_is_not_paused(cast, limit):
    client = Client()
    for name in NAMES[: limit - 1]:
        _login(client, name, "Summer2026!")
    response = _login(client, "csw_a", OLD_PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_the_same_user_from_another_address_signs_in(cast, limit):
    _spray(limit)
    client = Client()
    response = _login(client, "csw_a", OLD_PASSWORD, address="10.9.9.10")
    assert response.status_code == 302
    assert _signed_in(client)
    assert not SecurityEvent.objects.filter(kind="address_throttled").exists()


def test_one_users_repeated_typos_do_not_pause_the_address(cast, limit, settings):
    client = Client()
    typos = settings.AXES_FAILURE_LIMIT - 1  # below the account's own lockout
    assert typos >= limit  # more failures than the spray limit, all with one name
    for _ in range(typos):
        response = _login(client, "csw_a", "wrong")
        assert PAUSED not in response.content.decode()
    response = _login(client, "csw_a", OLD_PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)
    assert SecurityEvent.objects.filter(kind="login_failed", address=SPRAYER).count() == typos


def test_after_the_window_the_address_signs_in_again(cast, limit, settings, monkeypatch):
    client = _spray(limit)
    assert PAUSED in _login(client, "csw_a", OLD_PASSWORD).content.decode()
    later = timezone.now() + datetime.timedelta(minutes=settings.SECURITY_SPRAY_MINUTES + 1)
    monkeypatch.setattr("security.throttle.timezone.now", lambda: later)
    response = _login(client, "csw_a", OLD_PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_just_inside_the_window_the_address_is_still_paused(cast, limit, settings, monkeypatch):
    client = _spray(limit)
    later = timezone.now() + datetime.timedelta(minutes=settings.SECURITY_SPRAY_MINUTES - 1)
    monkeypatch.setattr("security.throttle.timezone.now", lambda: later)
    response = _login(client, "csw_a", OLD_PASSWORD)
    assert PAUSED in response.content.decode()
    assert not _signed_in(client)


def test_one_name_in_other_letter_cases_counts_once(cast, limit):
    client = Client()
    for name in ("Nobody1", "nobody1", "NOBODY1", "noBody1", "nobody2", "nobody3"):
        _login(client, name, "Summer2026!")
    assert _login(client, "csw_a", OLD_PASSWORD).status_code == 302
