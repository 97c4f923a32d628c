"""An account belongs to one directory entry, matched by the entry's unchanging ID
(TSUNAGU_LDAP_ID_ATTR: entryUUID here, as OpenLDAP gives it), never by the name alone: a
name the ward gives again is another person, and a renamed person keeps their account once
an admin renames it in Tsunagu too."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError
from django.test import Client

from casework import selectors
from casework.models import CaseAssignment
from directory.identity import NoDirectoryId, entry_id
from directory.models import DirectoryAccount
from tests.directory import world
from tests.directory.conftest import configure
from tests.directory.signing import refused, sign_in, signed_in
from tests.directory.test_sync import run_sync

User = get_user_model()


def _sign_in(username: str) -> bool:
    client = Client()
    return signed_in(sign_in(client, username), client)


def _open_cases(worker) -> list[int]:
    assigned = CaseAssignment.objects.filter(worker=worker, ended_at__isnull=True)
    return list(assigned.values_list("case_id", flat=True))


def test_the_first_sign_in_keeps_the_entrys_id(directory):
    assert _sign_in("ldap_csw_a")
    account = DirectoryAccount.objects.get(user__username="ldap_csw_a")
    assert account.directory_id == directory.entry_uuid("ldap_csw_a").lower()


def test_a_name_given_again_is_another_person(directory, cast, open_case, caplog):
    assert _sign_in("ldap_leaver")
    leaver = User.objects.get(username="ldap_leaver")
    case = open_case(leaver)
    kept = DirectoryAccount.objects.get(user=leaver).directory_id
    directory.give_name_again("ldap_leaver")

    # The newcomer's directory password is right, but the account is the leaver's.
    client = Client()
    assert refused(sign_in(client, "ldap_leaver"), client)
    assert "the name was given to someone else" in caplog.text
    assert DirectoryAccount.objects.get(user=leaver).directory_id == kept
    assert _open_cases(leaver) == [case.pk]

    # The synchronisation switches the leaver's account off and says why.
    out, _ = run_sync()
    assert out[0] == "ldap_leaver: 無効にしました(ディレクトリの同じ名前は別の人のものです)"
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert list(selectors.unassigned_cases(cast.supervisor_a)) == [case]

    # The admin renames the leaver's account; the newcomer's first sign-in makes their own.
    leaver.username = "ldap_leaver.2026"
    leaver.save(update_fields=["username"])
    assert _sign_in("ldap_leaver")
    newcomer = User.objects.get(username="ldap_leaver")
    assert newcomer.pk != leaver.pk
    assert newcomer.directory_account.directory_id == directory.entry_uuid("ldap_leaver").lower()
    assert _open_cases(newcomer) == []


def test_a_renamed_person_keeps_their_account_once_the_admin_renames_it(directory, caplog):
    assert _sign_in("ldap_mover")
    mover = User.objects.get(username="ldap_mover")
    directory.rename_user("ldap_mover", "ldap_mover_new")

    # Under the new name the entry is the old account's: no second account for one person.
    client = Client()
    assert refused(sign_in(client, "ldap_mover_new"), client)
    assert "signs in as 'ldap_mover' already" in caplog.text
    assert not User.objects.filter(username="ldap_mover_new").exists()

    mover.username = "ldap_mover_new"
    mover.save(update_fields=["username"])
    assert _sign_in("ldap_mover_new")
    assert User.objects.get(username="ldap_mover_new").pk == mover.pk
    assert DirectoryAccount.objects.get(user=mover).dn == world.user_dn("ldap_mover_new")


def test_an_account_from_before_the_id_was_kept_gets_it_at_sign_in_and_sync(directory):
    assert _sign_in("ldap_csw_a")
    assert _sign_in("ldap_csw_b")
    DirectoryAccount.objects.update(directory_id="")
    assert _sign_in("ldap_csw_a")
    assert DirectoryAccount.objects.get(
        user__username="ldap_csw_a"
    ).directory_id == directory.entry_uuid("ldap_csw_a")
    out, _ = run_sync()
    assert out == ["確認 2人: 無効化 0人、所属・役割の変更 0人、変更なし 2人"]
    assert DirectoryAccount.objects.get(
        user__username="ldap_csw_b"
    ).directory_id == directory.entry_uuid("ldap_csw_b")


def test_an_entry_without_the_id_attribute_is_refused_and_left_alone(
    directory, settings, monkeypatch, caplog
):
    assert _sign_in("ldap_csw_a")
    # employeeNumber: an attribute the test directory's entries do not have.
    configure(
        settings,
        monkeypatch,
        {**world.environment(directory.uri), "TSUNAGU_LDAP_ID_ATTR": "employeeNumber"},
    )
    client = Client()
    assert refused(sign_in(client, "ldap_csw_b"), client)
    assert "has no employeeNumber (TSUNAGU_LDAP_ID_ATTR)" in caplog.text
    assert not User.objects.filter(username="ldap_csw_b").exists()
    # Nobody is switched off for a wrong setting.
    out, _ = run_sync()
    assert out == ["確認 1人: 無効化 0人、所属・役割の変更 0人、変更なし 0人、保留 1人"]
    assert User.objects.get(username="ldap_csw_a").is_active


def test_binary_ids_are_kept_in_hexadecimal(settings):
    # Active Directory's objectGUID: 16 bytes, not text.
    settings.DIRECTORY_ID_ATTR = "objectGUID"
    guid = bytes.fromhex("0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    assert entry_id({"objectGUID": [guid]}) == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    settings.DIRECTORY_ID_ATTR = "entryUUID"
    assert entry_id({"entryUUID": ["A1B2C3D4-0000-1111-2222-333344445555"]}) == (
        "a1b2c3d4-0000-1111-2222-333344445555"
    )
    with pytest.raises(NoDirectoryId):
        entry_id({"entryUUID": []})


@pytest.mark.parametrize("value", ["entry UUID", "1entry", "entryUUID;binary", "(uid)"])
def test_a_malformed_id_attribute_stops_start_up(directory, settings, monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="TSUNAGU_LDAP_ID_ATTR"):
        configure(
            settings,
            monkeypatch,
            {**world.environment(directory.uri), "TSUNAGU_LDAP_ID_ATTR": value},
        )


def test_a_guid_that_reads_as_text_is_kept_in_hexadecimal_too(settings):
    # django-auth-ldap decodes a value that happens to be valid UTF-8 (NUL bytes included).
    settings.DIRECTORY_ID_ATTR = "objectGUID"
    guid = b"AbCd\x00efgh\x00ijklm\x01"
    assert entry_id({"objectGUID": [guid.decode()]}) == guid.hex()
    assert entry_id({"objectGUID": [guid.decode()]}) != entry_id(
        {"objectGUID": [b"abcd" + guid[4:]]}
    )


def test_an_account_switched_off_before_ids_were_kept_waits_for_an_admin(directory, caplog):
    assert _sign_in("ldap_leaver")
    leaver = User.objects.get(username="ldap_leaver")
    directory.delete_user("ldap_leaver")
    run_sync()
    DirectoryAccount.objects.filter(user=leaver).update(directory_id="")  # as before the upgrade
    directory.give_name_again("ldap_leaver")
    client = Client()
    assert refused(sign_in(client, "ldap_leaver"), client)
    assert "before Tsunagu kept the entry's ID" in caplog.text
    leaver.refresh_from_db()
    assert not leaver.is_active
    # The admin finds it is the same person back (有効 ticked): the sign-in goes on.
    leaver.is_active = True
    leaver.save(update_fields=["is_active"])
    assert _sign_in("ldap_leaver")
    assert DirectoryAccount.objects.get(user=leaver).directory_id == directory.entry_uuid(
        "ldap_leaver"
    )


def test_a_user_out_of_every_group_is_switched_off_even_without_the_id(
    directory, settings, monkeypatch
):
    assert _sign_in("ldap_csw_a")
    assert _sign_in("ldap_csw_b")
    configure(
        settings,
        monkeypatch,
        {**world.environment(directory.uri), "TSUNAGU_LDAP_ID_ATTR": "employeeNumber"},
    )
    directory.set_groups("ldap_csw_b", ["printers"])
    out, err = run_sync()
    assert out[0] == "ldap_csw_b: 無効にしました(対応表のどのグループにも入っていません)"
    assert not User.objects.get(username="ldap_csw_b").is_active
    assert User.objects.get(username="ldap_csw_a").is_active
    assert err and err[0].startswith("ldap_csw_a: 変更しません(ディレクトリの項目に employeeNumber")


def test_an_entry_another_account_holds_is_left_alone_by_the_sync(directory):
    assert _sign_in("ldap_csw_a")
    assert _sign_in("ldap_two_teams")
    # ldap_csw_a's account holds ldap_two_teams's entry (say, a rename made by hand).
    DirectoryAccount.objects.filter(user__username="ldap_two_teams").update(directory_id="")
    DirectoryAccount.objects.filter(user__username="ldap_csw_a").update(
        directory_id=directory.entry_uuid("ldap_two_teams")
    )
    out, err = run_sync()
    assert out[0] == "ldap_csw_a: 無効にしました(ディレクトリの同じ名前は別の人のものです)"
    assert err == [
        "ldap_two_teams: 変更しません(この項目はアカウント ldap_csw_a のものです: "
        "ディレクトリで改名されたなら、管理画面で古いほうの名前を直してください)"
    ]
    assert User.objects.get(username="ldap_two_teams").is_active


def test_after_a_move_to_a_new_directory_the_ids_are_forgotten_and_kept_again(directory):
    assert _sign_in("ldap_csw_a")
    assert _sign_in("ldap_csw_b")
    # Every entry has a new ID in the new directory.
    for account in DirectoryAccount.objects.all():
        account.directory_id = f"old-directory-{account.pk}"
        account.save(update_fields=["directory_id"])
    with pytest.raises(CommandError, match="2人のうち2人を無効にすることになる"):
        run_sync()
    out, _ = run_sync("--forget-ids")
    assert out == ["確認 2人: 無効化 0人、所属・役割の変更 0人、変更なし 2人"]
    for uid in ("ldap_csw_a", "ldap_csw_b"):
        account = DirectoryAccount.objects.get(user__username=uid)
        assert account.directory_id == directory.entry_uuid(uid)
    assert _sign_in("ldap_csw_a")
