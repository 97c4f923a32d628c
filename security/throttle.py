"""Throttling by address across user names (password spraying).

django-axes pauses one user name from one address after AXES_FAILURE_LIMIT failures. A
sprayer tries one password on many names instead: here an address whose failed sign-ins in
the last SECURITY_SPRAY_MINUTES name SECURITY_SPRAY_USERNAMES different user names or more
is refused before any password is checked, until the window has passed. Counted from the
security log itself (indexed by address, kind and time), so every worker and instance sees
the same count.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models.functions import Lower
from django.utils import timezone

from security.models import EventKind, SecurityEvent


def window_minutes() -> int:
    return int(settings.SECURITY_SPRAY_MINUTES)


def address_paused(address: str) -> bool:
    if not address:
        return False
    since = timezone.now() - datetime.timedelta(minutes=window_minutes())
    names = (
        SecurityEvent.objects.filter(address=address, kind=EventKind.LOGIN_FAILED, at__gte=since)
        .order_by()  # no ordering columns in the DISTINCT
        .annotate(name=Lower("username"))  # "Tanaka" and "tanaka" are one name
        .values("name")
        .distinct()
    )
    # At most the limit's worth of names is read: the answer only needs to know it is reached.
    limit = int(settings.SECURITY_SPRAY_USERNAMES)
    return len(names[:limit]) >= limit
