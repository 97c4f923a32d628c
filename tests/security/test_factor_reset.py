"""Only the system admin resets a factor, with a reason; the user is told and enrols again.
An agency admin who resets a worker's password still meets the worker's own factor."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import Notification
from security.models import EventKind, SecurityEvent
from tests.casework.admin_helpers import NEW_PASSWORD, make_agency_admin
from tests.security.factor_helpers import fully_signed_in, password_step, signed_in_as


@pytest.fixture
def root(db, django_user_model):
    return django_user_model.objects.create_superuser("root", password="correct-horse-battery-9")


def test_agency_admins_and_workers_cannot_reset_a_factor(cast, factor_on):
    make_agency_admin(cast.admin_a)
    for member in (cast.admin_a, cast.supervisor_a, cast.csw_a):
        client = fully_signed_in(member)
        assert client.get(reverse("security:factors")).status_code == 403
        url = reverse("security:factor_reset", args=[cast.csw_b.pk])
        assert client.post(url, {"reason": "紛失"}).status_code == 403
    assert not SecurityEvent.objects.filter(kind=EventKind.FACTOR_RESET).exists()


def test_a_reset_needs_a_reason(cast, factor_on, root):
    fully_signed_in(cast.csw_a)
    admin = fully_signed_in(root)
    url = reverse("security:factor_reset", args=[cast.csw_a.pk])
    response = admin.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert TOTPDevice.objects.filter(user=cast.csw_a, confirmed=True).exists()
    # Nor may the system admin reset their own: another one does.
    assert (
        admin.post(reverse("security:factor_reset", args=[root.pk]), {"reason": "x"}).status_code
        == 403
    )


def test_the_system_admin_resets_a_lost_phone_and_the_worker_enrols_again(
    cast, factor_on, root, django_capture_on_commit_callbacks
):
    cast.csw_a.email = "csw_a@city.example.lg.jp"
    cast.csw_a.save(update_fields=["email"])
    workers_session = fully_signed_in(cast.csw_a)
    assert signed_in_as(workers_session) == cast.csw_a
    admin = fully_signed_in(root)
    listing = admin.get(reverse("security:factors"), {"q": "csw_a"}).content.decode()
    assert re.search(r'data-account="csw_a">.*?登録済み', listing, re.S)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("security:factor_reset", args=[cast.csw_a.pk]),
            {"reason": "スマートフォン紛失の申し出(本人から電話、折り返しで確認)"},
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.csw_a).exists()
    assert not StaticDevice.objects.filter(user=cast.csw_a).exists()
    event = SecurityEvent.objects.get(kind=EventKind.FACTOR_RESET)
    assert (event.actor, event.subject, event.agency) == (root, cast.csw_a, cast.agency_a)
    assert event.detail == "スマートフォン紛失の申し出(本人から電話、折り返しで確認)"
    # The worker is told, in the app and by mail, and their open session has ended.
    assert Notification.objects.filter(
        recipient=cast.csw_a, message__contains="二要素認証"
    ).exists()
    assert mail.outbox[-1].to == ["csw_a@city.example.lg.jp"]
    assert "二要素認証" in mail.outbox[-1].subject
    assert signed_in_as(workers_session) is None
    # The next sign-in enrols a new authenticator.
    client = Client()
    assert password_step(client, "csw_a")["Location"] == reverse("security:factor")
    assert "<svg" in client.get(reverse("security:factor")).content.decode()


def test_a_password_reset_never_lets_the_agency_admin_in_as_the_worker(
    cast, factor_on, django_capture_on_commit_callbacks
):
    make_agency_admin(cast.admin_a)
    fully_signed_in(cast.csw_a)  # the worker has enrolled their phone
    cast.csw_a.email = "csw_a@city.example.lg.jp"
    cast.csw_a.save(update_fields=["email"])
    admin = fully_signed_in(cast.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("admin:auth_user_password_reset", args=[cast.csw_a.pk]))
    assert SecurityEvent.objects.filter(
        kind=EventKind.PASSWORD_RESET, actor=cast.admin_a, subject=cast.csw_a
    ).exists()
    # Suppose the admin learns the new password the worker sets from the mailed link.
    link = re.search(r"http\S+/accounts/reset/\S+/", mail.outbox[-1].body).group(0)
    worker = Client()
    form_url = worker.get(link.split("127.0.0.1:8000", 1)[-1]).url
    worker.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    intruder = Client()
    response = password_step(intruder, "csw_a", NEW_PASSWORD)
    assert response["Location"] == reverse("security:factor")
    page = intruder.get(reverse("security:factor")).content.decode()
    assert "<svg" not in page  # the worker's own authenticator is asked, not a new one
    assert signed_in_as(intruder) is None
    assert intruder.get(reverse("casework:my_cases")).status_code == 302


def test_the_admin_has_no_page_showing_a_device_secret(db):
    from django.urls import NoReverseMatch

    for name in (
        "admin:otp_totp_totpdevice_changelist",
        "admin:otp_static_staticdevice_changelist",
    ):
        with pytest.raises(NoReverseMatch):
            reverse(name)
