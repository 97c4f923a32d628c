"""Signing in through the real login page against a real directory (slapd): the agency and
role come from the groups, the directory's refusals are final for its users, and local
accounts keep working, with the directory on and with it down."""

import socket
import time

import pytest
from django.contrib.auth import get_user, get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from casework import access, selectors
from casework.models import AccessLog, CaseAssignment, Role
from directory.models import DirectoryAccount
from tests.casework.admin_helpers import OLD_PASSWORD
from tests.directory import world
from tests.directory.signing import refused, sign_in, signed_in
from tests.factories import StaffFactory, UserFactory

User = get_user_model()

LOCAL_PASSWORD = "kinmokusei-no-kaori-2026"


def test_a_first_sign_in_makes_the_user_and_their_membership_from_their_groups(directory):
    client = Client()
    assert signed_in(sign_in(client, "ldap_csw_a"), client)
    user = User.objects.get(username="ldap_csw_a")
    assert get_user(client).pk == user.pk
    assert (user.last_name, user.first_name) == ("山田", "太郎")
    assert user.email == "ldap_csw_a@ward.example"
    assert (user.membership.agency.name, user.membership.role) == ("社協A", Role.CSW)
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    assert user.directory_account.dn == world.user_dn("ldap_csw_a")
    assert client.get(reverse("casework:home")).status_code == 200
    # The same person however the name is typed: one account.
    again = Client()
    assert signed_in(sign_in(again, "LDAP_CSW_A"), again)
    assert get_user(again).pk == user.pk
    assert User.objects.filter(username__iexact="ldap_csw_a").count() == 1


def test_groups_that_agree_place_the_user_once(directory):
    client = Client()
    assert signed_in(sign_in(client, "ldap_two_teams"), client)
    membership = User.objects.get(username="ldap_two_teams").membership
    assert (membership.agency.name, membership.role) == ("社協A", Role.CSW)


@pytest.mark.parametrize(
    ("username", "reason"),
    [
        ("ldap_no_group", "in no group of TSUNAGU_LDAP_GROUP_MAP"),
        ("ldap_conflict", "in groups that map to different agencies or roles"),
        ("ldap_unknown_agency", "names the agency '存在しない課'"),
    ],
)
def test_a_user_the_map_does_not_place_is_refused(directory, caplog, username, reason):
    client = Client()
    assert refused(sign_in(client, username), client)
    assert not User.objects.filter(username=username).exists()
    assert f"directory sign-in of {username} refused" in caplog.text
    assert reason in caplog.text


def test_a_wrong_directory_password_is_refused(directory):
    client = Client()
    assert refused(sign_in(client, "ldap_csw_a", "not-the-password"), client)
    assert not User.objects.filter(username="ldap_csw_a").exists()


def test_an_agency_admin_gets_the_admin_and_loses_it_with_the_role(directory):
    client = Client()
    assert signed_in(sign_in(client, "ldap_admin_a"), client)
    admin = User.objects.get(username="ldap_admin_a")
    assert admin.is_staff and not admin.is_superuser
    assert admin.membership.role == Role.AGENCY_ADMIN
    assert admin.has_perm("auth.change_user") and admin.has_perm("casework.add_staffmembership")
    assert client.get("/admin/auth/user/").status_code == 200

    directory.set_groups("ldap_admin_a", ["csw-a"])
    client = Client()
    assert signed_in(sign_in(client, "ldap_admin_a"), client)
    admin = User.objects.get(pk=admin.pk)
    assert not admin.is_staff and admin.membership.role == Role.CSW
    assert not Permission.objects.filter(user=admin).exists()
    assert client.get("/admin/auth/user/").status_code == 302  # to the admin's login


