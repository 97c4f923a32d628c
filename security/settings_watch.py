"""Changes of the security-relevant settings, in the security log.

Settings come from the environment at start-up, so a change shows when a process starts
with values that differ from the last recorded ones: a web process at its start
(config/wsgi.py: gunicorn and runserver) and every `migrate` compare them, and record one
event naming what changed, old and new. A secret's value is never shown: only that it
changed. The first start records the values and no event.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction

from security import events
from security.models import EventKind, SettingsState

WATCHED = (
    "DEBUG",
    "ALLOWED_HOSTS",
    "HTTPS",
    "BEHIND_TLS_PROXY",
    "TSUNAGU_SECOND_FACTOR_ROLES",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "SECURITY_SPRAY_USERNAMES",
    "SECURITY_SPRAY_MINUTES",
    "SESSION_IDLE_TIMEOUT_MINUTES",
    "SESSION_ABSOLUTE_HOURS",
    "PASSWORD_RESET_TIMEOUT",
    "AUTHENTICATION_BACKENDS",
    "AUTH_LDAP_SERVER_URI",
    "AUTH_LDAP_BIND_DN",
    "TSUNAGU_LDAP_GROUP_MAP",
    "INDICATORS_SUPPRESSION_K",
    "INDICATORS_PROTECTION_WIDTH",
)
# Only a fingerprint of these is kept: the log says that they changed, never their value.
SECRETS = ("SECRET_KEY", "AUTH_LDAP_BIND_PASSWORD")


def current() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in WATCHED:
        if hasattr(settings, name):
            value = getattr(settings, name)
            if isinstance(value, set | frozenset | tuple):
                value = sorted(value) if isinstance(value, set | frozenset) else list(value)
            values[name] = (
                value if isinstance(value, str | int | float | bool | list) else str(value)
            )
    for name in SECRETS:
        if getattr(settings, name, ""):
            digest = hashlib.sha256(str(getattr(settings, name)).encode()).hexdigest()[:16]
            values[name] = f"sha256:{digest}"
    return values


def check(*, source: str = "") -> bool:
    """Record the settings if they changed since last recorded. True when they did."""
    now = current()
    with transaction.atomic():
        last = SettingsState.objects.select_for_update().order_by("-at", "-pk").first()
        before = last.values if last is not None else None
        if before == now:
            return False
        SettingsState.objects.create(values=now)
        if before is None:
            return False  # the first start: nothing changed, the values are kept to compare
        changed = [
            name if name in SECRETS else f"{name}: {before.get(name)!r} → {now.get(name)!r}"
            for name in sorted(set(before) | set(now))
            if before.get(name) != now.get(name)
        ]
        detail = "; ".join(changed)
        events.record(
            EventKind.SETTINGS_CHANGE,
            system=True,
            detail=f"{source}: {detail}" if source else detail,
        )
    return True


def check_at_start() -> None:
    """At a web process's start: a database that cannot be reached is not this check's to
    report (the process starts; /healthz says so), so it logs one line and goes on."""
    import logging

    try:
        check(source="start")
    except Exception as error:
        logging.getLogger(__name__).warning("settings check skipped: %s", error.__class__.__name__)
