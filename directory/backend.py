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

Imported only when the directory is on (config/directory_settings.py): it needs python-ldap.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_auth_ldap.backend import LDAPBackend

from directory import services
from directory.mapping import NotPlaced, placement_for
from directory.models import DirectoryAccount

logger = logging.getLogger(__name__)


class DirectoryBackend(LDAPBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username and self._is_directory_user(username):
            # Django stops at PermissionDenied: ModelBackend, next in the list, would
            # otherwise accept a local password set for a directory user (through a reset).
            raise PermissionDenied
        return user

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
    def _is_directory_user(username: str) -> bool:
        return DirectoryAccount.objects.filter(user__username__iexact=username.strip()).exists()
