"""Local passwords for local accounts only (no python-ldap needed: always installed)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from directory.models import DirectoryAccount


class LocalAccountBackend(ModelBackend):
    """Django's ModelBackend, except that a directory user (one with a DirectoryAccount)
    never signs in with a local password: not while the directory refuses them, not while
    it is down, and not after the directory was switched off (TSUNAGU_LDAP_URI emptied)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and DirectoryAccount.objects.filter(user_id=user.pk).exists():
            return None
        return user
