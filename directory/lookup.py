"""Reading the directory outside a sign-in (the synchronisation), with the settings and the
searches the sign-in uses, so both see the same user and the same groups.

django-auth-ldap's own helpers log an unreachable server and carry on as if the user were
not there; the synchronisation must tell the two apart (it switches off only users the
directory says are gone), so every LDAP error here is raised as DirectoryUnavailable.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import ldap
from django_auth_ldap.config import LDAPSettings

from directory.sync import DirectoryUnavailable


@dataclass
class Entry:
    """A user as django-auth-ldap's group types read one: dn, attrs and a bound connection."""

    dn: str
    attrs: dict[str, list[str]]
    connection: Any


def _describe(exc: ldap.LDAPError) -> str:
    detail = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
    text = detail.get("desc") or type(exc).__name__
    if detail.get("info"):
        text = f"{text} ({detail['info']})"
    return str(text)


class Directory:
    """One bound connection to the directory, as the service account (AUTH_LDAP_BIND_DN)."""

    def __init__(self) -> None:
        self.settings = LDAPSettings("AUTH_LDAP_", {})
        try:
            self.connection = ldap.initialize(self.settings.SERVER_URI, bytes_mode=False)
            for option, value in self.settings.CONNECTION_OPTIONS.items():
                self.connection.set_option(option, value)
            if self.settings.START_TLS:
                self.connection.start_tls_s()
            self.connection.simple_bind_s(self.settings.BIND_DN, self.settings.BIND_PASSWORD)
        except ldap.LDAPError as exc:
            raise DirectoryUnavailable(_describe(exc)) from None

    def close(self) -> None:
        with contextlib.suppress(ldap.LDAPError):
            self.connection.unbind_s()

    def find_user(self, username: str) -> Entry | None:
        """The user the sign-in would find under that name, None if the directory has none
        (or, as django-auth-ldap counts it, more than one)."""
        try:
            results = self.settings.USER_SEARCH.execute(self.connection, {"user": username})
        except ldap.LDAPError as exc:
            raise DirectoryUnavailable(_describe(exc)) from None
        if results is None or len(results) != 1:
            return None
        dn, attrs = next(iter(results))
        return Entry(dn=dn, attrs=attrs, connection=self.connection)

    def group_dns(self, entry: Entry) -> set[str]:
        try:
            infos = self.settings.GROUP_TYPE.user_groups(entry, self.settings.GROUP_SEARCH)
        except ldap.LDAPError as exc:
            raise DirectoryUnavailable(_describe(exc)) from None
        return {info[0] for info in infos}
