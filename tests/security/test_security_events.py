"""Every event of the security log is one row with the right kind, result, actor, subject,
agency, user name, address and detail, and the same event as one JSON line on the
"tsunagu.security" logger (and on to the ward's syslog server when SECURITY_SYSLOG is set).
"""

import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from casework.middleware import SEEN_KEY
from casework.models import AccessLog, Agency, District, Role, StaffMembership
from security import settings_watch
from tests.casework.admin_helpers import NEW_PASSWORD, OLD_PASSWORD, make_agency_admin, signed_in

ROOT = Path(__file__).resolve().parents[2]
User = get_user_model()
FIELDS = ("kind", "result", "actor", "subject", "agency", "username", "address", "detail")


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="root-password-for-tests-1")


@pytest.fixture
def admins(cast):
    make_agency_admin(cast.admin_a)
    make_agency_admin(cast.admin_b)
    return cast


def _row(event) -> dict:
    return {
        "kind": event.kind,
        "result": event.result,
        "actor": event.actor.username if event.actor else None,
        "subject": event.subject.username if event.subject else None,
        "agency": event.agency.name if event.agency else None,
        "username": event.username,
        "address": event.address,
        "detail": event.detail,
    }


def _expect(kind, actor, subject, agency, *, result="success", username=None, **rest) -> dict:
    return {
        "kind": kind,
        "result": result,
        "actor": actor,
        "subject": subject,
        "agency": agency,
        "username": (subject or "") if username is None else username,
        "address": rest.get("address", "127.0.0.1"),
        "detail": rest.get("detail", ""),
    }


