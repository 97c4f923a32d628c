"""The synchronisation (`manage.py directory_sync`, beat's `directory.sync`) against a real
directory: a user the directory no longer has is switched off, their sessions end and their
cases show in 担当者なし; a changed group moves them; a directory that cannot be reached
changes nothing and says so in one line."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user, get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from casework import selectors
from casework.models import CaseAssignment, Role
from directory.models import DirectoryAccount
from tests.directory import world
from tests.directory.signing import sign_in, signed_in

User = get_user_model()
ROOT = Path(__file__).resolve().parents[2]


def run_sync(*args):
    out, err = StringIO(), StringIO()
    call_command("directory_sync", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue().splitlines()


def signed_in_client(username):
    client = Client()
    assert signed_in(sign_in(client, username), client)
    return client, User.objects.get(username=username)


def test_a_user_deleted_from_the_directory_is_switched_off_and_their_cases_need_a_worker(
    directory, cast, open_case
):
    session, leaver = signed_in_client("ldap_leaver")
    case = open_case(leaver)
    directory.delete_user("ldap_leaver")
    # The directory refuses the next sign-in at once; the open session lasts until the sync.
    client = Client()
    assert sign_in(client, "ldap_leaver").status_code == 200
    assert not get_user(client).is_authenticated
    assert get_user(session).is_authenticated

    out, _ = run_sync()
    assert out == [
        "ldap_leaver: 無効にしました(ディレクトリにいません)",
        "確認 1人: 無効化 1人、所属・役割の変更 0人、変更なし 0人",
    ]
    leaver.refresh_from_db()
    assert not leaver.is_active
    account = DirectoryAccount.objects.get(user=leaver)
    assert account.removed_at is not None and account.removed_reason == "ディレクトリにいません"
    # Their open session ends at its next request.
    assert not get_user(session).is_authenticated
    response = session.get(reverse("casework:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    # The supervisor finds the case in 担当者なし.
    supervisor = Client()
    supervisor.force_login(cast.supervisor_a)
    listing = supervisor.get(reverse("casework:caseload_unassigned")).content.decode()
    assert case.number in listing
    assert list(selectors.unassigned_cases(cast.supervisor_a)) == [case]
    # Nothing more to do on the next run.
    assert run_sync()[0] == ["確認 0人: 無効化 0人、所属・役割の変更 0人、変更なし 0人"]


def test_a_user_out_of_every_mapped_group_is_switched_off(directory):
    signed_in_client("ldap_mover")
    directory.set_groups("ldap_mover", ["printers"])
    out, _ = run_sync()
    assert out[0] == "ldap_mover: 無効にしました(対応表のどのグループにも入っていません)"
    assert not User.objects.get(username="ldap_mover").is_active


def test_a_user_in_groups_that_disagree_is_switched_off(directory):
    signed_in_client("ldap_mover")
    directory.set_groups("ldap_mover", ["csw-a", "supervisors-a"])
    out, _ = run_sync()
    assert out[0] == "ldap_mover: 無効にしました(対応表で機関・役割の異なるグループに入っています)"
    assert not User.objects.get(username="ldap_mover").is_active


def test_the_sync_moves_a_user_whose_groups_changed(directory, cast, open_case):
    session, mover = signed_in_client("ldap_mover")
    case = open_case(mover)
    signed_in_client("ldap_csw_a")
    directory.set_groups("ldap_mover", ["supervisors-a"])
    out, _ = run_sync()
    assert out == [
        "ldap_mover: 所属・役割を変更しました(社協A/CSW → 社協A/スーパーバイザー、"
        "1件のケースの担当・共有を終了)",
        "確認 2人: 無効化 0人、所属・役割の変更 1人、変更なし 1人",
    ]
    mover = User.objects.get(pk=mover.pk)
    assert mover.is_active and mover.membership.role == Role.SUPERVISOR
    assert not CaseAssignment.objects.filter(worker=mover, ended_at__isnull=True).exists()
    # The open session goes on, with the new role.
    assert get_user(session).is_authenticated
    assert session.get(reverse("casework:caseload_unassigned")).status_code == 200
    assert case.number in session.get(reverse("casework:caseload_unassigned")).content.decode()


def test_a_dry_run_says_what_would_change_and_changes_nothing(directory):
    signed_in_client("ldap_leaver")
    signed_in_client("ldap_mover")
    directory.delete_user("ldap_leaver")
    directory.set_groups("ldap_mover", ["csw-b"])
    out, _ = run_sync("--dry-run")
    assert out == [
        "ldap_leaver: 無効にします(ディレクトリにいません)",
        "ldap_mover: 所属・役割を変更します(社協A/CSW → 包括B/CSW)",
        "確認 2人: 無効化 1人、所属・役割の変更 1人、変更なし 0人(--dry-run: 何も変更していません)",
    ]
    assert User.objects.get(username="ldap_leaver").is_active
    assert User.objects.get(username="ldap_mover").membership.agency.name == "社協A"
    assert not DirectoryAccount.objects.filter(removed_at__isnull=False).exists()


def test_a_user_the_sync_switched_off_signs_in_again_once_the_directory_has_them(directory):
    signed_in_client("ldap_mover")
    directory.set_groups("ldap_mover", ["printers"])
    run_sync()
    client = Client()
    assert sign_in(client, "ldap_mover").status_code == 200  # still out of every group
    directory.set_groups("ldap_mover", ["consultation-a"])
    _, mover = signed_in_client("ldap_mover")
    assert mover.is_active and mover.membership.role == Role.CONSULTATION
    assert DirectoryAccount.objects.get(user=mover).removed_at is None


def test_local_accounts_are_left_alone(directory, cast):
    out, _ = run_sync()
    assert out == ["確認 0人: 無効化 0人、所属・役割の変更 0人、変更なし 0人"]
    assert User.objects.filter(is_active=False).count() == 0


def test_an_agency_the_map_names_wrongly_switches_nobody_off(directory, settings):
    signed_in_client("ldap_csw_a")
    settings.DIRECTORY_GROUP_MAP = {
        dn: ("社協エー", role) if agency == "社協A" else (agency, role)
        for dn, (agency, role) in settings.DIRECTORY_GROUP_MAP.items()
    }
    out, err = run_sync()
    assert err == ["ldap_csw_a: 変更しません(対応表の機関「社協エー」がつなぐにありません)"]
    assert out == ["確認 1人: 無効化 0人、所属・役割の変更 0人、変更なし 0人、保留 1人"]
    assert User.objects.get(username="ldap_csw_a").is_active


def test_the_sync_with_the_directory_down_changes_nothing_and_says_so(
    directory, settings, closed_port
):
    signed_in_client("ldap_csw_a")
    directory.delete_user("ldap_csw_a")
    settings.AUTH_LDAP_SERVER_URI = closed_port
    with pytest.raises(CommandError, match="ディレクトリに接続できません") as raised:
        run_sync()
    assert "\n" not in str(raised.value)
    assert User.objects.get(username="ldap_csw_a").is_active


def test_the_command_exits_non_zero_with_one_line_when_the_directory_is_down(
    directory, closed_port, tmp_path
):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(world.environment(closed_port))
    env.update(
        DJANGO_DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        TSUNAGU_VAR_DIR=str(tmp_path / "var"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "directory_sync"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("CommandError: ディレクトリに接続できません: ")
    assert "Can't contact LDAP server" in lines[0]
    assert "何も変更していません" in lines[0]
    assert result.stdout == ""


def test_beat_runs_the_sync_every_fifteen_minutes(directory, settings, closed_port):
    from django_celery_beat.models import PeriodicTask

    from config.celery import app
    from directory import tasks

    periodic = PeriodicTask.objects.get(task="directory.sync")
    assert periodic.enabled
    assert (periodic.interval.every, periodic.interval.period) == (15, "minutes")
    assert "directory.sync" in app.tasks
    signed_in_client("ldap_leaver")
    directory.delete_user("ldap_leaver")
    settings.AUTH_LDAP_SERVER_URI = closed_port
    assert tasks.directory_sync() == {"enabled": True, "reached": False}
    settings.AUTH_LDAP_SERVER_URI = directory.uri
    outcome = tasks.directory_sync()
    assert outcome["reached"] and outcome["checked"] == 1 and outcome["deactivated"] == 1
    assert not User.objects.get(username="ldap_leaver").is_active


def test_a_directory_that_answers_nobody_switches_nobody_off(directory, settings):
    """A moved OU, or a service account that lost its rights, answers "nobody" without an
    error: the run would switch everyone off, so it changes nothing, until --force."""
    from django_auth_ldap.config import LDAPSearch

    users = [signed_in_client(name)[1] for name in ("ldap_csw_a", "ldap_csw_b", "ldap_mover")]
    search = settings.AUTH_LDAP_USER_SEARCH
    settings.AUTH_LDAP_USER_SEARCH = LDAPSearch(
        search.base_dn.replace("ou=people", "ou=groups"), search.scope, search.filterstr
    )
    with pytest.raises(CommandError, match="3人のうち3人を無効にすることになるため"):
        run_sync()
    assert all(User.objects.get(pk=u.pk).is_active for u in users)
    # Over the limit (two of three here) is refused too.
    settings.DIRECTORY_SYNC_MAX_SWITCH_OFF = 1
    settings.AUTH_LDAP_USER_SEARCH = search
    directory.delete_user("ldap_csw_b")
    directory.delete_user("ldap_mover")
    with pytest.raises(CommandError, match="TSUNAGU_LDAP_SYNC_MAX_SWITCH_OFF=1"):
        run_sync()
    assert User.objects.filter(pk__in=[u.pk for u in users], is_active=True).count() == 3
    out, _ = run_sync("--force")
    assert out[-1] == "確認 3人: 無効化 2人、所属・役割の変更 0人、変更なし 1人"
