"""The directory's own, unchanging name for a user's entry (TSUNAGU_LDAP_ID_ATTR: OpenLDAP's
entryUUID, Active Directory's objectGUID).

A user name is only a label: the ward gives a leaver's name to a newcomer, and renames
people. Tsunagu keeps the entry's ID with the account at the first directory sign-in; a
later sign-in, or the synchronisation, that finds another entry under the name treats it as
another person: the sign-in is refused and the synchronisation switches the old account off.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

# Attributes whose values are bytes, not text (Active Directory's GUID).
BINARY = frozenset({"objectguid"})


class NoDirectoryId(Exception):
    """The entry has no value for TSUNAGU_LDAP_ID_ATTR (a wrong attribute name, or a
    service account that may not read it)."""


def entry_id(attrs: Any) -> str:
    """The entry's ID as Tsunagu stores it: text lower-cased (entryUUID), binary values in
    hexadecimal (objectGUID comes back as 16 bytes). `attrs`: the entry's attributes as
    django-auth-ldap reads them (a case-insensitive dict of lists)."""
    name = settings.DIRECTORY_ID_ATTR
    values = attrs.get(name) or []
    if not values:
        raise NoDirectoryId(
            f"the directory entry has no {name} (TSUNAGU_LDAP_ID_ATTR): "
            "check the attribute name and that the service account may read it"
        )
    value = values[0]
    if name.lower() in BINARY or isinstance(value, bytes):
        # django-auth-ldap decodes any value that happens to be valid UTF-8: back to bytes,
        # losslessly, so that every GUID is kept the same way.
        raw = value if isinstance(value, bytes) else str(value).encode("utf-8")
        text = raw.hex()
    else:
        text = str(value).strip().lower()
    if not text or len(text) > 200:
        raise NoDirectoryId(f"the directory entry's {name} is empty or longer than 200 characters")
    return text
