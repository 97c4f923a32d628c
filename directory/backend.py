"""Sign-in against the ward's directory: django-auth-ldap's backend, with Tsunagu's rules.

- The user's agency and role come from their directory groups (TSUNAGU_LDAP_GROUP_MAP,
  directory/mapping.py) at every sign-in; no mapped group, or groups that disagree, and the
  sign-in is refused (the reason goes to the log, the page says what it says for a wrong
  password).
- A directory user never signs in with a local password: when the directory refuses them
  (or cannot be reached), ModelBackend is not asked.
- A session of a user switched off (by the synchronisation or an admin) ends at its next
  request: get_user refuses an inactive user, as ModelBackend's does.
- Superusers are local accounts (the ward IT's emergency access): the directory never
  takes one over, whatever the directory holds under that name.
- An account belongs to one directory entry (its TSUNAGU_LDAP_ID_ATTR, directory/identity.py):
  another entry under the same name (a name given again) is refused, as is an entry that
  already signs in under another name (a rename the admin has not made in Tsunagu yet).
- A sign-in is one transaction: refused half-way, it leaves nothing behind; two at once of
  a new user (a double click) make one account; nothing a directory entry holds ends in an
  error page.
- A directory that does not answer is skipped for TSUNAGU_LDAP_DOWN_SECONDS
  (directory/health.py).

Imported only when the directory is on (config/directory_settings.py): it needs python-ldap.
"""

from __future__ import annotations

import logging
from typing import Any

import ldap
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import MultipleObjectsReturned, PermissionDenied
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django_auth_ldap.backend import LDAPBackend, ldap_error

from directory import health, services
from directory.identity import NoDirectoryId, entry_id
from directory.mapping import NotPlaced, placement_for
from directory.models import DirectoryAccount

logger = logging.getLogger(__name__)

# What an unreachable or silent server raises (django-auth-ldap reports it by ldap_error).
UNREACHABLE = (ldap.SERVER_DOWN, ldap.TIMEOUT, ldap.CONNECT_ERROR)


@receiver(ldap_error)
def _note_unreachable(sender: Any, context: str, exception: Exception, **kwargs: Any) -> None:
    # Only the look-up, which connects and binds as the service account: an outage shows
    # there first. The user's own bind ("authenticate") carries what the visitor typed, and
    # a server may drop a connection for an oversized password: no visitor marks it down.
    if context == "search_for_user_dn" and isinstance(exception, UNREACHABLE):
        health.mark_down()


