"""Whether the ward's directory answered lately.

A directory that does not answer holds each sign-in for TSUNAGU_LDAP_TIMEOUT_SECONDS before
Tsunagu goes on to the local accounts. After one such failure the directory is taken as down
for TSUNAGU_LDAP_DOWN_SECONDS (in the cache: with Redis every web process knows it, with
the embedded default's in-memory cache each process finds out for itself): sign-ins in that
time do not wait for it (its users are refused at once, local accounts sign in at once) and
the login page says so. The first sign-in after that time asks the directory again; one it
accepts clears the mark.

Needs no python-ldap: the login page asks it whether the directory is on or not.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from config.directory_settings import BACKEND

logger = logging.getLogger(__name__)

KEY = "directory:down-since"


def down_since() -> datetime.datetime | None:
    """When the directory stopped answering, while it counts as down; None otherwise (and
    when the cache cannot be read: then every sign-in asks the directory, as before)."""
    if BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return None
    try:
        value = cache.get(KEY)
    except Exception:  # the cache's server is down: sign-ins must go on without it
        logger.warning("directory: the cache cannot be read", exc_info=True)
        return None
    return value if isinstance(value, datetime.datetime) else None


def mark_down() -> None:
    since = down_since() or timezone.now()
    try:
        cache.set(KEY, since, timeout=settings.DIRECTORY_DOWN_SECONDS)
    except Exception:
        logger.warning("directory: the cache cannot be written", exc_info=True)


def mark_up() -> None:
    try:
        cache.delete(KEY)
    except Exception:
        logger.warning("directory: the cache cannot be written", exc_info=True)
