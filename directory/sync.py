"""The synchronisation with the directory (every 15 minutes on beat, `manage.py
directory_sync`): every active directory account is looked up as its sign-in would look it
up. A user the directory no longer has, or no longer places in one agency and role, is
switched off (their sessions end, their open cases show in 担当者なし); a user whose groups
now give another agency or role is moved, as their next sign-in would move them.

The directory is read first, all of it, and only then is anything changed: a directory that
stops answering half-way changes nothing, and a directory that cannot be reached at all is
an error, never a reason to switch anyone off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from casework.models import Agency, Role, StaffMembership
from config.directory_settings import BACKEND
from directory.identity import NoDirectoryId, entry_id
from directory.mapping import NotPlaced, Placement, placement_for
from directory.models import DirectoryAccount

logger = logging.getLogger(__name__)

# Why an account was switched off, as the command prints it and DirectoryAccount keeps it.
GONE = "ディレクトリにいません"
# The name is another entry's now (TSUNAGU_LDAP_ID_ATTR differs: given to someone else).
RECYCLED = "ディレクトリの同じ名前は別の人のものです"
NOT_PLACED = {
    NotPlaced.NO_GROUP: "対応表のどのグループにも入っていません",
    NotPlaced.CONFLICT: "対応表で機関・役割の異なるグループに入っています",
}


class DirectoryUnavailable(Exception):
    """The directory could not be reached, or refused the service account or a search."""


class SyncRefused(Exception):
    """The run would switch off more accounts than DIRECTORY_SYNC_MAX_SWITCH_OFF, or every
    account: more likely a wrong search base or lost rights than a mass departure."""


class DirectoryNotConfigured(Exception):
    """The directory is off (TSUNAGU_LDAP_URI is not set)."""


@dataclass
class SyncResult:
    checked: int = 0
    deactivated: int = 0
    moved: int = 0
    unchanged: int = 0
    lines: list[str] = field(default_factory=list)  # one per change, in Japanese
    warnings: list[str] = field(default_factory=list)  # left alone, and why

    def summary(self, *, dry_run: bool) -> str:
        text = (
            f"確認 {self.checked}人: 無効化 {self.deactivated}人、"
            f"所属・役割の変更 {self.moved}人、変更なし {self.unchanged}人"
        )
        if self.warnings:
            text += f"、保留 {len(self.warnings)}人"
        return text + ("(--dry-run: 何も変更していません)" if dry_run else "")


def directory_enabled() -> bool:
    return BACKEND in settings.AUTHENTICATION_BACKENDS


def _placement_text(agency_name: str, role: str) -> str:
    return f"{agency_name}/{Role(role).label}"


def _found_id(entry: Any) -> str | None:
    try:
        return entry_id(entry.attrs)
    except NoDirectoryId:
        return None


@dataclass
class _Verdict:
    """What the directory says of one account: switch it off (reason), leave it alone
    (warning), or bring it in line with the placement and the entry found."""

    reason: str | None = None
    warning: str | None = None
    placement: Placement | None = None
    agency: Agency | None = None
    found_id: str = ""


def _verdict(
    account: DirectoryAccount, entry: Any, groups: set[str], holders: dict[str, tuple[int, str]]
) -> _Verdict:
    from directory import services

    if entry is None:
        return _Verdict(reason=GONE)
    found_id = _found_id(entry)
    if found_id and account.directory_id and found_id != account.directory_id:
        return _Verdict(reason=RECYCLED)
    try:
        placement = placement_for(groups)
    except NotPlaced as exc:
        return _Verdict(reason=NOT_PLACED[exc.kind])
    try:
        agency = services.agency_for(placement)
    except NotPlaced:
        # The map's mistake, not the user's: nobody is switched off for it.
        return _Verdict(
            warning=f"変更しません(対応表の機関「{placement.agency_name}」がつなぐにありません)"
        )
    # Switching off never waits for the entry's ID; moving and keeping the ID do.
    if found_id is None:
        return _Verdict(
            warning=f"変更しません(ディレクトリの項目に {settings.DIRECTORY_ID_ATTR} がありません:"
            " TSUNAGU_LDAP_ID_ATTR とサービスアカウントの権限を確かめてください)"
        )
    holder = holders.get(found_id)
    if holder is not None and holder[0] != account.pk:
        return _Verdict(
            warning=f"変更しません(この項目はアカウント {holder[1]} のものです: "
            "ディレクトリで改名されたなら、管理画面で古いほうの名前を直してください)"
        )
    return _Verdict(placement=placement, agency=agency, found_id=found_id)


def directory_sync(
    *, dry_run: bool = False, force: bool = False, forget_ids: bool = False
) -> SyncResult:
    """Bring the active directory accounts in line with the directory. Raises
    DirectoryNotConfigured when the directory is off, DirectoryUnavailable when it cannot
    be read, SyncRefused when it would switch off too many (then nothing has changed).

    `forget_ids`: after a move to a new directory (every entry has a new ID) or a changed
    TSUNAGU_LDAP_ID_ATTR, the IDs kept are dropped, and the active accounts keep those of
    the entries now under their names."""
    if not directory_enabled():
        raise DirectoryNotConfigured("TSUNAGU_LDAP_URI is not set")
    from directory import services
    from directory.lookup import Directory

    directory = Directory()
    try:
        accounts = list(
            DirectoryAccount.objects.filter(user__is_active=True)
            .select_related("user")
            .order_by("user__username")
        )
        looked_up = []
        for account in accounts:
            entry = directory.find_user(account.user.get_username())
            groups = directory.group_dns(entry) if entry is not None else set()
            looked_up.append((account, entry, groups))
    finally:
        directory.close()

    holders: dict[str, tuple[int, str]] = {}
    if forget_ids:
        for account in accounts:
            account.directory_id = ""
    else:
        holders = {
            directory_id: (pk, username)
            for directory_id, pk, username in DirectoryAccount.objects.exclude(
                directory_id=""
            ).values_list("directory_id", "pk", "user__username")
        }
    verdicts = [
        (account, entry, _verdict(account, entry, groups, holders))
        for account, entry, groups in looked_up
    ]
    off = sum(1 for _account, _entry, verdict in verdicts if verdict.reason is not None)
    limit = settings.DIRECTORY_SYNC_MAX_SWITCH_OFF
    if not force and not dry_run and (off > limit or (off == len(accounts) and off > 1)):
        raise SyncRefused(
            f"{len(accounts)}人のうち{off}人を無効にすることになるため、何も変更していません"
            f"(上限 TSUNAGU_LDAP_SYNC_MAX_SWITCH_OFF={limit})。検索の起点と"
            "サービスアカウントの権限を確かめ、正しければ --force で実行してください"
        )
    if forget_ids and not dry_run:
        DirectoryAccount.objects.exclude(directory_id="").update(directory_id="")
    memberships = {
        m.user_id: m
        for m in StaffMembership.objects.select_related("agency").filter(
            user_id__in=[a.user_id for a in accounts]
        )
    }
    now = timezone.now()
    result = SyncResult(checked=len(accounts))
    verb = "無効にします" if dry_run else "無効にしました"
    seen: list[int] = []
    for account, entry, verdict in verdicts:
        username = account.user.get_username()
        if verdict.warning is not None:
            result.warnings.append(f"{username}: {verdict.warning}")
            logger.warning("directory sync: %s left alone: %s", username, verdict.warning)
            continue
        if verdict.reason is not None:
            result.deactivated += 1
            result.lines.append(f"{username}: {verb}({verdict.reason})")
            if not dry_run:
                services.directory_account_deactivate(
                    account=account, reason=verdict.reason, when=now
                )
            continue
        placement, agency, found_id = verdict.placement, verdict.agency, verdict.found_id
        assert entry is not None and placement is not None and agency is not None
        membership = memberships.get(account.user_id)
        current = (membership.agency_id, membership.role) if membership else None
        same_entry = entry.dn == account.dn and found_id == account.directory_id
        if current == (agency.pk, placement.role) and same_entry:
            result.unchanged += 1
            seen.append(account.pk)
            continue
        if current == (agency.pk, placement.role):
            # Only the DN moved (renamed, another OU), or the entry's ID is kept at last.
            result.unchanged += 1
            if not dry_run:
                account.dn, account.directory_id, account.last_seen_at = entry.dn, found_id, now
                account.save(update_fields=["dn", "directory_id", "last_seen_at"])
            continue
        before = (
            _placement_text(membership.agency.name, membership.role) if membership else "所属なし"
        )
        after = _placement_text(agency.name, placement.role)
        result.moved += 1
        if dry_run:
            result.lines.append(f"{username}: 所属・役割を変更します({before} → {after})")
            continue
        update = services.directory_account_place(
            user=account.user,
            dn=entry.dn,
            agency=agency,
            role=placement.role,
            seen_at=now,
            directory_id=found_id,
        )
        result.lines.append(
            f"{username}: 所属・役割を変更しました({before} → {after}、"
            f"{update.cases_revoked}件のケースの担当・共有を終了)"
        )
    if seen and not dry_run:
        DirectoryAccount.objects.filter(pk__in=seen).update(last_seen_at=now)
    for line in result.lines:
        logger.info("directory sync: %s", line)
    return result