def _login(client, username, password=OLD_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _user_form(user, **changes) -> dict:
    """The Django admin's change form of `user` as the page posts it, with `changes`."""
    membership = StaffMembership.objects.get(user=user)
    data = {
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "membership-TOTAL_FORMS": "1",
        "membership-INITIAL_FORMS": "1",
        "membership-MIN_NUM_FORMS": "0",
        "membership-MAX_NUM_FORMS": "1",
        "membership-0-id": membership.pk,
        "membership-0-user": user.pk,
        "membership-0-agency": membership.agency_id,
        "membership-0-role": membership.role,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _admin_change(client, user, **changes):
    response = client.post(f"/admin/auth/user/{user.pk}/change/", _user_form(user, **changes))
    assert response.status_code == 302, response.context and response.context["adminform"].errors
    return response


# --- signing in and out ---------------------------------------------------------------------


def test_a_sign_in_through_the_login_form(client, cast, mark):
    response = _login(client, "csw_a", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert [_row(e) for e in mark()] == [
        _expect("login", "csw_a", "csw_a", "社協A", address="10.1.2.3", detail="二要素認証なし")
    ]


def test_a_wrong_password_names_the_account(client, cast, mark):
    assert _login(client, "csw_b", "wrong", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert [_row(e) for e in mark()] == [
        _expect("login_failed", None, "csw_b", "包括B", result="failure", address="10.1.2.3")
    ]


def test_an_unknown_user_name_is_kept_as_typed_with_no_account(client, cast, mark):
    assert _login(client, "no_such_worker", "guess").status_code == 200
    assert [_row(e) for e in mark()] == [
        _expect("login_failed", None, None, None, result="failure", username="no_such_worker")
    ]


def test_a_lockout_and_its_lift_by_the_agency_admin(admins, mark):
    client = Client()
    limit = django_settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        _login(client, "csw_a", "wrong")
    locked = _login(client, "csw_a")
    assert locked.status_code == 429
    rows = [_row(e) for e in mark()]
    failed = _expect("login_failed", None, "csw_a", "社協A", result="failure")
    assert rows[: limit - 1] == [failed] * (limit - 1)
    # The failure that reaches the limit starts one lockout (axes signals it while handling
    # that failure, so it comes first) and is a failure like the others; the try with the
    # right password is refused, marked as made while locked, and starts no new lockout.
    assert rows[limit - 1 :] == [
        _expect("lockout", None, "csw_a", "社協A", result="refused"),
        failed,
        _expect("login_failed", None, "csw_a", "社協A", result="refused", detail="ロック中"),
    ]
    assert _login(client, "csw_a").status_code == 429
    assert [e.kind for e in mark()].count("lockout") == 1

    after_lockout = mark()[-1].pk
    admin = signed_in(admins.admin_a)
    lifted = admin.post(
        "/admin/auth/user/", {"action": "lift_lockout", "_selected_action": [admins.csw_a.pk]}
    )
    assert lifted.status_code == 302
    new = [e for e in mark() if e.pk > after_lockout]
    unlock = [_row(e) for e in new if e.kind == "unlock"]
    assert unlock == [_expect("unlock", "admin_a", "csw_a", "社協A", detail="1")]
    assert _login(Client(), "csw_a").status_code == 302


def test_a_sign_out(client, cast, mark):
    _login(client, "csw_a")
    assert client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3").status_code == 302
    assert [_row(e) for e in mark()][-1] == _expect(
        "logout", "csw_a", "csw_a", "社協A", address="10.1.2.3"
    )
    assert [e.kind for e in mark()] == ["login", "logout"]


def test_the_idle_timeout_is_a_timeout_not_a_sign_out(client, cast, mark):
    _login(client, "supervisor_b")
    session = client.session
    session[SEEN_KEY] = int(time.time()) - django_settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()
    response = client.get(reverse("casework:my_cases"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert [_row(e) for e in mark()] == [
        _expect("login", "supervisor_b", "supervisor_b", "包括B", detail="二要素認証なし"),
        _expect("timeout", "supervisor_b", "supervisor_b", "包括B", detail="無操作"),
    ]


# --- passwords --------------------------------------------------------------------------------


def test_a_password_change_on_the_password_page(client, cast, mark):
    client.force_login(cast.csw_a)
    start = len(mark())
    response = client.post(
        reverse("password_change"),
        {
            "old_password": OLD_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    assert [_row(e) for e in mark()[start:]] == [
        _expect("password_change", "csw_a", "csw_a", "社協A", address="10.1.2.3")
    ]


def test_a_password_reset_issued_by_the_agency_admin(admins, mark):
    admin = signed_in(admins.admin_a)
    start = len(mark())
    response = admin.post(reverse("admin:auth_user_password_reset", args=[admins.csw_a.pk]))
    assert response.status_code == 302
    rows = [_row(e) for e in mark()[start:]]
    # A reset is not a change of password by the worker: no password_change event.
    assert [row for row in rows if row["kind"].startswith("password")] == [
        _expect(
            "password_reset", "admin_a", "csw_a", "社協A", detail="情報システム担当の窓口で設定"
        )
    ]


# --- accounts: role, agency, active state, admin rights ----------------------------------------


def test_a_role_and_an_agency_changed_in_the_admin_name_the_admin(cast, root, mark):
    admin = signed_in(root)
    start = len(mark())
    _admin_change(admin, cast.csw_a, **{"membership-0-role": Role.CONSULTATION})
    _admin_change(admin, cast.csw_a, **{"membership-0-agency": cast.agency_b.pk})
    changes = [_row(e) for e in mark()[start:] if e.kind == "membership_change"]
    assert changes == [
        _expect(
            "membership_change",
            "root",
            "csw_a",
            "社協A",
            detail="社協A / csw → 社協A / consultation",
        ),
        # The agency the account belongs to from the move on, and the one it left.
        _expect(
            "membership_change",
            "root",
            "csw_a",
            "包括B",
            detail="社協A / consultation → 包括B / consultation",
        ),
        _expect(
            "membership_change",
            "root",
            "csw_a",
            "社協A",
            detail="社協A / consultation → 包括B / consultation",
        ),
    ]


def test_a_role_changed_by_a_command_has_no_actor(cast, mark):
    code = (
        "from casework.models import StaffMembership\n"
        "m = StaffMembership.objects.get(user__username='csw_b')\n"
        "m.role = 'supervisor'\n"
        "m.save()\n"
    )
    call_command("shell", command=code)
    assert [_row(e) for e in mark()] == [
        _expect(
            "membership_change",
            None,
            "csw_b",
            "包括B",
            address="",
            detail="包括B / csw → 包括B / supervisor",
        )
    ]


def test_an_account_switched_off_in_the_admin_and_on_again_by_a_command(admins, mark):
    admin = signed_in(admins.admin_a)
    start = len(mark())
    _admin_change(admin, admins.csw_a, is_active=None)
    worker = User.objects.get(pk=admins.csw_a.pk)
    assert not worker.is_active
    worker.is_active = True
    worker.save()
    active = [_row(e) for e in mark()[start:] if e.kind == "active_change"]
    assert active == [
        _expect("active_change", "admin_a", "csw_a", "社協A", detail="無効"),
        _expect("active_change", None, "csw_a", "社協A", address="", detail="有効"),
    ]


def test_admin_rights_given_and_taken(cast, root, mark):
    worker = cast.supervisor_a
    worker.is_staff = True
    worker.save(update_fields=["is_staff"])
    worker.is_staff = False
    worker.is_superuser = True
    worker.save()
    rights = "admin_rights_change"
    assert [_row(e) for e in mark()] == [
        _expect(rights, None, "supervisor_a", "社協A", address="", detail="is_staff: False → True"),
        _expect(
            rights,
            None,
            "supervisor_a",
            "社協A",
            address="",
            detail="is_staff: True → False; is_superuser: False → True",
        ),
    ]
    # Saving other fields records nothing.
    worker.last_name = "改姓"
    worker.save()
    worker.save(update_fields=["last_login"])
    assert len(mark()) == 2


# --- master data, exports, settings -----------------------------------------------------------


def test_the_system_admins_changes_of_master_data_name_the_model_and_id(cast, root, mark):
    admin = signed_in(root)
    added = admin.post(
        "/admin/casework/agency/add/",
        {"name": "新設の相談窓口", "kind": "csw", "district": "", "correction_window_days": "30"},
    )
    assert added.status_code == 302
    agency = Agency.objects.get(name="新設の相談窓口")
    district = District.objects.get(code="central")
    changed = admin.post(
        f"/admin/casework/district/{district.pk}/change/",
        {"code": district.code, "name": "中央地区", "sort_order": district.sort_order},
    )
    assert changed.status_code == 302
    events = [e for e in mark() if e.kind == "master_data_change"]
    assert [(e.actor.username, e.result, e.address) for e in events] == [
        ("root", "success", "127.0.0.1"),
        ("root", "success", "127.0.0.1"),
    ]
    assert events[0].detail.startswith(f"agency #{agency.pk} 追加")
    assert events[1].detail.startswith(f"district #{district.pk} 変更")
    for event in events:
        assert "新設の相談窓口" not in event.detail and "中央地区" not in event.detail


def test_a_change_of_a_workers_account_in_the_admin_does_not_name_the_worker(admins, mark):
    worker = admins.csw_a
    worker.last_name, worker.first_name = "鷹司", "紫苑"
    worker.save()
    start = len(mark())
    _admin_change(signed_in(admins.admin_a), worker, last_name="九条")
    (event,) = [e for e in mark()[start:] if e.kind == "master_data_change"]
    assert event.actor == admins.admin_a
    assert event.detail.startswith(f"user #{worker.pk} 変更")
    for name in ("鷹司", "紫苑", "九条"):
        assert name not in event.detail


@pytest.mark.parametrize("view", ["contacts_csv", "contacts_xlsx", "print_contacts"])
def test_an_export_or_a_print_of_personal_data(client, cast, open_case, mark, view):
    case = open_case(cast.csw_a)
    client.force_login(cast.csw_a)
    start = len(mark())
    response = client.get(
        reverse(f"casework:{view}", kwargs={"pk": case.pk}), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    logged = AccessLog.objects.filter(case=case, action=AccessLog.Action.EXPORT).get()
    assert [_row(e) for e in mark()[start:]] == [
        _expect("export", "csw_a", "csw_a", "社協A", address="10.1.2.3", detail=logged.detail)
    ]
    assert "経過記録" in logged.detail


def test_a_changed_setting_is_one_event_with_old_and_new_value(settings, mark):
    settings_watch.check()  # whatever the test database started with
    start = len(mark())
    before = settings.AXES_FAILURE_LIMIT
    settings.AXES_FAILURE_LIMIT = before + 2
    assert settings_watch.check() is True
    assert [_row(e) for e in mark()[start:]] == [
        _expect(
            "settings_change",
            None,
            None,
            None,
            address="",
            detail=f"AXES_FAILURE_LIMIT: {before} → {before + 2}",
        )
    ]
    assert settings_watch.check() is False
    assert len(mark()) == start + 1
