"""Reads of the notification list."""

from __future__ import annotations

from casework.models import (
    Notification,
)


def notifications_for(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_notification_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