def test_a_changed_group_moves_the_user_and_ends_their_grants(directory, cast, open_case):
    client = Client()
    assert signed_in(sign_in(client, "ldap_mover"), client)
    mover = User.objects.get(username="ldap_mover")
    case = open_case(mover)
    assert access.cases_visible_to(mover).filter(pk=case.pk).exists()

    directory.set_groups("ldap_mover", ["csw-b"])
    client = Client()
    assert signed_in(sign_in(client, "ldap_mover"), client)
    mover = User.objects.get(pk=mover.pk)
    assert (mover.membership.agency.name, mover.membership.role) == ("包括B", Role.CSW)
    assert not CaseAssignment.objects.filter(worker=mover, ended_at__isnull=True).exists()
    assert not access.cases_visible_to(mover).filter(pk=case.pk).exists()
    assert list(selectors.unassigned_cases(cast.supervisor_a)) == [case]
    # Recorded as the admin's change is, with the user as the actor (the directory did it).
    assert AccessLog.objects.filter(case=case, user=mover, action=AccessLog.Action.REVOKE).exists()


def test_a_local_password_never_signs_in_a_directory_user(directory, settings, closed_port):
    client = Client()
    assert signed_in(sign_in(client, "ldap_csw_a"), client)
    user = User.objects.get(username="ldap_csw_a")
    # A local password (through a reset link, or set at the IT desk) changes nothing.
    user.set_password(LOCAL_PASSWORD)
    user.save()
    client = Client()
    assert refused(sign_in(client, "ldap_csw_a", LOCAL_PASSWORD), client)
    # Nor when the directory is down: its users wait for it, they never fall back.
    settings.AUTH_LDAP_SERVER_URI = closed_port
    client = Client()
    assert refused(sign_in(client, "ldap_csw_a", LOCAL_PASSWORD), client)
    assert refused(sign_in(client, "ldap_csw_a"), client)
    # Nor when the directory is switched off (TSUNAGU_LDAP_URI emptied): still a directory user.
    settings.AUTHENTICATION_BACKENDS = [
        b for b in settings.AUTHENTICATION_BACKENDS if b != "directory.backend.DirectoryBackend"
    ]
    client = Client()
    assert refused(sign_in(client, "ldap_csw_a", LOCAL_PASSWORD), client)


def test_a_local_account_signs_in_with_the_directory_on(directory, cast):
    client = Client()
    assert signed_in(sign_in(client, "csw_a", OLD_PASSWORD), client)
    assert not DirectoryAccount.objects.exists()
    client = Client()
    assert refused(sign_in(client, "csw_a", world.PASSWORD), client)


def test_a_local_account_signs_in_with_the_directory_down(directory, settings, closed_port):
    settings.AUTH_LDAP_SERVER_URI = closed_port
    client = Client()
    assert signed_in(sign_in(client, "csw_a", OLD_PASSWORD), client)
    assert client.get(reverse("casework:home")).status_code == 200
    # A directory user is refused with the usual message: no error page.
    client = Client()
    assert refused(sign_in(client, "ldap_csw_b"), client)


def test_a_directory_that_does_not_answer_holds_a_local_sign_in_only_briefly(directory, settings):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{silent.getsockname()[1]}/"
        client = Client()
        started = time.monotonic()
        assert signed_in(sign_in(client, "csw_a", OLD_PASSWORD), client)
        # TSUNAGU_LDAP_TIMEOUT_SECONDS is 2 for these tests.
        assert time.monotonic() - started < 6


def test_a_superuser_is_never_taken_over_by_the_directory(directory, caplog):
    UserFactory(username="ldap_root", is_superuser=True, is_staff=True)
    client = Client()
    assert refused(sign_in(client, "ldap_root"), client)
    assert "superusers sign in with their local account only" in caplog.text
    root = User.objects.get(username="ldap_root")
    assert root.is_superuser and root.has_usable_password()
    assert not DirectoryAccount.objects.filter(user=root).exists()
    client = Client()
    assert signed_in(sign_in(client, "ldap_root", OLD_PASSWORD), client)


