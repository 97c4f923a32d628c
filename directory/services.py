"""Writes of the directory app: placing a directory user in their agency and role, and
switching off one the directory no longer has."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from casework import services as casework_services
from casework.demo.texts import AGENCY_ADMIN_PERMISSIONS
from casework.models import Agency, Role, StaffMembership
from directory.mapping import NotPlaced, Placement
from directory.models import DirectoryAccount

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccountUpdate:
    """What a directory sign-in or the synchronisation changed for one user."""

    previous: tuple[str, str] | None  # (agency name, role) before, None for a new membership
    current: tuple[str, str]
    cases_revoked: int = 0
    reactivated: bool = False
    adopted: bool = False  # a local account that now signs in through the directory

    @property
    def moved(self) -> bool:
        return self.previous is not None and self.previous != self.current


def agency_for(placement: Placement) -> Agency:
    """The agency the group map names. Raises NotPlaced when Tsunagu has no agency of that
    name (a typo in TSUNAGU_LDAP_GROUP_MAP, or the agency not yet entered in the admin)."""
    agency = Agency.objects.filter(name=placement.agency_name).first()
    if agency is None:
        raise NotPlaced(
            f"TSUNAGU_LDAP_GROUP_MAP names the agency {placement.agency_name!r}, "
            "which Tsunagu does not have",
            NotPlaced.UNKNOWN_AGENCY,
        )
    return agency


def _admin_permissions() -> list[Permission]:
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in AGENCY_ADMIN_PERMISSIONS
    ]


@transaction.atomic
def directory_account_place(
    *,
    user: User,
    dn: str,
    agency: Agency,
    role: str,
    built: bool = False,
    seen_at: datetime.datetime | None = None,
    directory_id: str = "",
) -> AccountUpdate:
    """Make the user's one membership the agency and role their directory groups give, as
    the admin does when it changes a membership: a changed agency or role ends every
    assignment and share the user held (staff_membership_revoke_grants). The actor of that
    is the user: nobody in Tsunagu made the change, the directory did.

    Changes `user` in place (the sign-in goes on with this object) and saves it through the
    ORM: an agency admin gets is_staff and the admin permissions the system admin would give
    (casework.demo.texts.AGENCY_ADMIN_PERMISSIONS), any other role neither; the password
    becomes unusable, so that no local password ever signs a directory user in; an account
    the synchronisation switched off is switched on again. `built`: django-auth-ldap made
    the user for this sign-in (otherwise a local account of that name is taken over).
    `directory_id`: the entry's TSUNAGU_LDAP_ID_ATTR, kept with the account (an empty one
    leaves the kept one).
    """
    seen_at = seen_at or timezone.now()
    UserModel = get_user_model()
    # One sign-in at a time per user: two at once would both create the membership.
    UserModel.objects.select_for_update().filter(pk=user.pk).exists()
    account = DirectoryAccount.objects.filter(user_id=user.pk).first()
    membership = StaffMembership.objects.select_related("agency").filter(user_id=user.pk).first()
    previous = (membership.agency_id, membership.role) if membership else None
    previous_names = (membership.agency.name, membership.role) if membership else None
    if membership is None:
        membership = StaffMembership(user=user, agency=agency, role=role)
        membership.full_clean()
        membership.save()
    elif previous != (agency.pk, role):
        membership.agency, membership.role = agency, role
        membership.full_clean()
        membership.save(update_fields=["agency", "role"])
    user.__dict__.pop("_tsunagu_membership", None)  # access.membership_of's per-request cache
    revoked = casework_services.staff_membership_revoke_grants(
        actor=user, user=user, previous=previous
    )

    fields: list[str] = []
    wants_staff = role == Role.AGENCY_ADMIN
    if user.is_staff != wants_staff:
        user.is_staff = wants_staff
        fields.append("is_staff")
    if wants_staff:
        user.user_permissions.add(*_admin_permissions())
    elif account is None or "is_staff" in fields or (previous and previous[1] == Role.AGENCY_ADMIN):
        user.user_permissions.remove(*_admin_permissions())
    if user.has_usable_password():
        user.set_unusable_password()
        fields.append("password")
    reactivated = not user.is_active and account is not None and account.removed_at is not None
    if reactivated:
        user.is_active = True
        fields.append("is_active")
    if fields:
        user.save(update_fields=fields)

    adopted = account is None and not built
    if account is None:
        account = DirectoryAccount(
            user=user, dn=dn, directory_id=directory_id, last_seen_at=seen_at
        )
        account.full_clean(exclude=["user"])
        account.save()
    else:
        account.dn, account.last_seen_at = dn, seen_at
        account.directory_id = directory_id or account.directory_id
        account.removed_at, account.removed_reason = None, ""
        account.save(
            update_fields=["dn", "directory_id", "last_seen_at", "removed_at", "removed_reason"]
        )
    if adopted:
        logger.warning("the local account %s now signs in through the directory", user.username)
    return AccountUpdate(
        previous=previous_names,
        current=(agency.name, role),
        cases_revoked=revoked,
        reactivated=reactivated,
        adopted=adopted,
    )


@transaction.atomic
def directory_account_deactivate(
    *, account: DirectoryAccount, reason: str, when: datetime.datetime | None = None
) -> None:
    """Switch off a user the directory no longer has (or no longer places). Saved through
    the ORM so that signals fire; their sessions end at their next request (the backends'
    get_user refuses an inactive user) and their open cases show in 担当者なし."""
    user = account.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    account.removed_at = when or timezone.now()
    account.removed_reason = reason[:200]
    account.save(update_fields=["removed_at", "removed_reason"])
