"""A directory sign-in that goes wrong half-way: nothing left behind, never an error page,
and a directory that does not answer is not waited for again and again."""

import socket
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client

from casework.models import StaffMembership
from directory import health
from directory.backend import DirectoryBackend
from directory.models import DirectoryAccount
from tests.casework.admin_helpers import OLD_PASSWORD
from tests.directory import world
from tests.directory.signing import refused, sign_in, signed_in
from tests.factories import StaffFactory

User = get_user_model()


class SilentServer:
    """Accepts connections and never answers, counting them: a directory that hangs."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.accepted: list[socket.socket] = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def uri(self) -> str:
        return f"ldap://127.0.0.1:{self.socket.getsockname()[1]}/"

    def _accept(self) -> None:
        while self.running:
            try:
                peer, _ = self.socket.accept()
            except OSError:
                continue
            self.accepted.append(peer)

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=5)
        for peer in self.accepted:
            peer.close()
        self.socket.close()


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def test_a_directory_that_does_not_answer_is_skipped_for_a_while(directory, settings, silent):
    real = settings.AUTH_LDAP_SERVER_URI
    settings.AUTH_LDAP_SERVER_URI = silent.uri
    client = Client()
    assert signed_in(sign_in(client, "csw_a", OLD_PASSWORD), client)
    assert len(silent.accepted) == 1  # this sign-in waited for it
    assert health.down_since() is not None

    # The login page says so, and the next sign-ins do not ask the directory at all.
    page = Client().get("/accounts/login/").content.decode()
    assert "区のディレクトリが" in page and "緊急用のローカルアカウントはログインできます" in page
    client = Client()
    assert signed_in(sign_in(client, "csw_b", OLD_PASSWORD), client)
    client = Client()
    response = sign_in(client, "ldap_csw_a")
    assert refused(response, client)
    assert "data-directory-down" in response.content.decode()
    assert len(silent.accepted) == 1

    # Once TSUNAGU_LDAP_DOWN_SECONDS have passed the directory is asked again; a sign-in it
    # accepts clears the mark and the page's notice.
    settings.AUTH_LDAP_SERVER_URI = real
    settings.DIRECTORY_DOWN_SECONDS = 1
    health.mark_up()
    health.mark_down()
    time.sleep(1.2)
    assert health.down_since() is None
    health.mark_down()
    assert health.down_since() is not None
    time.sleep(1.2)
    client = Client()
    assert signed_in(sign_in(client, "ldap_csw_a"), client)
    assert health.down_since() is None
    assert "data-directory-down" not in Client().get("/accounts/login/").content.decode()


def test_the_login_page_says_nothing_of_a_directory_that_answers(directory):
    assert health.down_since() is None
    assert "data-directory-down" not in Client().get("/accounts/login/").content.decode()


def test_local_names_that_differ_only_in_case_refuse_the_directory_sign_in(directory, caplog):
    # Django's user names are case-sensitive; django-auth-ldap looks them up without case.
    StaffFactory(username="ldap_csw_a")
    StaffFactory(username="LDAP_CSW_A")
    client = Client()
    assert refused(sign_in(client, "ldap_csw_a"), client)
    assert "directory sign-in of ldap_csw_a refused" in caplog.text
    assert not DirectoryAccount.objects.exists()


def test_a_sign_in_refused_half_way_leaves_nothing_behind(directory, caplog):
    # The agency admin's permissions are given at the sign-in: one missing from the database.
    Permission.objects.filter(codename="change_user").delete()
    client = Client()
    assert refused(sign_in(client, "ldap_admin_a"), client)
    assert "directory sign-in of ldap_admin_a refused" in caplog.text
    assert not User.objects.filter(username="ldap_admin_a").exists()
    assert not StaffMembership.objects.filter(user__username="ldap_admin_a").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sign_ins_of_a_new_user_at_once_make_one_account(directory, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    # Both have looked the user up and found none before either saves one (a double click).
    both_looked = threading.Barrier(2, timeout=10)
    look_up = DirectoryBackend.get_or_build_user

    def looked_up_together(self, username, ldap_user):
        user, built = look_up(self, username, ldap_user)
        if built:  # the retry finds the other one's user: built is False then
            both_looked.wait()
        return user, built

    monkeypatch.setattr(DirectoryBackend, "get_or_build_user", looked_up_together)
    outcomes: list[bool] = []
    errors: list[BaseException] = []

    def sign_in_once():
        try:
            client = Client()
            outcomes.append(signed_in(sign_in(client, "ldap_csw_a"), client))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_in_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert outcomes == [True, True]
    user = User.objects.get(username="ldap_csw_a")
    assert StaffMembership.objects.filter(user=user).count() == 1
    assert DirectoryAccount.objects.filter(user=user).count() == 1


def test_a_sign_in_the_directory_accepts_clears_the_mark(directory):
    health.mark_down()
    assert health.down_since() is not None
    # As the first sign-in after TSUNAGU_LDAP_DOWN_SECONDS does (the mark skipped).
    user = DirectoryBackend()._authenticate(None, "ldap_csw_a", world.PASSWORD)
    assert user is not None and user.username == "ldap_csw_a"
    assert health.down_since() is None


def test_only_the_look_up_marks_the_directory_down(directory):
    import ldap
    from django_auth_ldap.backend import ldap_error

    # The user's own bind carries what the visitor typed: never a reason to mark it down.
    ldap_error.send(
        DirectoryBackend,
        context="authenticate",
        user=None,
        request=None,
        exception=ldap.SERVER_DOWN({"desc": "Can't contact LDAP server"}),
    )
    assert health.down_since() is None
    ldap_error.send(
        DirectoryBackend,
        context="search_for_user_dn",
        user=None,
        request=None,
        exception=ldap.INVALID_CREDENTIALS({"desc": "Invalid credentials"}),
    )
    assert health.down_since() is None
    ldap_error.send(
        DirectoryBackend,
        context="search_for_user_dn",
        user=None,
        request=None,
        exception=ldap.SERVER_DOWN({"desc": "Can't contact LDAP server"}),
    )
    assert health.down_since() is not None


def test_a_password_longer_than_anyone_types_is_refused_at_the_field(directory):
    client = Client()
    response = sign_in(client, "ldap_csw_a", "x" * 300_000)
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert health.down_since() is None
    assert not User.objects.filter(username="ldap_csw_a").exists()


def test_sign_in_goes_on_when_the_cache_is_down(directory, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("the cache's server does not answer")

    for name in ("get", "set", "delete"):
        monkeypatch.setattr(cache, name, down)
    assert Client().get("/accounts/login/").status_code == 200
    client = Client()
    assert signed_in(sign_in(client, "ldap_csw_a"), client)
    client = Client()
    assert signed_in(sign_in(client, "csw_a", OLD_PASSWORD), client)