class DirectoryBackend(LDAPBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = None
        if health.down_since() is None:
            user = self._authenticate(request, username, password, **kwargs)
        if user is None and username and self._is_directory_user(username):
            # Django stops at PermissionDenied: ModelBackend, next in the list, would
            # otherwise accept a local password set for a directory user (through a reset).
            raise PermissionDenied
        return user

    def _authenticate(
        self, request: HttpRequest | None, username: str | None, password: str | None, **kwargs: Any
    ) -> Any:
        for attempt in (1, 2):
            try:
                with transaction.atomic():
                    user = super().authenticate(
                        request, username=username, password=password, **kwargs
                    )
            except IntegrityError as exc:
                # Two sign-ins of a new user at once: the other one made the account (the
                # unique user name held this one until it was committed). Once more, and
                # this one finds it.
                if attempt == 2:
                    logger.error("directory sign-in of %s failed: %s", username, exc)
                    return None
                continue
            except (MultipleObjectsReturned, Permission.DoesNotExist) as exc:
                # Local accounts whose names differ only in case (django-auth-ldap looks the
                # name up without it), or an admin permission missing from the database.
                logger.error("directory sign-in of %s refused: %r", username, exc)
                return None
            if user is not None:
                health.mark_up()
            return user
        return None

    def get_user(self, user_id: Any) -> Any:
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def get_or_build_user(self, username: str, ldap_user: Any) -> tuple[Any, bool]:
        """Before django-auth-ldap saves the user: refuse who may not sign in here, and work
        out their placement (it is applied once the user is saved)."""
        user, built = super().get_or_build_user(username, ldap_user)
        refusal = self._refusal(user, built)
        if refusal is None:
            try:
                ldap_user.tsunagu_directory_id = entry_id(ldap_user.attrs)
            except NoDirectoryId as exc:
                refusal = str(exc)
            else:
                refusal = self._identity_refusal(user, built, ldap_user.tsunagu_directory_id)
        if refusal is None:
            try:
                placement = placement_for(ldap_user.group_dns)
                ldap_user.tsunagu_agency = services.agency_for(placement)
                ldap_user.tsunagu_role = placement.role
            except NotPlaced as exc:
                refusal = str(exc)
        if refusal is not None:
            logger.warning("directory sign-in of %s refused: %s", username, refusal)
            raise ldap_user.AuthenticationFailed(refusal)
        ldap_user.tsunagu_built = built
        return user, built

    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> Any:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        update = services.directory_account_place(
            user=user,
            dn=ldap_user.dn,
            agency=ldap_user.tsunagu_agency,
            role=ldap_user.tsunagu_role,
            built=ldap_user.tsunagu_built,
            directory_id=ldap_user.tsunagu_directory_id,
        )
        if update.moved:
            logger.info(
                "directory sign-in of %s: %s/%s became %s/%s (%d cases' grants ended)",
                user.username,
                *(update.previous or ("", "")),
                *update.current,
                update.cases_revoked,
            )
        return user if user.is_active else None

    @staticmethod
    def _refusal(user: Any, built: bool) -> str | None:
        if built:
            return None
        if user.is_superuser:
            return "a superuser of Tsunagu: superusers sign in with their local account only"
        if not DirectoryAccount.objects.filter(user_id=user.pk).exists():
            # A local account of that name: taken over only while the ward moves its staff to
            # the directory (TSUNAGU_LDAP_ADOPT_LOCAL), and never an admin's, so that whoever
            # can create a directory entry cannot take an existing account.
            if user.is_staff:
                return "a local admin account: the directory never takes one over"
            if not settings.DIRECTORY_ADOPT_LOCAL:
                return "a local account of that name (TSUNAGU_LDAP_ADOPT_LOCAL is off)"
        if not user.is_active:
            account = DirectoryAccount.objects.filter(user_id=user.pk).first()
            if account is None or account.removed_at is None:
                return "switched off in Tsunagu (an admin unticked 有効)"
        return None

    @staticmethod
    def _identity_refusal(user: Any, built: bool, directory_id: str) -> str | None:
        holder = DirectoryAccount.objects.filter(directory_id=directory_id).select_related("user")
        other = holder.exclude(user_id=user.pk).first() if user.pk else holder.first()
        if other is not None:
            return (
                f"this directory entry signs in as {other.user.get_username()!r} already "
                "(renamed in the directory?): an admin renames that account in Tsunagu"
            )
        if built:
            return None
        account = DirectoryAccount.objects.filter(user_id=user.pk).first()
        if account is None:
            return None
        if account.directory_id and account.directory_id != directory_id:
            return (
                "another directory entry than this account's (the name was given to someone "
                "else): an admin renames the old account in Tsunagu, then the new entry signs in"
            )
        if not account.directory_id and account.removed_at is not None and not user.is_active:
            # Switched off as gone before Tsunagu kept entry IDs: the entry under the name now
            # may be someone else's. An admin decides (docs/directory.md).
            return (
                "switched off by the synchronisation before Tsunagu kept the entry's ID: an "
                "admin ticks 有効 if it is the same person, or renames the account if not"
            )
        return None

    @staticmethod
    def _is_directory_user(username: str) -> bool:
        return DirectoryAccount.objects.filter(user__username__iexact=username.strip()).exists()
