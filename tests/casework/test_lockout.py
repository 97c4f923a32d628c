"""A paused sign-in says how long the pause lasts and who can lift it; the agency admin lifts
it for their own staff from the admin, the lift is recorded, and nobody else's can be."""

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from tests.casework.admin_helpers import OLD_PASSWORD, signed_in

CHANGELIST = "/admin/auth/user/"


def _lock(username):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "wrong"})
    return client.post(reverse("login"), {"username": username, "password": OLD_PASSWORD})


def test_the_lockout_page_says_how_long_and_who_can_lift_it(cast):
    locked = _lock("csw_a")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "最後の失敗から15分" in body
    assert "機関管理者" in body and "情報システム担当" in body


def test_the_agency_admin_lifts_the_pause_for_their_own_worker(admins):
    assert _lock("csw_a").status_code == 429
    admin = signed_in(admins.admin_a)
    page = admin.get(f"{CHANGELIST}{admins.csw_a.pk}/change/").content.decode()
    assert "一時停止中" in page
    response = admin.post(
        CHANGELIST,
        {"action": "lift_lockout", "_selected_action": [admins.csw_a.pk]},
        follow=True,
    )
    assert "1人のログインの一時停止を解除しました。" in response.content.decode()
    worker = Client()
    signed = worker.post(reverse("login"), {"username": "csw_a", "password": OLD_PASSWORD})
    assert signed.status_code == 302
    assert LogEntry.objects.filter(
        object_id=str(admins.csw_a.pk), change_message__contains="一時停止を解除"
    ).exists()


def test_another_agencys_or_a_supervisors_pause_stays(admins):
    assert _lock("csw_b").status_code == 429
    assert _lock("supervisor_a").status_code == 429
    admin = signed_in(admins.admin_a)
    admin.post(
        CHANGELIST,
        {
            "action": "lift_lockout",
            "_selected_action": [admins.csw_b.pk, admins.supervisor_a.pk],
        },
    )
    for username in ("csw_b", "supervisor_a"):
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": OLD_PASSWORD})
        assert response.status_code == 429, username