def test_a_local_account_of_the_same_name_is_not_taken_over_by_default(directory, cast):
    local = StaffFactory(username="ldap_local_worker", agency=cast.agency_b, role=Role.CSW)
    client = Client()
    assert refused(sign_in(client, "ldap_local_worker"), client)
    assert not DirectoryAccount.objects.filter(user=local).exists()
    client = Client()
    assert signed_in(sign_in(client, "ldap_local_worker", OLD_PASSWORD), client)


def test_a_local_admin_account_is_never_taken_over(directory, cast, settings):
    settings.DIRECTORY_ADOPT_LOCAL = True
    local = StaffFactory(username="ldap_local_worker", agency=cast.agency_b, role=Role.CSW)
    local.is_staff = True
    local.save(update_fields=["is_staff"])
    client = Client()
    assert refused(sign_in(client, "ldap_local_worker"), client)
    assert not DirectoryAccount.objects.filter(user=local).exists()


def test_a_local_account_of_the_same_name_is_taken_over_while_the_ward_moves_over(
    directory, cast, open_case, settings
):
    settings.DIRECTORY_ADOPT_LOCAL = True
    local = StaffFactory(username="ldap_local_worker", agency=cast.agency_b, role=Role.CSW)
    case_b = open_case(local)
    client = Client()
    assert signed_in(sign_in(client, "ldap_local_worker"), client)
    worker = User.objects.get(pk=local.pk)
    assert (worker.membership.agency.name, worker.membership.role) == ("社協A", Role.CSW)
    assert DirectoryAccount.objects.filter(user=worker).exists()
    assert not worker.has_usable_password()
    assert list(selectors.unassigned_cases(cast.supervisor_b)) == [case_b]
    client = Client()
    assert refused(sign_in(client, "ldap_local_worker", OLD_PASSWORD), client)


def test_an_account_an_admin_switched_off_stays_off(directory):
    client = Client()
    assert signed_in(sign_in(client, "ldap_csw_a"), client)
    user = User.objects.get(username="ldap_csw_a")
    user.is_active = False  # 有効 unticked in the admin
    user.save()
    client = Client()
    assert refused(sign_in(client, "ldap_csw_a"), client)
    assert not User.objects.get(pk=user.pk).is_active


def test_the_session_of_a_switched_off_directory_user_ends(directory):
    from directory.backend import DirectoryBackend

    client = Client()
    assert signed_in(sign_in(client, "ldap_csw_a"), client)
    user = User.objects.get(username="ldap_csw_a")
    assert client.session["_auth_user_backend"] == "directory.backend.DirectoryBackend"
    assert DirectoryBackend().get_user(user.pk) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert DirectoryBackend().get_user(user.pk) is None
    assert not get_user(client).is_authenticated
    response = client.get(reverse("casework:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_directory_user_changes_the_password_in_the_directory_not_here(directory):
    client = Client()
    assert signed_in(sign_in(client, "ldap_csw_a"), client)
    page = client.get(reverse("password_change"))
    assert "区のディレクトリ" in page.content.decode()
    assert page.context["form"] is None
    posted = client.post(
        reverse("password_change"),
        {"new_password1": "a-local-password-2026", "new_password2": "a-local-password-2026"},
    )
    assert posted.status_code == 200
    assert not User.objects.get(username="ldap_csw_a").has_usable_password()


def test_the_security_log_says_a_sign_in_came_through_the_directory(directory, cast):
    from security.models import EventKind, SecurityEvent

    client = Client()
    assert signed_in(sign_in(client, "ldap_csw_a"), client)
    local = Client()
    assert signed_in(sign_in(local, cast.csw_a.username, OLD_PASSWORD), local)
    details = dict(
        SecurityEvent.objects.filter(kind=EventKind.LOGIN).values_list("username", "detail")
    )
    assert details == {"ldap_csw_a": "二要素認証なし / ディレクトリ", "csw_a": "二要素認証なし"}
