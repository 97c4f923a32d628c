"""Reading a user's draft of a form."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from casework.models import Draft

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def draft_for(user: User, path: str) -> Draft | None:
    """The user's own draft of the form at `path`, if it has not expired."""
    limit = timezone.now() - datetime.timedelta(hours=settings.DRAFT_HOURS)
    return Draft.objects.filter(user=user, path=path, saved_at__gte=limit).first()


def draft_data(draft: Draft) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in draft.data.items():
        data.setlist(key, [str(v) for v in values])
    return data
