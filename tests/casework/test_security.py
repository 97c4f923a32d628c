import time

import pytest
from django.urls import reverse

from casework.middleware import SESSION_KEY

PASSWORD = "correct-horse-battery-9"


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_and_logout(client, cast):
    response = _login(client, "csw_a", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("casework:my_cases")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("casework:my_cases")).status_code == 302


def test_wrong_password_shows_a_message(client, cast):
    response = _login(client, "csw_a", "wrong")
    assert response.status_code == 200
    assert "正しいユーザー名とパスワード" in response.content.decode()


def test_repeated_failures_lock_the_account_then_the_lock_cools_off(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "csw_a", "wrong")
    locked = _login(client, "csw_a", PASSWORD)
    assert locked.status_code == 429
    assert "一時停止" in locked.content.decode()
    # Another worker is not locked out by it.
    assert _login(client, "csw_b", PASSWORD).status_code == 302

    from axes.models import AccessAttempt
    from django.utils import timezone

    # A failed try near the end of the lock does not restart it.
    almost = timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME - 0.01)
    AccessAttempt.objects.update(attempt_time=almost)
    assert _login(client, "csw_a", "wrong").status_code == 429
    cooled = timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME + 0.01)
    AccessAttempt.objects.update(attempt_time=cooled)
    assert _login(client, "csw_a", PASSWORD).status_code == 302


def test_idle_session_is_renewed_by_each_request_and_ends_when_idle(client, cast, settings):
    from casework.middleware import SEEN_KEY

    assert settings.SESSION_IDLE_TIMEOUT_MINUTES == 30
    client.force_login(cast.csw_a)

    def idle_for(seconds):
        session = client.session
        session[SEEN_KEY] = int(time.time()) - seconds
        session.save()

    # 29 minutes idle: still signed in, and the request renews the idle clock.
    idle_for(29 * 60)
    assert client.get(reverse("casework:my_cases")).status_code == 200
    assert client.session[SEEN_KEY] >= int(time.time()) - 5
    # Idle past the timeout: signed out and sent to log in, back to the page after.
    idle_for(30 * 60 + 1)
    response = client.get(reverse("casework:my_cases"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=%2Fcases%2F"
    assert client.get(reverse("casework:my_cases")).status_code == 302


def test_absolute_lifetime_starts_at_login(client, cast):
    before = int(time.time())
    _login(client, "csw_a", PASSWORD)
    assert client.session[SESSION_KEY] >= before


def test_absolute_session_lifetime_logs_out(client, cast, settings):
    client.force_login(cast.csw_a)
    session = client.session
    session[SESSION_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_HOURS * 3600 - 1
    session.save()
    response = client.get(reverse("casework:my_cases"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get(reverse("casework:my_cases")).status_code == 302


def test_post_without_csrf_token_is_refused(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.csw_a)
    assert strict.post(reverse("casework:case_open"), {}).status_code == 403


@pytest.mark.parametrize("model", ["person", "case", "contactrecord", "consent", "accesslog"])
def test_admin_shows_no_personal_case_data(admin_client, model):
    assert admin_client.get(f"/admin/casework/{model}/").status_code == 404


def test_admin_manages_master_data(admin_client):
    for url in ("/admin/casework/district/", "/admin/casework/agency/", "/admin/auth/user/"):
        assert admin_client.get(url).status_code == 200


def test_agency_admin_sees_only_own_agency_staff(client, cast):
    cast.admin_a.is_staff = True
    cast.admin_a.save(update_fields=["is_staff"])
    from django.contrib.auth.models import Permission

    cast.admin_a.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename__endswith="_user")
    )
    client.force_login(cast.admin_a)
    response = client.get("/admin/auth/user/")
    assert response.status_code == 200
    names = {u.username for u in response.context["cl"].result_list}
    assert names == {"csw_a", "consultation_a"}
    other = client.get(f"/admin/auth/user/{cast.csw_b.pk}/change/")
    assert other.status_code in (302, 404)


def test_behind_the_proxy_the_client_is_the_last_forwarded_hop(rf, settings):
    from config.client_ip import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.7", REMOTE_ADDR="10.0.0.1")
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_TLS_PROXY = True
    assert client_ip(request) == "10.0.0.7"


def test_pages_for_signed_in_staff_are_not_cached(client, cast):
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:my_cases"))
    assert "no-store" in response.headers["Cache-Control"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def _agency_admin(cast):
    from django.contrib.auth.models import Permission

    cast.admin_a.is_staff = True
    cast.admin_a.save(update_fields=["is_staff"])
    cast.admin_a.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["auth", "casework"],
            codename__in=[
                "view_user",
                "change_user",
                "add_user",
                "view_staffmembership",
                "change_staffmembership",
                "add_staffmembership",
            ],
        )
    )
    return cast.admin_a


def test_agency_admin_cannot_promote_themselves_or_touch_supervisors(client, cast):
    admin_a = _agency_admin(cast)
    client.force_login(admin_a)
    assert client.get(f"/admin/auth/user/{admin_a.pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/auth/user/{cast.supervisor_a.pk}/change/").status_code in (302, 404)
    form = client.get(f"/admin/auth/user/{cast.csw_a.pk}/change/").context["inline_admin_formsets"]
    roles = [value for value, _label in form[0].formset.forms[0].fields["role"].choices if value]
    assert roles == ["csw", "consultation"]


def test_moving_a_worker_to_another_agency_ends_their_grants(client, cast, open_case):
    from casework import access
    from casework.models import AccessLog

    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    assert client.get(reverse("casework:case_detail", kwargs={"pk": case.pk})).status_code == 200
    admin = type(cast.csw_a).objects.create_superuser("root", password="correct-horse-battery-9")
    client.force_login(admin)
    membership = cast.csw_a.membership
    response = client.post(
        f"/admin/auth/user/{cast.csw_a.pk}/change/",
        {
            "username": "csw_a",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "membership-TOTAL_FORMS": "1",
            "membership-INITIAL_FORMS": "1",
            "membership-MIN_NUM_FORMS": "0",
            "membership-MAX_NUM_FORMS": "1",
            "membership-0-id": membership.pk,
            "membership-0-user": cast.csw_a.pk,
            "membership-0-agency": cast.agency_b.pk,
            "membership-0-role": "csw",
        },
    )
    assert response.status_code == 302, (
        response.context["adminform"].errors if response.context else ""
    )
    cast.csw_a.refresh_from_db()
    fresh = type(cast.csw_a).objects.get(pk=cast.csw_a.pk)
    assert fresh.membership.agency == cast.agency_b
    assert not access.cases_visible_to(fresh).filter(pk=case.pk).exists()
    assert AccessLog.objects.filter(
        case=case, action="revoke", detail__contains="職員の異動"
    ).exists()
