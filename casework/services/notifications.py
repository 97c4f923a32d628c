"""Sending in-app notifications and marking them read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import timezone

from casework.models import (
    Notification,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def notification_send(*, recipients: Iterable[User | None], message: str, url: str = "") -> int:
    """Put a message in each recipient's notification list (once per person)."""
    unique = {user.pk: user for user in recipients if user is not None}
    Notification.objects.bulk_create(
        [Notification(recipient_id=pk, message=message[:300], url=url) for pk in unique]
    )
    return len(unique)


def notifications_mark_read(*, actor: User, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications, or all of them, as read."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
