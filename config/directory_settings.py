"""Sign-in against the ward's directory (LDAP / Active Directory) with django-auth-ldap.

Off unless TSUNAGU_LDAP_URI is set: then DIRECTORY_BACKENDS is empty, no AUTH_LDAP_* setting
exists, python-ldap is never imported, and only local accounts sign in. config/settings.py
puts DIRECTORY_BACKENDS into AUTHENTICATION_BACKENDS before ModelBackend and takes every
upper-case name of this module as a setting. The variables are described in docs/directory.md.

A malformed value stops start-up with ImproperlyConfigured naming the variable, like every
other setting (config/env.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str

BACKEND = "directory.backend.DirectoryBackend"

# casework.models.Role's values (a settings module cannot import models);
# tests/directory/test_settings.py keeps the two equal.
DIRECTORY_ROLES = ("csw", "consultation", "supervisor", "agency_admin", "indicator_officer")

# Each group type's django-auth-ldap class and the filter that finds its groups.
GROUP_TYPES = {
    "groupOfNames": ("GroupOfNamesType", "(objectClass=groupOfNames)"),
    "nestedGroupOfNames": ("NestedGroupOfNamesType", "(objectClass=groupOfNames)"),
    "groupOfUniqueNames": ("GroupOfUniqueNamesType", "(objectClass=groupOfUniqueNames)"),
    "activeDirectory": ("ActiveDirectoryGroupType", "(objectClass=group)"),
    "nestedActiveDirectory": ("NestedActiveDirectoryGroupType", "(objectClass=group)"),
}


def _required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"{name}: required when TSUNAGU_LDAP_URI is set")
    return value


def _dn(name: str, value: str) -> str:
    from directory.names import normalise_dn

    try:
        return normalise_dn(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None


def _uris(value: str) -> str:
    # Several servers (two domain controllers) are tried in turn: separated by blanks.
    uris = value.replace(",", " ").split()
    for uri in uris:
        if not uri.startswith(("ldap://", "ldaps://")) or uri.rstrip("/") in ("ldap:", "ldaps:"):
            raise ImproperlyConfigured(
                f"TSUNAGU_LDAP_URI: expected ldap://host[:port] or ldaps://host[:port], got {uri!r}"
            )
    return " ".join(uris)


def _filter(name: str, value: str, *, needs_user: bool) -> str:
    if not (value.startswith("(") and value.endswith(")")):
        raise ImproperlyConfigured(f"{name}: an LDAP filter in parentheses, got {value!r}")
    try:
        value % {"user": "someone"}
    except (KeyError, ValueError, TypeError):
        raise ImproperlyConfigured(
            f"{name}: the only placeholder allowed is %(user)s (write a literal % as %%), "
            f"got {value!r}"
        ) from None
    if needs_user and "%(user)s" not in value:
        raise ImproperlyConfigured(f"{name}: must contain %(user)s, got {value!r}")
    return value


def _attribute(name: str, value: str) -> str:
    # An attribute type's name (RFC 4512 descr), such as entryUUID or objectGUID.
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", value):
        raise ImproperlyConfigured(f"{name}: an attribute name such as entryUUID, got {value!r}")
    return value


def _group_map(value: str) -> dict[str, tuple[str, str]]:
    """TSUNAGU_LDAP_GROUP_MAP: a JSON object, or the path of a file holding one, from group
    DN to {"agency": <agency name>, "role": <role>}. Returns normalised DN → (agency, role)."""
    name = "TSUNAGU_LDAP_GROUP_MAP"
    text = value
    if not value.lstrip().startswith("{"):
        try:
            text = Path(value).read_text(encoding="utf-8")
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}: neither a JSON object nor a readable file ({value!r}: {exc.strerror})"
            ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{name}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not data:
        raise ImproperlyConfigured(
            f'{name}: expected a JSON object {{"<group DN>": {{"agency": ..., "role": ...}}}}'
        )
    mapping: dict[str, tuple[str, str]] = {}
    for group, target in data.items():
        dn = _dn(name, group)
        if not isinstance(target, dict) or set(target) != {"agency", "role"}:
            raise ImproperlyConfigured(
                f'{name}: {group!r} must map to {{"agency": ..., "role": ...}}, got {target!r}'
            )
        agency, role = target["agency"], target["role"]
        if not isinstance(agency, str) or not agency.strip():
            raise ImproperlyConfigured(f"{name}: {group!r} names no agency")
        if role not in DIRECTORY_ROLES:
            raise ImproperlyConfigured(
                f"{name}: {group!r} has role {role!r}; expected one of {', '.join(DIRECTORY_ROLES)}"
            )
        if dn in mapping:
            raise ImproperlyConfigured(f"{name}: {group!r} is listed twice")
        mapping[dn] = (agency.strip(), role)
    return mapping


def directory_settings() -> dict[str, Any]:
    """The settings for the current environment: DIRECTORY_BACKENDS and DIRECTORY_GROUP_MAP
    always, AUTH_LDAP_* when the directory is on. The tests call it too, with the variables
    of their own slapd."""
    uri = env_str("TSUNAGU_LDAP_URI")
    if not uri:
        return {"DIRECTORY_BACKENDS": [], "DIRECTORY_GROUP_MAP": {}, "DIRECTORY_ID_ATTR": ""}
    uri = _uris(uri)
    try:
        import ldap
        from django_auth_ldap import config as ldap_config
    except ImportError:
        raise ImproperlyConfigured(
            "TSUNAGU_LDAP_URI: set, but django-auth-ldap is not installed "
            "(pip install -e '.[ldap]'; python-ldap needs libldap2-dev and libsasl2-dev)"
        ) from None

    user_base = _dn("TSUNAGU_LDAP_USER_BASE", _required("TSUNAGU_LDAP_USER_BASE"))
    group_base = _dn("TSUNAGU_LDAP_GROUP_BASE", _required("TSUNAGU_LDAP_GROUP_BASE"))
    user_filter = _filter(
        "TSUNAGU_LDAP_USER_FILTER",
        env_str("TSUNAGU_LDAP_USER_FILTER", "(uid=%(user)s)"),
        needs_user=True,
    )
    group_type = env_str("TSUNAGU_LDAP_GROUP_TYPE", "groupOfNames")
    if group_type not in GROUP_TYPES:
        raise ImproperlyConfigured(
            f"TSUNAGU_LDAP_GROUP_TYPE: expected one of {', '.join(GROUP_TYPES)}, got {group_type!r}"
        )
    type_class, default_group_filter = GROUP_TYPES[group_type]
    group_filter = _filter(
        "TSUNAGU_LDAP_GROUP_FILTER",
        env_str("TSUNAGU_LDAP_GROUP_FILTER", default_group_filter),
        needs_user=False,
    )
    bind_dn = env_str("TSUNAGU_LDAP_BIND_DN")
    if bind_dn:
        _dn("TSUNAGU_LDAP_BIND_DN", bind_dn)
    bind_password = env_str("TSUNAGU_LDAP_BIND_PASSWORD")
    if bind_dn and not bind_password:
        raise ImproperlyConfigured(
            "TSUNAGU_LDAP_BIND_PASSWORD: required when TSUNAGU_LDAP_BIND_DN is set"
        )
    timeout = env_int("TSUNAGU_LDAP_TIMEOUT_SECONDS", 5, minimum=1)
    # A server that does not answer must not hold a sign-in (a local account's too) for
    # long; referrals are not chased (Active Directory's lead to servers outside the
    # ward's network and to anonymous binds).
    options: dict[int, Any] = {
        ldap.OPT_NETWORK_TIMEOUT: timeout,
        ldap.OPT_TIMEOUT: timeout,
        ldap.OPT_REFERRALS: 0,
        ldap.OPT_PROTOCOL_VERSION: ldap.VERSION3,
    }
    ca_file = env_str("TSUNAGU_LDAP_CA_FILE")
    if ca_file:
        if not Path(ca_file).is_file():
            raise ImproperlyConfigured(f"TSUNAGU_LDAP_CA_FILE: no such file {ca_file!r}")
        options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: makes the options above take effect
    start_tls = env_bool("TSUNAGU_LDAP_START_TLS", False)
    if start_tls and any(u.startswith("ldaps://") for u in uri.split()):
        raise ImproperlyConfigured(
            "TSUNAGU_LDAP_START_TLS: ldaps:// is encrypted already; use one or the other"
        )
    group_map = _group_map(_required("TSUNAGU_LDAP_GROUP_MAP"))
    # The attribute that names a directory entry for good (OpenLDAP's entryUUID, Active
    # Directory's objectGUID): a name the ward gives again to someone else is another entry,
    # never the old account (directory/identity.py). Operational attributes come back only
    # when asked for by name, hence the attribute list.
    id_attr = _attribute("TSUNAGU_LDAP_ID_ATTR", env_str("TSUNAGU_LDAP_ID_ATTR", "entryUUID"))
    attrlist = ["*", id_attr]

    return {
        "DIRECTORY_BACKENDS": [BACKEND],
        "DIRECTORY_GROUP_MAP": group_map,
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": bind_dn,
        "AUTH_LDAP_BIND_PASSWORD": bind_password,
        "AUTH_LDAP_START_TLS": start_tls,
        "AUTH_LDAP_CONNECTION_OPTIONS": options,
        "DIRECTORY_ID_ATTR": id_attr,
        "AUTH_LDAP_USER_SEARCH": ldap_config.LDAPSearch(
            user_base, ldap.SCOPE_SUBTREE, user_filter, attrlist=attrlist
        ),
        "AUTH_LDAP_USER_ATTRLIST": attrlist,
        "AUTH_LDAP_GROUP_SEARCH": ldap_config.LDAPSearch(
            group_base, ldap.SCOPE_SUBTREE, group_filter
        ),
        "AUTH_LDAP_GROUP_TYPE": getattr(ldap_config, type_class)(),
        "AUTH_LDAP_USER_ATTR_MAP": {"last_name": "sn", "first_name": "givenName", "email": "mail"},
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        # Agency and role come from DIRECTORY_GROUP_MAP (directory/mapping.py), not from
        # Django groups or flags.
        "AUTH_LDAP_MIRROR_GROUPS": False,
        "AUTH_LDAP_FIND_GROUP_PERMS": False,
        "AUTH_LDAP_USER_FLAGS_BY_GROUP": {},
        # A group change must count at the next sign-in, not after a cache expires.
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
    }


_settings = directory_settings()
DIRECTORY_BACKENDS: list[str] = _settings.pop("DIRECTORY_BACKENDS")
DIRECTORY_GROUP_MAP: dict[str, tuple[str, str]] = _settings.pop("DIRECTORY_GROUP_MAP")
DIRECTORY_ID_ATTR: str = _settings.pop("DIRECTORY_ID_ATTR")
globals().update(_settings)
# What `from config.directory_settings import *` makes settings: these, and nothing else
# of this module.
# The synchronisation switches off at most this many accounts in one run; a run that would
# switch off more (or everyone) changes nothing and says so: a moved OU or a service account
# that lost its rights answers "nobody" without an error. `directory_sync --force` overrides.
DIRECTORY_SYNC_MAX_SWITCH_OFF = env_int("TSUNAGU_LDAP_SYNC_MAX_SWITCH_OFF", 5, minimum=1)

# A local account whose name the directory also has becomes a directory account at its first
# directory sign-in only while this is on (the weeks the ward moves its staff over).
DIRECTORY_ADOPT_LOCAL = env_bool("TSUNAGU_LDAP_ADOPT_LOCAL", False)

# After a sign-in the directory did not answer, sign-ins skip it for this long (directory/
# health.py), rather than each waiting TSUNAGU_LDAP_TIMEOUT_SECONDS.
DIRECTORY_DOWN_SECONDS = env_int("TSUNAGU_LDAP_DOWN_SECONDS", 30, minimum=1)

__all__ = [
    "DIRECTORY_ADOPT_LOCAL",
    "DIRECTORY_BACKENDS",
    "DIRECTORY_DOWN_SECONDS",
    "DIRECTORY_GROUP_MAP",
    "DIRECTORY_ID_ATTR",
    "DIRECTORY_SYNC_MAX_SWITCH_OFF",
    *_settings,
]
del _settings
