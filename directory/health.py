"""Whether the ward's directory answered lately.

A directory that does not answer holds each sign-in for TSUNAGU_LDAP_TIMEOUT_SECONDS before
Tsunagu goes on to the local accounts. After one such failure the directory is taken as down
for TSUNAGU_LDAP_DOWN_SECONDS (in the cache, so every web process knows): sign-ins in that
time do not wait for it (its users are refused at once, local accounts sign in at once) and
the login page says so. The first sign-in after that time asks the directory again; one it
accepts clears the mark.

Needs no python-ldap: the login page asks it whether the directory is on or not.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from config.directory_settings import BACKEND

KEY = "directory:down-since"


def down_since() -> datetime.datetime | None:
    """When the directory stopped answering, while it counts as down; None otherwise."""
    if BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return None
    value = cache.get(KEY)
    return value if isinstance(value, datetime.datetime) else None


def mark_down() -> None:
    since = down_since() or timezone.now()
    cache.set(KEY, since, timeout=settings.DIRECTORY_DOWN_SECONDS)


def mark_up() -> None:
    cache.delete(KEY)
