"""Passwords in the Django admin: resets the issuing admin cannot use, new accounts without a
password anyone but the worker chose, and the change the worker is then made to do."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import Notification, PasswordReset
from tests.casework.admin_helpers import (
    NEW_PASSWORD,
    OLD_PASSWORD,
    can_sign_in,
    login_page,
    signed_in,
)

User = get_user_model()

# --- passwords -------------------------------------------------------------------------------


def test_agency_admin_can_neither_set_nor_read_a_password(admins):
    worker = admins.csw_a
    worker.email = "csw_a@city.example.lg.jp"
    worker.save(update_fields=["email"])
    client = signed_in(admins.admin_a)
    set_password = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    assert client.get(f"/admin/auth/user/{worker.pk}/password/").status_code == 404
    assert client.post(f"/admin/auth/user/{worker.pk}/password/", set_password).status_code == 404
    page = client.get(f"/admin/auth/user/{worker.pk}/change/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "pbkdf2" not in text and "md5" not in text and 'name="password' not in text
    assert reverse("admin:auth_user_password_reset", args=[worker.pk]) in text
    # Nor can they point the reset link at an address of their own.
    membership = worker.membership
    client.post(
        f"/admin/auth/user/{worker.pk}/change/",
        {
            "username": "csw_a",
            "last_name": "職員",
            "first_name": "一",
            "email": "admin_a@example.com",
            "is_active": "on",
            **membership_form(admins.agency_a, membership=membership),
        },
    )
    worker.refresh_from_db()
    assert worker.email == "csw_a@city.example.lg.jp"
    assert worker.check_password(OLD_PASSWORD)


def membership_form(agency, role="csw", membership=None) -> dict:
    fields = {"TOTAL_FORMS": "1", "INITIAL_FORMS": "1" if membership else "0"}
    fields.update({"MIN_NUM_FORMS": "1", "MAX_NUM_FORMS": "1", "0-agency": agency.pk})
    fields.update({"0-role": role} | ({"0-id": membership.pk} if membership else {}))
    return {f"membership-{key}": value for key, value in fields.items()}


def _reset(client, worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:auth_user_password_reset", args=[worker.pk]))
    assert response.status_code == 302
    return response


def test_reset_by_agency_admin_mails_the_worker_a_link_only_they_can_use(
    admins, django_capture_on_commit_callbacks
):
    worker, admin_a = admins.csw_a, admins.admin_a
    worker.email = "csw_a@city.example.lg.jp"
    worker.save(update_fields=["email"])
    workers_session = signed_in(worker)
    assert workers_session.get(reverse("casework:my_cases")).status_code == 200
    admin_client = signed_in(admin_a)

    response = _reset(admin_client, worker, django_capture_on_commit_callbacks)
    shown_to_admin = admin_client.get(response.url).content.decode()

    # The old password stops working at once, and so does the open session.
    assert not can_sign_in("csw_a", OLD_PASSWORD)
    assert workers_session.get(reverse("casework:my_cases")).status_code == 302
    # The audit row: who, for whom, when.
    reset = PasswordReset.objects.get(worker=worker)
    assert reset.issued_by == admin_a
    assert (timezone.now() - reset.issued_at).total_seconds() < 60
    assert reset.completed_at is None
    # The link went to the worker's address only, and the admin never saw it.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["csw_a@city.example.lg.jp"]
    link = re.search(r"http\S+/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[-1]
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in shown_to_admin
    # The admin cannot sign in as the worker with anything they know.
    for guess in (OLD_PASSWORD, "", "!"):
        assert not can_sign_in("csw_a", guess)

    # The worker opens the link and chooses a password the validators accept.
    worker_client = Client()
    form_url = worker_client.get(path).url
    too_short = worker_client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert too_short.status_code == 200
    done = worker_client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done.url == reverse("login")
    reset.refresh_from_db()
    assert reset.completed_at is not None
    # The link works once.
    assert "このリンクは使えません" in Client().get(path).content.decode()

    assert login_page(worker_client, "csw_a", NEW_PASSWORD).status_code == 302
    assert worker_client.get(reverse("casework:my_cases")).status_code == 200
    notice = worker_client.get(reverse("casework:notifications")).content.decode()
    assert "パスワードをリセットしました" in notice
    assert Notification.objects.filter(recipient=worker, message__contains="リセット").exists()


def test_without_an_address_the_account_stays_locked_until_the_worker_sets_a_password(
    admins, django_capture_on_commit_callbacks
):
    worker = admins.consultation_a
    _reset(signed_in(admins.admin_a), worker, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not can_sign_in(worker.username, OLD_PASSWORD)
    worker.refresh_from_db()
    assert not worker.has_usable_password()

    # At the IT desk the worker types a password into `manage.py changepassword` (which
    # does this); the app then makes them choose another one in private.
    worker.set_password("typed-at-the-it-desk-2026")
    worker.save(update_fields=["password"])
    client = Client()
    assert login_page(client, worker.username, "typed-at-the-it-desk-2026").status_code == 302
    change = reverse("password_change")
    for url in (
        reverse("casework:my_cases"),
        reverse("casework:notifications"),
        reverse("casework:person_search"),
        "/admin/",
    ):
        assert client.get(url).status_code == 302, url
        assert client.get(url).url == change
    assert client.post(reverse("casework:case_open"), {}).url == change
    page = client.get(change)
    assert page.status_code == 200
    assert "パスワードがリセットされました" in page.content.decode()

    desk = "typed-at-the-it-desk-2026"
    weak = {"old_password": desk, "new_password1": "12345678", "new_password2": "12345678"}
    assert client.post(change, weak).status_code == 200
    assert client.get(reverse("casework:my_cases")).url == change
    chosen = {"old_password": desk, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(change, chosen).status_code == 302
    assert client.get(reverse("casework:my_cases")).status_code == 200
    assert PasswordReset.objects.get(worker=worker).completed_at is not None
    notices = client.get(reverse("casework:notifications")).content.decode()
    assert "パスワードをリセットしました" in notices


def test_agency_admin_resets_only_their_own_agencys_workers(admins):
    client = signed_in(admins.admin_a)
    for other in (admins.csw_b, admins.supervisor_a, admins.admin_b, admins.admin_a):
        assert client.post(f"/admin/auth/user/{other.pk}/password-reset/").status_code == 404
        other.refresh_from_db()
        assert other.check_password(OLD_PASSWORD)
    assert not PasswordReset.objects.exists()


def test_system_admin_resets_the_same_way(admins, root, django_capture_on_commit_callbacks):
    _reset(signed_in(root), admins.admin_a, django_capture_on_commit_callbacks)
    admins.admin_a.refresh_from_db()
    assert not admins.admin_a.has_usable_password()
    assert PasswordReset.objects.get(worker=admins.admin_a).issued_by == root
    assert Notification.objects.filter(recipient=admins.admin_a).exists()
    assert signed_in(root).get(f"/admin/auth/user/{admins.csw_a.pk}/password/").status_code == 404


def test_new_account_has_no_password_anyone_but_the_worker_chooses(
    admins, django_capture_on_commit_callbacks
):
    client = signed_in(admins.admin_a)
    form = client.get("/admin/auth/user/add/").content.decode()
    assert 'name="password1"' not in form and 'name="email"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/auth/user/add/",
            {
                "username": "new_worker",
                "last_name": "新任",
                "first_name": "職員",
                "password1": "admin-chosen-password-1",
                "password2": "admin-chosen-password-1",
                "email": "admin_a@example.com",
                **membership_form(admins.agency_a),
            },
        )
    assert response.status_code == 302
    new = User.objects.get(username="new_worker")
    assert not new.has_usable_password()
    assert new.email == ""
    assert not can_sign_in("new_worker", "admin-chosen-password-1")
    reset = PasswordReset.objects.get(worker=new)
    assert reset.new_account and reset.issued_by == admins.admin_a
    assert mail.outbox == []


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/reset/MQ/bad-token/",
        "/accounts/reset/%00/%00/",
        "/accounts/reset/" + "A" * 5000 + "/x/",
        "/accounts/reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5/set-password/",
    ],
)
def test_a_bad_reset_link_is_a_plain_page(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert "このリンクは使えません" in response.content.decode()


def test_password_page_without_a_reset_is_an_ordinary_change(cast):
    client = signed_in(cast.csw_a)
    assert client.get(reverse("casework:my_cases")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    cast.csw_a.refresh_from_db()
    assert cast.csw_a.check_password(OLD_PASSWORD)
