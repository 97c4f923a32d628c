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

    cooled = timezone.now() - timezone.timedelta(hours=settings.AXES_COOLOFF_TIME + 0.01)
    AccessAttempt.objects.update(attempt_time=cooled)
    assert _login(client, "csw_a", PASSWORD).status_code == 302


def test_idle_timeout_is_renewed_on_each_request(client, cast, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(cast.csw_a)
    client.get(reverse("casework:my_cases"))
    assert client.session.get_expiry_age() == 1800


def test_absolute_session_lifetime_logs_out(client, cast, settings):
    client.force_login(cast.csw_a)
    session = client.session
    session[SESSION_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_HOURS * 3600 - 1
    session.save()
    response = client.get(reverse("casework:my_cases"))
    assert response.status_code == 302
    assert response.url == reverse("login")
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
    assert names == {"csw_a", "consultation_a", "supervisor_a", "admin_a"}
    other = client.get(f"/admin/auth/user/{cast.csw_b.pk}/change/")
    assert other.status_code in (302, 404)
